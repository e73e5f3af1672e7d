//! Feed documents written entry by entry.
//!
//! Each entry is written on its own by its format's crate (in parallel), alone in an
//! otherwise empty document, and its text is cut out of that document; the texts are then
//! joined between the feed's head and tail, cut the same way out of the feed written with
//! one placeholder entry. The result is byte for byte the document
//! [`super::write_single_pass`] gives (the tests hold the two side by side).
//!
//! A [`PartIndex`] records where each entry's text lies in the document and a key for what
//! it was written from (the entry's content digest, id, origin and dates, its Atom
//! `<updated>`, the format and the feedloom version). Given the earlier document and its
//! index ([`Earlier`]), the next build copies the text of every entry whose key is
//! unchanged instead of writing it again.

use foldhash::{HashMap, HashMapExt};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use url::Url;

use super::{EmitError, Format, atom, json, rss, write_single_pass};
use crate::model::{Entry, Feed, hash_date};

/// What an entry's text was written from: the first half of a BLAKE3 hash.
pub type Key = [u8; 16];

/// An entry's content digest: the BLAKE3 hash of [`Entry::hash_content`]'s stream.
pub type Digest = [u8; 32];

/// Bytes per entry in [`PartIndex::to_bytes`]: the key, then start and length (u64 LE).
const RECORD: usize = 32;

/// The [`Digest`] of `entry`.
pub fn digest(entry: &Entry) -> Digest {
    let mut h = blake3::Hasher::new();
    entry.hash_content(&mut h);
    *h.finalize().as_bytes()
}

/// A document written part by part, with the index of its entries' texts.
#[derive(Debug)]
pub struct Written {
    /// The document, in pieces.
    pub document: Document,
    /// Where each entry's text lies in the document.
    pub index: PartIndex,
    /// How many entries' texts are copied from the earlier document.
    pub reused: usize,
}

/// A document as a list of pieces: bytes written now, and ranges of the earlier document
/// (copied file to file, by the kernel where it can).
#[derive(Debug, Default)]
pub struct Document {
    pieces: Vec<Piece>,
    separator: &'static [u8],
    len: u64,
}

#[derive(Debug)]
enum Piece {
    /// A range of a buffer written now.
    Bytes(Vec<u8>, Range<usize>),
    /// The separator between two entries.
    Separator,
    /// A range of the earlier document.
    Earlier(Range<u64>),
}

impl Document {
    fn new(separator: &'static [u8]) -> Document {
        Document {
            separator,
            ..Document::default()
        }
    }

    /// The document's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the document is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `range` of `bytes`.
    fn push_bytes(&mut self, bytes: Vec<u8>, range: Range<usize>) {
        self.len += range.len() as u64;
        self.pieces.push(Piece::Bytes(bytes, range));
    }

    fn push_separator(&mut self) {
        if !self.separator.is_empty() {
            self.len += self.separator.len() as u64;
            self.pieces.push(Piece::Separator);
        }
    }

    /// Appends a range of the earlier document. A range that follows the previous one in
    /// the earlier document (after a separator, which the earlier document has there too,
    /// being written the same way) extends it: runs of unchanged entries become one copy.
    fn push_earlier(&mut self, range: Range<u64>) {
        self.len += range.end - range.start;
        let gap = self.separator.len() as u64;
        let n = self.pieces.len();
        if gap > 0
            && n >= 2
            && matches!(self.pieces[n - 1], Piece::Separator)
            && let Piece::Earlier(prev) = &mut self.pieces[n - 2]
            && prev.end + gap == range.start
        {
            prev.end = range.end;
            self.pieces.pop();
            return;
        }
        if let Some(Piece::Earlier(prev)) = self.pieces.last_mut()
            && prev.end == range.start
        {
            prev.end = range.end;
            return;
        }
        self.pieces.push(Piece::Earlier(range));
    }

    /// Writes the document to `out`, copying the earlier document's ranges from `earlier`
    /// (which must be the document it was built with).
    pub fn write_to<W: Write>(&self, out: &mut W, earlier: Option<&Earlier>) -> io::Result<()> {
        for piece in &self.pieces {
            match piece {
                Piece::Bytes(bytes, range) => out.write_all(&bytes[range.clone()])?,
                Piece::Separator => out.write_all(self.separator)?,
                Piece::Earlier(range) => {
                    let earlier = earlier.ok_or_else(|| {
                        io::Error::other("the earlier document to copy from is missing")
                    })?;
                    earlier.copy(range.clone(), out)?;
                }
            }
        }
        Ok(())
    }

    /// The document's bytes.
    pub fn to_bytes(&self, earlier: Option<&Earlier>) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        self.write_to(&mut out, earlier)?;
        Ok(out)
    }
}

/// Where each entry's text lies in a document, and what it was written from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartIndex {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    key: Key,
    start: u64,
    len: u64,
}

impl PartIndex {
    /// The number of entries indexed.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether no entry is indexed (an empty feed).
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The index as bytes, for the state store.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.parts.len() * RECORD);
        for part in &self.parts {
            out.extend_from_slice(&part.key);
            out.extend_from_slice(&part.start.to_le_bytes());
            out.extend_from_slice(&part.len.to_le_bytes());
        }
        out
    }

    /// Reads [`PartIndex::to_bytes`] back; `None` when the bytes are not such an index.
    pub fn from_bytes(bytes: &[u8]) -> Option<PartIndex> {
        if !bytes.len().is_multiple_of(RECORD) {
            return None;
        }
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        let parts = bytes
            .chunks_exact(RECORD)
            .map(|r| Part {
                key: r[..16].try_into().unwrap_or_default(),
                start: word(&r[16..24]),
                len: word(&r[24..32]),
            })
            .collect();
        Some(PartIndex { parts })
    }
}

/// An earlier document of the same output (an open file) and its index: the entries'
/// texts to reuse.
#[derive(Debug)]
pub struct Earlier {
    file: File,
    parts: HashMap<Key, Range<u64>>,
}

impl Earlier {
    /// The texts of `file` (whose length is `len`) that `index` locates; entries whose
    /// range falls outside the file are left out.
    pub fn new(file: File, len: u64, index: &PartIndex) -> Earlier {
        let parts = (index.parts.iter())
            .filter_map(|p| {
                let end = p.start.checked_add(p.len)?;
                (end <= len).then_some((p.key, p.start..end))
            })
            .collect();
        Earlier { file, parts }
    }

    /// Whether the text written from `key` is here.
    pub fn has(&self, key: &Key) -> bool {
        self.parts.contains_key(key)
    }

    fn get(&self, key: &Key) -> Option<Range<u64>> {
        self.parts.get(key).cloned()
    }

    /// Copies `range` of the file to `out` (file to file in the kernel where it can).
    fn copy<W: Write>(&self, range: Range<u64>, out: &mut W) -> io::Result<()> {
        let mut file = &self.file;
        file.seek(SeekFrom::Start(range.start))?;
        let want = range.end - range.start;
        let copied = io::copy(&mut file.take(want), out)?;
        if copied != want {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the earlier document is shorter than its index says",
            ));
        }
        Ok(())
    }
}

/// One entry's text: a range of the earlier document, or written now.
enum Text {
    Earlier(Range<u64>),
    New(Vec<u8>),
}

/// A feed ready to be written in any format entry by entry, with each entry's
/// [`Digest`] computed once for every format.
#[derive(Debug)]
pub struct FeedParts<'a> {
    feed: &'a Feed,
    /// `None` for a feed written without an index (see [`FeedParts::unindexed`]).
    digests: Option<Vec<Digest>>,
    hollow: Vec<bool>,
    /// Whole copies of hollow entries that must be written anew (see [`FeedParts::fill`]).
    filled: HashMap<usize, Entry>,
    /// Each entry's digest, identity and dates, hashed: the part of its keys that every
    /// format shares.
    bases: OnceLock<Vec<Digest>>,
    /// Per format (in [`Format::ALL`]'s order): each entry's Atom `<updated>` and key.
    keyed: [OnceLock<Keyed>; 3],
}

/// Each entry's Atom `<updated>` (`None` in other formats) and key, in one format.
#[derive(Debug)]
struct Keyed {
    updates: Vec<Option<DateTime<FixedOffset>>>,
    keys: Vec<Key>,
}

impl<'a> FeedParts<'a> {
    /// `feed` to be written once, without an index: nothing is hashed, and
    /// [`Written::index`] comes back empty.
    pub fn unindexed(feed: &'a Feed) -> FeedParts<'a> {
        FeedParts {
            digests: None,
            ..FeedParts::with_digests(feed, Vec::new(), vec![false; feed.entries.len()])
        }
    }

    /// Hashes every entry of `feed` (in parallel).
    pub fn new(feed: &'a Feed) -> FeedParts<'a> {
        let digests = feed.entries.par_iter().map(digest).collect();
        FeedParts::with_digests(feed, digests, vec![false; feed.entries.len()])
    }

    /// Takes the entries' digests from the caller, who vouches that `digests[i]` is the
    /// [`digest`] of entry `i` as it was read, whole.
    ///
    /// An entry may stand in `feed` hollow, without its summary and content, when its text
    /// is known to be in every earlier document it will be written with: `hollow` marks
    /// those entries, and writing one of them anew is refused ([`EmitError::Hollow`])
    /// rather than written wrong.
    ///
    /// # Panics
    /// When `digests` or `hollow` do not have one value per entry.
    pub fn with_digests(feed: &'a Feed, digests: Vec<Digest>, hollow: Vec<bool>) -> FeedParts<'a> {
        assert!(
            digests.len() == feed.entries.len() || digests.is_empty() && hollow.iter().all(|h| !h),
            "one digest per entry"
        );
        assert_eq!(hollow.len(), feed.entries.len(), "one flag per entry");
        FeedParts {
            feed,
            digests: Some(digests),
            hollow,
            filled: HashMap::new(),
            bases: OnceLock::new(),
            keyed: Default::default(),
        }
    }

    /// Whether entry `i` is hollow (see [`FeedParts::with_digests`]).
    pub fn is_hollow(&self, i: usize) -> bool {
        self.hollow.get(i).copied().unwrap_or(false)
    }

    /// Gives hollow entry `i` back whole (its summary and content loaded), so that it can
    /// be written anew. The keys stay as they are: they do not depend on summary and
    /// content but through the digest.
    pub fn fill(&mut self, i: usize, whole: Entry) {
        if let Some(hollow) = self.hollow.get_mut(i) {
            *hollow = false;
            self.filled.insert(i, whole);
        }
    }

    /// Each entry's key in `format`: what its text is written from (see [`Earlier::has`]).
    pub fn keys(&self, format: Format) -> &[Key] {
        &self.keyed(format).keys
    }

    /// The entries' Atom `<updated>` values (see [`atom::entry_updates`]; `None` in other
    /// formats) and keys in `format`, worked out once.
    fn keyed(&self, format: Format) -> &Keyed {
        let slot = Format::ALL.iter().position(|f| *f == format).unwrap_or(0);
        self.keyed[slot].get_or_init(|| {
            let updates: Vec<Option<DateTime<FixedOffset>>> = match format {
                Format::Atom => {
                    // The feed's `<updated>` does not depend on where it is published.
                    let feed_updated = atom::feed_shell(self.feed, None).updated;
                    (atom::entry_updates(&self.feed.entries, feed_updated).into_iter())
                        .map(Some)
                        .collect()
                }
                Format::Rss | Format::Json => vec![None; self.feed.entries.len()],
            };
            let Some(digests) = &self.digests else {
                let keys = vec![Key::default(); self.feed.entries.len()];
                return Keyed { updates, keys };
            };
            let bases = self.bases.get_or_init(|| {
                (self.feed.entries.par_iter())
                    .zip(digests)
                    .map(|(entry, d)| base(d, entry))
                    .collect()
            });
            let keys = (bases.par_iter())
                .zip(&updates)
                .map(|(base, updated)| key(format, base, *updated))
                .collect();
            Keyed { updates, keys }
        })
    }

    /// Writes the feed in `format` as published at `self_url`, taking unchanged entries'
    /// texts from `earlier`. The bytes equal those of [`super::write_single_pass`].
    pub fn write(
        &self,
        format: Format,
        self_url: Option<&Url>,
        earlier: Option<&Earlier>,
    ) -> Result<Written, EmitError> {
        let feed = self.feed;
        if feed.entries.is_empty() {
            let bytes = write_single_pass(feed, format, self_url)?;
            let mut document = Document::default();
            let len = bytes.len();
            document.push_bytes(bytes, 0..len);
            return Ok(Written {
                document,
                index: PartIndex::default(),
                reused: 0,
            });
        }
        let probe = probe(feed, format, self_url)?;
        let frame = bounds(format, &probe).ok_or(EmitError::Cut(format))?;
        let keyed = self.keyed(format);
        let indexed = self.digests.is_some();
        let earlier = earlier.filter(|_| indexed);
        let texts: Vec<(Key, Text)> = (feed.entries.par_iter().enumerate())
            .zip(&keyed.keys)
            .zip(&keyed.updates)
            .zip(&self.hollow)
            .map(|((((i, entry), key), updated), hollow)| {
                let key = *key;
                let entry = self.filled.get(&i).unwrap_or(entry);
                if let Some(range) = earlier.and_then(|e| e.get(&key)) {
                    return Ok((key, Text::Earlier(range)));
                }
                if *hollow {
                    return Err(EmitError::Hollow(entry.id.clone()));
                }
                let doc = entry_document(format, entry, *updated)?;
                let range = bounds(format, &doc).ok_or(EmitError::Cut(format))?;
                // Only the entry's own bytes are kept, in a buffer of their size.
                Ok((key, Text::New(doc[range].to_vec())))
            })
            .collect::<Result<_, EmitError>>()?;
        let separator: &'static [u8] = match format {
            Format::Json => b",",
            Format::Rss | Format::Atom => b"",
        };
        let mut document = Document::new(separator);
        document.push_bytes(probe[..frame.start].to_vec(), 0..frame.start);
        let mut parts = Vec::with_capacity(texts.len());
        let mut reused = 0;
        for (i, (key, text)) in texts.into_iter().enumerate() {
            if i > 0 {
                document.push_separator();
            }
            let start = document.len();
            match text {
                Text::Earlier(range) => {
                    reused += 1;
                    document.push_earlier(range);
                }
                Text::New(text) => {
                    let len = text.len();
                    document.push_bytes(text, 0..len);
                }
            }
            if indexed {
                parts.push(Part {
                    key,
                    start,
                    len: document.len() - start,
                });
            }
        }
        let tail = probe[frame.end..].len() + 1;
        let mut probe = probe;
        probe.drain(..frame.end);
        probe.push(b'\n');
        document.push_bytes(probe, 0..tail);
        Ok(Written {
            document,
            index: PartIndex { parts },
            reused,
        })
    }
}

/// The feed written with one placeholder entry: its head and tail frame every entry. The
/// placeholder keeps the frame free of anything a real entry could bring.
fn probe(feed: &Feed, format: Format, self_url: Option<&Url>) -> Result<Vec<u8>, EmitError> {
    let placeholder = Entry::default();
    match format {
        Format::Rss => rss::document(&::rss::Channel {
            items: vec![rss::item(&placeholder)],
            ..rss::channel_shell(feed, self_url)
        }),
        Format::Atom => {
            let shell = atom::feed_shell(feed, self_url);
            let updated = shell.updated;
            atom::document(&atom_syndication::Feed {
                entries: vec![atom::entry(&placeholder, updated)],
                ..shell
            })
        }
        Format::Json => json::document(&json::JsonFeed::with_items(
            feed,
            self_url,
            vec![json::JsonItem::new(&placeholder)],
        )),
    }
}

/// `entry` written alone in an otherwise empty document.
fn entry_document(
    format: Format,
    entry: &Entry,
    updated: Option<DateTime<FixedOffset>>,
) -> Result<Vec<u8>, EmitError> {
    // Room for the texts as written (HTML escaped once more in Atom, quotes in JSON), so
    // the buffer is not grown and copied on the way.
    let text = |t: &Option<String>| t.as_ref().map_or(0, String::len);
    let room =
        1024 + entry.title.len() * 2 + text(&entry.summary) * 2 + text(&entry.content_html) * 3 / 2;
    match format {
        Format::Rss => rss::item_document(rss::item(entry), room + text(&entry.content_html)),
        Format::Atom => {
            let updated = updated.unwrap_or_else(super::undated);
            atom::entry_document(atom::entry(entry, updated), room)
        }
        Format::Json => json::item_document(&json::JsonItem::new(entry), room),
    }
}

/// Where the one entry of a one-entry document lies, with the indentation before it (and
/// for JSON Feed without the comma that separates items). Everything before the entry is
/// feed-level text, escaped, so the first opening of an entry is the entry's; everything
/// after it is the document's end, so the last closing of the feed is the feed's.
fn bounds(format: Format, doc: &[u8]) -> Option<Range<usize>> {
    use memchr::memmem::{find, rfind};
    let (start, end) = match format {
        Format::Rss => (find(doc, b"\n    <item>")?, rfind(doc, b"\n  </channel>")?),
        Format::Atom => (find(doc, b"\n  <entry>")?, rfind(doc, b"\n</feed>")?),
        Format::Json => {
            let open = b"\"items\": [";
            (find(doc, open)? + open.len(), rfind(doc, b"\n  ]")?)
        }
    };
    (start <= end).then_some(start..end)
}

/// What every format's key of an entry is made from: the feedloom version, the entry's
/// content digest, its identity and its dates.
fn base(digest: &Digest, entry: &Entry) -> Digest {
    let mut h = blake3::Hasher::new();
    h.update(concat!("feedloom ", env!("CARGO_PKG_VERSION"), "\n").as_bytes());
    h.update(digest);
    entry.hash_identity(&mut h);
    *h.finalize().as_bytes()
}

/// What an entry's text in `format` is written from: its [`base`], the format, and its Atom
/// `<updated>`.
fn key(format: Format, base: &Digest, updated: Option<DateTime<FixedOffset>>) -> Key {
    let mut h = blake3::Hasher::new();
    h.update(base);
    h.update(format.name().as_bytes());
    hash_date(&mut h, updated);
    let hash = h.finalize();
    let mut key = [0; 16];
    key.copy_from_slice(&hash.as_bytes()[..16]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Origin, Person};

    fn at(s: &str) -> Option<DateTime<FixedOffset>> {
        Some(DateTime::parse_from_rfc3339(s).expect("test date"))
    }

    /// Entries that stress the cut: markup and the closing tags the cut looks for inside
    /// text and content, quotes, an undated entry, equal dates, an origin, no link.
    fn feed() -> Feed {
        let url = |s: &str| Url::parse(s).ok();
        let mut entries = vec![
            Entry {
                id: "https://example.com/a".into(),
                link: url("https://example.com/a"),
                title: "A <b>bold</b> \"title\" & \"items\": [ </channel>".into(),
                published: at("2021-03-05T00:00:00+08:00"),
                summary: Some("Summary\n  </channel>\n</feed>\n  ]".into()),
                content_html: Some(
                    "<p>x</p>\n  </channel>\n    <item>\n  <entry>\n</feed>\n  ]".into(),
                ),
                authors: vec![Person::named("张三"), Person::named("李四")],
                categories: vec![Category::term("铜"), Category::term("铝")],
                ..Entry::default()
            },
            Entry {
                id: "tag:example.com,2000:b".into(),
                title: "B".into(),
                published: at("2021-03-05T00:00:00+08:00"),
                origin: Some(Origin {
                    title: "Elsewhere".into(),
                    feed_url: url("https://elsewhere.example/feed.xml"),
                    home_page_url: None,
                }),
                ..Entry::default()
            },
            Entry {
                id: "tag:example.com,2000:c".into(),
                title: "".into(),
                ..Entry::default()
            },
        ];
        entries.push(Entry {
            id: "https://example.com/d".into(),
            link: url("https://example.com/d"),
            title: "D".into(),
            updated: at("2020-01-01T00:00:00Z"),
            content_html: Some("<p>&amp; ]]&gt; done</p>".into()),
            ..Entry::default()
        });
        Feed {
            title: "Feed & <co>".into(),
            home_page_url: url("https://example.com/"),
            feed_url: url("https://example.com/feed.xml"),
            description: Some("About \"items\": [ things".into()),
            language: Some("zh-CN".into()),
            entries,
            ..Feed::default()
        }
    }

    /// The document's bytes, copying earlier pieces from `earlier`.
    fn bytes(written: &Written, earlier: Option<&Earlier>) -> Vec<u8> {
        written.document.to_bytes(earlier).expect("document")
    }

    /// `bytes` in a file, opened as an earlier document with `index`.
    fn earlier(dir: &tempfile::TempDir, bytes: &[u8], index: &PartIndex) -> Earlier {
        let path = dir.path().join("earlier");
        std::fs::write(&path, bytes).expect("write earlier");
        Earlier::new(File::open(&path).expect("open"), bytes.len() as u64, index)
    }

    #[test]
    fn parts_join_to_the_single_pass_document() {
        let mut feed = feed();
        for n in 0..=feed.entries.len() {
            let mut some = feed.clone();
            some.entries.truncate(n);
            for format in Format::ALL {
                let url = some.feed_url.clone();
                let whole = write_single_pass(&some, format, url.as_ref()).expect("single pass");
                let parts = FeedParts::new(&some)
                    .write(format, url.as_ref(), None)
                    .expect("parts");
                assert_eq!(
                    String::from_utf8_lossy(&bytes(&parts, None)),
                    String::from_utf8_lossy(&whole),
                    "{format} with {n} entries"
                );
                assert_eq!(parts.document.len(), whole.len() as u64);
                assert_eq!(parts.index.len(), n, "{format} with {n} entries");
            }
        }
        feed.feed_url = None;
        for format in Format::ALL {
            let whole = write_single_pass(&feed, format, None).expect("single pass");
            let parts = FeedParts::new(&feed)
                .write(format, None, None)
                .expect("parts");
            assert_eq!(bytes(&parts, None), whole, "{format} without a feed URL");
        }
    }

    #[test]
    fn unchanged_entries_are_copied_and_changed_ones_written_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let feed = feed();
        for format in Format::ALL {
            let first = FeedParts::new(&feed)
                .write(format, None, None)
                .expect("first");
            let first_bytes = bytes(&first, None);
            let stored = PartIndex::from_bytes(&first.index.to_bytes()).expect("index");
            assert_eq!(stored, first.index);
            let earlier = earlier(&dir, &first_bytes, &stored);
            let again = (FeedParts::new(&feed))
                .write(format, None, Some(&earlier))
                .expect("again");
            assert_eq!(bytes(&again, Some(&earlier)), first_bytes, "{format}");
            assert_eq!(again.reused, feed.entries.len(), "{format}");
            // Unchanged runs of entries are copied in one piece.
            let copies = (again.document.pieces.iter())
                .filter(|p| matches!(p, Piece::Earlier(_)))
                .count();
            assert_eq!(copies, 1, "{format}");

            let mut changed = feed.clone();
            changed.entries[1].title = "B, retitled".into();
            let next = (FeedParts::new(&changed))
                .write(format, None, Some(&earlier))
                .expect("changed");
            let whole = write_single_pass(&changed, format, None).expect("single pass");
            assert_eq!(bytes(&next, Some(&earlier)), whole, "{format}");
            assert_eq!(next.reused, feed.entries.len() - 1, "{format}");
        }
    }

    #[test]
    fn a_feed_written_without_an_index_gives_the_same_bytes() {
        let feed = feed();
        for format in Format::ALL {
            let plain = FeedParts::unindexed(&feed)
                .write(format, None, None)
                .expect("write");
            let whole = write_single_pass(&feed, format, None).expect("single pass");
            assert_eq!(bytes(&plain, None), whole, "{format}");
            assert!(plain.index.is_empty());
        }
    }

    #[test]
    fn hollow_entries_are_copied_or_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let feed = feed();
        let digests: Vec<Digest> = feed.entries.iter().map(digest).collect();
        let mut hollowed = feed.clone();
        hollowed.entries[0].content_html = None;
        hollowed.entries[0].summary = None;
        let mut flags = vec![false; feed.entries.len()];
        flags[0] = true;
        let first = FeedParts::new(&feed)
            .write(Format::Atom, None, None)
            .expect("first");
        let first_bytes = bytes(&first, None);
        let earlier = earlier(&dir, &first_bytes, &first.index);
        let parts = FeedParts::with_digests(&hollowed, digests.clone(), flags.clone());
        let again = (parts.write(Format::Atom, None, Some(&earlier))).expect("copied");
        assert_eq!(bytes(&again, Some(&earlier)), first_bytes);
        let refused = parts.write(Format::Atom, None, None);
        assert!(matches!(refused, Err(EmitError::Hollow(id)) if id == feed.entries[0].id));
    }

    #[test]
    fn an_index_that_does_not_fit_the_document_reuses_nothing_wrong() {
        let dir = tempfile::tempdir().expect("temp dir");
        let feed = feed();
        let first = FeedParts::new(&feed)
            .write(Format::Rss, None, None)
            .expect("first");
        let first_bytes = bytes(&first, None);
        let truncated = &first_bytes[..first_bytes.len() / 2];
        let earlier = earlier(&dir, truncated, &first.index);
        let again = (FeedParts::new(&feed))
            .write(Format::Rss, None, Some(&earlier))
            .expect("again");
        assert_eq!(bytes(&again, Some(&earlier)), first_bytes);
        assert!(again.reused < feed.entries.len());
        assert_eq!(PartIndex::from_bytes(&[0; 31]), None);
    }
}
