//! Write the generated 10,000-item feeds of the throughput example to files
//! (for comparing with other validators): `write_feeds DIR`.

mod feeds;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::write(format!("{dir}/rss20-10k.xml"), feeds::rss(10_000))?;
    std::fs::write(format!("{dir}/atom-10k.xml"), feeds::atom(10_000))?;
    Ok(())
}
