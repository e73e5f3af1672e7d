//! Markdown with front matter: `source::read_bytes` (Markdown), `mapper::map`, every emitter.
#![no_main]

use feedloom::source::SourceKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    feedloom_fuzz::article(data, SourceKind::Markdown, "article.md");
});
