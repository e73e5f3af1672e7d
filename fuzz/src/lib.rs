//! What the fuzz targets share: reading an article of one kind through the library's public
//! entry points and writing it in every format, so that the emitters are fuzzed with whatever
//! the readers let through.

use std::path::Path;

use feedloom::emit::{self, Format};
use feedloom::mapper::{self, ArticleKey, MapOptions};
use feedloom::model::Feed;
use feedloom::source::{self, ReadOptions, SourceKind};

/// Reads `data` as an article of `kind`, maps it to an entry and writes a one-entry feed in
/// RSS, Atom and JSON Feed. Errors are fine (the input may be no article at all); panics,
/// aborts, hangs and runaway memory are what the fuzzer looks for.
pub fn article(data: &[u8], kind: SourceKind, name: &str) {
    let path = Path::new("fuzz").join(name);
    let Ok(article) = source::read_bytes(&path, data, Some(kind), &ReadOptions::default()) else {
        return;
    };
    let key = ArticleKey::new(Path::new("fuzz"), &path);
    let (entry, _) = mapper::map(&article, &key, &MapOptions::default());
    let feed = Feed {
        title: "fuzz".into(),
        entries: vec![entry],
        ..Feed::default()
    };
    write_all(&feed);
}

/// Writes `feed` in every format; the writers must never fail on a feed the library made.
pub fn write_all(feed: &Feed) {
    for format in Format::ALL {
        if let Err(e) = emit::write(feed, format) {
            panic!("writing {format} failed: {e}");
        }
    }
}
