//! Finding a page's article content and writing it out without the page's furniture
//! (navigation, scripts, styles, comments, share buttons, footers).

use std::collections::HashMap;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

use super::HtmlSelectors;
use super::walk::{Step, walk};

/// Where the article content is.
pub(in crate::source::html) enum Main<'a> {
    /// An element of the page; its inner HTML is the content.
    Element(ElementRef<'a>),
    /// Plain text from JSON-LD `articleBody`, for pages whose HTML holds less of the text.
    Text(String),
}

/// How the content was found, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    Selector,
    Article,
    Densest,
    JsonLd,
    WholeBody,
}

/// Elements never part of the content.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
    "iframe", "svg", "select", "textarea", "header", "dialog", "object", "embed", "link", "meta",
];

/// Words in a class or id that mark page furniture.
const FURNITURE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "comment",
    "comments",
    "related",
    "footer",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "nav",
    "navbar",
    "menu",
    "subscribe",
    "newsletter",
    "popup",
    "cookie",
    "recommend",
    "toolbar",
    "copyright",
];

/// Words in a class or id that mark a byline or date line: not content, but read for facts.
const BYLINE_WORDS: &[&str] = &["byline", "meta", "dateline", "date", "info", "author"];

/// Roles that mark page furniture.
const FURNITURE_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "complementary"];

static ARTICLE: LazyLock<Selector> = LazyLock::new(|| selector("article"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static P: LazyLock<Selector> = LazyLock::new(|| selector("p"));

/// Parses a selector written in this crate's source.
pub(super) fn selector(text: &str) -> Selector {
    Selector::parse(text).unwrap_or_else(|_| unreachable!("static selector {text} is valid"))
}

/// Whether an element is page furniture rather than article content (bylines included).
pub(super) fn is_furniture(el: ElementRef<'_>) -> bool {
    is_chrome(el) || has_word(el, BYLINE_WORDS)
}

/// Whether an element is the site's chrome (navigation, footer, scripts, share bars…): never
/// read, not even for facts.
pub(super) fn is_chrome(el: ElementRef<'_>) -> bool {
    let v = el.value();
    SKIPPED_TAGS.contains(&v.name())
        || v.attr("role")
            .is_some_and(|r| FURNITURE_ROLES.contains(&r.trim()))
        || v.attr("hidden").is_some()
        || v.attr("aria-hidden") == Some("true")
        || has_word(el, FURNITURE_WORDS)
}

fn has_word(el: ElementRef<'_>, words: &[&str]) -> bool {
    let v = el.value();
    v.attr("class")
        .into_iter()
        .chain(v.attr("id"))
        .flat_map(|n| n.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .any(|w| words.iter().any(|f| f.eq_ignore_ascii_case(w)))
}

/// Finds the content: the `content` selector, else the `<article>` with the most paragraph
/// text, else the block with the most paragraph text; JSON-LD `articleBody` replaces either
/// when it holds more than twice as much text; else the whole `<body>`.
pub(super) fn locate<'a>(
    doc: &'a Html,
    selectors: &HtmlSelectors,
    article_body: Option<&str>,
) -> (Main<'a>, Found) {
    if let Some(sel) = &selectors.content
        && let Some(el) = doc.select(sel.selector()).next()
    {
        return (Main::Element(el), Found::Selector);
    }
    let mut furniture = Furniture::below(None);
    let article = doc
        .select(&ARTICLE)
        .filter(|a| !furniture.within(*a))
        .map(|a| (paragraph_chars(a), a))
        .filter(|(score, _)| *score > 0)
        .max_by_key(|(score, _)| *score)
        .map(|(_, a)| (a, Found::Article));
    let found = article.or_else(|| densest_block(doc).map(|b| (b, Found::Densest)));
    let body_chars = article_body.map_or(0, |t| t.trim().chars().count());
    match found {
        Some((el, how)) if text_chars(el) * 2 >= body_chars => (Main::Element(el), how),
        _ if body_chars > 0 => (
            Main::Text(article_body.unwrap_or_default().to_string()),
            Found::JsonLd,
        ),
        Some((el, how)) => (Main::Element(el), how),
        None => {
            let body = doc.select(&BODY).next().unwrap_or(doc.root_element());
            (Main::Element(body), Found::WholeBody)
        }
    }
}

fn text_chars(el: ElementRef<'_>) -> usize {
    el.text().map(|t| t.trim().chars().count()).sum()
}

fn paragraph_chars(el: ElementRef<'_>) -> usize {
    let mut furniture = Furniture::below(Some(el.id()));
    el.select(&P)
        .filter(|p| {
            let parent = p.parent().and_then(ElementRef::wrap);
            !parent.is_some_and(|parent| furniture.within(parent))
        })
        .map(text_chars)
        .sum()
}

/// Whether elements are page furniture or lie inside it, remembered per element: asking
/// for every paragraph or text of a deep page would otherwise walk up the page each time.
struct Furniture {
    /// The element the question stops at (itself not asked about); `None` for the root.
    stop: Option<NodeId>,
    known: HashMap<NodeId, bool>,
}

impl Furniture {
    fn below(stop: Option<NodeId>) -> Furniture {
        Furniture {
            stop,
            known: HashMap::new(),
        }
    }

    /// Whether `el`, or an element between it and the stopping point, is furniture.
    fn within(&mut self, el: ElementRef<'_>) -> bool {
        let mut unknown = Vec::new();
        let mut answer = false;
        let mut next = Some(el);
        while let Some(e) = next.filter(|e| Some(e.id()) != self.stop) {
            if let Some(&known) = self.known.get(&e.id()) {
                answer = known;
                break;
            }
            unknown.push(e);
            next = e.parent().and_then(ElementRef::wrap);
        }
        for e in unknown.into_iter().rev() {
            answer = answer || is_furniture(e);
            self.known.insert(e.id(), answer);
        }
        answer
    }
}

/// Text runs shorter than this, outside a `<p>`, are labels rather than prose.
const MIN_LOOSE_RUN: usize = 10;

/// The element whose paragraphs hold the most text. Each run of text outside links and page
/// furniture belongs to its nearest block: a `<p>` credits its parent fully and its
/// grandparent by half; text set loose in another block (paragraphs split by `<br>`, as
/// older sites write them) credits that block fully and its parent by half.
fn densest_block(doc: &Html) -> Option<ElementRef<'_>> {
    let mut scores: HashMap<NodeId, usize> = HashMap::new();
    let mut furniture = Furniture::below(None);
    for node in doc.tree.nodes() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let chars = text.trim().chars().count();
        if chars == 0 {
            continue;
        }
        let Some(block) = nearest_block(node) else {
            continue;
        };
        let is_p = block.value().name() == "p";
        if (!is_p && chars < MIN_LOOSE_RUN) || furniture.within(block) {
            continue;
        }
        let mut ranked = std::iter::once(block)
            .chain(block.ancestors().filter_map(ElementRef::wrap))
            .skip(usize::from(is_p));
        if let Some(first) = ranked.next() {
            *scores.entry(first.id()).or_default() += chars * 2;
            if let Some(second) = ranked.next() {
                *scores.entry(second.id()).or_default() += chars;
            }
        }
    }
    // Of equal scores the earliest node wins, so the choice is stable.
    let (best, _) = scores
        .into_iter()
        .filter(|(_, s)| *s > 0)
        .max_by_key(|&(id, s)| (s, std::cmp::Reverse(id)))?;
    doc.tree.get(best).and_then(ElementRef::wrap)
}

/// The nearest block element around a text node; `None` inside a link or outside `<body>`.
fn nearest_block(node: NodeRef<'_, Node>) -> Option<ElementRef<'_>> {
    for el in node.ancestors().filter_map(ElementRef::wrap) {
        match el.value().name() {
            "a" | "title" | "head" | "html" => return None,
            name if INLINE.contains(&name) => {}
            _ => return Some(el),
        }
    }
    None
}

/// The text of each paragraph inside `main`, with its node.
pub(super) fn paragraphs<'a>(main: ElementRef<'a>) -> impl Iterator<Item = (NodeId, String)> + 'a {
    main.select(&P).map(|p| {
        let text: String = p.text().collect();
        (
            p.id(),
            text.split_whitespace().collect::<Vec<_>>().join(" "),
        )
    })
}

/// The first `<h1>` inside `main` that is not page furniture.
pub(super) fn first_heading<'a>(main: ElementRef<'a>) -> Option<ElementRef<'a>> {
    let mut furniture = Furniture::below(None);
    main.select(&H1).find(|h| !furniture.within(*h))
}

/// The page's visible text as lines: block elements start new lines, furniture is left out.
pub(super) fn page_lines(doc: &Html) -> Vec<String> {
    let mut text = String::new();
    if let Some(body) = doc.select(&BODY).next() {
        collect_lines(*body, &mut text);
    }
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

pub(super) const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

fn collect_lines(root: NodeRef<'_, Node>, out: &mut String) {
    walk(root, |edge| {
        let node = match edge {
            Edge::Open(node) => node,
            Edge::Close(node) => {
                close_block(node, out);
                return Step::Enter;
            }
        };
        match node.value() {
            Node::Text(t) => out.push_str(&t.replace('\n', " ")),
            Node::Element(e) => {
                // Headers often hold the byline, so they count here though not as content.
                if ElementRef::wrap(node).is_some_and(is_chrome) && e.name() != "header" {
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

/// Ends the line a block element's text is on, when `node` is a block element.
pub(super) fn close_block(node: NodeRef<'_, Node>, out: &mut String) {
    if let Node::Element(e) = node.value()
        && !INLINE.contains(&e.name())
    {
        out.push('\n');
    }
}
