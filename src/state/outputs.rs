//! Where each entry's text lies in the outputs the last build wrote (see
//! [`crate::emit::parts`]), with each file's stamp then: the next build copies unchanged
//! entries' texts out of a file whose stamp is still the same, instead of writing them again.

use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::{FileStamp, Run, StateError};
use crate::emit::parts::PartIndex;

impl Run<'_> {
    /// The index written with the output at `path`, if its stamp is still `stamp` (the file
    /// as the last build left it); `None` for any other file or an unreadable row.
    pub fn output_parts(
        &self,
        path: &Path,
        stamp: FileStamp,
    ) -> Result<Option<PartIndex>, StateError> {
        let row: Option<(i64, i64, Vec<u8>)> = self
            .tx
            .query_row(
                "SELECT size, mtime_ns, parts FROM output_parts WHERE path = ?1",
                params![path.to_string_lossy()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.sql_err())?;
        Ok(row.and_then(|(size, mtime_ns, parts)| {
            let same = u64::try_from(size).ok() == Some(stamp.size) && mtime_ns == stamp.mtime_ns;
            same.then(|| PartIndex::from_bytes(&parts)).flatten()
        }))
    }

    /// Records the index of the output at `path`, which will have `stamp` once installed;
    /// `None` forgets it (the file was written some other way, or could not be).
    pub fn set_output_parts(
        &self,
        path: &Path,
        written: Option<(FileStamp, &PartIndex)>,
    ) -> Result<(), StateError> {
        let path = path.to_string_lossy();
        let result = match written {
            Some((stamp, index)) if !index.is_empty() => self.tx.execute(
                "INSERT OR REPLACE INTO output_parts (path, size, mtime_ns, parts)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    path,
                    i64::try_from(stamp.size).unwrap_or(i64::MAX),
                    stamp.mtime_ns,
                    index.to_bytes()
                ],
            ),
            _ => self
                .tx
                .execute("DELETE FROM output_parts WHERE path = ?1", params![path]),
        };
        result.map(drop).map_err(self.sql_err())
    }
}

#[cfg(test)]
mod tests {
    use crate::emit::Format;
    use crate::emit::parts::FeedParts;
    use crate::model::{Entry, Feed};
    use crate::state::{FileStamp, State};

    #[test]
    fn an_index_is_returned_only_for_the_stamp_it_was_stored_with() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::open(&dir.path().join("s.sqlite")).expect("open");
        let feed = Feed {
            entries: vec![Entry {
                id: "tag:example.com,2000:a".into(),
                title: "A".into(),
                ..Entry::default()
            }],
            ..Feed::default()
        };
        let written = FeedParts::new(&feed)
            .write(Format::Atom, None, None)
            .expect("write");
        let path = dir.path().join("out.atom");
        let stamp = FileStamp {
            size: written.document.len(),
            mtime_ns: 1_700_000_000_000_000_000,
        };
        let run = state.begin_run().expect("run");
        run.set_output_parts(&path, Some((stamp, &written.index)))
            .expect("store");
        run.commit().expect("commit");

        let run = state.begin_run().expect("run");
        let got = run.output_parts(&path, stamp).expect("read");
        assert_eq!(got.as_ref(), Some(&written.index));
        let touched = FileStamp {
            mtime_ns: stamp.mtime_ns + 1,
            ..stamp
        };
        assert_eq!(run.output_parts(&path, touched).expect("read"), None);
        run.set_output_parts(&path, None).expect("forget");
        assert_eq!(run.output_parts(&path, stamp).expect("read"), None);
    }
}
