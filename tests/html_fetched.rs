//! The HTML reader on pages fetched from the web (`source::html::read_fetched`), the way
//! full text for merged items reads them: the article without the page's furniture, links
//! and images absolute against the page's address, lazy and `<noscript>` images as plain
//! images, the HTTP charset first, and selectors (author included) over detection.

use feedloom::source::html::{FetchedPage, read_fetched};
use feedloom::source::{Article, Body, FieldKey, HtmlSelectors, ReadOptions, Role};
use url::Url;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/full_text/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).expect("fixture")
}

fn read(url: &str, bytes: &[u8], charset: Option<&str>, options: &ReadOptions) -> Article {
    let url = Url::parse(url).expect("url");
    let page = FetchedPage {
        url: &url,
        bytes,
        charset,
    };
    read_fetched(page, options).expect("an article")
}

fn html(article: &Article) -> &str {
    match &article.body {
        Body::Html(html) => html,
        other => panic!("not HTML: {other:?}"),
    }
}

#[test]
fn the_article_comes_without_furniture_and_with_absolute_images() {
    let bytes = fixture("article-with-furniture.html");
    let article = read(
        "https://metals.example/articles/2024/copper.html",
        &bytes,
        None,
        &ReadOptions::default(),
    );
    let body = html(&article);
    for kept in [
        "Copper rose to its highest price in two years",
        "smelters in the region had little metal left",
        "Analysts expect prices to stay firm",
        r#"src="https://metals.example/articles/2024/img/chart.png""#,
        r#"src="https://metals.example/media/warehouse.jpg""#,
        r#"src="https://metals.example/articles/media/smelter.jpg""#,
        r#"href="https://metals.example/articles/background.html""#,
    ] {
        assert!(body.contains(kept), "{kept} missing from {body}");
    }
    for furniture in [
        "cookies",
        "Markets menu",
        "Share on",
        "Related",
        "comment",
        "Most read",
        "All rights reserved",
        "placeholder.gif",
        "data:image",
        "<noscript",
    ] {
        assert!(!body.contains(furniture), "{furniture} left in {body}");
    }
    let author = article
        .field(FieldKey::Person(Role::Author))
        .map(|f| f.value.as_str());
    assert_eq!(author, Some("Li Wei"));
}

#[test]
fn lazy_sources_and_srcsets_resolve_against_base_href_or_the_page() {
    let page = br#"<html><head><base href="/static/"></head><body><article>
        <p>A paragraph long enough to be the article of this small test page, really.</p>
        <img data-src="a.jpg" data-srcset="a.jpg 1x, /b.jpg 2x">
        <img src="c.jpg" srcset="c.jpg 480w,  d.jpg 800w">
        </article></body></html>"#;
    let article = read(
        "https://x.example/news/1",
        page,
        None,
        &ReadOptions::default(),
    );
    let body = html(&article);
    for want in [
        r#"src="https://x.example/static/a.jpg""#,
        r#"srcset="https://x.example/static/a.jpg 1x, https://x.example/b.jpg 2x""#,
        r#"srcset="https://x.example/static/c.jpg 480w, https://x.example/static/d.jpg 800w""#,
    ] {
        assert!(body.contains(want), "{want} missing from {body}");
    }
}

#[test]
fn the_http_charset_comes_before_the_page_declaration() {
    let text = "<html><head><meta charset=\"big5\"></head><body><article><p>铜价创两年新高，亚洲电网运营商大量订购电缆，保税仓库库存连续下降。</p></article></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let article = read(
        "https://x.example/a",
        &gbk,
        Some("gbk"),
        &ReadOptions::default(),
    );
    assert!(
        html(&article).contains("铜价创两年新高"),
        "{}",
        html(&article)
    );
    // A page labelled as a legacy encoding but written in UTF-8 reads as UTF-8.
    let article = read(
        "https://x.example/a",
        text.as_bytes(),
        Some("gbk"),
        &ReadOptions::default(),
    );
    assert!(html(&article).contains("铜价创两年新高"));
}

#[test]
fn a_gbk_page_declared_in_its_meta_is_decoded() {
    let bytes = fixture("gbk-declared.html");
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GBK");
    let article = read(
        "https://x.example/gbk",
        &bytes,
        None,
        &ReadOptions::default(),
    );
    let body = html(&article);
    assert!(body.contains("铜价升至两年来最高水平"), "{body}");
    assert!(!body.contains("版权所有"), "{body}");
}

#[test]
fn selectors_override_detection_and_name_the_author() {
    let selectors: HtmlSelectors = toml::from_str(
        "content = '.story-text'\nremove = ['.inline-promo']\ndate = '.when'\nauthor = '.writer'",
    )
    .expect("selectors");
    let options = ReadOptions {
        selectors,
        ..ReadOptions::default()
    };
    let bytes = fixture("custom-layout-selectors.html");
    let article = read("https://x.example/c", &bytes, None, &options);
    let body = html(&article);
    assert!(body.contains("The harbour reopened"), "{body}");
    assert!(
        !body.contains("Subscribe now") && !body.contains("unrelated"),
        "{body}"
    );
    let field = |key| article.field(key).map(|f| f.value.as_str());
    assert_eq!(field(FieldKey::Person(Role::Author)), Some("Ana Costa"));
    assert_eq!(field(FieldKey::Published), Some("2023-11-08 07:45"));
}

#[test]
fn a_page_without_an_article_is_an_error_but_one_without_a_title_is_not() {
    let url = Url::parse("https://x.example/empty").expect("url");
    let options = ReadOptions::default();
    for empty in [
        &b"   "[..],
        b"<html><body><a href='/'>home</a></body></html>",
    ] {
        let page = FetchedPage {
            url: &url,
            bytes: empty,
            charset: None,
        };
        assert!(read_fetched(page, &options).is_err());
    }
    let untitled = b"<html><body><div><p>Only a paragraph of text, long enough to be an article.</p></div></body></html>";
    let article = read("https://x.example/u", untitled, None, &options);
    assert_eq!(article.title, None);
    assert!(html(&article).contains("Only a paragraph"));
}
