//! The page cache of a run ([`PageRows`] for [`PgRun`]): the `page_text` table, as in the
//! SQLite store, one row per feed, item id and link holding [`PageRecord::to_json`].

use url::Url;

use super::run::PgRun;
use crate::merge::PageRecord;
use crate::state::{PageRows, StateError, Unreadable};

impl PageRows for PgRun<'_> {
    /// The record of the page of item `id` (linking to `link`) in `feed`, if any.
    fn page_record(
        &self,
        feed: &str,
        id: &str,
        link: &Url,
    ) -> Result<Option<PageRecord>, StateError> {
        let sql = "SELECT record FROM page_text WHERE feed = $1 AND entry_id = $2 AND link = $3";
        let rows = self.rows(sql, &[&feed, &id, &link.as_str()])?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let json: String = self.read(row.try_get(0))?;
        (PageRecord::from_json(&json))
            .map(Some)
            .map_err(|e| self.corrupt(Unreadable::Page(e)))
    }

    /// Replaces the record of the page of item `id` (linking to `link`) in `feed`.
    fn store_page_record(
        &self,
        feed: &str,
        id: &str,
        link: &Url,
        record: &PageRecord,
    ) -> Result<(), StateError> {
        let sql = "INSERT INTO page_text (feed, entry_id, link, record) VALUES ($1, $2, $3, $4)
                   ON CONFLICT (feed, entry_id, link) DO UPDATE SET record = EXCLUDED.record";
        let json = record.to_json();
        self.execute(sql, &[&feed, &id, &link.as_str(), &json])
            .map(drop)
    }

    fn forget_page_records(&self, feed: &str, ids: &[&str]) -> Result<(), StateError> {
        let sql = "DELETE FROM page_text WHERE feed = $1 AND NOT (entry_id = ANY($2))";
        self.execute(sql, &[&feed, &ids]).map(drop)
    }
}
