fn main() {
    let p = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let url = url::Url::parse("http://127.0.0.1/x.xml").unwrap();
    println!("{:#?}", feedloom::merge::parse_feed(&bytes, None, &url));
    let r = feed_rs::parser::parse(&bytes[..]);
    println!("raw feed-rs: {:?}", r.map(|f| f.entries.len()));
}
