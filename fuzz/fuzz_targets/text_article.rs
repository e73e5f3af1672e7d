//! A news page saved as text: `source::read_bytes` (text), `mapper::map`, every emitter.
#![no_main]

use feedloom::source::SourceKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    feedloom_fuzz::article(data, SourceKind::Text, "article.txt");
});
