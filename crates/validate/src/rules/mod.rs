//! Element handlers: the kinds of `validatorBase` subclasses of the Python
//! validator, and how events reach each kind.

pub mod atom;
pub mod attrs;
pub mod content;
pub mod ext;
pub mod media;
pub mod misc;
pub mod rdf;
pub mod root;
pub mod rss;
pub mod rss_children;
pub mod rss_small;
pub mod values;

use crate::classes::ids::*;
use crate::engine::base::{Push, RDF_NS, default_start_child};
use crate::engine::{Attrs, Engine, FeedType, HRef, Handler, Name};
use crate::types::date::Iso;
use std::rc::Rc;

/// `Some(vec![K::..])`.
#[macro_export]
macro_rules! kids {
    ($($k:expr),* $(,)?) => { Some(vec![$($k),*]) };
}

/// Kinds of element handler.
#[derive(Debug, Clone, PartialEq)]
pub enum K {
    /// Stand-in while a handler is taken out of the stack.
    Placeholder,
    /// The document (`root`).
    Root,
    /// Swallows an element and its content (`eater`).
    Eater,
    /// XHTML inside RSS (`htmlEater`).
    HtmlEater,
    /// `xhtml:div` of Atom content (`diveater`).
    DivEater,
    /// Extension element in RSS 1.0 (`rdfExtension`).
    RdfExtension(Name, bool),
    /// A value check (text content).
    V(V),
    /// No duplicate siblings (`noduplicates`), with its message.
    NoDup(crate::classes::C),
    /// At most ten siblings (`maxten`).
    MaxTen,
    /// Needs `rdf:about` (`rdfAbout`).
    RdfAbout,
    /// An element of RSS, RDF, Atom or an extension.
    E(E),
}

/// Value checks applied to an element's text (subclasses of `text`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum V {
    /// `text`.
    Text,
    /// `nonhtml`.
    NonHtml,
    /// `safeHtml`.
    SafeHtml,
    /// `nonemail`.
    NonEmail,
    /// `nonblank`.
    NonBlank,
    /// `nows`.
    Nows,
    /// `addr_spec`.
    AddrSpec,
    /// `email`.
    Email,
    /// `email_with_name`.
    EmailWithName,
    /// `iso639`.
    Iso639,
    /// `Charset`.
    Charset,
    /// `MimeType`.
    MimeType,
    /// `MediaRange`.
    MediaRange,
    /// ISO 8601 family.
    Date(Iso),
    /// `rfc822`.
    Rfc822,
    /// `rfc2396`.
    Rfc2396,
    /// `rfc3987`.
    Rfc3987,
    /// `rfc2396_full`.
    Rfc2396Full,
    /// `xmlbase`.
    XmlBase,
    /// `rfc3987_full`.
    Rfc3987Full,
    /// `canonicaluri`.
    CanonicalUri,
    /// `httpURL`.
    HttpUrl,
    /// `heisen_uri`.
    HeisenUri,
    /// `nonNegativeInteger`.
    NonNegInt,
    /// `positiveInteger` (`max` 0 for none).
    PosInt(u32),
    /// `Integer`.
    Integer,
    /// `Float`.
    Float,
    /// `percentType`.
    Percent,
    /// `latitude`.
    Lat,
    /// `longitude`.
    Lon,
    /// `yesno`.
    YesNo,
    /// `truefalse`.
    TrueFalse,
    /// `truefalsestrict`.
    TrueFalseStrict,
    /// `yesnoclean`.
    YesNoClean,
    /// `duration`.
    Duration,
    /// `lengthLimitedText`.
    LengthLimited(usize),
    /// `keywords`.
    Keywords,
    /// `commaSeparatedIntegers`.
    CommaInts,
    /// `formname`.
    FormName,
    /// An enumeration.
    Enum(values::En),
    /// `g_float`.
    GFloat,
    /// `floatUnit`.
    FloatUnit,
    /// `decimal`.
    Decimal,
    /// `g_year`.
    GYear,
    /// `g_intUnit`.
    GIntUnit,
    /// `g_labelType`.
    GLabel,
    /// `g_locationType`.
    GLocation,
    /// `g_full_locationType`.
    GFullLocation,
    /// `gml_pos`.
    GmlPos,
    /// `gml_posList`.
    GmlPosList,
    /// `rfc2141_nss`.
    Nss,
    /// `sy_updatePeriod`.
    UpdatePeriod,
    /// `unique`: name of the list, message.
    Unique(&'static str, crate::classes::C),
    /// `rdfResourceURI`.
    RdfResourceUri,
}

/// Element handlers with their own rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum E {
    /// `rss`.
    Rss,
    /// RSS 2.0 `channel`.
    Rss20Channel,
    /// RSS 1.0 `channel`.
    Rss10Channel,
    /// RSS 0.90 `channel`.
    Channel,
    /// Channel `link`.
    ChanLink,
    /// Channel `title`.
    ChanTitle,
    /// `docs`.
    Docs,
    /// `blink`.
    Blink,
    /// RSS `category`.
    Category,
    /// `cloud`.
    Cloud,
    /// RSS 2.0 `item`.
    Rss20Item,
    /// RSS 1.0 `item`.
    Rss10Item,
    /// A plain `item` (sx:conflicts).
    Item,
    /// RSS 1.0 `items`.
    Items,
    /// `rdf:Seq`.
    RdfSeq,
    /// `rdf:li`.
    RdfLi,
    /// `content:items`.
    ContentItems,
    /// `rdf:Bag` in `content:items`.
    ContentBag,
    /// `rdf:li` in the bag.
    ContentLi,
    /// `content:item`.
    ContentItem,
    /// RSS `source`.
    Source,
    /// `enclosure`.
    Enclosure,
    /// `guid`.
    Guid,
    /// RSS 2.0 `image`.
    Image,
    /// `image/link`.
    ImageLink,
    /// `image/url`.
    ImageUrl,
    /// `image/title`.
    ImageTitle,
    /// `image/width`.
    Width,
    /// `image/height`.
    Height,
    /// RSS 1.0 `image`.
    Rss10Image,
    /// `textInput`.
    TextInput,
    /// `skipHours`.
    SkipHours,
    /// `skipDays`.
    SkipDays,
    /// `hour`.
    Hour,
    /// `day`.
    Day,
    /// `rdf:RDF`.
    Rdf,
    /// Atom `feed`.
    Feed,
    /// Atom `entry`.
    Entry,
    /// Atom `source`.
    AtomSource,
    /// `app:control`.
    AppControl,
    /// `atom:link`.
    Link,
    /// Atom person.
    Author,
    /// `atom:category`.
    AtomCategory,
    /// `atom:generator`.
    Generator,
    /// Atom text construct.
    TextConstruct,
    /// `atom:content`.
    Content,
    /// `app:service`.
    Service,
    /// `app:workspace`.
    Workspace,
    /// `app:collection`.
    Collection,
    /// `app:categories`.
    Categories,
    /// Extension elements (see [`ext`]).
    X(ext::X),
}

/// Per-kind state of a handler.
#[derive(Debug, Default)]
pub enum St {
    /// Nothing.
    #[default]
    None,
    /// Channel state.
    Chan(Box<rss::ChanSt>),
    /// Item / entry state.
    Item(Box<rss::ItemSt>),
    /// Feed / source state.
    Feed(Box<atom::FeedSt>),
    /// A string (content type, algorithm, text, ...).
    S(Option<String>),
    /// Flags and numbers.
    N(Vec<i64>),
    /// Strings seen (days).
    L(Vec<String>),
}

/// Attributes a handler expects (`getExpectedAttrNames`).
pub enum Expect {
    /// Nothing said (`None`).
    Nothing,
    /// Everything present is expected.
    All,
    /// These `(namespace, name)` pairs.
    List(&'static [(&'static str, &'static str)]),
    /// Everything except attributes in this namespace.
    AllBut(&'static str),
}

impl K {
    /// Whether the kind behaves as `text` for child elements and character data.
    pub fn is_text(&self) -> bool {
        match self {
            K::V(v) => !matches!(v, V::RdfResourceUri),
            K::E(e) => {
                matches!(
                    e,
                    E::ChanLink
                        | E::ChanTitle
                        | E::Docs
                        | E::Blink
                        | E::Category
                        | E::Source
                        | E::Guid
                        | E::ImageLink
                        | E::ImageUrl
                        | E::ImageTitle
                        | E::Width
                        | E::Height
                        | E::Hour
                        | E::Day
                        | E::Generator
                ) || matches!(e, E::X(x) if x.is_text())
            }
            _ => false,
        }
    }
}

/// Whether the handler accepts text without `UnexpectedText`.
fn text_ok(h: &Handler) -> bool {
    h.k.is_text()
        || matches!(
            h.k,
            K::HtmlEater | K::RdfExtension(..) | K::DivEater | K::MaxTen | K::V(V::RdfResourceUri)
        )
        || (matches!(h.k, K::E(E::TextConstruct | E::Content)) && h.children.is_empty())
}

/// `prevalidate()` of the handler's kind.
pub fn prevalidate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    match h.k.clone() {
        K::NoDup(c) => {
            if let Some(p) = h.parent
                && eng.h(p).has(&h.name)
            {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, c, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::MaxTen => {
            if let Some(p) = h.parent
                && eng.h(p).count(&h.name) == 10
            {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, TooMany, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::V(V::NonHtml | V::SafeHtml | V::LengthLimited(_) | V::Email | V::EmailWithName) => {
            h.children.push(eng.empty.clone())
        }
        K::RdfExtension(q, lit) => {
            let mut l = lit;
            rdf::ext_prevalidate(h, eng, &q, &mut l, attrs);
            h.k = K::RdfExtension(q, l);
        }
        K::E(e) => rss::prevalidate(h, eng, e, attrs),
        _ => {}
    }
}

/// `startElementNS` of the handler's kind; returns what to push.
pub fn start_child(
    h: &mut Handler,
    eng: &mut Engine,
    me: HRef,
    local: &str,
    ns: &str,
    attrs: &Rc<Attrs>,
) -> Option<Push> {
    let name: Name = eng.name(local);
    match h.k.clone() {
        K::Root => root::root_start(h, eng, me, local, ns, attrs),
        K::NoDup(_) | K::RdfAbout | K::Placeholder => None,
        K::Eater => content::eater_start(h, eng, local, ns, attrs).then(|| Push {
            kinds: vec![K::Eater],
            name,
            append: None,
        }),
        K::HtmlEater => content::html_eater_start(h, eng, local, attrs),
        K::DivEater => content::div_eater_start(h, eng, local, ns, attrs),
        K::RdfExtension(_, literal) => {
            rdf::ext_start(h, eng, local, attrs);
            h.children
                .push(Rc::from(format!("{{{ns}}}{local}").as_str()));
            Some(Push {
                kinds: vec![K::RdfExtension(Rc::from(ns), literal)],
                name,
                append: None,
            })
        }
        K::E(E::TextConstruct | E::Content) => {
            content::text_construct_start(h, eng, local, ns, attrs)
        }
        K::E(E::Link) => Some(Push {
            kinds: vec![K::Eater],
            name,
            append: None,
        }),
        k if k.is_text() => content::text_start(h, eng, local, ns, attrs),
        _ => default_start_child(h, eng, me, local, ns, attrs),
    }
}

/// Child handlers for `key` (the `do_*` methods), with their side effects.
pub fn child(h: &mut Handler, eng: &mut Engine, me: HRef, key: &str) -> Option<Vec<K>> {
    match h.k.clone() {
        K::Root => root::root_child(h, eng, key),
        K::E(e) => match e {
            E::Rss
            | E::Rss20Channel
            | E::Rss10Channel
            | E::Channel
            | E::Rss20Item
            | E::Rss10Item
            | E::Item => rss_children::child(h, eng, me, e, key),
            E::Items
            | E::RdfSeq
            | E::ContentItems
            | E::ContentBag
            | E::ContentLi
            | E::ContentItem
            | E::Rdf => rdf::child(h, eng, e, key),
            E::Image
            | E::Rss10Image
            | E::TextInput
            | E::SkipHours
            | E::SkipDays
            | E::Cloud
            | E::Enclosure => rss_small::child_small(e, key),
            E::X(x) => ext::x_child(h, eng, x, key),
            _ => atom::child(h, eng, me, e, key),
        },
        _ => None,
    }
}

/// `any()`: the handler for an element in an unknown namespace.
pub fn unknown_child(h: &mut Handler, eng: &mut Engine, local: &str, qname: &str) -> Vec<K> {
    if h.k == K::Root {
        root::root_unknown(h, eng, local, qname);
    }
    if eng.feed_type == FeedType::Rss1 {
        vec![K::RdfExtension(Rc::from(qname), false)]
    } else {
        vec![K::Eater]
    }
}

/// `Questionable`: extension elements allowed anywhere, with a warning.
pub fn questionable(key: &str) -> Option<Vec<K>> {
    use E::*;
    match key {
        "atom_author" | "atom_contributor" => kids![K::E(Author)],
        "atom_category" => kids![K::E(AtomCategory)],
        "atom_content" => kids![K::E(Content)],
        "atom_generator" => kids![K::E(Generator)],
        "atom_icon" | "atom_logo" => kids![K::V(V::Rfc2396), K::NoDup(DuplicateElement)],
        "atom_id" => kids![K::V(V::CanonicalUri), K::NoDup(DuplicateElement)],
        "atom_link" => kids![K::E(Link)],
        "atom_published" | "atom_updated" => {
            kids![K::V(V::Date(Iso::Rfc3339)), K::NoDup(DuplicateElement)]
        }
        "atom_rights" | "atom_subtitle" | "atom_summary" | "atom_title" => {
            kids![K::E(TextConstruct), K::NoDup(DuplicateElement)]
        }
        "app_workspace" => kids![K::E(Workspace)],
        "app_collection" => kids![K::E(Collection)],
        "app_categories" => kids![K::E(Categories)],
        _ => ext::everywhere_pure(key),
    }
}

/// `characters` of the handler's kind.
pub fn characters(h: &mut Handler, eng: &mut Engine, text: &str) {
    match &h.k {
        K::NoDup(_) | K::RdfAbout | K::Placeholder => {}
        K::Eater => {
            if bad_chars(text) {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, BadCharacters, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::RdfExtension(_, true) => {}
        K::E(E::Link) => {
            if !crate::types::py_strip(text).is_empty() {
                let pn = h.parent_name.clone();
                let n = h.name.clone();
                eng.log(h, AtomLinkNotEmpty, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::E(E::TextConstruct | E::Content) => content::text_construct_chars(h, eng, text),
        _ => {
            base_characters(h, eng, text);
            if h.k == K::V(V::Nows)
                && h.st.is_none_flag()
                && h.value != crate::types::py_strip(&h.value)
            {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, UnexpectedWhitespace, &[("parent", &pn), ("element", &n)]);
                h.st = St::N(vec![1]);
            }
        }
    }
}

impl St {
    fn is_none_flag(&self) -> bool {
        matches!(self, St::None)
    }
}

/// What `characters` amounts to for plain (`plain`: no suspicious characters;
/// `ws`: white space only) text: `Some(true)` append it, `Some(false)`
/// ignore it, `None` run the full handler.
pub fn fast_text(h: &Handler, plain: bool, ws: bool) -> Option<bool> {
    match &h.k {
        K::NoDup(_) | K::RdfAbout | K::Placeholder | K::RdfExtension(_, true) => {
            return Some(false);
        }
        K::Eater if plain => return Some(false),
        K::E(E::Link) if ws => return Some(false),
        K::Eater | K::E(E::Link) | K::V(V::Nows) => return None,
        _ => {}
    }
    if !plain {
        return None;
    }
    let text_like = match &h.k {
        K::E(E::TextConstruct | E::Content) => {
            h.children.is_empty() && content::ctype(h) != "xhtml"
        }
        k => text_ok(h) || k.is_text(),
    };
    (ws || text_like).then_some(true)
}

/// Characters from the C1 range, U+FFFD, or UTF-8 read as Latin-1.
pub fn bad_chars(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_ascii() {
        return false;
    }
    if !b.contains(&0xc2) && !b.contains(&0xc3) && !text.contains('\u{fffd}') {
        return false;
    }
    text.chars()
        .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{fffd}')
        || double_encoded(text)
}

fn double_encoded(text: &str) -> bool {
    let mut prev = ' ';
    for c in text.chars() {
        if ('\u{80}'..='\u{bf}').contains(&c) && ('\u{c2}'..='\u{c3}').contains(&prev) {
            if text.chars().all(|c| (c as u32) < 256) {
                let bytes: Vec<u8> = text.chars().map(|c| c as u8).collect();
                if std::str::from_utf8(&bytes).is_ok() {
                    return true;
                }
            }
            return false;
        }
        prev = c;
    }
    false
}

/// `validatorBase.characters`.
pub fn base_characters(h: &mut Handler, eng: &mut Engine, text: &str) {
    if !text_ok(h) && !crate::types::py_strip(text).is_empty() {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, UnexpectedText, &[("element", &n), ("parent", &pn)]);
    }
    if bad_chars(text) {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, BadCharacters, &[("parent", &pn), ("element", &n)]);
    }
    h.value.push_str(text);
}

/// `endElementNS` of the handler's kind: normalise, validate, log success.
pub fn end_element(h: &mut Handler, eng: &mut Engine, local: &str, attrs: &Attrs) {
    if h.k == K::HtmlEater {
        return;
    }
    let keep_ws = matches!(
        h.k,
        K::E(E::TextConstruct | E::Content)
            | K::V(V::YesNo | V::TrueFalse | V::TrueFalseStrict | V::YesNoClean)
    );
    if !keep_ws {
        let t = crate::types::py_strip(&h.value);
        if t.len() != h.value.len() {
            h.value = t.to_string();
        }
    }
    validate(h, eng, attrs);
    if h.valid && !h.name.is_empty() && eng.notices {
        let pn = h.parent_name.clone();
        eng.log(h, ValidElement, &[("parent", &pn), ("element", local)]);
    }
}

fn validate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    match h.k.clone() {
        K::V(v) => values::validate_element(h, eng, v, attrs),
        K::E(e) => match e {
            E::Rss
            | E::Rss20Channel
            | E::Rss10Channel
            | E::Channel
            | E::Rss20Item
            | E::Rss10Item
            | E::Item => rss::validate(h, eng, e, attrs),
            E::Rdf => rdf::validate_rdf(h, eng),
            E::X(x) => ext::x_validate(h, eng, x, attrs),
            _ if rss_small::is_small(e) => rss_small::validate_small(h, eng, e, attrs),
            _ => atom::validate(h, eng, e, attrs),
        },
        K::DivEater => content::div_eater_validate(h, eng),
        K::RdfExtension(_, literal)
            if !literal
                && !crate::types::py_strip(&h.value).is_empty()
                && !h.children.is_empty() =>
        {
            eng.log(h, InvalidRDF, &[("message", "mixed content")]);
        }
        K::RdfAbout => rdf::about_validate(h, eng, attrs),
        _ => {}
    }
}

/// `getExpectedAttrNames` of the handler's kind.
pub fn expected_attrs(h: &Handler, eng: &Engine, attrs: &Attrs) -> Expect {
    let rss1 = eng.feed_type == FeedType::Rss1;
    match &h.k {
        K::Eater => Expect::All,
        K::HtmlEater => {
            if attrs.0.is_empty() {
                Expect::Nothing
            } else {
                Expect::All
            }
        }
        K::RdfExtension(_, literal) => {
            if *literal || attrs.0.is_empty() {
                Expect::All
            } else {
                Expect::AllBut("http://purl.org/net/rss1.1#")
            }
        }
        K::V(V::RdfResourceUri) => Expect::List(&[
            (RDF_NS, "resource"),
            ("http://purl.org/dc/elements/1.1/", "title"),
        ]),
        K::RdfAbout => Expect::List(&[(RDF_NS, "about")]),
        K::E(e) => attrs::expected(*e, rss1),
        k if k.is_text() => {
            if rss1 {
                Expect::List(&[
                    (RDF_NS, "parseType"),
                    (RDF_NS, "datatype"),
                    (RDF_NS, "resource"),
                ])
            } else {
                Expect::List(&[])
            }
        }
        _ => Expect::Nothing,
    }
}

/// `setItunes(True)` of channels, feeds, items and entries.
pub fn set_itunes(h: &mut Handler, eng: &mut Engine, me: HRef) {
    match h.k {
        K::E(E::Rss20Channel | E::Rss10Channel | E::Channel | E::Feed) => {
            if !h.itunes {
                if !matches!(eng.encoding.to_lowercase().as_str(), "utf-8" | "utf8") {
                    let pn = h.parent_name.clone();
                    eng.log(h, NotUTF8, &[("parent", &pn)]);
                }
                if eng.feed_type == FeedType::Atom && h.has("entry") && h.k == K::E(E::Feed) {
                    let attrs = eng.stack[me.f].attrs.clone();
                    validate(h, eng, &attrs);
                }
            }
            h.itunes = true;
        }
        K::E(E::Rss20Item | E::Rss10Item | E::Item | E::Entry) if !h.itunes => {
            if let Some(p) = h.parent {
                eng.with(p, |ph, eng| set_itunes(ph, eng, p));
            }
            h.itunes = true;
            rss::recheck_enclosures(h, eng);
        }
        _ => {}
    }
}
