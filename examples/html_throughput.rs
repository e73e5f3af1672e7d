//! Measures the HTML reader's throughput: reads pages repeatedly from memory and prints MB/s.
//!
//! `cargo run --release --example html_throughput -- [PAGE.html ...]` (default: the HTML
//! pages in `samples/`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use feedloom::source::{ReadOptions, SourceKind, read_bytes};

fn main() {
    let mut pages: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if pages.is_empty() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut found: Vec<PathBuf> = std::fs::read_dir(&samples)
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        found.retain(|p| p.extension().is_some_and(|e| e == "html"));
        found.sort();
        pages = found;
    }
    let options = ReadOptions::default();
    let mut total_bytes = 0u64;
    let mut total_time = Duration::ZERO;
    for page in &pages {
        let bytes = match std::fs::read(page) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", page.display());
                continue;
            }
        };
        let (mut runs, start) = (0u64, Instant::now());
        while runs < 20 || start.elapsed() < Duration::from_secs(1) {
            let article = read_bytes(page, &bytes, Some(SourceKind::Html), &options);
            std::hint::black_box(article).ok();
            runs += 1;
        }
        let elapsed = start.elapsed();
        let bytes_read = runs * bytes.len() as u64;
        println!(
            "{:>8.1} MB/s  {:>8.0} pages/s  {:>7} bytes  {}",
            bytes_read as f64 / 1e6 / elapsed.as_secs_f64(),
            runs as f64 / elapsed.as_secs_f64(),
            bytes.len(),
            page.display()
        );
        total_bytes += bytes_read;
        total_time += elapsed;
    }
    if !total_time.is_zero() {
        println!(
            "{:>8.1} MB/s  overall",
            total_bytes as f64 / 1e6 / total_time.as_secs_f64()
        );
    }
}
