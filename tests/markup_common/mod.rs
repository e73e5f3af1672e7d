//! Checks shared by the Markdown and HTML reader tests.

/// Asserts that `body` (the article HTML read from `file`) holds every string of `has` and
/// none of `lacks`, showing the body when it does not.
pub fn assert_body(file: &str, body: &str, has: &[&str], lacks: &[&str]) {
    for want in has {
        assert!(body.contains(want), "{file}: body lacks {want:?}:\n{body}");
    }
    for unwanted in lacks {
        assert!(
            !body.contains(unwanted),
            "{file}: body has {unwanted:?}:\n{body}"
        );
    }
}
