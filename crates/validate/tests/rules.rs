//! Table-driven tests per rule family: a feed snippet and the message
//! classes that must (and must not) be reported for it.

use feedloom_validate::{Format, Options, validate};

/// Wrap item markup in a minimal valid RSS 2.0 channel.
fn rss_item(item: &str) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" ",
            "xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">",
            "<channel><title>t</title><link>http://example.com/</link><description>d</description>",
            "<atom:link rel=\"self\" href=\"http://example.com/feed\" type=\"application/rss+xml\"/>",
            "<item>{}</item></channel></rss>"
        ),
        item
    )
}

/// Wrap entry markup in a minimal valid Atom feed.
fn atom_entry(entry: &str) -> String {
    format!(
        concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><id>http://example.com/</id>",
            "<updated>2020-01-01T00:00:00Z</updated><author><name>a</name></author>",
            "<link rel=\"self\" href=\"http://example.com/feed\"/><entry>{}</entry></feed>"
        ),
        entry
    )
}

fn check(name: &str, doc: &str, present: &[&str], absent: &[&str]) {
    let r = validate(doc.as_bytes(), &Options::default());
    let classes: Vec<&str> = r.problems.iter().map(|p| p.class).collect();
    for c in present {
        assert!(classes.contains(c), "{name}: expected {c}, got {classes:?}");
    }
    for c in absent {
        assert!(
            !classes.contains(c),
            "{name}: unexpected {c} in {classes:?}"
        );
    }
}

const OK_ITEM: &str =
    "<title>x</title><link>http://example.com/1</link><guid>http://example.com/1</guid>";

#[test]
fn rss_structure() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "valid",
            &rss_item(OK_ITEM),
            &[],
            &["MissingDescription", "MissingGuid"],
        ),
        (
            "no description",
            "<rss version=\"2.0\"><channel><title>t</title><link>http://e.com/</link></channel></rss>",
            &["MissingDescription"],
            &[],
        ),
        (
            "bad version",
            "<rss version=\"3.0\"><channel><title>t</title><link>http://e.com/</link><description>d</description></channel></rss>",
            &["InvalidRSSVersion"],
            &[],
        ),
        (
            "no guid",
            &rss_item("<title>x</title>"),
            &["MissingGuid"],
            &[],
        ),
        (
            "no title or description",
            &rss_item("<guid>http://e.com/1</guid>"),
            &["ItemMustContainTitleOrDescription"],
            &[],
        ),
        (
            "duplicate title",
            &rss_item("<title>x</title><title>y</title><guid>http://e.com/1</guid>"),
            &["DuplicateElement"],
            &[],
        ),
        (
            "undefined element",
            &rss_item("<title>x</title><guid>http://e.com/1</guid><foo>1</foo>"),
            &["UndefinedElement"],
            &[],
        ),
        (
            "missing self",
            "<rss version=\"2.0\"><channel><title>t</title><link>http://e.com/</link><description>d</description></channel></rss>",
            &["MissingAtomSelfLink"],
            &[],
        ),
    ];
    for (name, doc, yes, no) in cases {
        check(name, doc, yes, no);
    }
}

#[test]
fn dates() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "rfc822 ok",
            &rss_item(&format!(
                "{OK_ITEM}<pubDate>Mon, 06 Jul 2020 09:52:00 GMT</pubDate>"
            )),
            &[],
            &["InvalidRFC2822Date"],
        ),
        (
            "rfc822 bad",
            &rss_item(&format!("{OK_ITEM}<pubDate>2020-07-10 9:52</pubDate>")),
            &["InvalidRFC2822Date"],
            &[],
        ),
        (
            "rfc822 wrong day",
            &rss_item(&format!(
                "{OK_ITEM}<pubDate>Tue, 06 Jul 2020 09:52:00 GMT</pubDate>"
            )),
            &["IncorrectDOW"],
            &[],
        ),
        (
            "dc:date bad",
            &rss_item(&format!("{OK_ITEM}<dc:date>July 2020</dc:date>")),
            &["InvalidW3CDTFDate"],
            &[],
        ),
        (
            "atom updated bad",
            &atom_entry(
                "<title>x</title><id>urn:x:1</id><updated>2020-07-10</updated><summary>s</summary>",
            ),
            &["InvalidRFC3339Date"],
            &[],
        ),
        (
            "future",
            &atom_entry(
                "<title>x</title><id>urn:x:1</id><updated>2999-07-10T00:00:00Z</updated><summary>s</summary>",
            ),
            &["ImplausibleDate"],
            &[],
        ),
    ];
    for (name, doc, yes, no) in cases {
        check(name, doc, yes, no);
    }
}

#[test]
fn uris_emails_languages() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "relative link",
            &rss_item("<title>x</title><link>/1</link><guid>http://e.com/1</guid>"),
            &["InvalidFullLink"],
            &[],
        ),
        (
            "space in link",
            &rss_item("<title>x</title><link>http://e.com/a b</link><guid>http://e.com/1</guid>"),
            &["InvalidUriChar"],
            &[],
        ),
        (
            "guid not url",
            &rss_item("<title>x</title><guid>abc</guid>"),
            &["InvalidHttpGUID"],
            &[],
        ),
        (
            "guid not permalink",
            &rss_item("<title>x</title><guid isPermaLink=\"false\">abc-1234567890</guid>"),
            &[],
            &["InvalidHttpGUID"],
        ),
        (
            "author email",
            &rss_item(&format!("{OK_ITEM}<author>not an address</author>"))[..],
            &["InvalidContact"],
            &[],
        ),
        (
            "language",
            "<rss version=\"2.0\"><channel><title>t</title><link>http://e.com/</link><description>d</description><language>zz-top</language></channel></rss>",
            &["InvalidLanguage"],
            &[],
        ),
        (
            "enclosure type",
            &rss_item(&format!(
                "{OK_ITEM}<enclosure url=\"http://e.com/a.mp3\" length=\"1\" type=\"audio\"/>"
            )),
            &["InvalidMIMEAttribute"],
            &[],
        ),
        (
            "enclosure length",
            &rss_item(&format!(
                "{OK_ITEM}<enclosure url=\"http://e.com/a.mp3\" length=\"x\" type=\"audio/mpeg\"/>"
            )),
            &["InvalidIntegerAttribute"],
            &[],
        ),
    ];
    for (name, doc, yes, no) in cases {
        check(name, doc, yes, no);
    }
}

#[test]
fn html_in_text() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "script",
            &rss_item(&format!(
                "{OK_ITEM}<description>&lt;script&gt;x()&lt;/script&gt;</description>"
            )),
            &["SecurityRisk"],
            &[],
        ),
        (
            "onclick",
            &rss_item(&format!(
                "{OK_ITEM}<description>&lt;p onclick=\"x()\"&gt;a&lt;/p&gt;</description>"
            )),
            &["SecurityRiskAttr"],
            &[],
        ),
        (
            "style",
            &rss_item(&format!(
                "{OK_ITEM}<description>&lt;p style=\"position: absolute\"&gt;a&lt;/p&gt;</description>"
            )),
            &["DangerousStyleAttr"],
            &[],
        ),
        (
            "relative img",
            &rss_item(&format!(
                "{OK_ITEM}<description>&lt;img src=\"/a.png\"&gt;</description>"
            )),
            &["ContainsRelRef"],
            &[],
        ),
        (
            "unclosed",
            &rss_item(&format!(
                "{OK_ITEM}<description>&lt;b&gt;bold</description>"
            )),
            &["NotHtml"],
            &[],
        ),
        (
            "html in title",
            &rss_item("<title>a &lt;b&gt;b&lt;/b&gt;</title><guid>http://e.com/1</guid>"),
            &["ContainsHTML"],
            &[],
        ),
        (
            "clean content",
            &rss_item(&format!(
                "{OK_ITEM}<description>d</description><content:encoded>&lt;p&gt;ok&lt;/p&gt;</content:encoded>"
            )),
            &[],
            &["NotHtml", "SecurityRisk"],
        ),
        (
            "atom undeclared html",
            &atom_entry(
                "<title>x &lt;b&gt;y&lt;/b&gt;</title><id>urn:x:1</id><updated>2020-01-01T00:00:00Z</updated><summary>s</summary>",
            ),
            &["ContainsUndeclaredHTML"],
            &[],
        ),
    ];
    for (name, doc, yes, no) in cases {
        check(name, doc, yes, no);
    }
}

#[test]
fn atom_structure() {
    let ok = "<title>x</title><id>urn:x:1</id><updated>2020-01-01T00:00:00Z</updated><summary>s</summary>";
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "valid",
            &atom_entry(ok),
            &[],
            &["MissingElement", "MissingSelf"],
        ),
        (
            "no id",
            &atom_entry(
                "<title>x</title><updated>2020-01-01T00:00:00Z</updated><summary>s</summary>",
            ),
            &["MissingElement"],
            &[],
        ),
        (
            "no content",
            &atom_entry("<title>x</title><id>urn:x:1</id><updated>2020-01-01T00:00:00Z</updated>"),
            &["MissingContentOrAlternate"],
            &[],
        ),
        (
            "bad tag id",
            &atom_entry(
                "<title>x</title><id>tag:foo</id><updated>2020-01-01T00:00:00Z</updated><summary>s</summary>",
            ),
            &["InvalidTAG"],
            &[],
        ),
        (
            "non-canonical id",
            &atom_entry(
                "<title>x</title><id>HTTP://Example.com/a</id><updated>2020-01-01T00:00:00Z</updated><summary>s</summary>",
            ),
            &["NonCanonicalURI"],
            &[],
        ),
        (
            "text type",
            &atom_entry(
                "<title type=\"text/plain\">x</title><id>urn:x:1</id><updated>2020-01-01T00:00:00Z</updated><summary>s</summary>",
            ),
            &["InvalidTextType"],
            &[],
        ),
        (
            "link rel",
            &atom_entry(&format!(
                "{ok}<link rel=\"foo bar\" href=\"http://e.com/\"/>"
            )),
            &["UnregisteredAtomLinkRel"],
            &[],
        ),
    ];
    for (name, doc, yes, no) in cases {
        check(name, doc, yes, no);
    }
}

#[test]
fn extensions() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "media rating",
            &rss_item(&format!("{OK_ITEM}<media:rating>bad</media:rating>")),
            &["InvalidMediaRating"],
            &[],
        ),
        (
            "media thumbnail",
            &rss_item(&format!("{OK_ITEM}<media:thumbnail/>")),
            &["MissingAttribute"],
            &[],
        ),
        (
            "itunes explicit",
            &rss_item(&format!(
                "{OK_ITEM}<itunes:explicit>maybe</itunes:explicit>"
            )),
            &["InvalidTrueFalse"],
            &[],
        ),
        (
            "itunes duration",
            &rss_item(&format!("{OK_ITEM}<itunes:duration>1:99</itunes:duration>")),
            &["InvalidDuration"],
            &[],
        ),
        (
            "dc language",
            &rss_item(&format!("{OK_ITEM}<dc:language>qq-yy</dc:language>")),
            &["InvalidLanguage"],
            &[],
        ),
        (
            "unknown namespace",
            "<rss version=\"2.0\" xmlns:x=\"http://example.com/ns\"><channel><title>t</title><link>http://e.com/</link><description>d</description></channel></rss>",
            &["UnknownNamespace"],
            &[],
        ),
        (
            "reserved prefix",
            "<rss version=\"2.0\" xmlns:dc=\"http://example.com/ns\"><channel><title>t</title><link>http://e.com/</link><description>d</description></channel></rss>",
            &["ReservedPrefix"],
            &[],
        ),
    ];
    for (name, doc, yes, no) in cases {
        check(name, doc, yes, no);
    }
}

#[test]
fn xml_and_encoding() {
    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "mismatched",
            b"<rss version=\"2.0\"><channel></rss>",
            &["SAXError"],
        ),
        (
            "undefined entity",
            b"<rss version=\"2.0\"><channel><title>&nbsp;</title></channel></rss>",
            &["SAXError"],
        ),
        (
            "bad utf-8",
            b"<rss version=\"2.0\"><channel><title>\xff</title></channel></rss>",
            &["UnicodeError"],
        ),
        (
            "obscure encoding",
            b"<?xml version=\"1.0\" encoding=\"iso-8859-5\"?><rss version=\"2.0\"><channel/></rss>",
            &["ObscureEncoding"],
        ),
        (
            "unknown encoding",
            b"<?xml version=\"1.0\" encoding=\"x-bogus\"?><rss version=\"2.0\"><channel/></rss>",
            &["UnknownEncoding"],
        ),
    ];
    for (name, doc, yes) in cases {
        let r = validate(doc, &Options::default());
        let classes: Vec<&str> = r.problems.iter().map(|p| p.class).collect();
        for c in *yes {
            assert!(classes.contains(c), "{name}: expected {c}, got {classes:?}");
        }
    }
}

#[test]
fn billion_laughs_stays_small() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doc.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>");
    let t = std::time::Instant::now();
    let r = validate(doc.as_bytes(), &Options::default());
    assert!(t.elapsed().as_secs() < 2);
    assert_eq!(r.format, Format::Rss20);
}

#[test]
fn json_feed() {
    let ok = br#"{"version":"https://jsonfeed.org/version/1.1","title":"t","home_page_url":"https://e.com/","feed_url":"https://e.com/feed.json","items":[{"id":"1","content_text":"x","date_published":"2020-07-10T09:52:00Z"}]}"#;
    let r = validate(ok, &Options::default());
    assert_eq!(r.format, Format::JsonFeed11);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let cases: &[(&str, &str, &str)] = &[
        (
            "version",
            r#"{"version":"1","title":"t","items":[]}"#,
            "JsonFeedVersion",
        ),
        (
            "dup id",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_text":"a"},{"id":"1","content_text":"b"}]}"#,
            "JsonFeedDuplicateId",
        ),
        (
            "no content",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1"}]}"#,
            "JsonFeedNoContent",
        ),
        (
            "date",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_text":"a","date_published":"2020-07-10 09:52"}]}"#,
            "JsonFeedDate",
        ),
        (
            "relative url",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","home_page_url":"/x","items":[]}"#,
            "JsonFeedUrl",
        ),
        (
            "recommended",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}"#,
            "JsonFeedRecommended",
        ),
        (
            "deprecated author",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","author":{"name":"a"},"items":[]}"#,
            "JsonFeedDeprecated",
        ),
        (
            "duplicate key",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","title":"u","items":[]}"#,
            "JsonDuplicateKey",
        ),
        ("syntax", r#"{"version": }"#, "JsonSyntax"),
        (
            "required",
            r#"{"version":"https://jsonfeed.org/version/1.1","items":[]}"#,
            "JsonFeedRequired",
        ),
        (
            "type",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":5,"items":[]}"#,
            "JsonFeedType",
        ),
    ];
    for (name, doc, class) in cases {
        let r = validate(doc.as_bytes(), &Options::default());
        assert!(
            r.problems.iter().any(|p| p.class == *class),
            "{name}: expected {class}, got {:?}",
            r.problems
        );
    }
}

#[test]
fn problems_serialise() {
    let r = validate(
        rss_item("<guid>http://e.com/1</guid>").as_bytes(),
        &Options::default(),
    );
    let p = r.errors().next().map(serde_json::to_value);
    let Some(Ok(v)) = p else {
        panic!("no error to serialise")
    };
    assert_eq!(v["class"], "ItemMustContainTitleOrDescription");
    assert_eq!(v["level"], "error");
    assert!(v["line"].as_u64().is_some() && v["help"].as_str().is_some());
}
