//! The page cache of a run ([`PageRows`] for [`Run`]): the `page_text` table, one row per
//! feed, item id and link, holding the record as [`PageRecord::to_json`] gives it.

use rusqlite::params;
use url::Url;

use super::Run;
use crate::merge::PageRecord;
use crate::state::{PageRows, StateError, Unreadable};

impl PageRows for Run<'_> {
    /// The record of the page of item `id` (linking to `link`) in `feed`, if any.
    fn page_record(
        &self,
        feed: &str,
        id: &str,
        link: &Url,
    ) -> Result<Option<PageRecord>, StateError> {
        let sql = "SELECT record FROM page_text WHERE feed = ?1 AND entry_id = ?2 AND link = ?3";
        let json: Option<String> = self.row(sql, params![feed, id, link.as_str()], |r| r.get(0))?;
        json.map(|json| PageRecord::from_json(&json).map_err(|e| self.corrupt(Unreadable::Page(e))))
            .transpose()
    }

    /// Replaces the record of the page of item `id` (linking to `link`) in `feed`.
    fn store_page_record(
        &self,
        feed: &str,
        id: &str,
        link: &Url,
        record: &PageRecord,
    ) -> Result<(), StateError> {
        let sql = "INSERT OR REPLACE INTO page_text (feed, entry_id, link, record)
                   VALUES (?1, ?2, ?3, ?4)";
        let values = params![feed, id, link.as_str(), record.to_json()];
        self.execute(sql, values).map(drop)
    }

    fn forget_page_records(&self, feed: &str, ids: &[&str]) -> Result<(), StateError> {
        let json = serde_json::to_string(ids).unwrap_or_default();
        let sql = "DELETE FROM page_text
                   WHERE feed = ?1 AND entry_id NOT IN (SELECT value FROM json_each(?2))";
        self.execute(sql, params![feed, json]).map(drop)
    }
}
