//! Word lists of `HTMLValidator`: HTML, SVG and MathML elements and
//! attributes, and the CSS properties and keywords considered safe.

/// Every HTML tag name the validator knows.
#[rustfmt::skip]
pub const HTMLTAGS: &[&str] = &[
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b",
    "base", "basefont", "bdi", "bdo", "big", "blockquote", "body", "br", "button", "canvas",
    "caption", "center", "cite", "code", "col", "colgroup", "command", "data", "datagrid",
    "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
    "eventsource", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html",
    "i", "iframe", "img", "input", "ins", "isindex", "kbd", "label", "legend", "li", "link",
    "m", "main", "mark", "map", "menu", "meta", "meter", "nav", "noframes", "noscript",
    "object", "ol", "optgroup", "option", "output", "p", "param", "picture", "pre", "progress",
    "q", "rp", "rt", "ruby", "s", "samp", "script", "section", "select", "slot", "small",
    "source", "span", "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody",
    "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt",
    "u", "ul", "var", "xmp", "plaintext", "embed", "comment", "listing", "video", "wbr",
];

/// Elements considered safe.
#[rustfmt::skip]
pub const ACCEPTABLE: &[&str] = &[
    "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "big",
    "blockquote", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
    "colgroup", "command", "data", "datagrid", "datalist", "dd", "del", "details", "dfn",
    "dialog", "dir", "div", "dl", "dt", "em", "eventsource", "fieldset", "figcaption", "figure",
    "footer", "font", "form", "header", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "i",
    "img", "input", "ins", "keygen", "kbd", "label", "legend", "li", "m", "main", "map", "mark",
    "menu", "meter", "multicol", "nav", "nextid", "ol", "output", "optgroup", "option", "p",
    "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select",
    "small", "sound", "source", "spacer", "span", "strike", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "template", "textarea", "time", "tfoot", "th", "thead", "tr",
    "track", "tt", "u", "ul", "var", "video", "noscript", "wbr",
];

/// MathML elements allowed in XHTML content.
#[rustfmt::skip]
pub const MATHML_ELEMENTS: &[&str] = &[
    "annotation", "annotation-xml", "maction", "math", "merror", "mfrac", "mi", "mmultiscripts",
    "mn", "mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "mspace",
    "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder",
    "munderover", "none", "semantics",
];

/// MathML attributes allowed in XHTML content.
#[rustfmt::skip]
pub const MATHML_ATTRS: &[&str] = &[
    "actiontype", "align", "columnalign", "columnlines", "columnspacing", "columnspan", "depth",
    "display", "displaystyle", "encoding", "equalcolumns", "equalrows", "fence", "fontstyle",
    "fontweight", "frame", "height", "linethickness", "lspace", "mathbackground", "mathcolor",
    "mathvariant", "maxsize", "minsize", "other", "rowalign", "rowlines", "rowspacing",
    "rowspan", "rspace", "scriptlevel", "selection", "separator", "stretchy", "width",
    "xlink:href", "xlink:show", "xlink:type", "xmlns", "xmlns:xlink",
];

/// SVG Tiny elements allowed in XHTML content.
#[rustfmt::skip]
pub const SVG_ELEMENTS: &[&str] = &[
    "a", "animate", "animateColor", "animateMotion", "animateTransform", "circle", "defs",
    "desc", "ellipse", "font-face", "font-face-name", "font-face-src", "g", "glyph", "hkern",
    "linearGradient", "line", "marker", "metadata", "missing-glyph", "mpath", "path", "polygon",
    "polyline", "radialGradient", "rect", "set", "stop", "svg", "switch", "text", "title",
    "tspan", "use",
];

/// SVG attributes allowed in XHTML content.
#[rustfmt::skip]
pub const SVG_ATTRS: &[&str] = &[
    "accent-height", "accumulate", "additive", "alphabetic", "arabic-form", "ascent",
    "attributeName", "attributeType", "baseProfile", "bbox", "begin", "by", "calcMode",
    "cap-height", "class", "color", "color-rendering", "content", "cx", "cy", "d", "dx", "dy",
    "descent", "display", "dur", "end", "fill", "fill-opacity", "fill-rule", "font-family",
    "font-size", "font-stretch", "font-style", "font-variant", "font-weight", "from", "fx",
    "fy", "g1", "g2", "glyph-name", "gradientUnits", "hanging", "height", "horiz-adv-x",
    "horiz-origin-x", "id", "ideographic", "k", "keyPoints", "keySplines", "keyTimes", "lang",
    "mathematical", "marker-end", "marker-mid", "marker-start", "markerHeight", "markerUnits",
    "markerWidth", "max", "min", "name", "offset", "opacity", "orient", "origin",
    "overline-position", "overline-thickness", "panose-1", "path", "pathLength", "points",
    "preserveAspectRatio", "r", "refX", "refY", "repeatCount", "repeatDur",
    "requiredExtensions", "requiredFeatures", "restart", "rotate", "rx", "ry", "slope", "stemh",
    "stemv", "stop-color", "stop-opacity", "strikethrough-position", "strikethrough-thickness",
    "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "style", "systemLanguage", "target",
    "text-anchor", "to", "transform", "type", "u1", "u2", "underline-position",
    "underline-thickness", "unicode", "unicode-range", "units-per-em", "values", "version",
    "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2", "xlink:actuate",
    "xlink:arcrole", "xlink:href", "xlink:role", "xlink:show", "xlink:title", "xlink:type",
    "xml:base", "xml:lang", "xml:space", "xmlns", "xmlns:xlink", "y", "y1", "y2", "zoomAndPan",
];

/// CSS properties considered safe.
#[rustfmt::skip]
pub const CSS_PROPS: &[&str] = &[
    "azimuth", "background", "background-color", "border", "border-bottom",
    "border-bottom-color", "border-bottom-style", "border-bottom-width", "border-collapse",
    "border-color", "border-left", "border-left-color", "border-left-style",
    "border-left-width", "border-right", "border-right-color", "border-right-style",
    "border-right-width", "border-spacing", "border-style", "border-top", "border-top-color",
    "border-top-style", "border-top-width", "border-width", "clear", "color", "cursor",
    "direction", "display", "elevation", "float", "font", "font-family", "font-size",
    "font-style", "font-variant", "font-weight", "height", "letter-spacing", "line-height",
    "list-style-type", "margin", "margin-bottom", "margin-left", "margin-right", "margin-top",
    "overflow", "padding", "padding-bottom", "padding-left", "padding-right", "padding-top",
    "pause", "pause-after", "pause-before", "pitch", "pitch-range", "richness", "speak",
    "speak-header", "speak-numeral", "speak-punctuation", "speech-rate", "stress", "text-align",
    "text-decoration", "text-indent", "unicode-bidi", "vertical-align", "voice-family",
    "volume", "white-space", "width",
];

/// CSS keywords considered safe (a survey of feeds).
#[rustfmt::skip]
pub const CSS_KEYWORDS: &[&str] = &[
    "aqua", "auto", "black", "block", "blue", "bold", "both", "bottom", "brown", "center",
    "collapse", "dashed", "dotted", "fuchsia", "gray", "green", "!important", "italic", "left",
    "lime", "maroon", "medium", "none", "navy", "normal", "nowrap", "olive", "pointer",
    "purple", "red", "right", "solid", "silver", "teal", "top", "transparent", "underline",
    "white", "yellow",
];
