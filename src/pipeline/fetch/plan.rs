//! What the fetch workers fetch, from the feed definitions: every `http(s)` feed of every
//! `[[merge]]` table (OPML lists expanded), how often it is due (`every` of the table, else
//! of `[fetch]`, else [`DEFAULT_EVERY`]; the shortest when several definitions merge it),
//! its host's limit (`[fetch] per_host`, the smallest), and how to fetch it (the first
//! definition's settings, in file-name order).

use std::collections::HashMap;
use std::sync::Arc;

use url::Url;

use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::merge::{DEFAULT_EVERY, MergeSource, Refresher, plan_urls};
use crate::state::postgres::SourcePlan;

/// One source and how to fetch it.
#[derive(Debug)]
pub struct Planned {
    /// The feed's URL.
    pub url: Url,
    /// The `[[merge]]` table it came from (its timeout and size limit).
    pub source: MergeSource,
    /// The client of its definition's `[fetch]` settings.
    pub refresher: Arc<Refresher>,
}

/// The sources of a folder of definitions.
#[derive(Debug, Default)]
pub struct FetchPlan {
    /// The rows the work queue should hold, sorted by URL.
    pub rows: Vec<SourcePlan>,
    /// How to fetch each, by URL.
    pub by_url: HashMap<String, Arc<Planned>>,
}

/// Plans the sources of `defs`; problems (an unreadable OPML file, a client that cannot be
/// built) are diagnostics, and the rest is planned.
pub fn plan(defs: &[FeedDef]) -> (FetchPlan, Vec<Diagnostic>) {
    let mut plan = FetchPlan::default();
    let mut rows: HashMap<String, SourcePlan> = HashMap::new();
    let mut diagnostics = Vec::new();
    for def in defs {
        let refresher = match Refresher::new(&def.fetch) {
            Ok(r) => Arc::new(r),
            Err(e) => {
                diagnostics.push(Diagnostic::error(def.file.display(), None, e.to_string()));
                continue;
            }
        };
        for source in &def.merge {
            let urls = match plan_urls(source, &def.root) {
                Ok(urls) => urls,
                Err(e) => {
                    diagnostics.push(Diagnostic::warning(e.origin(), None, e.reason()));
                    continue;
                }
            };
            let every = source.every.or(def.fetch.every).unwrap_or(DEFAULT_EVERY);
            let every_secs = i64::try_from(every.secs()).unwrap_or(i64::MAX);
            let per_host = i32::try_from(def.fetch.per_host).unwrap_or(i32::MAX);
            for url in urls
                .into_iter()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
            {
                let host = url.host_str().unwrap_or("").to_owned();
                let row = rows.entry(url.to_string()).or_insert_with(|| SourcePlan {
                    url: url.to_string(),
                    host,
                    every_secs,
                    per_host,
                });
                row.every_secs = row.every_secs.min(every_secs);
                row.per_host = row.per_host.min(per_host);
                plan.by_url.entry(url.to_string()).or_insert_with(|| {
                    Arc::new(Planned {
                        url,
                        source: source.clone(),
                        refresher: refresher.clone(),
                    })
                });
            }
        }
    }
    plan.rows = rows.into_values().collect();
    plan.rows.sort_by(|a, b| a.url.cmp(&b.url));
    (plan, diagnostics)
}
