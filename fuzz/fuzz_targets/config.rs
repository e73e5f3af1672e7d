//! Feed definitions: `config::parse` on any text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = feedloom::config::parse(text, Path::new("feeds/fuzz.toml"), Path::new("/fuzz-root"));
});
