//! An external feed in any format (RSS 0.9x/1.0/2.0, Atom, JSON Feed, broken XML):
//! `merge::parse_feed`, then the entries written in every format.
#![no_main]

use std::sync::LazyLock;

use feedloom::model::Feed;
use libfuzzer_sys::fuzz_target;
use url::Url;

static URL: LazyLock<Url> =
    LazyLock::new(|| Url::parse("https://fuzz.example/feed.xml").expect("static URL"));

fuzz_target!(|data: &[u8]| {
    let Ok(mut parsed) = feedloom::merge::parse_feed(data, None, &URL) else {
        return;
    };
    feedloom::merge::scope_ids(&mut parsed, &URL);
    let feed = Feed {
        title: parsed.title,
        home_page_url: parsed.home_page_url,
        entries: parsed.entries,
        ..Feed::default()
    };
    feedloom_fuzz::write_all(&feed);
});
