//! Enumerated values and the message class reported for others.

use crate::classes::{C, ids::*};

/// Enumerations with their message class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum En {
    /// ISO 3166 country codes.
    Country,
    /// ISO 4217 currency codes.
    Currency,
    /// `access:restriction` relationship.
    Access,
    /// `xhtml:meta` name.
    MetaName,
    /// `xhtml:meta` robots content.
    Robots,
    /// `g:gender`.
    Gender,
    /// `g:marital_status`.
    Marital,
    /// `g:payment_accepted`.
    Payment,
    /// `g:price_type`.
    PriceType,
    /// `g:rating`.
    Rating,
    /// `g:reviewer_type`.
    Reviewer,
    /// `g:salary_type`.
    Salary,
    /// `g:service`.
    Service,
    /// `sx:related` type.
    SseType,
    /// `itunes:type`.
    ChannelType,
    /// `itunes:episodeType`.
    EpisodeType,
    /// OpenSearch query role.
    QueryRole,
}

impl En {
    /// Allowed values, message class, and whether case is ignored.
    pub fn spec(self) -> (&'static [&'static str], C, bool) {
        match self {
            En::Country => (super::misc::ISO3166, InvalidCountryCode, false),
            En::Currency => (super::misc::ISO4217, InvalidCurrencyUnit, false),
            En::Access => (&["allow", "deny"], InvalidAccessRestrictionRel, false),
            En::MetaName => (&["robots"], InvalidMetaName, true),
            En::Robots => (
                &[
                    "all",
                    "none",
                    "index",
                    "index,follow",
                    "index,nofollow",
                    "noindex",
                    "noindex,follow",
                    "noindex,nofollow",
                    "follow",
                    "follow,index",
                    "follow,noindex",
                    "nofollow",
                    "nofollow,index",
                    "nofollow,noindex",
                ],
                InvalidMetaContent,
                true,
            ),
            En::Gender => (&["Male", "M", "Female", "F"], InvalidGender, false),
            En::Marital => (
                &[
                    "single",
                    "divorced",
                    "separated",
                    "widowed",
                    "married",
                    "in relationship",
                ],
                InvalidMaritalStatus,
                false,
            ),
            En::Payment => (
                &[
                    "Cash",
                    "Check",
                    "Visa",
                    "MasterCard",
                    "AmericanExpress",
                    "Discover",
                    "WireTransfer",
                ],
                InvalidPaymentMethod,
                false,
            ),
            En::PriceType => (&["negotiable", "starting"], InvalidPriceType, false),
            En::Rating => (&["1", "2", "3", "4", "5"], InvalidRatingType, false),
            En::Reviewer => (&["editorial", "user"], InvalidReviewerType, false),
            En::Salary => (&["starting", "negotiable"], InvalidSalaryType, false),
            En::Service => (
                &[
                    "FedEx",
                    "UPS",
                    "DHL",
                    "Mail",
                    "Other",
                    "Overnight",
                    "Standard",
                ],
                InvalidServiceType,
                false,
            ),
            En::SseType => (&["complete", "aggregated"], InvalidSseType, false),
            En::ChannelType => (&["episodic", "serial"], InvalidItunesChannelType, false),
            En::EpisodeType => (
                &["full", "trailer", "bonus"],
                InvalidItunesEpisodeType,
                false,
            ),
            En::QueryRole => (
                &[
                    "request",
                    "example",
                    "related",
                    "correction",
                    "subset",
                    "superset",
                ],
                InvalidLocalRole,
                false,
            ),
        }
    }
}
