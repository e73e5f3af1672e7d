//! Prints what a source reader found in one article file: title, fields, warnings, body.
//!
//! `cargo run --example show_article -- samples/news-gbk-xinhua.html`

use std::path::Path;

use feedloom::source::{Body, ReadOptions, read_file};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: show_article FILE");
        std::process::exit(2);
    };
    match read_file(Path::new(&path), None, &ReadOptions::default()) {
        Ok(article) => {
            println!("title: {:?}", article.title);
            for f in &article.fields {
                println!("  {:?} = {:?} (line {:?})", f.key, f.value, f.line);
            }
            for w in &article.warnings {
                println!("{w}");
            }
            if let Body::Html(html) = &article.body {
                println!("---\n{html}");
            }
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
