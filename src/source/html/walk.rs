//! Walking a parsed page without recursion: pages from outside may nest elements tens of
//! thousands deep, and a recursive walk would overflow the stack (which cannot be caught).

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::Node;

/// What a walk does at a node it has just opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Visit the node's children, then close it.
    Enter,
    /// Leave the node's subtree out; it is not closed either.
    Skip,
}

/// Visits `root` and everything below it in document order: `visit` sees an
/// [`Edge::Open`] on entering each node, which may skip its subtree, and an
/// [`Edge::Close`] on leaving each node it entered (its return value is then ignored).
pub(super) fn walk<'a>(root: NodeRef<'a, Node>, mut visit: impl FnMut(Edge<'a, Node>) -> Step) {
    let mut skipping = None;
    for edge in root.traverse() {
        match (edge, skipping) {
            (Edge::Open(node), None) if visit(Edge::Open(node)) == Step::Skip => {
                skipping = Some(node.id());
            }
            (Edge::Close(node), Some(skipped)) if node.id() == skipped => skipping = None,
            (Edge::Close(node), None) => {
                visit(Edge::Close(node));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn names(html: &str, skip: &str) -> String {
        let doc = Html::parse_fragment(html);
        let mut out = String::new();
        walk(doc.tree.root(), |edge| match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) if e.name() == skip => Step::Skip,
                Node::Element(e) => {
                    out.push_str(&format!("<{}>", e.name()));
                    Step::Enter
                }
                Node::Text(t) => {
                    out.push_str(t);
                    Step::Enter
                }
                _ => Step::Enter,
            },
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    out.push_str(&format!("</{}>", e.name()));
                }
                Step::Enter
            }
        });
        out
    }

    #[test]
    fn visits_in_document_order_and_skips_whole_subtrees() {
        assert_eq!(
            names("<p>a<b>b<i>c</i></b>d</p><nav><p>x</p></nav>e", "nav"),
            "<html><p>a<b>b<i>c</i></b>d</p>e</html>"
        );
    }

    #[test]
    fn walks_a_hundred_thousand_levels_on_a_small_stack() {
        let depth = 100_000;
        let html = format!("{}x{}", "<b>".repeat(depth), "</b>".repeat(depth));
        let walked = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || names(&html, "none").len())
            .expect("thread")
            .join()
            .expect("no overflow");
        assert_eq!(walked, "<html></html>".len() + 1 + depth * "<b></b>".len());
    }
}
