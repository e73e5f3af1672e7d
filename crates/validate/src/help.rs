//! One line of advice per message class.

/// What to do about a problem of class `class`.
pub fn help(class: &str) -> &'static str {
    match class {
        "SAXError" | "UndefinedNamedEntity" | "WPBlankLine" => {
            "Fix the XML so that it is well-formed: close every tag, escape & and <, and use only the five predefined entities (or numeric references)."
        }
        "UnicodeError" => {
            "Save the file in the encoding its XML declaration names (UTF-8 is best), or change the declaration to match the bytes."
        }
        "ObscureEncoding" | "UnknownEncoding" | "NotUTF8" => {
            "Encode the feed as UTF-8 and declare encoding=\"UTF-8\"."
        }
        "MissingNamespace" | "NotInANamespace" | "UndeterminableVocabulary" => {
            "Declare the namespace of the element (xmlns:prefix=\"...\") or remove the element."
        }
        "UndefinedElement" | "NoBlink" | "NoThrWhen" => {
            "Remove the element, or move it to where the format defines it (check its spelling and namespace)."
        }
        "MissingElement"
        | "MissingDescription"
        | "MissingLink"
        | "MissingTitle"
        | "MissingSourceElement" => "Add the missing element named in the message.",
        "ItemMustContainTitleOrDescription" => "Give every item a title or a description.",
        "MissingAttribute" | "MissingHref" | "MissingTypeAttr" => {
            "Add the missing attribute named in the message."
        }
        "UnexpectedAttribute" | "UseOfExtensionAttr" => {
            "Remove the attribute, or put it in an extension namespace."
        }
        "DuplicateElement" | "TooMany" | "DuplicateEnclosure" => "Keep only one of these elements.",
        "InvalidRFC2822Date" | "IncorrectDOW" | "ProblematicalRFC822Date" => {
            "Write RSS dates in RFC 822 form, e.g. \"Mon, 06 Jul 2020 09:52:00 GMT\", with the right day of the week."
        }
        "InvalidRFC3339Date"
        | "InvalidW3CDTFDate"
        | "InvalidISO8601Date"
        | "InvalidISO8601DateTime" => {
            "Write dates as RFC 3339 / W3C-DTF, e.g. \"2020-07-06T09:52:00Z\" (with a time zone)."
        }
        "ImplausibleDate" => "Check the date: it is before 1990 or in the future.",
        "InvalidLink"
        | "InvalidIRI"
        | "InvalidFullLink"
        | "InvalidURIAttribute"
        | "InvalidURLAttribute"
        | "UriNotIri"
        | "InvalidURI" => {
            "Use a full, valid URL (scheme and host, e.g. https://example.com/page), percent-encoding spaces and other special characters."
        }
        "InvalidUriChar" => "Percent-encode the character (e.g. a space as %20) in the URL.",
        "InvalidHttpGUID" | "InvalidPermalink" => {
            "Make the guid a full URL, or add isPermaLink=\"false\"."
        }
        "InvalidTAG" | "InvalidURN" | "InvalidUUID" | "InvalidNSS" => {
            "Write the identifier in the syntax of its scheme (tag:, urn:, urn:uuid:)."
        }
        "NonCanonicalURI" => {
            "Write the identifier in canonical form (lower-case scheme and host, no default port, normalised path)."
        }
        "ContainsRelRef" | "RelativeSelf" => {
            "Use absolute URLs (or set xml:base), since readers resolve relative links differently."
        }
        "InvalidContact" | "InvalidAddrSpec" | "UnknownHost" | "EmailFormat"
        | "MissingRealName" => "Write an e-mail address like \"me@example.com (My Name)\".",
        "InvalidLanguage" => "Use an ISO 639 language code such as \"en\" or \"en-us\".",
        "InvalidMIMEType" | "InvalidMIMEAttribute" | "InvalidTextType" => {
            "Use a valid MIME type such as \"text/html\" or \"audio/mpeg\" (or text, html, xhtml for Atom text)."
        }
        "InvalidInteger"
        | "InvalidNonNegativeInteger"
        | "InvalidPositiveInteger"
        | "InvalidIntegerAttribute"
        | "UseZeroForUnknown"
        | "IntegerOverflow" => "Use a whole number in the allowed range.",
        "DuplicateValue" | "DuplicateEntries" | "DuplicateIds" | "DuplicateUpdated" => {
            "Give every item or entry its own identifier (and time stamp)."
        }
        "SecurityRisk" | "SecurityRiskAttr" | "DangerousStyleAttr" => {
            "Remove scripts, event handlers, embedded objects and unsafe styles from the HTML; readers strip them."
        }
        "NotHtml" | "HtmlFragment" => {
            "Fix the HTML: close every element and escape & as &amp; in the escaped markup."
        }
        "ContainsHTML" | "ContainsUndeclaredHTML" | "CharacterData" | "NotInline" => {
            "Put HTML only where it is allowed (e.g. description, or type=\"html\"), or escape it as text."
        }
        "ContainsEmail" => "Remove the e-mail address from the name.",
        "MissingAtomSelfLink" => {
            "Add <atom:link rel=\"self\" href=\"URL of this feed\" type=\"application/rss+xml\"/> to the channel."
        }
        "MissingSelf" => {
            "Add <link rel=\"self\" href=\"URL of this feed\" type=\"application/atom+xml\"/> to the feed."
        }
        "SelfDoesntMatchLocation" => "Make the rel=\"self\" link the URL the feed is published at.",
        "MissingGuid" => "Give every item a guid that never changes.",
        "NotBlank" | "AttrNotBlank" => {
            "Fill in the value or remove the empty element or attribute."
        }
        "BadCharacters" => {
            "Replace control characters and doubly encoded UTF-8 with the intended characters."
        }
        "UnknownNamespace"
        | "ReservedPrefix"
        | "AvoidNamespacePrefix"
        | "MediaRssNamespace"
        | "ObsoleteNamespace"
        | "InvalidNamespace" => {
            "Use the namespace URI the extension's specification defines, with its usual prefix."
        }
        "UnexpectedText" | "UnexpectedWhitespace" | "AtomLinkNotEmpty" => {
            "Remove the stray text from this element."
        }
        "MisplacedMetadata" | "MisplacedItem" | "NeedDescriptionBeforeContent" => {
            "Move the element before the items or entries, as the format orders them."
        }
        "InvalidRSSVersion" | "InvalidDoctype" => {
            "Use version=\"2.0\" (or the version the DOCTYPE names)."
        }
        "DuplicateSemantics" | "DuplicateItemSemantics" | "DuplicateDescriptionSemantics" => {
            "Use only one of the two elements that mean the same thing."
        }
        "MissingSummary" | "MissingTextualContent" | "MissingContentOrAlternate" => {
            "Give the entry a summary or content, and an alternate link."
        }
        "DuplicateAtomLink" => "Keep one alternate link per type and language.",
        "MissingXhtmlDiv" => {
            "Wrap XHTML content in a single <div xmlns=\"http://www.w3.org/1999/xhtml\">."
        }
        "QuestionableUsage" => {
            "Check the extension's specification: this element is not documented here."
        }
        _ => "See the W3C Feed Validation Service documentation for this message.",
    }
}
