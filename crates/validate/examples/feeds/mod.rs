//! Generators of realistic large feeds, shared by the example and the bench.

/// An RSS 2.0 feed with `n` items.
pub fn rss(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 450 + 1024);
    s.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" ",
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n",
        "<channel>\n<title>Example feed</title>\n<link>https://example.com/</link>\n",
        "<description>Generated feed for throughput measurements</description>\n<language>en</language>\n",
        "<atom:link href=\"https://example.com/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n"
    ));
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for i in 0..n {
        let day = i % 28 + 1;
        let dow = DAYS[(6 + day - 1) % 7];
        s.push_str(&format!(
            concat!(
                "<item>\n<title>Post number {i}</title>\n<link>https://example.com/posts/{i}</link>\n",
                "<guid isPermaLink=\"true\">https://example.com/posts/{i}</guid>\n",
                "<pubDate>{dow}, {day:02} Feb 2015 09:52:00 +0000</pubDate>\n",
                "<description>&lt;p&gt;Summary of post {i} with a &lt;a href=\"https://example.com/x?a=1&amp;amp;b=2\"&gt;link&lt;/a&gt;.&lt;/p&gt;</description>\n",
                "<category>news</category><category>tech</category>\n<dc:creator>Jane Doe</dc:creator>\n",
                "<content:encoded><![CDATA[<p>Body of post {i}, with <em>emphasis</em> and an image:</p><p><img src=\"https://example.com/i/{i}.png\" alt=\"\"></p>]]></content:encoded>\n",
                "</item>\n"
            ),
            i = i,
            day = day,
            dow = dow
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    s.into_bytes()
}

/// An Atom 1.0 feed with `n` entries.
pub fn atom(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 500 + 1024);
    s.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n",
        "<title>Example feed</title>\n<id>https://example.com/</id>\n<updated>2015-02-28T09:52:00Z</updated>\n",
        "<link rel=\"self\" href=\"https://example.com/feed.atom\"/>\n<link href=\"https://example.com/\"/>\n",
        "<author><name>Jane Doe</name></author>\n"
    ));
    for i in 0..n {
        let day = i / 86_400 % 28 + 1;
        s.push_str(&format!(
            concat!(
                "<entry>\n<title>Post number {i}</title>\n<link href=\"https://example.com/posts/{i}\"/>\n",
                "<id>https://example.com/posts/{i}</id>\n<updated>2015-02-{day:02}T{hh:02}:{mm:02}:{ss:02}Z</updated>\n",
                "<category term=\"news\"/><category term=\"tech\"/>\n",
                "<summary type=\"html\">&lt;p&gt;Summary of post {i} with a &lt;a href=\"https://example.com/x\"&gt;link&lt;/a&gt;.&lt;/p&gt;</summary>\n",
                "<content type=\"html\">&lt;p&gt;Body of post {i}, with &lt;em&gt;emphasis&lt;/em&gt;.&lt;/p&gt;</content>\n",
                "</entry>\n"
            ),
            i = i,
            day = day,
            hh = i / 3600 % 24,
            mm = i / 60 % 60,
            ss = i % 60
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}
