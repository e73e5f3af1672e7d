//! Writing the found content out as HTML: page furniture, comments and dropped nodes left
//! out, lazy-loaded images given their real source, links resolved against `<base href>`.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Node};
use url::Url;

use super::content::{INLINE, Main, close_block, is_furniture, paragraphs};
use super::walk::{Step, walk};

/// Attributes that lazy-loading scripts read the real image address from.
const LAZY_SOURCES: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-actualsrc",
];

/// Attributes holding a URL, resolved against `<base href>` when the page has one.
const URL_ATTRS: &[&str] = &["href", "src", "poster"];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Writes the content as HTML: the inner HTML of the main element minus furniture, comments
/// and the nodes in `drop`; or `articleBody` text as paragraphs.
pub(super) fn write(main: &Main<'_>, drop: &HashSet<NodeId>, base: Option<&Url>) -> String {
    match main {
        Main::Text(text) => text
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("<p>{}</p>", quick_xml::escape::partial_escape(l)))
            .collect::<Vec<_>>()
            .join("\n"),
        Main::Element(el) => {
            let mut out = String::new();
            Writer { drop, base }.inner_html(**el, &mut out);
            out.trim().to_string()
        }
    }
}

/// The first paragraph of the content as plain text, for a summary.
pub(super) fn lede(main: &Main<'_>, drop: &HashSet<NodeId>) -> Option<String> {
    let first_line = |text: &str| {
        text.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|l| !l.is_empty())
    };
    match main {
        Main::Text(text) => first_line(text),
        Main::Element(el) => {
            let kept = |id: NodeId| {
                let node = el.tree().get(id);
                node.is_some_and(|n| {
                    std::iter::once(n)
                        .chain(n.ancestors())
                        .take_while(|a| a.id() != el.id())
                        .all(|a| {
                            !drop.contains(&a.id())
                                && ElementRef::wrap(a).is_none_or(|e| !is_furniture(e))
                        })
                })
            };
            paragraphs(*el)
                .find(|(id, text)| !text.is_empty() && kept(*id))
                .map(|(_, text)| text)
                .or_else(|| {
                    let mut text = String::new();
                    Writer { drop, base: None }.text(**el, &mut text);
                    first_line(&text)
                })
        }
    }
}

struct Writer<'w> {
    drop: &'w HashSet<NodeId>,
    base: Option<&'w Url>,
}

impl Writer<'_> {
    /// Writes the children of `root` as HTML.
    fn inner_html(&self, root: NodeRef<'_, Node>, out: &mut String) {
        walk(root, |edge| match edge {
            Edge::Open(node) if node.id() == root.id() => Step::Enter,
            Edge::Open(node) => self.open_tag(node, out),
            Edge::Close(node) => {
                if node.id() != root.id()
                    && let Node::Element(e) = node.value()
                {
                    out.push_str("</");
                    out.push_str(e.name());
                    out.push('>');
                }
                Step::Enter
            }
        });
    }

    /// Writes a text node, or an element's start tag; page furniture, dropped nodes,
    /// comments and the inside of void elements are skipped.
    fn open_tag(&self, node: NodeRef<'_, Node>, out: &mut String) -> Step {
        if self.drop.contains(&node.id()) {
            return Step::Skip;
        }
        let e = match node.value() {
            Node::Text(t) => {
                out.push_str(&quick_xml::escape::partial_escape(&**t));
                return Step::Enter;
            }
            Node::Element(e) => e,
            _ => return Step::Skip,
        };
        if ElementRef::wrap(node).is_none_or(is_furniture) {
            return Step::Skip;
        }
        let name = e.name();
        out.push('<');
        out.push_str(name);
        let lazy = (name == "img")
            .then(|| LAZY_SOURCES.iter().find_map(|a| e.attr(a)))
            .flatten()
            .filter(|s| !s.trim().is_empty());
        for (k, v) in e.attrs() {
            let v = match (k, lazy) {
                ("src", Some(real)) => real,
                _ => v,
            };
            self.attribute(k, v, out);
        }
        if let Some(real) = lazy.filter(|_| e.attr("src").is_none()) {
            self.attribute("src", real, out);
        }
        out.push('>');
        match VOID.contains(&name) {
            // A void element has no end tag: skipping it leaves its close unwritten.
            true => Step::Skip,
            false => Step::Enter,
        }
    }

    /// Writes ` name="value"`, a URL resolved against `<base href>`.
    fn attribute(&self, name: &str, value: &str, out: &mut String) {
        let resolved = URL_ATTRS
            .contains(&name)
            .then(|| self.base?.join(value.trim()).ok())
            .flatten();
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&quick_xml::escape::escape(
            resolved.as_ref().map_or(value, Url::as_str),
        ));
        out.push('"');
    }

    /// Plain text with a line break around each block element.
    fn text(&self, root: NodeRef<'_, Node>, out: &mut String) {
        walk(root, |edge| {
            let node = match edge {
                Edge::Open(node) => node,
                Edge::Close(node) => {
                    close_block(node, out);
                    return Step::Enter;
                }
            };
            if self.drop.contains(&node.id()) {
                return Step::Skip;
            }
            match node.value() {
                Node::Text(t) => out.push_str(&t.replace('\n', " ")),
                Node::Element(e) => {
                    if ElementRef::wrap(node).is_some_and(is_furniture) {
                        return Step::Skip;
                    }
                    if !INLINE.contains(&e.name()) {
                        out.push('\n');
                    }
                }
                _ => {}
            }
            Step::Enter
        });
    }
}
