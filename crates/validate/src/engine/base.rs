//! Default behaviour of element handlers (`validatorBase`) and the
//! dispatcher's own checks: namespace declarations and unexpected attributes.

use super::names::{UNSUPPORTED, is_known_prefix, nearly, preferred_uri, prefix_of};
use super::{Abort, Attrs, Engine, FeedType, HRef, Handler, Name};
use crate::classes::ids::*;
use crate::rules::{self, K};
use std::rc::Rc;

/// The XML namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The RDF namespace.
pub const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// The Atom namespace.
pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
/// The XHTML namespace.
pub const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// What a handler wants pushed for a child element.
pub struct Push {
    /// Handlers for the child.
    pub kinds: Vec<K>,
    /// Name the child is known by.
    pub name: Name,
    /// Name appended to the parent's children afterwards, if any.
    pub append: Option<Name>,
}

impl Engine {
    /// `startPrefixMapping`.
    pub fn start_prefix_mapping(&mut self, prefix: Option<&str>, uri: &str) -> Result<(), Abort> {
        if let Some(top) = self.stack.last_mut() {
            for h in top.hs.iter_mut() {
                h.ns.push((prefix.unwrap_or("").to_string(), uri.to_string()));
            }
        }
        if uri.split_whitespace().count() > 1 {
            self.log_here(
                SAXError,
                &[("exception", &format!("Invalid Namespace: {uri}"))],
            );
            return Err(Abort);
        }
        let p = prefix.unwrap_or("");
        if prefix.is_some_and(is_known_prefix) {
            if prefix_of(uri) != Some(p) && !p.is_empty() {
                let pref = preferred_uri(p);
                if uri == "http://search.yahoo.com/mrss" {
                    self.log_here(MediaRssNamespace, &[("prefix", p), ("ns", pref)]);
                } else {
                    self.log_here(ReservedPrefix, &[("prefix", p), ("ns", pref)]);
                }
            } else if p == "wiki" && uri.contains("usemod") {
                self.log_here(ObsoleteWikiNamespace, &[("preferred", "wiki"), ("ns", uri)]);
            } else if (p == "atom" || p == "xhtml") && self.feed_type == FeedType::Atom {
                self.log_here(AvoidNamespacePrefix, &[("prefix", p)]);
            }
        } else if let Some(std) = prefix_of(uri) {
            if std != p && !p.is_empty() {
                self.log_here(NonstdPrefix, &[("preferred", std), ("ns", uri)]);
                if (std == "atom" || std == "xhtml")
                    && matches!(self.feed_type, FeedType::Atom | FeedType::Unknown)
                {
                    self.log_here(AvoidNamespacePrefix, &[("prefix", p)]);
                }
            }
        } else if uri == "http://search.yahoo.com/mrss" {
            self.log_here(
                MediaRssNamespace,
                &[("prefix", p), ("ns", "http://search.yahoo.com/mrss/")],
            );
        } else {
            let el = format!("xmlns:{}", prefix.unwrap_or("None"));
            let top = self.stack.len() - 1;
            let parent = self.stack[top].hs[0].name.clone();
            let pos = self.loc;
            let mut cx = super::Cx {
                eng: self,
                el: &el,
                parent: &parent,
                pos,
                logged: false,
            };
            let ok = uri.is_empty() || rules::values::rfc3987(&mut cx, uri);
            if ok {
                if let Some((_, name, spec)) = UNSUPPORTED.iter().find(|(u, _, _)| *u == uri) {
                    self.log_here(
                        UnsupportedNamespace,
                        &[("namespace", uri), ("name", name), ("specification", spec)],
                    );
                } else {
                    self.log_here(UnknownNamespace, &[("namespace", uri)]);
                }
            }
        }
        Ok(())
    }

    /// `startElementNS` of the dispatcher.
    pub fn start_element(&mut self, ns: &str, local: &str, attrs: Rc<Attrs>) {
        let top = self.stack.len() - 1;
        let n = self.stack[top].hs.len();
        for i in 0..n {
            let me = HRef { f: top, i };
            if matches!(
                self.stack[top].hs[i].k,
                K::NoDup(_) | K::RdfAbout | K::Placeholder
            ) {
                continue;
            }
            let mut hs = std::mem::take(&mut self.stack[top].hs);
            let push = rules::start_child(&mut hs[i], self, me, local, ns, &attrs);
            self.stack[top].hs = hs;
            if let Some(p) = push {
                self.push(p.kinds, p.name, attrs.clone(), me);
                if let Some(a) = p.append {
                    self.hm(me).add_child(a);
                }
            }
        }
        if attrs.0.is_empty() {
            return;
        }
        let top = self.stack.len() - 1;
        let expects: Vec<rules::Expect> = self.stack[top]
            .hs
            .iter()
            .map(|h| rules::attrs::expected_attrs(h, self, &self.stack[top].attrs))
            .collect();
        for a in attrs.0.iter() {
            if &*a.ns == XML_NS && matches!(a.local.as_str(), "base" | "id" | "lang" | "space") {
                continue;
            }
            let expected = expects.iter().any(|e| match e {
                rules::Expect::All => true,
                rules::Expect::AllBut(ns) => &*a.ns != *ns,
                rules::Expect::List(l) => l.iter().any(|(en, ea)| *en == &*a.ns && *ea == a.local),
                rules::Expect::Nothing => false,
            });
            if expected {
                continue;
            }
            let (uns, ulocal) = (&a.ns, &a.local);
            if !uns.is_empty() && nearly(uns).is_none() {
                if ns.is_empty() && self.feed_type == FeedType::Rss2 {
                    let a = format!("('{uns}', '{ulocal}')");
                    self.log_here(UseOfExtensionAttr, &[("attribute", &a), ("element", local)]);
                }
                continue;
            }
            let a = if uns.is_empty() {
                ulocal.clone()
            } else {
                format!("('{uns}', '{ulocal}')")
            };
            self.log_here(
                UnexpectedAttribute,
                &[("parent", local), ("attribute", &a), ("element", local)],
            );
        }
    }

    /// `characters` of the dispatcher.
    pub fn characters(&mut self, text: &str) {
        let top = self.stack.len() - 1;
        let plain = !rules::bad_chars(text);
        let ws = plain
            && text
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        let mut hs = std::mem::take(&mut self.stack[top].hs);
        for h in hs.iter_mut() {
            match rules::fast_text(h, plain, ws) {
                Some(true) => h.value.push_str(text),
                Some(false) => {}
                None => rules::characters(h, self, text),
            }
        }
        self.stack[top].hs = hs;
    }

    /// `endElementNS` of the dispatcher.
    pub fn end_element(&mut self, local: &str) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        for h in frame.hs.iter_mut() {
            rules::end_element(h, self, local, &frame.attrs);
        }
    }
}

/// `validatorBase.startElementNS`: map the child to a handler via `do_*`.
pub fn default_start_child(
    h: &mut Handler,
    eng: &mut Engine,
    me: HRef,
    local: &str,
    ns: &str,
    attrs: &Attrs,
) -> Option<Push> {
    if let Some(lang) = attrs.get(XML_NS, "lang") {
        h.lang = Some(Rc::from(lang));
        if !lang.is_empty() {
            rules::values::iso639_log(eng, h, lang, "xml:lang", local);
        }
    }
    let mut qname: Option<String> = if ns.is_empty() {
        None
    } else {
        Some(ns.to_string())
    };
    let ft = eng.feed_type;
    if qname.is_none() && ft != FeedType::Unknown && ft != FeedType::Rss2 {
        let pn = h.name.clone();
        eng.log(
            h,
            UndeterminableVocabulary,
            &[("parent", &pn), ("element", local), ("namespace", "\"\"")],
        );
        qname = Some("null".into());
    }
    if qname
        .as_ref()
        .is_some_and(|q| eng.default_ns.iter().any(|d| d == q))
    {
        qname = None;
    }
    let mut name: std::borrow::Cow<str> = std::borrow::Cow::Borrowed(local);
    if let Some(prefix) = qname.as_deref().and_then(|q| eng.nearly(q)) {
        qname = None;
        name = std::borrow::Cow::Owned(format!("{prefix}_{local}"));
        if prefix == "itunes" && !h.itunes && !h.parent.is_some_and(|p| eng.h(p).itunes) {
            rules::set_itunes(h, eng, me);
        }
    }
    if qname.as_deref() == Some("http://purl.org/atom/ns#") {
        eng.log(h, ObsoleteNamespace, &[("element", "feed")]);
    }
    for a in &attrs.0 {
        if a.value
            .chars()
            .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{fffd}')
        {
            eng.log(
                h,
                BadCharacters,
                &[("parent", local), ("element", &a.local)],
            );
        }
    }
    let name: Name = eng.name(&name);
    if let Some(q) = qname {
        let kinds = rules::unknown_child(h, eng, local, &q);
        let n: Name = eng.name(&format!("unknown_{local}"));
        h.child = n.clone();
        return Some(Push {
            kinds,
            name: n.clone(),
            append: Some(n),
        });
    }
    h.child = name.clone();
    let base_key: &str = if name.starts_with("dc_") {
        name.split('.').next().unwrap_or("")
    } else {
        &name
    };
    let key: std::borrow::Cow<str> = if base_key.contains('-') {
        std::borrow::Cow::Owned(base_key.replace('-', "_"))
    } else {
        std::borrow::Cow::Borrowed(base_key)
    };
    let kinds = match rules::child(h, eng, me, &key) {
        Some(k) => k,
        None => missing_child(h, eng, &name),
    };
    Some(Push {
        kinds,
        name: name.clone(),
        append: Some(h.child.clone()),
    })
}

fn missing_child(h: &mut Handler, eng: &mut Engine, name: &str) -> Vec<K> {
    let pn = h.name.replacen('_', ":", 1);
    if name.contains(':') {
        let hn = h.name.clone();
        eng.log(h, MissingNamespace, &[("parent", &hn), ("element", name)]);
        return vec![K::Eater];
    }
    if name.starts_with("xhtml_") {
        eng.log(
            h,
            MisplacedXHTMLContent,
            &[("parent", &pn), ("element", name)],
        );
        return vec![K::Eater];
    }
    let mut q = name.to_string();
    if matches!(
        eng.feed_type,
        FeedType::AppCategories | FeedType::AppService
    ) && let Some(r) = q.strip_prefix("app_")
    {
        q = r.to_string();
    }
    if !name.contains('_') && h.name.contains('_') && eng.default_ns.iter().any(|d| d == ATOM_NS) {
        q = format!("atom_{q}");
    }
    if let Some(kinds) = rules::questionable(&q.replace('-', "_")) {
        eng.log(h, QuestionableUsage, &[("parent", &pn), ("element", &q)]);
        return kinds;
    }
    eng.log(h, UndefinedElement, &[("parent", &pn), ("element", name)]);
    vec![K::Eater]
}
