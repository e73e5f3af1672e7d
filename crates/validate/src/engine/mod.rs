//! The validator's event dispatcher (`SAXDispatcher` of `base.py`): a stack
//! of frames of element handlers fed with start tags, text and end tags.

pub mod base;
pub mod names;

use crate::classes::{C, Kind, ids::*};
use crate::log::Log;
use crate::rules::{self, K};
use std::rc::Rc;

/// Shared string.
pub type Name = Rc<str>;

/// Where a handler lives: frame and index in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HRef {
    /// Frame index.
    pub f: usize,
    /// Handler index in the frame.
    pub i: usize,
}

/// Feed type found so far (`TYPE_*` of logging.py).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FeedType {
    /// Not known yet.
    #[default]
    Unknown,
    /// RSS 1.0 / 0.90 (RDF).
    Rss1,
    /// RSS 0.9x / 2.0.
    Rss2,
    /// Atom feed document.
    Atom,
    /// Atom entry document.
    AtomEntry,
    /// Atom Publishing Protocol category document.
    AppCategories,
    /// Atom Publishing Protocol service document.
    AppService,
    /// Something else (KML, OPML, OpenSearch, XRD).
    Other,
}

/// One attribute: namespace URI (empty for none), local name, value.
#[derive(Debug, Clone)]
pub struct Attr {
    /// Namespace URI, or empty.
    pub ns: Name,
    /// Local name.
    pub local: String,
    /// Value, with references replaced.
    pub value: String,
}

/// The attributes of an element.
#[derive(Debug, Default)]
pub struct Attrs(pub Vec<Attr>);

impl Attrs {
    /// Value of the attribute `(ns, local)`.
    pub fn get(&self, ns: &str, local: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|a| &*a.ns == ns && a.local == local)
            .map(|a| a.value.as_str())
    }
    /// Value of the un-namespaced attribute `local`.
    pub fn plain(&self, local: &str) -> Option<&str> {
        self.get("", local)
    }
    /// Whether `(ns, local)` is present.
    pub fn has(&self, ns: &str, local: &str) -> bool {
        self.get(ns, local).is_some()
    }
}

/// A logged event, as the validator's `LoggedEvent`.
#[derive(Debug, Clone)]
pub struct Event {
    /// Message class.
    pub class: C,
    /// Parameters (`element` already in its `prefix:name` form).
    pub params: Vec<(&'static str, String)>,
    /// Byte offset in the document.
    pub at: usize,
    /// Line and column when known otherwise (encoding messages).
    pub lc: Option<(u32, u32)>,
}

impl Event {
    /// A parameter value.
    pub fn param(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.as_str())
    }
}

/// An element handler (`validatorBase` instance).
#[derive(Debug)]
pub struct Handler {
    /// What kind of handler.
    pub k: K,
    /// Element name (`dc_creator`, `unknown_foo`, ...).
    pub name: Name,
    /// The handler that pushed this one.
    pub parent: Option<HRef>,
    /// Name of the parent handler.
    pub parent_name: Name,
    /// Accumulated text.
    pub value: String,
    /// Names of child elements seen so far (empty string: a marker).
    pub children: Vec<Name>,
    /// No event logged by this handler yet.
    pub valid: bool,
    /// Byte offset of the start tag.
    pub at: usize,
    /// In-scope `xml:lang`.
    pub lang: Option<Name>,
    /// In-scope `xml:base`.
    pub base: Name,
    /// Prefixes declared while this handler was on top.
    pub ns: Vec<(String, String)>,
    /// Name of the last child started.
    pub child: Name,
    /// iTunes elements seen (for channels, feeds, items, entries).
    pub itunes: bool,
    /// Per-kind state.
    pub st: rules::St,
    /// Values seen by `unique` checks scoped to this handler.
    pub uniq: Vec<(&'static str, std::collections::HashSet<String>)>,
    /// Index of `children` once there are many (feeds with thousands of
    /// entries); boxed to keep the many small handlers small.
    #[allow(clippy::box_collection)]
    pub index: Option<Box<std::collections::HashSet<Name>>>,
}

impl Handler {
    /// Count of children named `n`.
    pub fn count(&self, n: &str) -> usize {
        self.children.iter().filter(|c| &***c == n).count()
    }
    /// Whether a child named `n` was seen.
    pub fn has(&self, n: &str) -> bool {
        match &self.index {
            Some(ix) => ix.contains(n),
            None => self.children.iter().any(|c| &**c == n),
        }
    }

    /// Record a child element name.
    pub fn add_child(&mut self, n: Name) {
        if let Some(ix) = &mut self.index {
            ix.insert(n.clone());
        } else if self.children.len() >= 32 {
            let mut ix: std::collections::HashSet<Name> = self.children.iter().cloned().collect();
            ix.insert(n.clone());
            self.index = Some(Box::new(ix));
        }
        self.children.push(n);
    }
}

/// A stack frame: handlers fed the same events.
#[derive(Debug)]
pub struct Frame {
    /// Attributes of the element.
    pub attrs: Rc<Attrs>,
    /// Handlers.
    pub hs: Vec<Handler>,
}

/// Why parsing stops early.
#[derive(Debug)]
pub struct Abort;

/// The dispatcher.
pub struct Engine {
    /// Report notices and success events too.
    pub notices: bool,
    /// Events logged so far.
    pub events: Vec<Event>,
    /// Feed type.
    pub feed_type: FeedType,
    /// Document base (`dispatcher.xmlBase`).
    pub xml_base: Name,
    /// URIs the document is known by.
    pub self_uris: Vec<String>,
    /// Character encoding of the document.
    pub encoding: String,
    /// Namespaces treated as the default vocabulary.
    pub default_ns: Vec<String>,
    /// The handler stack.
    pub stack: Vec<Frame>,
    /// Current position (byte offset).
    pub loc: usize,
    /// Byte offsets of the line feeds of the document.
    pub newlines: Vec<usize>,
    /// `rdf:about` values seen.
    pub abouts: std::collections::HashSet<String>,
    /// A recognised DOCTYPE was seen (`ValidDoctype`).
    pub valid_doctype: bool,
    /// Version attribute of the `rss` element.
    pub rss_version: Option<String>,
    /// Lines (1-based) containing `&#x`.
    pub hex_ref_lines: Vec<u32>,
    /// Shared empty name.
    pub empty: Name,
    /// Shared empty attribute list.
    pub no_attrs: Rc<Attrs>,
    /// Prefixes found for namespaces.
    ns_cache: Vec<(Name, Option<&'static str>)>,
    /// Interned element names.
    names: std::collections::HashMap<
        Box<str>,
        Name,
        std::hash::BuildHasherDefault<crate::types::strset::Fx>,
    >,
}

impl Engine {
    /// A dispatcher for a document with base URI `base`.
    pub fn new(base: &str, self_uris: Vec<String>, encoding: &str, notices: bool) -> Engine {
        let empty: Name = Rc::from("");
        let base_name: Name = Rc::from(
            crate::types::idna::encode(base)
                .unwrap_or_else(|| base.to_string())
                .as_str(),
        );
        let mut e = Engine {
            notices,
            events: Vec::new(),
            feed_type: FeedType::Unknown,
            xml_base: base_name,
            self_uris,
            encoding: encoding.to_string(),
            default_ns: Vec::new(),
            stack: Vec::new(),
            loc: 0,
            newlines: Vec::new(),
            abouts: Default::default(),
            valid_doctype: false,
            rss_version: None,
            hex_ref_lines: Vec::new(),
            empty: empty.clone(),
            no_attrs: Rc::new(Attrs::default()),
            ns_cache: Vec::new(),
            names: Default::default(),
        };
        let mut root = e.blank(K::Root);
        root.name = Rc::from("root");
        root.base = Rc::from(base);
        e.stack.push(Frame {
            attrs: Rc::new(Attrs::default()),
            hs: vec![root],
        });
        e
    }

    /// The customary prefix of namespace `ns` (`nearly_namespaces`), cached.
    pub fn nearly(&mut self, ns: &str) -> Option<&'static str> {
        if let Some((_, p)) = self.ns_cache.iter().find(|(u, _)| **u == *ns) {
            return *p;
        }
        let p = names::nearly(ns);
        if self.ns_cache.len() < 64 {
            self.ns_cache.push((Rc::from(ns), p));
        }
        p
    }

    /// The shared name `s`.
    pub fn name(&mut self, s: &str) -> Name {
        if let Some(n) = self.names.get(s) {
            return n.clone();
        }
        let n: Name = Rc::from(s);
        if self.names.len() < 4096 {
            self.names.insert(Box::from(s), n.clone());
        }
        n
    }

    /// A handler with no element yet.
    pub fn blank(&self, k: K) -> Handler {
        Handler {
            k,
            name: self.empty.clone(),
            parent: None,
            parent_name: self.empty.clone(),
            value: String::new(),
            children: Vec::new(),
            valid: true,
            at: self.loc,
            lang: None,
            base: self.empty.clone(),
            ns: Vec::new(),
            child: self.empty.clone(),
            itunes: false,
            st: rules::St::None,
            uniq: Vec::new(),
            index: None,
        }
    }

    /// Whether an event of class `c` is kept.
    pub fn wants(&self, c: C) -> bool {
        self.notices || matches!(c.kind(), Kind::Error | Kind::Warning)
    }

    /// Record an event at `pos`, with `element`/`parent` defaults.
    pub fn emit(
        &mut self,
        c: C,
        params: &[(&'static str, &str)],
        el: &str,
        parent: &str,
        pos: usize,
    ) {
        if c == ValidDoctype {
            self.valid_doctype = true;
        }
        if !self.wants(c) {
            return;
        }
        let mut p: Vec<(&'static str, String)> = Vec::with_capacity(params.len() + 2);
        let mut has_el = false;
        let mut has_parent = false;
        for (k, v) in params {
            has_el |= *k == "element";
            has_parent |= *k == "parent";
            p.push((k, v.to_string()));
        }
        if !has_el && !el.is_empty() {
            p.push(("element", el.to_string()));
        }
        if !has_parent && !parent.is_empty() {
            p.push(("parent", parent.to_string()));
        }
        for (k, v) in p.iter_mut() {
            if *k == "element"
                && let Some(i) = v.find('_')
            {
                v.replace_range(i..i + 1, ":");
            }
        }
        self.events.push(Event {
            class: c,
            params: p,
            at: pos,
            lc: None,
        });
    }

    /// Log for handler `h` (element defaults to its name).
    pub fn log(&mut self, h: &mut Handler, c: C, params: &[(&'static str, &str)]) {
        h.valid = false;
        let (name, parent) = (h.name.clone(), h.parent_name.clone());
        self.emit(c, params, &name, &parent, h.at);
    }

    /// Log at the current position, with no defaults (`dispatcher.log`).
    pub fn log_here(&mut self, c: C, params: &[(&'static str, &str)]) {
        let pos = self.loc;
        self.emit(c, params, "", "", pos);
    }

    /// The handler at `r`.
    pub fn h(&self, r: HRef) -> &Handler {
        &self.stack[r.f].hs[r.i]
    }

    /// The handler at `r`, mutably.
    pub fn hm(&mut self, r: HRef) -> &mut Handler {
        &mut self.stack[r.f].hs[r.i]
    }

    /// Take the handler at `r` out of the stack (a placeholder stays).
    pub fn take(&mut self, r: HRef) -> Handler {
        let blank = self.blank(K::Placeholder);
        std::mem::replace(&mut self.stack[r.f].hs[r.i], blank)
    }

    /// Put a taken handler back.
    pub fn put(&mut self, r: HRef, h: Handler) {
        self.stack[r.f].hs[r.i] = h;
    }

    /// Run `f` on the handler at `r`, taken out of the stack.
    pub fn with<T>(&mut self, r: HRef, f: impl FnOnce(&mut Handler, &mut Engine) -> T) -> T {
        let mut h = self.take(r);
        let out = f(&mut h, self);
        self.put(r, h);
        out
    }

    /// A logging context for a check made by `h` itself, as element `el`
    /// (the parent reported is `h`'s parent).
    pub fn cx<'x>(&'x mut self, h: &'x Handler, el: &'x str) -> Cx<'x> {
        Cx {
            pos: h.at,
            parent: &h.parent_name,
            el,
            eng: self,
            logged: false,
        }
    }

    /// A logging context for a rule applied to an attribute of `h`
    /// (`validate_attribute`: the parent reported is `h`).
    pub fn cx_rule<'x>(&'x mut self, h: &'x Handler, el: &'x str) -> Cx<'x> {
        Cx {
            pos: h.at,
            parent: &h.name,
            el,
            eng: self,
            logged: false,
        }
    }

    /// 1-based line of byte offset `at`.
    pub fn line_of(&self, at: usize) -> u32 {
        self.newlines.partition_point(|n| *n < at) as u32 + 1
    }

    /// Whether the `&#x` heuristic excuses the line of byte offset `at`.
    pub fn hex_ref_on(&self, at: usize) -> bool {
        !self.hex_ref_lines.is_empty()
            && self.hex_ref_lines.binary_search(&self.line_of(at)).is_ok()
    }

    /// Push a frame of `kinds` for element `name`, child of the handler at `parent`.
    pub fn push(&mut self, kinds: Vec<K>, name: Name, attrs: Rc<Attrs>, parent: HRef) {
        let mut hs = Vec::with_capacity(kinds.len());
        for k in kinds {
            let mut h = self.set_element(k, name.clone(), &attrs, parent);
            rules::prevalidate(&mut h, self, &attrs);
            hs.push(h);
        }
        self.stack.push(Frame { attrs, hs });
    }

    /// `setElement`: a handler for element `name` under `parent`.
    pub fn set_element(&mut self, k: K, name: Name, attrs: &Attrs, parent: HRef) -> Handler {
        let p = self.h(parent);
        let (pname, plang, pbase) = (p.name.clone(), p.lang.clone(), p.base.clone());
        let mut h = self.blank(k);
        h.name = name;
        h.parent = Some(parent);
        h.parent_name = pname;
        h.lang = plang;
        h.base = pbase.clone();
        if let Some(b) = attrs.get(base::XML_NS, "base") {
            let b = b.to_string();
            let mut cx = self.cx_rule(&h, "xml:base");
            rules::values::rfc3987(&mut cx, &b);
            let logged = cx.logged;
            h.valid &= !logged;
            h.base = Rc::from(crate::types::urljoin::urljoin(&pbase, &b).as_str());
        }
        h
    }
}

/// Logging context of a value check: element name, parent name, position.
pub struct Cx<'x> {
    /// The dispatcher.
    pub eng: &'x mut Engine,
    /// Element name reported.
    pub el: &'x str,
    /// Parent name reported.
    pub parent: &'x str,
    /// Position reported (byte offset).
    pub pos: usize,
    /// Something was logged.
    pub logged: bool,
}

impl Log for Cx<'_> {
    fn wants(&self, c: C) -> bool {
        self.eng.wants(c)
    }
    fn log(&mut self, c: C, params: &[(&'static str, &str)]) {
        self.logged = true;
        let (el, parent, pos) = (self.el, self.parent, self.pos);
        self.eng.emit(c, params, el, parent, pos);
    }
}
