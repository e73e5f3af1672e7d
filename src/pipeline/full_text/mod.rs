//! Full text for merged items. For each item of a `full_text` source that is new (not seen
//! in an earlier run), the page it links to is fetched through the feeds' fetcher
//! ([`merge::fetch_pages`]: the address guard, per-host limits, timeouts, size cap,
//! `Retry-After`), its article read by the HTML reader with the source's selectors, without
//! the page's furniture, and sanitised with links and images made absolute against the
//! page's final URL (`extract.rs`). The article becomes the item's content when it holds more
//! text than the item's own; the item's summary, title, link, id and dates stay as the feed
//! gave them (a date or authors the feed left out are taken from the page).
//!
//! What was read is kept in the [`PageCache`] (the state, or `merge --cache DIR`) by the
//! item's id and link, and reused while the item stays in the feed or its history: a page is
//! fetched once. A page that fails keeps the item's own content, with a warning naming the
//! link, and is tried again after a backoff ([`FetchSchedule`]), not on every run.

mod extract;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use url::Url;

use self::extract::{Failure, FailureKind, Read, fetchable, not_future};
use crate::config;
use crate::diagnostic::Diagnostic;
use crate::merge::poll::stamp;
use crate::merge::{
    self, FetchSchedule, FetchSettings, MergeSource, PageCache, PageRecord, PageRequest, PageText,
};
use crate::model::{Entry, Person};
use crate::source::ReadOptions;
use crate::state::StateError;

/// What the full-text step of one run works with.
pub struct FullText<'a> {
    /// Where what was read from pages is kept.
    pub cache: &'a dyn PageCache,
    /// Whom the records belong to.
    pub scope: Scope<'a>,
    /// The fetch settings (limits, guard, `force`: retry failed pages now).
    pub settings: &'a FetchSettings,
    /// The run's time.
    pub now: DateTime<Utc>,
    /// The zone of page dates written without an offset.
    pub zone: Tz,
}

/// Whom the records of the page cache belong to.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// One feed definition, by name: its items are known by the state, and its history.
    Feed(&'a str),
    /// Each source apart, by its URL (`feedloom merge`, which keeps no history).
    EachSource,
}

impl Scope<'_> {
    fn of(&self, source: &MergeSource) -> String {
        match self {
            Scope::Feed(name) => (*name).to_owned(),
            Scope::EachSource => label(source),
        }
    }
}

/// What became of the pages of one source's items in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageCounts {
    /// The source: its URL, or its OPML file.
    pub source: String,
    /// Pages fetched and read this run.
    pub fetched: usize,
    /// Articles read in an earlier run, used again.
    pub reused: usize,
    /// Pages that failed this run: their items keep their own content.
    pub failed: usize,
    /// Pages not asked for: they failed earlier and wait for their next try, or their host
    /// asked to wait.
    pub waiting: usize,
}

impl fmt::Display for PageCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "full text of {}: {} pages fetched, {} reused, {} failed",
            self.source, self.fetched, self.reused, self.failed
        )?;
        match self.waiting {
            0 => Ok(()),
            n => write!(f, ", {n} waiting to be tried again"),
        }
    }
}

/// What the full-text step did.
#[derive(Debug, Default)]
pub struct Filled {
    /// One count per `full_text` source, in the order of the sources.
    pub counts: Vec<PageCounts>,
    /// Failed pages (each naming the item's link) and warnings about selectors.
    pub diagnostics: Vec<Diagnostic>,
}

/// One item waiting for its page.
struct Target {
    /// Its source, and the index of its counts.
    source: usize,
    counts: usize,
    /// Its place among its source's entries.
    entry: usize,
    scope: String,
    id: String,
    link: Url,
    previous: Option<PageRecord>,
}

/// The pages to fetch this run, each with the items waiting for it.
#[derive(Default)]
struct Plan {
    /// The reader options of each `full_text` source, by the index of its counts.
    options: Vec<ReadOptions>,
    /// Each page once per source, with the index of the source's options.
    requests: Vec<(PageRequest, usize)>,
    /// The items waiting for each request.
    targets: Vec<Vec<Target>>,
    /// Where each (source, page) is in `requests`.
    request_of: HashMap<(usize, Url), usize>,
}

/// Gives the items of every `full_text` source among `sources` their full text, in place:
/// `by_source[i]` holds the entries of `sources[i]`. `is_new` says whether an item (by the
/// scope of its records) was not seen in an earlier run: only new items, and items whose
/// page failed before and is due again, are fetched.
pub fn fill(
    by_source: &mut [Vec<Entry>],
    sources: &[MergeSource],
    ctx: &FullText<'_>,
    is_new: &mut dyn FnMut(&str, &Entry) -> Result<bool, StateError>,
) -> Result<Filled, StateError> {
    let mut filled = Filled::default();
    let mut plan = Plan::default();
    for (s, source) in sources.iter().enumerate() {
        if !source.full_text {
            continue;
        }
        let options = read_options(source, &mut filled.diagnostics);
        let entries = by_source.get_mut(s).map_or(&mut [][..], |l| &mut l[..]);
        let counts = plan.source(s, source, options, entries, ctx, is_new)?;
        filled.counts.push(counts);
    }
    match fetch_and_read(plan.requests, &plan.options, ctx) {
        Ok(reads) => settle(reads, plan.targets, by_source, ctx, &mut filled),
        // No page could be asked for: nothing is kept, and the next run tries again.
        Err(e) => {
            let d = Diagnostic::error("full text", None, e.to_string());
            filled.diagnostics.push(d);
        }
    }
    Ok(filled)
}

impl Plan {
    /// Uses the articles kept for source `s`'s items, and plans the fetches of the pages of
    /// its new items and of those due again after a failure; returns the source's counts
    /// so far.
    fn source(
        &mut self,
        s: usize,
        source: &MergeSource,
        options: ReadOptions,
        entries: &mut [Entry],
        ctx: &FullText<'_>,
        is_new: &mut dyn FnMut(&str, &Entry) -> Result<bool, StateError>,
    ) -> Result<PageCounts, StateError> {
        let counts_at = self.options.len();
        self.options.push(options);
        let mut counts = PageCounts {
            source: label(source),
            ..PageCounts::default()
        };
        let scope = ctx.scope.of(source);
        for (e, entry) in entries.iter_mut().enumerate() {
            let Some(link) = fetchable(entry.link.as_ref()).cloned() else {
                continue;
            };
            let previous = match ctx.cache.page(&scope, &entry.id, &link) {
                Some(PageRecord {
                    text: Some(text), ..
                }) => {
                    apply(entry, &text, ctx.now);
                    counts.reused += 1;
                    continue;
                }
                Some(failed) if due(&failed.schedule, ctx) => Some(failed),
                Some(_) => {
                    counts.waiting += 1;
                    continue;
                }
                None if is_new(&scope, entry)? => None,
                None => continue,
            };
            let target = Target {
                source: s,
                counts: counts_at,
                entry: e,
                scope: scope.clone(),
                id: entry.id.clone(),
                link,
                previous,
            };
            self.push(target);
        }
        Ok(counts)
    }

    /// Adds an item to the request for its page, making the request if it is the first.
    fn push(&mut self, target: Target) {
        let key = (target.source, target.link.clone());
        let at = match self.request_of.get(&key) {
            Some(&at) => at,
            None => {
                let previous = target.previous.as_ref();
                let request = PageRequest {
                    url: target.link.clone(),
                    etag: previous.and_then(|p| p.etag.clone()),
                    last_modified: previous.and_then(|p| p.last_modified.clone()),
                };
                self.requests.push((request, target.counts));
                self.targets.push(Vec::new());
                self.request_of.insert(key, self.targets.len() - 1);
                self.targets.len() - 1
            }
        };
        self.targets[at].push(target);
    }
}

/// Keeps what each page gave for every item waiting for it, puts the articles into the
/// items, and counts and reports.
fn settle(
    reads: Vec<Read>,
    targets: Vec<Vec<Target>>,
    by_source: &mut [Vec<Entry>],
    ctx: &FullText<'_>,
    filled: &mut Filled,
) {
    let mut host_waits: BTreeMap<String, (usize, DateTime<Utc>)> = BTreeMap::new();
    for (read, targets) in reads.into_iter().zip(targets) {
        for t in &targets {
            let counts = &mut filled.counts[t.counts];
            let record = match &read {
                Read::Text(text, v, _) => {
                    let entry = by_source.get_mut(t.source).and_then(|l| l.get_mut(t.entry));
                    if let Some(entry) = entry {
                        apply(entry, text, ctx.now);
                    }
                    counts.fetched += 1;
                    PageRecord {
                        text: Some(text.clone()),
                        schedule: FetchSchedule::succeeded(ctx.now, None),
                        etag: v.etag.clone(),
                        last_modified: v.last_modified.clone(),
                    }
                }
                Read::Failed(f) => {
                    match f.kind {
                        FailureKind::HostWaits(_) => counts.waiting += 1,
                        _ => counts.failed += 1,
                    }
                    f.record(t.previous.as_ref(), ctx.now)
                }
            };
            ctx.cache.put_page(&t.scope, &t.id, &t.link, &record);
        }
        match (read, targets.first()) {
            (Read::Text(_, _, warnings), _) => filled.diagnostics.extend(warnings),
            (Read::Failed(f), Some(t)) => report(&f, &t.link, &mut host_waits, filled),
            (Read::Failed(_), None) => {}
        }
    }
    for (host, (n, until)) in host_waits {
        let reason = format!(
            "full text: not fetched for {n} more items: the host asked to wait until {}; they keep the feed's own content",
            stamp(&until)
        );
        filled
            .diagnostics
            .push(Diagnostic::warning(host, None, reason));
    }
}

/// Fetches the pages and reads each on the thread that fetched it; fails only when the
/// HTTP client cannot be made.
fn fetch_and_read(
    requests: Vec<(PageRequest, usize)>,
    options: &[ReadOptions],
    ctx: &FullText<'_>,
) -> Result<Vec<Read>, merge::MergeError> {
    let (zone, now) = (ctx.zone, ctx.now);
    let read = |_: &PageRequest, at: usize, fetched| {
        let Some(options) = options.get(at) else {
            return Read::Failed(Failure::crashed());
        };
        let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            extract::read(fetched, options, zone, now)
        }));
        guarded.unwrap_or_else(|_| Read::Failed(Failure::crashed()))
    };
    merge::fetch_pages(requests, ctx.settings, now, read)
}

/// A failed page's warning, naming the item's link; the pages of a host that asked to wait
/// are told in one warning per host.
fn report(
    failure: &Failure,
    link: &Url,
    host_waits: &mut BTreeMap<String, (usize, DateTime<Utc>)>,
    filled: &mut Filled,
) {
    if let FailureKind::HostWaits(until) = failure.kind {
        let host = link.host_str().unwrap_or("").to_owned();
        let waits = host_waits.entry(host).or_insert((0, until));
        waits.0 += 1;
        return;
    }
    let reason = format!(
        "full text: {}; the item keeps the feed's own content",
        failure.reason
    );
    filled
        .diagnostics
        .push(Diagnostic::warning(link.as_str(), None, reason));
}

/// Whether a page that failed before may be tried now.
fn due(schedule: &FetchSchedule, ctx: &FullText<'_>) -> bool {
    ctx.settings.force || schedule.wait(ctx.now).is_none()
}

/// Puts a page's article into an item: as its content when it holds more text than the
/// item's own content; its date and authors when the feed gave none.
fn apply(entry: &mut Entry, text: &PageText, now: DateTime<Utc>) {
    let chars = |html: &str| merge::html_to_text(html).chars().count();
    let own = entry.content_html.as_deref().map_or(0, chars);
    if chars(&text.content_html) > own {
        entry.content_html = Some(text.content_html.clone());
    }
    if entry.published.is_none() {
        entry.published = text.published.filter(|d| not_future(d, now));
    }
    if entry.authors.is_empty() {
        entry.authors = text.authors.iter().map(Person::named).collect();
    }
}

/// The reader options of a source's pages: its selectors (checked when the definition was
/// read; one that does not compile is a warning, and detection stands in for it).
fn read_options(source: &MergeSource, diagnostics: &mut Vec<Diagnostic>) -> ReadOptions {
    let selectors = config::page_selectors(&source.selectors).unwrap_or_else(|e| {
        diagnostics.push(Diagnostic::warning(label(source), None, e.to_string()));
        Default::default()
    });
    ReadOptions {
        strip: Vec::new(),
        selectors,
    }
}

/// How a source is named in counts and scopes: its URL, else its OPML file.
fn label(source: &MergeSource) -> String {
    match (&source.url, &source.opml) {
        (Some(url), _) => url.trim().to_owned(),
        (None, Some(opml)) => opml.display().to_string(),
        (None, None) => String::new(),
    }
}

/// Forgets, for `feedloom merge`, the records of items gone from their source: for each
/// `full_text` source that gave entries this run, those whose id is not among them.
pub fn forget_gone(cache: &dyn PageCache, sources: &[MergeSource], by_source: &[Vec<Entry>]) {
    for (source, entries) in sources.iter().zip(by_source) {
        if source.full_text && !entries.is_empty() {
            let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
            cache.forget_pages_except(&Scope::EachSource.of(source), &ids);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .expect("date")
            .to_utc()
    }

    fn text(html: &str, published: &str) -> PageText {
        PageText {
            content_html: html.into(),
            published: DateTime::parse_from_rfc3339(published).ok(),
            authors: vec!["Ann".into()],
        }
    }

    #[test]
    fn the_article_replaces_only_a_shorter_content_and_fills_only_what_is_missing() {
        let article = text(
            "<p>A long article, longer than any summary.</p>",
            "2023-12-31T08:00:00+08:00",
        );
        let rows: [(Option<&str>, bool); 4] = [
            (None, true),
            (Some("<p>A line.</p>"), true),
            (
                Some("<p>The feed's own content, which is longer than the page's article.</p>"),
                false,
            ),
            (
                Some("<p>A long article, longer than any summary.</p>"),
                false,
            ),
        ];
        for (own, replaced) in rows {
            let mut entry = Entry {
                content_html: own.map(str::to_owned),
                summary: Some("A line.".into()),
                ..Entry::default()
            };
            apply(&mut entry, &article, now());
            let want = if replaced {
                Some(article.content_html.as_str())
            } else {
                own
            };
            assert_eq!(entry.content_html.as_deref(), want, "{own:?}");
            assert_eq!(entry.summary.as_deref(), Some("A line."));
            assert_eq!(entry.published, article.published);
            assert_eq!(entry.authors, vec![Person::named("Ann")]);
        }
        let dated = DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z").ok();
        let mut entry = Entry {
            published: dated,
            authors: vec![Person::named("Bo")],
            ..Entry::default()
        };
        apply(&mut entry, &article, now());
        assert_eq!(
            (entry.published, entry.authors),
            (dated, vec![Person::named("Bo")])
        );
        let mut undated = Entry::default();
        apply(
            &mut undated,
            &text("<p>x</p>", "2024-01-05T00:00:00Z"),
            now(),
        );
        assert_eq!(undated.published, None, "a date after tomorrow is no date");
    }
}
