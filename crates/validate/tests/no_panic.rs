//! Truncations and byte noise of several test cases must never panic.

use feedloom_validate::{Options, validate};

fn cases() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let picks = [
        "rss20/element-channel-item/multiple_item_comments.xml",
        "atom/must/entry_author_email.xml",
        "rss/must/admin_errorReportsTo.xml",
        "ext/media/example1.xml",
        "ext/itunes/abbreviated_duration.xml",
    ];
    let mut out: Vec<Vec<u8>> = picks
        .iter()
        .filter_map(|p| std::fs::read(dir.join(p)).ok())
        .collect();
    for folder in [
        "atom/must",
        "rss/must",
        "rss20/element-channel-item",
        "ext/media",
    ] {
        if let Ok(rd) = std::fs::read_dir(dir.join(folder)) {
            out.extend(
                rd.flatten()
                    .take(6)
                    .filter_map(|e| std::fs::read(e.path()).ok()),
            );
        }
    }
    out.push(br#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_html":"<p>x</p>"}]}"#.to_vec());
    out
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn truncations_and_noise_do_not_panic() {
    let cases = cases();
    assert!(cases.len() >= 5, "test cases not found");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let opts = Options::default();
    for doc in &cases {
        let step = (doc.len() / 60).max(1);
        for cut in (0..doc.len()).step_by(step) {
            let _ = validate(&doc[..cut], &opts);
        }
        for _ in 0..60 {
            let mut d = doc.clone();
            for _ in 0..1 + rng.next() % 8 {
                if d.is_empty() {
                    break;
                }
                let i = (rng.next() % d.len() as u64) as usize;
                match rng.next() % 4 {
                    0 => d[i] = (rng.next() & 0xff) as u8,
                    1 => d.insert(i, b"<&>\"'\xff\x00]"[(rng.next() % 8) as usize]),
                    2 => {
                        d.remove(i);
                    }
                    _ => d.truncate(i),
                }
            }
            let _ = validate(&d, &opts);
            let _ = validate(&d, &opts.clone().with_notices(true));
        }
    }
}
