//! The HTML reader end to end: sample pages through `feedloom::source::read_file`.

mod markup_common;

use std::path::{Path, PathBuf};

use feedloom::source::{
    Article, Body, FieldKey, HtmlSelectors, ReadOptions, Role, read_bytes, read_file,
};

const AUTHOR: FieldKey = FieldKey::Person(Role::Author);
const CHIEF_EDITOR: FieldKey = FieldKey::Person(Role::ChiefEditor);

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read_with(rel: &str, options: &ReadOptions) -> Article {
    read_file(&root(rel), None, options).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn read(rel: &str) -> Article {
    read_with(rel, &ReadOptions::default())
}

fn fields(a: &Article) -> Vec<(FieldKey, &str)> {
    a.fields.iter().map(|f| (f.key, f.value.as_str())).collect()
}

fn html(a: &Article) -> &str {
    match &a.body {
        Body::Html(h) | Body::RenderedHtml(h) => h,
        Body::Blocks(_) => panic!("{}: expected an HTML body", a.path.display()),
    }
}

fn title(a: &Article) -> &str {
    a.title.as_ref().map_or("", |t| t.value.as_str())
}

struct Sample {
    file: &'static str,
    title: &'static str,
    fields: Vec<(FieldKey, &'static str)>,
    body_has: &'static [&'static str],
    body_lacks: &'static [&'static str],
}

fn samples() -> Vec<Sample> {
    use FieldKey::*;
    vec![
        Sample {
            file: "samples/blog-jsonld-blogposting.html",
            title: "Caching feeds with ETags",
            fields: vec![
                (Published, "2024-04-12T14:05:00+02:00"),
                (Updated, "2024-04-15T09:00:00+02:00"),
                (AUTHOR, "Hannah Becker"),
                (Category, "Web"),
                (Tag, "http"),
                (Tag, "caching"),
                (Tag, "feeds"),
                (
                    Summary,
                    "How conditional GET keeps feed polling cheap for everyone.",
                ),
                (
                    Link,
                    "https://notes.example.net/2024/04/caching-feeds-with-etags/",
                ),
                (Language, "en"),
            ],
            body_has: &[
                "<code>304 Not Modified</code>",
                r#"<a href="/2023/11/http-validators/">validator pair</a>"#,
                "<figcaption>One round trip, no body.</figcaption>",
                "<h2>Keep the ETag stable</h2>",
            ],
            body_lacks: &[
                "<h1",
                "Archive",
                "Share on Social",
                "Copy link",
                "Great post",
                "newsletter",
                "All rights reserved",
                "copyLink",
                "TODO",
                "By Hannah Becker",
            ],
        },
        Sample {
            file: "samples/news-og-copper.html",
            title: "三月精炼铜产量同比增长4.1%",
            fields: vec![
                (Published, "2024-04-02T08:30:00+08:00"),
                (AUTHOR, "王磊"),
                (Category, "要闻"),
                (Tag, "铜"),
                (Tag, "统计数据"),
                (Tag, "精炼铜"),
                (Tag, "产量"),
                (Tag, "冶炼"),
                (
                    Summary,
                    "国家统计局数据显示,3月份精炼铜产量同比增长4.1%,连续第三个月增长。",
                ),
                (
                    Link,
                    "https://www.example.com/news/2024/0402/copper-output.html",
                ),
                (Language, "zh-CN"),
                (Source, "中国有色网"),
                (CHIEF_EDITOR, "李娜"),
            ],
            body_has: &[
                "<p>国家统计局最新数据显示,3月份全国精炼铜产量同比增长4.1%",
                r#"<img alt="冶炼厂" src="/upload/2024/04/smelter.jpg">"#,
                "<p>分析人士预计,随着二季度检修季到来,产量增速或将有所放缓。</p>",
            ],
            body_lacks: &[
                "行情",
                "当前位置",
                "分享到",
                "相关新闻",
                "热点排行",
                "版权所有",
                "责任编辑",
                "_hmt",
            ],
        },
        Sample {
            file: "samples/news-gbk-xinhua.html",
            title: "4个月内4次通话,习近平再同普京强调“相互支持”",
            fields: vec![
                (Published, "2020年07月10日 9:52"),
                (Source, "新华社"),
                (CHIEF_EDITOR, "孟庆科"),
                (
                    Summary,
                    "7月8日,习近平主席同俄罗斯总统普京再通电话。两国领导人强调“坚定相互支持”,\
                     表达双方进一步加强全面战略协作的共同意愿。",
                ),
            ],
            body_has: &[
                "<p>7月8日,习近平主席同俄罗斯总统普京再通电话。",
                "<p><strong>守望相助 共同抗击疫情</strong></p>",
            ],
            body_lacks: &["时政", "广告", "分享到", "Copyright", "责任编辑", "来源"],
        },
    ]
}

#[test]
fn samples_give_their_fields_and_bodies() {
    for s in samples() {
        let a = read(s.file);
        assert_eq!(title(&a), s.title, "{}", s.file);
        assert_eq!(fields(&a), s.fields, "{}", s.file);
        markup_common::assert_body(s.file, html(&a), s.body_has, s.body_lacks);
        assert!(a.warnings.is_empty(), "{}: {:?}", s.file, a.warnings);
        assert!(a.fields.iter().all(|f| f.line.is_none()), "{}", s.file);
    }
}

#[test]
fn the_gbk_sample_is_really_gbk() {
    let bytes = std::fs::read(root("samples/news-gbk-xinhua.html")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let (text, _, had_errors) = encoding_rs::GBK.decode(&bytes);
    assert!(!had_errors && text.contains(r#"<meta charset="gbk" />"#));
}

#[test]
fn fixtures_with_other_shapes() {
    let a = read("tests/fixtures/markup/big5-http-equiv.html");
    assert_eq!(title(&a), "台北股市收高 電子股領漲");
    assert_eq!(
        fields(&a),
        vec![
            (FieldKey::Published, "2021-03-05 14:30"),
            (AUTHOR, "陳建華"),
            (
                FieldKey::Summary,
                "台北股市今日收高,電子股領漲,成交量較前一交易日增加。"
            ),
        ]
    );
    assert!(
        html(&a).contains("<p>分析師表示,外資持續買超是主要原因。</p>"),
        "{}",
        html(&a)
    );
    assert!(
        !html(&a).contains("首頁") && !html(&a).contains("作者"),
        "{}",
        html(&a)
    );

    let a = read("tests/fixtures/markup/gb2312-br-paragraphs.html");
    assert_eq!(title(&a), "我市召开安全生产工作会议");
    assert_eq!(
        fields(&a),
        vec![
            (FieldKey::Published, "2019-12-03"),
            (FieldKey::Source, "市安监局"),
            (AUTHOR, "刘洋"),
            (
                FieldKey::Summary,
                "12月2日,我市召开全市安全生产工作会议,总结今年以来安全生产工作,部署岁末年初安全防范措施。"
            ),
        ]
    );
    let body = html(&a);
    assert!(
        body.contains("部署岁末年初安全防范措施。<br><br>"),
        "{body}"
    );
    assert!(body.contains("妥善处置各类突发事件。"), "{body}");
    assert!(
        !body.contains("政务公开") && !body.contains("版权所有"),
        "{body}"
    );

    let a = read("tests/fixtures/markup/lazy-images-base-href.html");
    assert_eq!(title(&a), "New bridge opens");
    assert_eq!(
        fields(&a),
        vec![(
            FieldKey::Summary,
            "The bridge opened to traffic at dawn, two months ahead of schedule."
        )]
    );
    let body = html(&a);
    assert!(
        body.contains(r#"src="https://cdn.example.org/news/2023/img/bridge.jpg""#),
        "{body}"
    );
    assert!(
        body.contains(r#"href="https://cdn.example.org/news/2023/map.html""#),
        "{body}"
    );
    assert!(
        !body.contains("placeholder") && !body.contains("<h1"),
        "{body}"
    );

    let a = read("tests/fixtures/markup/jsonld-article-body.html");
    assert_eq!(title(&a), "Rail strike called off");
    assert_eq!(
        html(&a),
        "<p>Unions called off Thursday's rail strike after a late-night deal.</p>\n\
         <p>Trains will run to the normal timetable.</p>"
    );
    assert_eq!(
        a.field(FieldKey::Link).unwrap().value,
        "https://rail.example.org/news/strike-called-off"
    );
}

#[test]
fn bad_input_is_a_warning_naming_file_line_and_reason() {
    let rows = [
        (
            "truncated-page.html",
            Some(7),
            "ends without `</body>` or `</html>`",
        ),
        (
            "unknown-charset.html",
            Some(1),
            "unknown encoding `x-klingon`",
        ),
        (
            "declared-gbk-but-utf8.html",
            Some(1),
            "declares `gbk` but its bytes are UTF-8",
        ),
        (
            "jsonld-article-body.html",
            None,
            "JSON-LD block 2 is not valid JSON",
        ),
    ];
    for (file, line, reason) in rows {
        let a = read(&format!("tests/fixtures/markup/{file}"));
        assert_eq!(a.warnings.len(), 1, "{file}: {:?}", a.warnings);
        let w = &a.warnings[0];
        assert!(w.origin.ends_with(file), "{file}: {w}");
        assert_eq!(w.line, line, "{file}: {w}");
        assert!(w.message.contains(reason), "{file}: {w}");
    }
    let a = read("tests/fixtures/markup/truncated-page.html");
    assert!(html(&a).contains("<p>The first paragraph arrived whole.</p>"));
    let a = read("tests/fixtures/markup/declared-gbk-but-utf8.html");
    assert!(html(&a).contains("浏览器另存为网页时常见这种情况。"));
}

#[test]
fn saved_pages_are_sniffed_without_an_extension() {
    let page = b"<!-- saved from url=(0030)https://example.com/a.html -->\n\
        <html><head><title>Saved page</title></head><body><p>Text.</p></body></html>";
    let a = read_bytes(Path::new("inbox/page"), page, None, &ReadOptions::default()).unwrap();
    assert_eq!(title(&a), "Saved page");
}

#[test]
fn a_page_without_any_title_is_an_error() {
    let path = root("tests/fixtures/markup/no-title.html");
    let err = read_file(&path, None, &ReadOptions::default()).unwrap_err();
    assert!(err.reason().contains("set a `title` selector"), "{err}");
}

#[test]
fn selectors_override_detection() {
    let file = "tests/fixtures/markup/custom-layout-selectors.html";
    let guessed = read(file);
    assert!(
        html(&guessed).contains("unrelated"),
        "detection alone picks the teasers"
    );

    let selectors: HtmlSelectors = toml::from_str(
        "content = '#story'\ntitle = '.headline'\ndate = '.pubtime'\nremove = ['.promo']",
    )
    .unwrap();
    let options = ReadOptions {
        selectors,
        ..ReadOptions::default()
    };
    let a = read_with(file, &options);
    assert_eq!(title(&a), "Harbour reopens after storm repairs");
    assert_eq!(
        a.field(FieldKey::Published).unwrap().value,
        "2023/11/08 07:45"
    );
    let body = html(&a);
    assert!(
        body.contains("<p>The harbour reopened on Wednesday after three weeks of repairs.</p>"),
        "{body}"
    );
    assert!(
        body.contains("<p>Ferries resume their normal timetable on Friday.</p>"),
        "{body}"
    );
    assert!(
        !body.contains("Subscribe") && !body.contains("unrelated"),
        "{body}"
    );
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);

    let selectors: HtmlSelectors =
        toml::from_str("content = '#nothing-here'\ntitle = '.nope'\ndate = '.nope'").unwrap();
    let options = ReadOptions {
        selectors,
        ..ReadOptions::default()
    };
    let a = read_with(file, &options);
    assert_eq!(a.warnings.len(), 3, "{:?}", a.warnings);
    assert!(
        a.warnings
            .iter()
            .all(|w| w.origin.ends_with("custom-layout-selectors.html"))
    );
    assert!(
        a.warnings[0]
            .message
            .contains("`#nothing-here` matched nothing"),
        "{:?}",
        a.warnings
    );
}

#[test]
fn never_panics_on_truncated_or_broken_pages() {
    let opts = ReadOptions::default();
    for s in samples() {
        let bytes = std::fs::read(root(s.file)).unwrap();
        for cut in (0..bytes.len()).step_by(17) {
            let _ = read_bytes(Path::new("cut.html"), &bytes[..cut], None, &opts);
        }
    }
    let soups: [&[u8]; 8] = [
        b"",
        b"<html",
        b"<meta charset=",
        b"<meta charset=\"gbk",
        b"<html><body><article><p>open <b>tags <i>everywhere",
        b"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleBody\":",
        b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
        b"<title>\x80\x81\xfe\xff</title><h1></h1><p></p>",
    ];
    for soup in soups {
        let _ = read_bytes(Path::new("soup.html"), soup, None, &opts);
    }
    // Deterministic byte noise after a page opening.
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    for len in (0..2000).step_by(40) {
        let mut page = b"<html><head><meta charset=\"big5\"></head><body><div>".to_vec();
        page.extend((0..len).map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        }));
        let _ = read_bytes(Path::new("noise.html"), &page, None, &opts);
    }
}

#[test]
fn selectors_in_a_definition_reach_the_built_feed() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::copy(
        root("tests/fixtures/markup/custom-layout-selectors.html"),
        pages.join("harbour.html"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("feeds")).unwrap();
    let definition = "title = \"Harbour\"\nlink = \"https://port.example/\"\n\
        [[source]]\npath = \"pages\"\n\
        [source.selectors]\ncontent = \"#story\"\ntitle = \".headline\"\n\
        date = \".pubtime\"\nremove = [\".promo\"]\n\
        [output]\njson = \"public/h.json\"\n";
    std::fs::write(dir.path().join("feeds/h.toml"), definition).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = std::fs::read_to_string(dir.path().join("public/h.json")).unwrap();
    let feed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let item = &feed["items"][0];
    assert_eq!(item["title"], "Harbour reopens after storm repairs");
    assert_eq!(item["date_published"], "2023-11-08T07:45:00+00:00");
    let content = item["content_html"].as_str().unwrap();
    assert!(content.contains("three weeks of repairs"), "{content}");
    assert!(
        !content.contains("Subscribe") && !content.contains("unrelated"),
        "{content}"
    );
}
