//! OPML subscription lists: `merge::opml::read`, and what it reads written and read again.
#![no_main]

use feedloom::merge::opml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(feeds) = opml::read(data) else {
        return;
    };
    let written = opml::write("fuzz", &feeds);
    if let Err(e) = opml::read(written.as_bytes()) {
        panic!("OPML written from {feeds:?} cannot be read back: {e}");
    }
});
