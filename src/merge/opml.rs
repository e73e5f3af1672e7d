//! OPML subscription lists: reading every feed `<outline>` (at any depth) of a file, and
//! writing a list of feeds as OPML 2.0 with quick-xml's writer.

use std::path::Path;

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::decode::to_utf8;
use super::error::MergeError;
use super::xml::{Lexer, Token};

/// One feed of an OPML list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpmlFeed {
    /// `title` (or `text`) of the outline.
    pub title: String,
    /// `xmlUrl`: the feed itself.
    pub xml_url: String,
    /// `htmlUrl`: the site, when given.
    pub html_url: Option<String>,
}

/// Reads the OPML file at `path`.
pub fn read_file(path: &Path) -> Result<Vec<OpmlFeed>, MergeError> {
    let bytes = std::fs::read(path).map_err(|e| MergeError::Opml {
        path: path.to_path_buf(),
        reason: format!("cannot read: {e}"),
    })?;
    read(&bytes).map_err(|reason| MergeError::Opml {
        path: path.to_path_buf(),
        reason,
    })
}

/// Reads OPML from bytes: every outline with an `xmlUrl`, in document order, read as
/// leniently as feeds are (stray `&`, HTML entities, unclosed elements).
pub fn read(bytes: &[u8]) -> Result<Vec<OpmlFeed>, String> {
    let (text, _) = to_utf8(bytes, None);
    let mut lexer = Lexer::new(&text);
    let mut feeds = Vec::new();
    let mut saw_opml = false;
    while let Some(token) = lexer.next_token() {
        let Token::Start { name, attrs, .. } = token else {
            continue;
        };
        let local = name.rsplit(':').next().unwrap_or(name);
        if local.eq_ignore_ascii_case("opml") {
            saw_opml = true;
        } else if local.eq_ignore_ascii_case("outline")
            && let Some(feed) = outline(&attrs)
        {
            feeds.push(feed);
        }
    }
    if !saw_opml {
        return Err("not an OPML file (no <opml> element)".into());
    }
    Ok(feeds)
}

fn outline(attrs: &[(Cow<'_, str>, Cow<'_, str>)]) -> Option<OpmlFeed> {
    let mut feed = OpmlFeed::default();
    let mut text = String::new();
    for (key, value) in attrs {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match key.as_ref() {
            "xmlUrl" | "xmlurl" => feed.xml_url = value,
            "htmlUrl" | "htmlurl" => feed.html_url = Some(value).filter(|v| !v.is_empty()),
            "title" => feed.title = value,
            "text" => text = value,
            _ => {}
        }
    }
    if feed.title.is_empty() {
        feed.title = text;
    }
    (!feed.xml_url.is_empty()).then_some(feed)
}

/// Writes `feeds` as an OPML 2.0 document titled `title`.
pub fn write(title: &str, feeds: &[OpmlFeed]) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = write_into(&mut w, title, feeds);
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}

fn write_into(w: &mut Writer<Vec<u8>>, title: &str, feeds: &[OpmlFeed]) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut opml = BytesStart::new("opml");
    opml.push_attribute(("version", "2.0"));
    w.write_event(Event::Start(opml))?;
    w.write_event(Event::Start(BytesStart::new("head")))?;
    w.write_event(Event::Start(BytesStart::new("title")))?;
    w.write_event(Event::Text(BytesText::new(title)))?;
    w.write_event(Event::End(BytesEnd::new("title")))?;
    w.write_event(Event::End(BytesEnd::new("head")))?;
    w.write_event(Event::Start(BytesStart::new("body")))?;
    for feed in feeds {
        let mut o = BytesStart::new("outline");
        o.push_attribute(("type", "rss"));
        o.push_attribute(("text", feed.title.as_str()));
        o.push_attribute(("title", feed.title.as_str()));
        o.push_attribute(("xmlUrl", feed.xml_url.as_str()));
        if let Some(html) = &feed.html_url {
            o.push_attribute(("htmlUrl", html.as_str()));
        }
        w.write_event(Event::Empty(o))?;
    }
    w.write_event(Event::End(BytesEnd::new("body")))?;
    w.write_event(Event::End(BytesEnd::new("opml")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back() {
        let feeds = vec![
            OpmlFeed {
                title: "Tom & Jerry <\"news\">".into(),
                xml_url: "https://e.com/feed?a=1&b=2".into(),
                html_url: Some("https://e.com/".into()),
            },
            OpmlFeed {
                title: "铜".into(),
                xml_url: "https://f.cn/rss".into(),
                html_url: None,
            },
        ];
        let xml = write("My feeds", &feeds);
        assert!(xml.contains("&amp;b=2"), "{xml}");
        assert_eq!(read(xml.as_bytes()).unwrap(), feeds);
    }

    #[test]
    fn reads_nested_outlines_and_refuses_other_xml() {
        let xml = r#"<opml version="1.0"><body><outline text="Tech"><outline text="A" xmlUrl="http://a/rss"/></outline><outline text="folder only"/></body></opml>"#;
        let feeds = read(xml.as_bytes()).unwrap();
        assert_eq!(feeds.len(), 1);
        assert_eq!(feeds[0].title, "A");
        assert!(read(b"<rss/>").is_err());
    }
}
