//! The XML that RSS and Atom are written in: quick-xml's [`Writer`], driven event by event,
//! one element per line, indented by two spaces a level.
//!
//! quick-xml can indent by itself, but its level cannot be set: an entry written alone
//! into its own buffer (in parallel with the others) would start at the left margin. So the
//! level is kept here, and every writer starts at the level its first element stands at in
//! the whole document: the head at 0, an RSS `<item>` at 2, an Atom `<entry>` at 1. Each
//! element starts on a new line, so an entry's text begins with its own line break and the
//! pieces join without anything between them.
//!
//! Text is escaped by [`escape`] (hexadecimal references), attribute values too (tabs and
//! line feeds as well, which a reader would otherwise make spaces); HTML is
//! written as CDATA sections, split where it holds `]]>`.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::text::{Refs, escape};

/// A line break and the spaces for up to eight levels.
const INDENT: &str = "\n                ";

/// An attribute: its name and, when it is written at all, its value (unescaped).
pub type Attr<'a> = (&'a str, Option<&'a str>);

/// An XML writer at a known level of indentation.
pub struct Xml<W: Write> {
    writer: Writer<W>,
    level: usize,
}

impl<W: Write> Xml<W> {
    /// A writer into `out` whose first element stands `level` levels deep.
    pub fn new(out: W, level: usize) -> Self {
        Xml {
            writer: Writer::new(out),
            level,
        }
    }

    /// Writes `<?xml version="1.0" encoding="utf-8"?>`, the first line of a document.
    pub fn declaration(&mut self) -> io::Result<()> {
        let decl = BytesDecl::new("1.0", Some("utf-8"), None);
        self.writer.write_event(Event::Decl(decl))
    }

    /// Opens element `name` on a new line; what follows is one level deeper.
    pub fn open(&mut self, name: &str, attrs: &[Attr<'_>]) -> io::Result<()> {
        self.line()?;
        self.writer.write_event(Event::Start(start(name, attrs)))?;
        self.level += 1;
        Ok(())
    }

    /// Closes element `name`, opened by [`Xml::open`], on a new line.
    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        self.line()?;
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Writes `<name …>text</name>` on a new line, the text escaped.
    pub fn text(&mut self, name: &str, attrs: &[Attr<'_>], text: &str) -> io::Result<()> {
        self.line()?;
        self.writer.write_event(Event::Start(start(name, attrs)))?;
        let text = BytesText::from_escaped(escape(text, Refs::Xml));
        self.writer.write_event(Event::Text(text))?;
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Writes `<name …><![CDATA[html]]></name>` on a new line.
    pub fn html(&mut self, name: &str, attrs: &[Attr<'_>], html: &str) -> io::Result<()> {
        self.line()?;
        self.writer.write_event(Event::Start(start(name, attrs)))?;
        for section in BytesCData::escaped(html) {
            self.writer.write_event(Event::CData(section))?;
        }
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Writes the empty element `<name …/>` on a new line.
    pub fn empty(&mut self, name: &str, attrs: &[Attr<'_>]) -> io::Result<()> {
        self.line()?;
        self.writer.write_event(Event::Empty(start(name, attrs)))
    }

    /// Ends the document with a line break.
    pub fn end(&mut self) -> io::Result<()> {
        self.writer
            .write_event(Event::Text(BytesText::from_escaped("\n")))
    }

    /// A line break and the current level's indentation.
    fn line(&mut self) -> io::Result<()> {
        let indent = INDENT.get(..1 + 2 * self.level).unwrap_or(INDENT);
        (self.writer).write_event(Event::Text(BytesText::from_escaped(indent)))
    }
}

/// The start tag of `name` with the attributes that have a value, escaped.
fn start<'a>(name: &'a str, attrs: &[Attr<'a>]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for &(key, value) in attrs {
        if let Some(value) = value {
            start.push_attribute(Attribute {
                key: QName(key),
                value: escape(value, Refs::Attribute),
            });
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(
        level: usize,
        write: impl FnOnce(&mut Xml<&mut Vec<u8>>) -> io::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        write(&mut Xml::new(&mut out, level)).expect("written to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn elements_are_indented_from_the_given_level() {
        let xml = written(1, |x| {
            x.open("entry", &[])?;
            x.text("title", &[("type", None)], "a<b & \"c\"")?;
            x.empty(
                "link",
                &[("href", Some("https://e.com/?a=1&b=2")), ("rel", None)],
            )?;
            x.close("entry")
        });
        assert_eq!(
            xml,
            "\n  <entry>\n    <title>a&#x3C;b &#x26; &#x22;c&#x22;</title>\
             \n    <link href=\"https://e.com/?a=1&#x26;b=2\"/>\n  </entry>"
        );
    }

    #[test]
    fn html_is_written_as_cdata_split_at_its_terminator() {
        let xml = written(0, |x| x.html("d", &[], "<p>]]></p>"));
        assert_eq!(xml, "\n<d><![CDATA[<p>]]]]><![CDATA[></p>]]></d>");
    }
}
