//! What each element is to the reader, and what happens at its start: feedparser's
//! `_start_*` handlers (its `namespaces/_base.py`, `dc.py`, `itunes.py`, `mediarss.py`).
//! What happens at the end is in [`super::close`].

use url::Url;

use super::entry::{RawEnclosure, RawEntry, RawPerson};
use super::reader::Reader;
use super::text::Params;

/// Which list of people a person element adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    /// `<author>`, `<dc:creator>`, `<itunes:author>`…
    Author,
    /// `<contributor>`, `<dc:contributor>`.
    Contributor,
    /// `<webMaster>`, `<dc:publisher>`, `<itunes:owner>`: not kept.
    Publisher,
}

/// What a text construct is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// `<title>`, `<dc:title>`.
    Title,
    /// `<media:title>`: a title only where no `<title>` is.
    MediaTitle,
    /// `<description>`, `<summary>`, `<itunes:summary>`, `<media:description>`…
    Summary,
    /// `<content>`, `<content:encoded>`, `<body>`, or a second summary.
    Content,
    /// `<subtitle>`, `<rights>`, `<info>`…: read (markup inside stays text) but not kept.
    Other,
}

/// Which date an element gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// `published_parsed` in feedparser.
    Published,
    /// `updated_parsed`.
    Updated,
    /// `created_parsed`.
    Created,
}

/// What an open element is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Not an element the reader knows; its text is dropped.
    Ignore,
    /// Markup inside content, written back into it.
    Markup,
    /// `<rss>`, `<rdf:RDF>`.
    Root,
    /// `<channel>`, `<feed>`.
    Feed,
    /// `<item>`, `<entry>`.
    Item,
    /// `<source>`: what is inside belongs to another feed.
    Source,
    /// `<image>`.
    Image,
    /// `<textInput>`.
    TextInput,
    /// A person.
    Person(PersonKind),
    /// A person's `<name>`, `<email>`, `<uri>`.
    PersonPart(&'static str),
    /// A text construct.
    Text(TextKind),
    /// A `<link>` whose address is its text; `page` when it names the page (alternate HTML).
    Link {
        /// Whether it is the entry's (or feed's) page.
        page: bool,
    },
    /// `<guid>`, `<id>`; `permalink` when it is the page too.
    Guid {
        /// Whether the id is the entry's page.
        permalink: bool,
    },
    /// A date.
    Date(DateKind),
    /// A category whose term may be its text.
    Category {
        /// The term given as an attribute.
        term: Option<String>,
        /// Its scheme or domain.
        scheme: Option<String>,
        /// Its label.
        label: Option<String>,
    },
    /// Comma-separated keywords, each a category in `scheme`.
    Keywords {
        /// The scheme of each.
        scheme: Option<&'static str>,
    },
    /// `<language>`, `<dc:language>`.
    Language,
}

/// Whether a base URL may use `scheme` (feedparser's list, shortened to what feeds use).
pub fn safe_scheme(scheme: &str) -> bool {
    matches!(
        scheme,
        "http" | "https" | "ftp" | "file" | "gopher" | "news" | "nntp" | "feed" | "magnet"
    )
}

fn attr<'s>(attrs: &'s [(String, String)], key: &str) -> Option<&'s str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

const ITUNES: &str = "http://www.itunes.com/";
const MEDIA_CATEGORIES: &str = "http://search.yahoo.com/mrss/category_schema";

impl Reader<'_> {
    /// Where feedparser's `_get_context()` would store a value now.
    pub fn in_entry_context(&self) -> bool {
        let elsewhere =
            self.in_source || (self.in_image && self.feed_has_image) || self.in_textinput;
        self.entry.is_some() && !elsewhere
    }

    /// Starts an element named `name` (as feedparser names it); returns its role and the
    /// capture its text goes to.
    pub fn begin(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        at: usize,
    ) -> (Role, Option<usize>) {
        if self.in_content > 0 {
            return self.begin_in_content(name, attrs);
        }
        if !name.contains(':') {
            if !matches!(name, "title" | "link" | "description" | "name") {
                self.in_textinput = false;
            }
            if !matches!(
                name,
                "title" | "link" | "description" | "url" | "href" | "width" | "height"
            ) {
                self.in_image = false;
            }
        }
        let role = match name {
            "rss" | "rdf:rdf" => {
                self.read.is_feed = true;
                self.in_feed = true;
                Role::Root
            }
            "channel" | "feed" => self.begin_feed(name, attrs),
            "item" | "entry" => self.begin_entry(attrs, at),
            "source" => {
                self.in_source = true;
                self.title_depth = None;
                Role::Source
            }
            "image" => {
                self.feed_has_image |= self.entry.is_none();
                self.in_image = true;
                self.title_depth = None;
                Role::Image
            }
            "textinput" => {
                self.in_textinput = true;
                self.title_depth = None;
                Role::TextInput
            }
            "link" => return self.begin_link(attrs),
            "enclosure" | "media:content" => {
                self.add_enclosure(attrs, name == "media:content");
                Role::Ignore
            }
            _ => return self.begin_simple(name, attrs),
        };
        (role, None)
    }

    fn begin_simple(&mut self, name: &str, attrs: &[(String, String)]) -> (Role, Option<usize>) {
        let role = match name {
            "author" | "managingeditor" | "dc:author" | "dc:creator" | "itunes:author" => {
                self.begin_person(PersonKind::Author)
            }
            "contributor" => return (self.begin_person(PersonKind::Contributor), None),
            "dc:contributor" => self.begin_person(PersonKind::Contributor),
            "webmaster" | "dc:publisher" | "itunes:owner" => {
                self.person = Some(PersonKind::Publisher);
                Role::Person(PersonKind::Publisher)
            }
            "name" | "itunes:name" => Role::PersonPart("name"),
            "email" | "itunes:email" => Role::PersonPart("email"),
            "url" | "uri" | "homepage" => Role::PersonPart("uri"),
            "title" | "dc:title" => return self.begin_text(TextKind::Title, attrs, "text/plain"),
            "media:title" => return self.begin_text(TextKind::MediaTitle, attrs, "text/plain"),
            "description" | "dc:description" | "media:description" => {
                return self.begin_summary(attrs, "text/html");
            }
            "summary" | "itunes:summary" => return self.begin_summary(attrs, "text/plain"),
            "abstract" => return self.begin_text(TextKind::Summary, attrs, "text/plain"),
            "content" => return self.begin_content(attrs, "text/plain", true),
            "content:encoded" | "fullitem" => return self.begin_content(attrs, "text/html", true),
            "body" | "xhtml:body" => {
                return self.begin_content(attrs, "application/xhtml+xml", false);
            }
            "subtitle"
            | "tagline"
            | "itunes:subtitle"
            | "rights"
            | "copyright"
            | "dc:rights"
            | "info"
            | "feedburner:browserfriendly" => {
                return self.begin_text(TextKind::Other, attrs, "text/plain");
            }
            "guid" | "id" => {
                let permalink = attr(attrs, "ispermalink").is_none_or(|v| v.trim() == "true");
                self.guid_is_link = permalink;
                Role::Guid { permalink }
            }
            "published" | "issued" | "pubdate" | "dcterms:issued" => {
                Role::Date(DateKind::Published)
            }
            "updated" | "modified" | "lastbuilddate" | "dc:date" | "dcterms:modified" => {
                Role::Date(DateKind::Updated)
            }
            "created" | "dcterms:created" => Role::Date(DateKind::Created),
            "category" | "keywords" | "dc:subject" | "media:category" | "itunes:category" => {
                category(name, attrs)
            }
            "media:keywords" => Role::Keywords { scheme: None },
            "itunes:keywords" => Role::Keywords {
                scheme: Some(ITUNES),
            },
            "language" | "dc:language" => Role::Language,
            _ => return (Role::Ignore, None),
        };
        (role, self.capture(None))
    }

    /// Inside content, elements are markup: written back as text, never interpreted.
    fn begin_in_content(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
    ) -> (Role, Option<usize>) {
        let sink = self.parent_sink();
        let Some(params) = sink
            .and_then(|s| self.captures.get_mut(s))
            .and_then(|c| c.params.as_mut())
        else {
            return (Role::Ignore, sink);
        };
        if !params.is_xml() {
            if matches!(name, "div" | "xhtml:div") {
                // A `<div>` around escaped markup (TypePad writes this) is dropped.
                return (Role::Ignore, sink);
            }
            params.make_xhtml();
        }
        let local = name.rsplit(':').next().unwrap_or(name);
        let mut tag = format!("<{local}");
        for (k, v) in attrs {
            tag.push_str(&format!(
                " {k}=\"{}\"",
                quick_xml::escape::escape(v.as_str())
            ));
        }
        tag.push('>');
        self.append_markup(sink, &tag);
        (Role::Markup, sink)
    }

    fn begin_feed(&mut self, name: &str, attrs: &[(String, String)]) -> Role {
        self.read.is_feed = true;
        self.in_feed = true;
        if name == "feed" && !self.read.root.contains("rss") {
            self.atom = true;
        }
        // Microsoft CDF: the channel's page is an attribute.
        if let Some(href) = attr(attrs, "href") {
            self.feed_link = self.feed_link.take().or_else(|| self.resolve(href));
        }
        Role::Feed
    }

    fn begin_entry(&mut self, attrs: &[(String, String)], at: usize) -> Role {
        self.read.is_feed = true;
        if self.read.root.eq_ignore_ascii_case("entry") {
            self.atom = true;
        }
        if self.entries.len() >= super::reader::MAX_ENTRIES {
            self.dropped += 1;
            let _ = at;
            return Role::Ignore;
        }
        let mut entry = RawEntry {
            id: attr(attrs, "rdf:about").map(str::to_string),
            language: self.lang.clone(),
            base: self.base.clone(),
            ..RawEntry::default()
        };
        // An RDF item's `rdf:about` is its page until a link says otherwise; Microsoft
        // CDF's `<item href="…" lastmod="…">` names the page outright.
        if let Some(about) = attr(attrs, "rdf:about") {
            entry.link = self.resolve(about);
        }
        if let Some(href) = attr(attrs, "href") {
            entry.link = self.resolve(href);
        }
        if let Some(lastmod) = attr(attrs, "lastmod") {
            entry.updated = Some(super::dates::parse_date(lastmod));
        }
        self.entry = Some(entry);
        self.guid_is_link = false;
        self.title_depth = None;
        Role::Item
    }

    fn begin_person(&mut self, kind: PersonKind) -> Role {
        self.person = Some(kind);
        let entry_context = self.in_entry_context();
        let list = match (kind, entry_context, self.entry.as_mut()) {
            (PersonKind::Author, true, Some(e)) => &mut e.authors,
            (PersonKind::Contributor, true, Some(e)) => &mut e.contributors,
            (PersonKind::Author, false, _) if self.in_feed && !self.in_source => {
                &mut self.feed_authors
            }
            _ => return Role::Person(kind),
        };
        list.push(RawPerson::default());
        Role::Person(kind)
    }

    fn begin_text(
        &mut self,
        kind: TextKind,
        attrs: &[(String, String)],
        default: &str,
    ) -> (Role, Option<usize>) {
        self.in_content += 1;
        let params = Params::new(attr(attrs, "type"), attr(attrs, "mode"), default);
        (Role::Text(kind), self.capture(Some(params)))
    }

    /// `<description>` and `<summary>`: a second one, after a summary and before any
    /// content, is the content.
    fn begin_summary(
        &mut self,
        attrs: &[(String, String)],
        default: &str,
    ) -> (Role, Option<usize>) {
        let has_summary = self
            .entry
            .as_ref()
            .is_some_and(|e| e.has_summary && !e.has_content);
        if self.in_entry_context() && has_summary {
            return self.begin_content(attrs, "text/plain", true);
        }
        self.begin_text(TextKind::Summary, attrs, default)
    }

    fn begin_content(
        &mut self,
        attrs: &[(String, String)],
        default: &str,
        counts: bool,
    ) -> (Role, Option<usize>) {
        if counts && let Some(e) = self.entry.as_mut() {
            e.has_content = true;
        }
        self.begin_text(TextKind::Content, attrs, default)
    }

    fn begin_link(&mut self, attrs: &[(String, String)]) -> (Role, Option<usize>) {
        let rel = attr(attrs, "rel").unwrap_or("alternate").trim().to_string();
        let default_type = if rel == "self" {
            "application/atom+xml"
        } else {
            "text/html"
        };
        let mime = attr(attrs, "type").unwrap_or(default_type).trim();
        let page = rel == "alternate" && matches!(mime, "text/html" | "application/xhtml+xml");
        let href = attr(attrs, "url")
            .or(attr(attrs, "uri"))
            .or(attr(attrs, "href"));
        let Some(href) = href else {
            return (Role::Link { page }, self.capture(None));
        };
        let url = self.resolve(href);
        if rel == "enclosure"
            && let Some(url) = url.clone()
            && self.in_entry_context()
            && let Some(e) = self.entry.as_mut()
        {
            let length = attr(attrs, "length").and_then(|l| l.trim().parse().ok());
            let mime = attr(attrs, "type").map(str::to_string);
            e.enclosures.push(RawEnclosure { url, mime, length });
        } else if page {
            self.set_link(url, true);
        }
        (Role::Ignore, None)
    }

    /// Sets the page of the entry (or feed) in context; `explicit` links replace any.
    pub fn set_link(&mut self, url: Option<Url>, explicit: bool) {
        let Some(url) = url else { return };
        if self.entry.is_some() && !self.in_source {
            if self.in_image {
                return;
            }
            if let Some(e) = self.entry.as_mut()
                && (explicit || e.link.is_none())
            {
                e.link = Some(url);
            }
        } else if self.in_feed
            && !self.in_image
            && !self.in_textinput
            && !self.in_source
            && (explicit || self.feed_link.is_none())
        {
            self.feed_link = Some(url);
        }
    }

    fn add_enclosure(&mut self, attrs: &[(String, String)], media: bool) {
        let href = attr(attrs, "url").or(attr(attrs, "href"));
        let Some(url) = href.and_then(|h| self.resolve(h)) else {
            return;
        };
        let size = attr(attrs, if media { "filesize" } else { "length" });
        let length = size.and_then(|l| l.trim().parse().ok());
        let mime = attr(attrs, "type").map(str::to_string);
        if self.in_entry_context()
            && let Some(e) = self.entry.as_mut()
        {
            e.enclosures.push(RawEnclosure { url, mime, length });
        }
    }
}

fn category(name: &str, attrs: &[(String, String)]) -> Role {
    let term_attr = if name == "itunes:category" {
        "text"
    } else {
        "term"
    };
    let scheme = match name {
        "itunes:category" => Some(ITUNES.to_string()),
        _ => attr(attrs, "scheme")
            .or(attr(attrs, "domain"))
            .map(str::to_string),
    };
    let scheme = scheme.or_else(|| (name == "media:category").then(|| MEDIA_CATEGORIES.into()));
    Role::Category {
        term: attr(attrs, term_attr).map(str::to_string),
        scheme,
        label: attr(attrs, "label").map(str::to_string),
    }
}
