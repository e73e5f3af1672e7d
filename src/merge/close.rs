//! What happens at the end of each element: feedparser's `_end_*` handlers and the storing
//! rules of its `pop` (a deeper title or summary does not replace a shallower one; the last
//! date read wins; a guid is the page only when nothing else names it).

use url::Url;

use crate::model::is_web_address;

use super::entry::{RawEntry, RawPerson};
use super::reader::{Capture, MAX_ENTRIES, Reader};
use super::roles::{DateKind, PersonKind, Role, TextKind};
use super::text::{TextValue, finish};

impl Reader<'_> {
    /// Ends an element of `role`, whose text is `capture`.
    pub fn close(&mut self, role: Role, capture: Option<Capture>, at: usize) {
        let text = capture.map(|c| (c.text, c.params));
        match role {
            Role::Ignore | Role::Markup | Role::Root => {}
            Role::Feed => self.in_feed = false,
            Role::Item => self.end_entry(),
            Role::Source => self.in_source = false,
            Role::Image => self.in_image = false,
            Role::TextInput => self.in_textinput = false,
            Role::Person(kind) => {
                let value = text.map(|(t, _)| t).unwrap_or_default();
                if let Some(p) = self.person_mut(kind)
                    && p.name.is_none()
                    && p.email.is_none()
                {
                    p.name = Some(value.trim().to_string()).filter(|v| !v.is_empty());
                }
                self.person = None;
            }
            Role::PersonPart(part) => {
                let value = text.map(|(t, _)| t.trim().to_string()).unwrap_or_default();
                self.person_part(part, value);
            }
            Role::Text(kind) => {
                self.in_content = self.in_content.saturating_sub(1);
                if let Some((raw, Some(params))) = text {
                    let value = finish(raw, &params, self.atom);
                    self.end_text(kind, value, params.mime == "text/plain" || params.is_html());
                }
            }
            Role::Link { page } => {
                let value = text.map(|(t, _)| t).unwrap_or_default();
                if page {
                    let url = self.resolve(&fix_link_ampersands(value.trim()));
                    self.set_link(url, true);
                }
            }
            Role::Guid { permalink } => self.end_guid(text.map(|(t, _)| t), permalink),
            Role::Date(kind) => self.end_date(kind, text.map(|(t, _)| t), at),
            Role::Category {
                term,
                scheme,
                label,
            } => {
                let value = text.map(|(t, _)| t).unwrap_or_default();
                if let Some(e) = self.entry_in_context() {
                    if let Some(term) = term.as_deref().filter(|t| !t.trim().is_empty()) {
                        e.add_category(term, scheme.as_deref(), label.as_deref());
                        e.add_category(&value, None, None);
                    } else {
                        e.add_category(&value, scheme.as_deref(), label.as_deref());
                    }
                }
            }
            Role::Keywords { scheme } => {
                let value = text.map(|(t, _)| t).unwrap_or_default();
                if let Some(e) = self.entry_in_context() {
                    for term in value.split(',') {
                        e.add_category(term, scheme, None);
                    }
                }
            }
            Role::Language => {
                let value = text
                    .map(|(t, _)| t.trim().to_string())
                    .filter(|v| !v.is_empty());
                if self.entry.is_none() {
                    self.feed_language = value.or(self.feed_language.take());
                } else if let Some(e) = self.entry_in_context() {
                    e.language = value.or(e.language.take());
                }
            }
        }
    }

    /// The entry values are stored on now, if any (not inside `<source>` or an image).
    fn entry_in_context(&mut self) -> Option<&mut RawEntry> {
        if self.in_entry_context() {
            self.entry.as_mut()
        } else {
            None
        }
    }

    fn end_entry(&mut self) {
        let Some(raw) = self.entry.take() else { return };
        if self.entries.len() >= MAX_ENTRIES {
            self.dropped += 1;
            return;
        }
        let feed_authors = super::entry::people(self.feed_authors.clone());
        let base = self.base_url().clone();
        let lang = self.feed_language.clone();
        self.entries
            .push(raw.finish(self.atom, &feed_authors, &base, lang.as_deref()));
    }

    fn end_text(&mut self, kind: TextKind, value: TextValue, textual: bool) {
        let depth = self.depth;
        let entry = self.entry.is_some() && !self.in_source;
        match kind {
            TextKind::Title | TextKind::MediaTitle => {
                let skip = self.title_depth.is_some_and(|d| d <= depth);
                let non_empty = !value.value.is_empty();
                if !skip {
                    if entry {
                        if let Some(e) = self.entry.as_mut()
                            && e.title.as_ref().is_none_or(|(_, d)| depth <= *d)
                        {
                            e.title = Some((value, depth));
                        }
                    } else if self.in_feed
                        && !self.in_source
                        && !self.in_image
                        && !self.in_textinput
                    {
                        self.feed_title = Some((value, depth));
                    }
                }
                if kind == TextKind::Title && non_empty {
                    self.title_depth = Some(depth);
                }
            }
            TextKind::Summary if entry => {
                if let Some(e) = self.entry.as_mut() {
                    e.has_summary = true;
                    if e.summary.as_ref().is_none_or(|(_, d)| depth <= *d) {
                        e.summary = Some((value, depth));
                    }
                }
            }
            TextKind::Content if entry => {
                if let Some(e) = self.entry.as_mut() {
                    e.has_summary |= textual;
                    if e.content.is_none() && !value.value.is_empty() {
                        e.content = Some(value);
                    }
                }
            }
            _ => {}
        }
    }

    /// Stores an entry's id; an id that may be a page (`isPermaLink` not false) is the page
    /// when nothing else names it. The feed's own id is its home page only when it is a web
    /// address: `urn:…` or `tag:…` is no page to link to.
    fn end_guid(&mut self, text: Option<String>, permalink: bool) {
        let value = text.unwrap_or_default();
        let value = value.trim();
        if let Some(e) = self.entry_in_context() {
            e.id = Some(value.to_string());
        }
        if permalink && !value.is_empty() {
            let in_entry = self.entry.is_some();
            let url = self.resolve(value).filter(|u| in_entry || is_web_page(u));
            self.set_link(url, false);
        }
    }

    fn end_date(&mut self, kind: DateKind, text: Option<String>, at: usize) {
        let value = text.unwrap_or_default();
        let value = value.trim();
        let Some(e) = self.entry_in_context() else {
            return;
        };
        let date = super::dates::parse_date(value);
        let slot = match kind {
            DateKind::Published => &mut e.published,
            DateKind::Updated => &mut e.updated,
            DateKind::Created => &mut e.created,
        };
        *slot = Some(date);
        if date.is_none() && !value.is_empty() {
            let line = self.lexer.line(at);
            let (count, first) = &mut self.bad_dates;
            *count += 1;
            first.get_or_insert_with(|| (line, value.chars().take(60).collect()));
        }
    }

    fn person_mut(&mut self, kind: PersonKind) -> Option<&mut RawPerson> {
        let entry_context = self.in_entry_context();
        match (kind, entry_context, self.entry.as_mut()) {
            (PersonKind::Author, true, Some(e)) => e.authors.last_mut(),
            (PersonKind::Contributor, true, Some(e)) => e.contributors.last_mut(),
            (PersonKind::Author, false, _) if self.in_feed && !self.in_source => {
                self.feed_authors.last_mut()
            }
            _ => None,
        }
    }

    fn person_part(&mut self, part: &str, value: String) {
        let Some(kind) = self.person else { return };
        let uri = (part == "uri").then(|| self.resolve(&value)).flatten();
        let Some(p) = self.person_mut(kind) else {
            return;
        };
        let value = Some(value).filter(|v| !v.is_empty());
        match part {
            "name" => p.name = value,
            "email" => p.email = value,
            _ => p.uri = uri,
        }
    }
}

/// Whether `url` can be a feed's home page: a web address with a host.
fn is_web_page(url: &Url) -> bool {
    is_web_address(url) && url.host().is_some()
}

/// A link's `&amp;` written twice, or a query's `&b;=2`, as the `&` it stood for.
fn fix_link_ampersands(link: &str) -> String {
    let link = link.replace("&amp;", "&");
    if !link.contains(';') {
        return link;
    }
    let mut out = String::with_capacity(link.len());
    let mut rest = link.as_str();
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if name_len > 0 && rest[name_len..].starts_with(';') {
            out.push_str(&rest[..name_len]);
            rest = &rest[name_len + 1..];
        }
    }
    out.push_str(rest);
    out
}
