//! The external feed reader's rules, one table row each: a snippet of a feed and the title,
//! link and dates of its first entry, as feedparser reads them (each rule is one of
//! feedparser's: its namespaces, contexts and precedences).

use feedloom::merge::{ParsedFeed, parse_feed};
use url::Url;

fn read(xml: &str) -> ParsedFeed {
    let url = Url::parse("http://feeds.example.net/dir/feed.xml").unwrap();
    parse_feed(xml.as_bytes(), None, &url).unwrap_or_else(|e| panic!("{xml}: {e}"))
}

fn rss(item: &str) -> String {
    format!(
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:media=\"http://search.yahoo.com/mrss/\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>T</title>\
         <link>http://site.example.net/</link><item>{item}</item></channel></rss>"
    )
}

fn atom(entry: &str) -> String {
    format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\">\
         <title>T</title><entry>{entry}</entry></feed>"
    )
}

/// (what the row shows, document, title, link, published, updated); `""` is none.
type Row = (
    &'static str,
    String,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const D1: &str = "2024-05-14T09:30:00+00:00";
const D2: &str = "2024-05-15T10:00:00+00:00";

fn rows() -> Vec<Row> {
    vec![
        ("RSS 2.0 basics", rss("<title>A</title><link>http://x.example/a</link><pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate>"), "A", "http://x.example/a", D1, D1),
        ("dc:date alone dates the item", rss("<title>A</title><dc:date>2024-05-14T09:30:00Z</dc:date>"), "A", "", D1, D1),
        ("pubDate and dc:date", rss("<pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate><dc:date>2024-05-15T10:00:00Z</dc:date>"), "", "", D1, D2),
        ("dcterms:modified", rss("<dcterms:modified>2024-05-15T10:00:00Z</dcterms:modified>"), "", "", D2, D2),
        ("dcterms:issued", rss("<dcterms:issued>2024-05-14T09:30:00Z</dcterms:issued><dcterms:modified>2024-05-15T10:00:00Z</dcterms:modified>"), "", "", D1, D2),
        ("dcterms:created stands in for publication", rss("<dcterms:created>2024-05-14T09:30:00Z</dcterms:created>"), "", "", D1, D1),
        ("the last date read wins", rss("<pubDate>Wed, 15 May 2024 10:00:00 GMT</pubDate><pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate>"), "", "", D1, D1),
        ("element names in any case", rss("<TITLE>A</TITLE><PubDate>Tue, 14 May 2024 09:30:00 GMT</PubDate>"), "A", "", D1, D1),
        ("atom:link in an RSS item", rss("<title>A</title><atom:link rel=\"alternate\" href=\"/a\"/>"), "A", "http://feeds.example.net/a", "", ""),
        ("atom:link rel=self is no page", rss("<title>A</title><atom:link rel=\"self\" href=\"/a\"/>"), "A", "", "", ""),
        ("a guid is the page", rss("<guid>http://x.example/g</guid>"), "", "http://x.example/g", "", ""),
        ("unless it says otherwise", rss("<guid isPermaLink=\"false\">http://x.example/g</guid>"), "", "", "", ""),
        ("a link wins over a guid", rss("<guid>http://x.example/g</guid><link>http://x.example/l</link>"), "", "http://x.example/l", "", ""),
        ("whichever comes first", rss("<link>http://x.example/l</link><guid>http://x.example/g</guid>"), "", "http://x.example/l", "", ""),
        ("a relative guid resolves", rss("<guid>/posts/1</guid>"), "", "http://feeds.example.net/posts/1", "", ""),
        ("media:title stands in for a title", rss("<media:group><media:title>M</media:title></media:group>"), "M", "", "", ""),
        ("a title after media:title wins", rss("<media:title>M</media:title><title>A</title>"), "A", "", "", ""),
        ("a title before media:title stays", rss("<title>A</title><media:title>M</media:title>"), "A", "", "", ""),
        ("dc:title is a title", rss("<dc:title>D</dc:title>"), "D", "", "", ""),
        ("a deeper title does not replace", rss("<title>A</title><foo><title>B</title></foo>"), "A", "", "", ""),
        ("escaped HTML in an RSS title", rss("<title>A &lt;b&gt;bold&lt;/b&gt; move</title>"), "A bold move", "", "", ""),
        ("CDATA in an RSS title", rss("<title><![CDATA[A <i>b</i> & c]]></title>"), "A b & c", "", "", ""),
        ("a lone less-than is text", rss("<title>3 &lt; 4</title>"), "3 < 4", "", "", ""),
        ("a stray ampersand in a link", rss("<link>http://x.example/?a=1&b=2</link>"), "", "http://x.example/?a=1&b=2", "", ""),
        ("a query's &b;= in a link", rss("<link>http://x.example/?a=1&amp;b;=2</link>"), "", "http://x.example/?a=1&b=2", "", ""),
        ("Atom basics", atom("<title>A</title><link href=\"http://x.example/a\"/><published>2024-05-14T09:30:00Z</published><updated>2024-05-15T10:00:00Z</updated>"), "A", "http://x.example/a", D1, D2),
        ("Atom updated alone is no publication", atom("<updated>2024-05-15T10:00:00Z</updated>"), "", "", "", D2),
        ("Atom link without rel", atom("<link href=\"/a\"/>"), "", "http://feeds.example.net/a", "", ""),
        ("Atom link without href", atom("<link rel=\"alternate\" type=\"text/html\">http://x.example/a</link>"), "", "http://x.example/a", "", ""),
        ("an enclosure written as text is no page", atom("<link rel=\"alternate\" href=\"http://x.example/a\"/><link rel=\"enclosure\">http://x.example/e</link>"), "", "http://x.example/a", "", ""),
        ("rel=related is no page", atom("<link rel=\"related\" href=\"http://x.example/r\"/>"), "", "", "", ""),
        ("an alternate of another type is no page", atom("<link rel=\"alternate\" type=\"application/pdf\" href=\"http://x.example/p\"/>"), "", "", "", ""),
        ("rel and type in capitals", atom("<link rel=\"ALTERNATE\" type=\"Text/HTML\" href=\"http://x.example/a\"/>"), "", "http://x.example/a", "", ""),
        ("an id that is a web address is the page", atom("<id>http://x.example/i</id>"), "", "http://x.example/i", "", ""),
        ("a tag: id is not", atom("<id>tag:x.example,2024:1</id>"), "", "", "", ""),
        ("Atom text titles keep brackets", atom("<title type=\"text\">History of the &lt;blink&gt; tag</title>"), "History of the <blink> tag", "", "", ""),
        ("Atom HTML titles are read as text", atom("<title type=\"html\">A &lt;b&gt;b&lt;/b&gt;</title>"), "A b", "", "", ""),
        ("Atom XHTML titles are read as text", atom("<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">A <b>b</b></div></title>"), "A b", "", "", ""),
        ("base64 titles of other types", atom("<title type=\"application/octet-stream\">QmFzZTY0</title>"), "Base64", "", "", ""),
        ("what a source says is not the entry's", atom("<source><title>S</title><link href=\"http://s.example/\"/><updated>2024-05-14T09:30:00Z</updated></source><title>A</title>"), "A", "", "", ""),
        ("xml:base on the entry", "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://b.example/x/\"><entry xml:base=\"y/\"><link href=\"z.html\"/></entry></feed>".into(), "", "http://b.example/x/y/z.html", "", ""),
        ("xml:base on the link", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><link xml:base=\"http://b.example/l/\" href=\"z.html\"/></entry></feed>".into(), "", "http://b.example/l/z.html", "", ""),
        ("xml:base in RSS", "<rss xml:base=\"http://b.example/r/\"><channel><item><link>z.html</link></item></channel></rss>".into(), "", "http://b.example/r/z.html", "", ""),
        ("an Atom entry document", "<entry xmlns=\"http://www.w3.org/2005/Atom\"><title>E</title><link href=\"http://x.example/e\"/><updated>2024-05-15T10:00:00Z</updated></entry>".into(), "E", "http://x.example/e", "", D2),
        ("Atom 0.3 issued and modified", "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry><issued>2024-05-14T09:30:00Z</issued><modified>2024-05-15T10:00:00Z</modified></entry></feed>".into(), "", "", D1, D2),
        ("RSS 1.0 with a prefix", "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:r=\"http://purl.org/rss/1.0/\"><r:item rdf:about=\"http://x.example/i\"><r:title>P</r:title><r:link>http://x.example/l</r:link></r:item></rdf:RDF>".into(), "P", "http://x.example/l", "", ""),
        ("RSS 0.90 items outside the channel", "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>C</title></channel><item><title>I</title><link>http://x.example/i</link></item></rdf:RDF>".into(), "I", "http://x.example/i", "", ""),
        ("an RSS 2.0 namespace of Userland", "<r:rss xmlns:r=\"http://backend.userland.com/rss2\"><r:channel><r:item><r:title>U</r:title></r:item></r:channel></r:rss>".into(), "U", "", "", ""),
        ("a prefix nobody declared", "<rss><channel><item><dc:date>2024-05-14T09:30:00Z</dc:date></item></channel></rss>".into(), "", "", D1, D1),
        ("CDF items", "<CHANNEL HREF=\"http://c.example/\"><ITEM HREF=\"a.htm\" LASTMOD=\"2024-05-15T10:00\"><TITLE>C</TITLE></ITEM></CHANNEL>".into(), "C", "http://feeds.example.net/dir/a.htm", D2, D2),
        ("an image in an item keeps its link", rss("<title>A</title><link>http://x.example/a</link><image><link>http://x.example/img</link></image>"), "A", "http://x.example/a", "", ""),
    ]
}

fn date(d: Option<chrono::DateTime<chrono::FixedOffset>>) -> String {
    d.map(|d| d.with_timezone(&chrono::Utc).fixed_offset().to_rfc3339())
        .unwrap_or_default()
}

#[test]
fn every_rule() {
    for (what, xml, title, link, published, updated) in rows() {
        let feed = read(&xml);
        let e = feed
            .entries
            .first()
            .unwrap_or_else(|| panic!("{what}: no entry"));
        let got = (
            e.title.as_str(),
            e.link.as_ref().map_or("", Url::as_str),
            date(e.published),
            date(e.updated),
        );
        assert_eq!(
            got,
            (title, link, published.to_string(), updated.to_string()),
            "{what}"
        );
    }
}
