//! Writing the found content out as HTML: page furniture, comments and dropped nodes left
//! out, lazy-loaded images given their real source, the images of `<noscript>` fallbacks
//! written as plain images, links resolved against `<base href>` (or the page's address).

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use super::content::{INLINE, Main, close_block, is_furniture, paragraphs, selector};
use super::walk::{Step, walk};

/// Attributes that lazy-loading scripts read the real image address from.
const LAZY_SOURCES: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-actualsrc",
];

/// Attributes that lazy-loading scripts read the real `srcset` from.
const LAZY_SRCSETS: &[&str] = &["data-srcset", "data-lazy-srcset"];

/// Attributes holding a URL, resolved against the base when there is one.
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
    /// comments and the inside of void elements are skipped. A `<noscript>` gives its
    /// images, and an image it stands in for is left out.
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
        if e.name() == "noscript" {
            self.noscript_images(node, out);
            return Step::Skip;
        }
        if ElementRef::wrap(node).is_none_or(is_furniture)
            || (e.name() == "img" && next_is_noscript_image(node))
        {
            return Step::Skip;
        }
        self.start_tag(e, out);
        match VOID.contains(&e.name()) {
            // A void element has no end tag: skipping it leaves its close unwritten.
            true => Step::Skip,
            false => Step::Enter,
        }
    }

    /// Writes an element's start tag, a lazy image given its real `src` and `srcset`.
    fn start_tag(&self, e: &Element, out: &mut String) {
        let name = e.name();
        out.push('<');
        out.push_str(name);
        let is_img = name == "img";
        let lazy = |names: &[&str]| {
            (names.iter().find_map(|a| e.attr(a))).filter(|s| is_img && !s.trim().is_empty())
        };
        let (src, srcset) = (lazy(LAZY_SOURCES), lazy(LAZY_SRCSETS));
        for (k, v) in e.attrs() {
            let v = match (k, src, srcset) {
                ("src", Some(real), _) | ("srcset", _, Some(real)) => real,
                _ => v,
            };
            self.attribute(k, v, out);
        }
        if let Some(real) = src.filter(|_| e.attr("src").is_none()) {
            self.attribute("src", real, out);
        }
        if let Some(real) = srcset.filter(|_| e.attr("srcset").is_none()) {
            self.attribute("srcset", real, out);
        }
        out.push('>');
    }

    /// Writes the images of a `<noscript>` fallback: its markup is text to the parser (which
    /// runs as if scripts were on), so it is parsed again on its own.
    fn noscript_images(&self, node: NodeRef<'_, Node>, out: &mut String) {
        let markup: String = (node.descendants())
            .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
            .collect();
        let fragment = Html::parse_fragment(&markup);
        let own = ElementRef::wrap(node)
            .into_iter()
            .flat_map(|n| n.select(&IMG));
        for img in own.chain(fragment.select(&IMG)) {
            self.start_tag(img.value(), out);
        }
    }

    /// Writes ` name="value"`, a URL (or each URL of a `srcset`) resolved against the base.
    fn attribute(&self, name: &str, value: &str, out: &mut String) {
        let resolved = match (self.base, name) {
            (Some(base), "srcset") => Some(resolve_srcset(base, value)),
            (Some(base), _) if URL_ATTRS.contains(&name) => {
                base.join(value.trim()).ok().map(String::from)
            }
            _ => None,
        };
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&quick_xml::escape::escape(
            resolved.as_deref().unwrap_or(value),
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

static IMG: LazyLock<Selector> = LazyLock::new(|| selector("img"));

/// Whether the next node after `img` (white space aside) is a `<noscript>` holding an
/// image: the fallback that stands for it.
fn next_is_noscript_image(img: NodeRef<'_, Node>) -> bool {
    let next = img.next_siblings().find(|n| match n.value() {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Comment(_) => false,
        _ => true,
    });
    next.is_some_and(|n| {
        let is_noscript = n
            .value()
            .as_element()
            .is_some_and(|e| e.name() == "noscript");
        let holds_image = n.descendants().any(|d| match d.value() {
            Node::Text(t) => t.to_ascii_lowercase().contains("<img"),
            Node::Element(e) => e.name() == "img",
            _ => false,
        });
        is_noscript && holds_image
    })
}

/// A `srcset` with each candidate's URL resolved against `base` (descriptors kept).
fn resolve_srcset(base: &Url, srcset: &str) -> String {
    (srcset.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|candidate| {
            let (url, descriptor) = candidate
                .split_once(char::is_whitespace)
                .unwrap_or((candidate, ""));
            let url = base
                .join(url)
                .map_or_else(|_| url.to_string(), String::from);
            match descriptor.trim() {
                "" => url,
                d => format!("{url} {d}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
