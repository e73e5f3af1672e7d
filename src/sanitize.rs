//! Cleaning HTML before it reaches a feed reader: ammonia's allow-list, with relative links
//! and image sources made absolute against the entry's URL.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use url::Url;

thread_local! {
    /// The base URL of the [`clean_html`] call running on this thread.
    static BASE: RefCell<Option<Url>> = const { RefCell::new(None) };
}

/// Sanitises `html` for republishing: no scripts, styles, event handlers, iframes, forms or
/// `javascript:` URLs; links get `rel="noopener noreferrer"`. Relative URLs are resolved
/// against `base`; without a base they are left as they are.
pub fn clean_html(html: &str, base: Option<&Url>) -> String {
    // One builder serves every call (making one builds its allow-lists); the base URL it
    // resolves against is this call's, set for this thread.
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let builder = BUILDER.get_or_init(|| {
        let mut b = base_builder();
        b.url_relative(ammonia::UrlRelative::Custom(Box::new(resolve_relative)));
        b
    });
    BASE.with(|b| *b.borrow_mut() = base.cloned());
    let clean = builder.clean(html).to_string();
    BASE.with(|b| *b.borrow_mut() = None);
    clean
}

/// Resolves a relative URL against this thread's base (see [`clean_html`]).
fn resolve_relative(url: &str) -> Option<Cow<'_, str>> {
    BASE.with(|base| match &*base.borrow() {
        Some(base) => base.join(url).ok().map(|u| Cow::Owned(u.into())),
        None => Some(Cow::Borrowed(url)),
    })
}

fn base_builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "figure",
        "figcaption",
        "picture",
        "source",
        "video",
        "audio",
    ])
    .add_tag_attributes("img", ["src", "srcset", "alt", "title", "width", "height"])
    .add_tag_attributes("source", ["src", "srcset", "type", "media"])
    .add_tag_attributes("video", ["src", "poster", "controls"])
    .add_tag_attributes("audio", ["src", "controls"])
    .add_tag_attributes("td", ["colspan", "rowspan", "align"])
    .add_tag_attributes("th", ["colspan", "rowspan", "align"])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_tags(["input"])
    .url_schemes(["http", "https", "mailto"].into_iter().collect())
    .link_rel(Some("noopener noreferrer"));
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_javascript_urls() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">a</a><iframe src="https://e.com"></iframe></p>"#;
        let clean = clean_html(dirty, None);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(!clean.contains("iframe"), "{clean}");
        assert!(clean.contains("<p>Hi"), "{clean}");
    }

    #[test]
    fn makes_relative_links_absolute() {
        let base = Url::parse("https://example.com/news/a.html").unwrap();
        let clean = clean_html(
            r#"<a href="../b.html">b</a><img src="img/1.png">"#,
            Some(&base),
        );
        assert!(
            clean.contains(r#"href="https://example.com/b.html""#),
            "{clean}"
        );
        assert!(
            clean.contains(r#"src="https://example.com/news/img/1.png""#),
            "{clean}"
        );
    }
}
