//! An XML pass that rewrites old and broken feeds into shapes the feed parser reads, event by
//! event (quick-xml reader → writer):
//!
//! - `<rss>` gets `version="2.0"` whatever it said (none, 0.91–0.94, 2.01…): RSS 2.0 is a
//!   superset of the 0.9x family;
//! - an `<rss>` without `<channel>` gets one around its children;
//! - Atom 0.3 becomes Atom 1.0: namespace, `modified`→`updated`, `issued`→`published`,
//!   `tagline`→`subtitle`, `copyright`→`rights`, `author/url`→`uri`, `mode="escaped"`→`html`;
//! - Atom text constructs with a type the parser refuses become `text`, `html` or `xhtml`;
//! - mismatched end tags are dropped and unclosed elements closed, so the output nests;
//! - a document cut short (an unclosed tag, comment or CDATA section) keeps what came before
//!   the break, with a warning.

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::error::ParseError;

const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";
const RSS090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS10_NS: &str = "http://purl.org/rss/1.0/";

#[derive(Default)]
struct State {
    /// Open elements, as written.
    stack: Vec<String>,
    /// The root element's local name.
    root: Option<String>,
    /// Prefixes bound to the Atom 0.3 namespace (`""` for the default namespace).
    atom03_prefixes: Vec<String>,
    /// The root is Atom (0.3 or 1.0).
    atom: bool,
    /// A `<channel>` was seen (or made) under `<rss>`.
    has_channel: bool,
    /// The root is RSS 1.0 or 0.90 (`rdf:RDF`).
    rdf: bool,
    /// In an RDF `<item>`: its stack depth, `rdf:about`, and whether it has a `<link>`.
    rdf_item: Option<(usize, String, bool)>,
    /// The element just started has base64 text.
    pending_base64: bool,
    /// The stack depth of the open element whose text is base64.
    base64_at: Option<usize>,
}

/// What [`normalize`] made of a document.
pub struct Normalized {
    /// The rewritten document.
    pub xml: String,
    /// Repairs worth telling the user about (a document cut short, say).
    pub warnings: Vec<String>,
}

/// Rewrites `text` (already through [`repair`](super::repair::repair)); the error gives the
/// reason and byte position when the XML is too broken to read.
pub fn normalize(text: &str) -> Result<Normalized, ParseError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    let mut writer = Writer::new(Vec::with_capacity(text.len() + 64));
    let mut st = State::default();
    let mut warnings = Vec::new();
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) if st.root.is_some() => {
                let at = reader.error_position();
                warnings.push(format!(
                    "broken XML at byte {at} ({e}); kept what came before"
                ));
                break;
            }
            Err(e) => {
                let (reason, position) = (e.to_string(), reader.error_position());
                return Err(ParseError::Xml { reason, position });
            }
        };
        let result = match event {
            Event::Eof => break,
            Event::Decl(_) | Event::DocType(_) => Ok(()),
            Event::Start(start) => {
                let start = st.rewrite_start(&start, &mut writer).map_err(written)?;
                let name = start.name().as_ref().to_string();
                st.stack.push(name);
                if std::mem::take(&mut st.pending_base64) {
                    st.base64_at = Some(st.stack.len());
                }
                writer.write_event(Event::Start(start))
            }
            Event::Empty(start) => {
                let start = st.rewrite_start(&start, &mut writer).map_err(written)?;
                st.pending_base64 = false;
                writer.write_event(Event::Empty(start))
            }
            Event::End(end) => {
                let name = end.name().as_ref().to_string();
                if st.stack.len() == 1 {
                    st.ensure_channel(&mut writer).map_err(written)?;
                }
                let renamed = st.renamed_end(&name);
                if st.base64_at.is_some_and(|d| d >= st.stack.len()) {
                    st.base64_at = None;
                }
                match st.stack.iter().rposition(|n| *n == name || *n == renamed) {
                    Some(at) => st
                        .finish_rdf_item(at, &mut writer)
                        .and_then(|()| close_to(&mut st.stack, at, &mut writer)),
                    None => Ok(()),
                }
            }
            Event::Text(_) if st.stack.is_empty() => Ok(()),
            Event::Text(t) if st.base64_at == Some(st.stack.len()) => {
                let raw = t.into_inner();
                match decode_base64(&raw) {
                    Some(text) => writer.write_event(Event::Text(BytesText::new(&text))),
                    None => writer.write_event(Event::Text(BytesText::from_escaped(raw))),
                }
            }
            other if st.stack.is_empty() && !matches!(other, Event::Comment(_) | Event::PI(_)) => {
                Ok(())
            }
            other => writer.write_event(other),
        };
        result.map_err(written)?;
    }
    if st.stack.len() == 1 {
        st.ensure_channel(&mut writer).map_err(written)?;
    }
    close_to(&mut st.stack, 0, &mut writer).map_err(written)?;
    // Every event written is UTF-8 text read from a `&str`.
    let xml = String::from_utf8(writer.into_inner())
        .map_err(|e| ParseError::Crashed(format!("not UTF-8 after rewriting: {e}")))?;
    Ok(Normalized { xml, warnings })
}

/// A write into memory that failed (it cannot: the writer's buffer is a `Vec`).
fn written(e: std::io::Error) -> ParseError {
    ParseError::Crashed(format!("cannot rewrite: {e}"))
}

fn close_to(
    stack: &mut Vec<String>,
    at: usize,
    writer: &mut Writer<Vec<u8>>,
) -> std::io::Result<()> {
    while stack.len() > at {
        if let Some(name) = stack.pop() {
            writer.write_event(Event::End(BytesEnd::new(name)))?;
        }
    }
    Ok(())
}

fn split(name: &str) -> (&str, &str) {
    name.split_once(':').unwrap_or(("", name))
}

impl State {
    /// The name the parser reads for an element called `name` in the source: Atom 0.3
    /// names become Atom 1.0 ones; in RSS 2.0, Dublin Core elements with an RSS equivalent
    /// take its name.
    fn renamed(&self, name: &str) -> String {
        let (prefix, local) = split(name);
        if self.root.as_deref() == Some("rss") && self.stack.len() >= 2 {
            let rss = match (prefix, local) {
                ("dc", "subject") => Some("category"),
                ("dc", "title") => Some("title"),
                ("dc", "author") => Some("author"),
                ("dcterms", "issued") => Some("pubDate"),
                _ => None,
            };
            if let Some(rss) = rss {
                return rss.to_string();
            }
        }
        if !self.atom03_prefixes.iter().any(|p| p == prefix) {
            return name.to_string();
        }
        let parent = self.stack.last().map(|p| split(p).1);
        let local = match (local, parent) {
            ("modified", _) => "updated",
            ("issued", _) => "published",
            ("tagline", _) => "subtitle",
            ("copyright", _) => "rights",
            ("url", Some("author" | "contributor")) => "uri",
            (l, _) => l,
        };
        if prefix.is_empty() {
            local.to_string()
        } else {
            format!("{prefix}:{local}")
        }
    }

    fn renamed_in_rss(&self, local: &str) -> String {
        match local {
            "subject" => "category",
            "issued" => "pubDate",
            other => other,
        }
        .to_string()
    }

    /// Gives an `<rss>` that is about to close without any child an empty `<channel/>`.
    fn ensure_channel(&mut self, writer: &mut Writer<Vec<u8>>) -> std::io::Result<()> {
        if self.root.as_deref() == Some("rss") && !self.has_channel {
            self.has_channel = true;
            writer.write_event(Event::Empty(BytesStart::new("channel")))?;
        }
        Ok(())
    }

    /// Tracks RDF items, whose `rdf:about` stands in for a missing `<link>`.
    fn note_rdf_item(&mut self, local: &str, attrs: &[(String, String)]) {
        if local == "item" && self.stack.len() == 1 {
            let about = attrs
                .iter()
                .find(|(k, _)| k == "rdf:about" || k == "about")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            self.rdf_item = Some((self.stack.len(), about, false));
        } else if local == "link"
            && let Some((depth, _, has_link)) = &mut self.rdf_item
            && self.stack.len() == *depth + 1
        {
            *has_link = true;
        }
    }

    /// Before an RDF item at stack index `at` closes, gives it a `<link>` from `rdf:about`.
    fn finish_rdf_item(&mut self, at: usize, writer: &mut Writer<Vec<u8>>) -> std::io::Result<()> {
        let Some((depth, about, has_link)) = self.rdf_item.take() else {
            return Ok(());
        };
        if at > depth {
            self.rdf_item = Some((depth, about, has_link));
            return Ok(());
        }
        if !has_link && !about.is_empty() && self.stack.len() == depth + 1 {
            writer.write_event(Event::Start(BytesStart::new("link")))?;
            writer.write_event(Event::Text(quick_xml::events::BytesText::from_escaped(
                about,
            )))?;
            writer.write_event(Event::End(BytesEnd::new("link")))?;
        }
        Ok(())
    }

    /// [`State::renamed`] for an end tag, whose parent is not known any more.
    fn renamed_end(&self, name: &str) -> String {
        let (prefix, local) = split(name);
        if self.root.as_deref() == Some("rss")
            && matches!(
                (prefix, local),
                ("dc", "subject" | "author") | ("dcterms", "issued")
            )
        {
            return self.renamed_in_rss(local);
        }
        if local == "url" && self.atom03_prefixes.iter().any(|p| p == prefix) {
            return if prefix.is_empty() {
                "uri".into()
            } else {
                format!("{prefix}:uri")
            };
        }
        self.renamed(name)
    }

    fn rewrite_start(
        &mut self,
        start: &BytesStart<'_>,
        writer: &mut Writer<Vec<u8>>,
    ) -> std::io::Result<BytesStart<'static>> {
        let raw = start.name().as_ref().to_string();
        let mut attrs: Vec<(String, String)> = Vec::new();
        for attr in start.attributes().with_checks(false).flatten() {
            let key = attr.key.as_ref().to_string();
            let value = attr.value.to_string();
            if !attrs.iter().any(|(k, _)| *k == key) {
                attrs.push((key, value));
            }
        }
        let local = split(&raw).1.to_ascii_lowercase();
        if self.root.is_none() {
            self.begin(&local, &attrs);
        } else if self.stack.len() == 1 && self.root.as_deref() == Some("rss") {
            if local == "channel" {
                self.has_channel = true;
            } else if !self.has_channel {
                self.has_channel = true;
                writer.write_event(Event::Start(BytesStart::new("channel")))?;
                self.stack.push("channel".into());
            }
        }
        let name = self.renamed(&raw);
        let name_local = split(&name).1.to_string();
        if self.rdf {
            self.note_rdf_item(&name_local, &attrs);
        }
        for (k, v) in &mut attrs {
            if k == "xmlns" || k.starts_with("xmlns:") {
                match v.trim() {
                    ATOM03_NS => *v = ATOM10_NS.into(),
                    RSS090_NS => *v = RSS10_NS.into(),
                    _ => {}
                }
            }
        }
        if self.stack.is_empty() && local == "rss" {
            attrs.retain(|(k, _)| k != "version");
            attrs.insert(0, ("version".into(), "2.0".into()));
        }
        if self.atom
            && matches!(
                name_local.as_str(),
                "title" | "subtitle" | "summary" | "rights" | "content"
            )
        {
            self.pending_base64 = fix_text_type(&name_local, &mut attrs);
        }
        let mut out = BytesStart::new(name);
        for (k, v) in &attrs {
            out.push_attribute(Attribute {
                key: QName(k.as_str()),
                value: v.as_str().into(),
            });
        }
        Ok(out.into_owned())
    }

    /// Notes what kind of document the root element starts.
    fn begin(&mut self, local: &str, attrs: &[(String, String)]) {
        self.root = Some(local.to_string());
        self.atom = local == "feed";
        self.rdf = local == "rdf";
        for (k, v) in attrs {
            if v.trim() == ATOM03_NS {
                let prefix = k.strip_prefix("xmlns:").unwrap_or("");
                if k == "xmlns" || k.starts_with("xmlns:") {
                    self.atom03_prefixes.push(prefix.to_string());
                }
            }
        }
        let has_default_ns = attrs.iter().any(|(k, _)| k == "xmlns");
        let version_03 = attrs
            .iter()
            .any(|(k, v)| k == "version" && v.trim() == "0.3");
        if self.atom && version_03 && !has_default_ns {
            self.atom03_prefixes.push(String::new());
        }
    }
}

/// Makes an Atom text construct's `type` one the parser knows, folding in Atom 0.3's `mode`.
///
/// Returns whether the element's text is base64 (Atom 0.3 `mode="base64"`, or a media type
/// that is neither text nor XML); it is then decoded and typed `html`.
fn fix_text_type(local: &str, attrs: &mut Vec<(String, String)>) -> bool {
    let ty = attrs
        .iter()
        .find(|(k, _)| k == "type")
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    let mode = attrs
        .iter()
        .find(|(k, _)| k == "mode")
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    let has_src = attrs.iter().any(|(k, _)| k == "src");
    let base = ty
        .as_deref()
        .map(|t| t.split(';').next().unwrap_or("").trim().to_string());
    let textual = |t: &str| t.starts_with("text/") || t.ends_with("+xml") || t.ends_with("/xml");
    let base64 = !has_src
        && (mode.as_deref() == Some("base64")
            || base.as_deref().is_some_and(|t| is_mime(t) && !textual(t)));
    let new = match (base.as_deref(), mode.as_deref()) {
        _ if base64 => Some("html".to_string()),
        (_, Some("escaped"))
            if base.as_deref() != Some("text/plain") && base.as_deref() != Some("text") =>
        {
            Some("html".to_string())
        }
        (None, _) => None,
        (Some("text" | "html" | "xhtml"), _) => base.clone(),
        (Some("text/plain"), _) => Some("text".into()),
        (Some("text/html"), _) => Some("html".into()),
        (Some("application/xhtml+xml"), _) => Some("xhtml".into()),
        (Some(t), _) if local == "content" && is_mime(t) => Some(t.to_string()),
        (Some(t), _) if t.contains("html") => Some("html".into()),
        (Some(_), _) => Some("text".into()),
    };
    attrs.retain(|(k, _)| k != "type" && k != "mode");
    if let Some(new) = new {
        // Content with `src` must keep a media type, never text/html/xhtml.
        if !(has_src && matches!(new.as_str(), "text" | "html" | "xhtml")) {
            attrs.push(("type".into(), new));
        }
    }
    base64
}

/// Decodes base64 element text; `None` when it is not base64 of UTF-8 text.
fn decode_base64(text: &str) -> Option<String> {
    use base64::Engine;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    String::from_utf8(bytes).ok()
}

fn is_mime(t: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
    };
    matches!(t.split_once('/'), Some((a, b)) if ok(a) && ok(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_cut_short_keeps_its_start() {
        let out =
            normalize("<rss><channel><title>t</title><item><title>x</title></item></rss").unwrap();
        assert_eq!(
            out.xml,
            r#"<rss version="2.0"><channel><title>t</title><item><title>x</title></item></channel></rss>"#
        );
        assert_eq!(out.warnings.len(), 1);
        assert!(normalize("<rss").is_err());
    }

    #[test]
    fn rewrites_table() {
        let cases = [
            (
                r#"<rss><channel><title>t</title></channel></rss>"#,
                r#"<rss version="2.0"><channel><title>t</title></channel></rss>"#,
            ),
            (
                r#"<rss version="0.94"><item><title>t</title></item></rss>"#,
                r#"<rss version="2.0"><channel><item><title>t</title></item></channel></rss>"#,
            ),
            (
                r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><modified>x</modified><author><url>u</url></author><title mode="escaped" type="text/html">&lt;b&gt;</title></feed>"#,
                r#"<feed version="0.3" xmlns="http://www.w3.org/2005/Atom"><updated>x</updated><author><uri>u</uri></author><title type="html">&lt;b&gt;</title></feed>"#,
            ),
            (
                r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="foo">x</title><content type="image/png" src="a.png"/></feed>"#,
                r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">x</title><content src="a.png" type="image/png"/></feed>"#,
            ),
            (
                r#"<rss><channel><item><b></item></channel>"#,
                r#"<rss version="2.0"><channel><item><b></b></item></channel></rss>"#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).unwrap().xml, want, "{input}");
        }
    }
}
