//! Validate each file given once and print the problem count (for profiling).

fn main() {
    for f in std::env::args().skip(1) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        let r = feedloom_validate::validate(&bytes, &Default::default());
        println!("{f}: {} problems", r.problems.len());
    }
}
