//! The kinds of element handler (the validator's `validatorBase` subclasses)
//! and their per-kind state.

use super::{atom, ext, rss, values};
use crate::engine::Name;
use crate::types::date::Iso;

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
