//! Per-source CSS selectors that override the HTML reader's detection.

use std::fmt;
use std::str::FromStr;

/// CSS selectors for one source's pages, from the `[source.selectors]` table of a feed
/// definition. Each one given replaces the reader's own detection of that part.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HtmlSelectors {
    /// The element holding the article body (its inner HTML becomes the content).
    pub content: Option<CssSelector>,
    /// The element whose text is the title.
    pub title: Option<CssSelector>,
    /// The element holding the publication date: its `datetime` or `content` attribute, else
    /// its text (read by the meta-line rules).
    pub date: Option<CssSelector>,
    /// The elements naming the authors, one each (a leading `By ` or `作者：` is dropped);
    /// they replace the authors the page's meta tags give.
    pub author: Option<CssSelector>,
    /// Elements to drop from the content (share bars, related links, ads…).
    pub remove: Vec<CssSelector>,
}

/// A CSS selector checked when the configuration is read.
#[derive(Clone)]
pub struct CssSelector {
    text: String,
    selector: scraper::Selector,
}

impl CssSelector {
    /// Parses a selector; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, BadSelector> {
        let selector = scraper::Selector::parse(text).map_err(|e| BadSelector {
            text: text.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(CssSelector {
            text: text.to_string(),
            selector,
        })
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub(super) fn selector(&self) -> &scraper::Selector {
        &self.selector
    }
}

/// A CSS selector that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CSS selector `{text}`: {reason}")]
pub struct BadSelector {
    /// The selector as written.
    pub text: String,
    /// What the selector parser said.
    pub reason: String,
}

impl FromStr for CssSelector {
    type Err = BadSelector;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CssSelector::parse(s)
    }
}

impl PartialEq for CssSelector {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for CssSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CssSelector({:?})", self.text)
    }
}

impl<'de> serde::Deserialize<'de> for CssSelector {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CssSelector::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_from_toml_and_refuses_unknown_keys_and_bad_selectors() {
        let s: HtmlSelectors = toml::from_str("content = 'div#main'\nremove = ['.share']").unwrap();
        assert_eq!(s.content.unwrap().as_str(), "div#main");
        assert_eq!(s.remove.len(), 1);
        let err = toml::from_str::<HtmlSelectors>("contnet = 'x'").unwrap_err();
        assert!(err.to_string().contains("contnet"), "{err}");
        let err = toml::from_str::<HtmlSelectors>("title = 'h1[['").unwrap_err();
        assert!(err.to_string().contains("invalid CSS selector"), "{err}");
    }
}
