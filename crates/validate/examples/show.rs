//! Print the problems found in each file given, one per line
//! (`FILE:LINE:COLUMN: level: message [Class]`).

fn main() {
    let mut status = 0;
    for f in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&f) else {
            eprintln!("cannot read {f}");
            status = 2;
            continue;
        };
        let r = feedloom_validate::validate(&bytes, &Default::default());
        for p in &r.problems {
            println!(
                "{f}:{}:{}: {:?}: {} [{}]",
                p.line, p.column, p.level, p.message, p.class
            );
        }
        println!(
            "{f}: {}, {} errors, {} warnings",
            r.format.name(),
            r.errors().count(),
            r.warnings().count()
        );
    }
    std::process::exit(status);
}
