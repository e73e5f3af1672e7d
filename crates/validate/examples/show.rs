fn main() {
    for f in std::env::args().skip(1) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        let opts = feedloom_validate::Options::default().with_encoding("US-ASCII").with_base("http://www.feedvalidator.org/testcases/x.xml");
        for p in feedloom_validate::validate(&bytes, &opts).problems {
            println!("{}:{} {} el={} parent={} {}", p.line, p.column, p.class, p.element, p.parent, p.message);
        }
    }
}
