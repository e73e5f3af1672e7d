//! Media RSS elements (`media.py`).

use super::ext::X;
use super::values::{check_self, iso639_log};
use super::{St, V};
use crate::classes::ids::*;
use crate::engine::{Attrs, Engine, Handler};
use crate::py_regex;

const EBU: &[&str] = &[
    "actor",
    "adaptor",
    "anchor person",
    "animal trainer",
    "animator",
    "announcer",
    "armourer",
    "art director",
    "artist/performer",
    "assistant camera",
    "assistant chief lighting technician",
    "assistant director",
    "assistant producer",
    "assistant visual editor",
    "author",
    "broadcast assistant",
    "broadcast journalist",
    "camera operator",
    "carpenter",
    "casting",
    "causeur",
    "chief lighting technician",
    "choir",
    "choreographer",
    "clapper loader",
    "commentary or commentator",
    "commissioning broadcaster",
    "composer",
    "computer programmer",
    "conductor",
    "consultant",
    "continuity checker",
    "correspondent",
    "costume designer",
    "dancer",
    "dialogue coach",
    "director",
    "director of photography",
    "distribution company",
    "draughtsman",
    "dresser",
    "dubber",
    "editor/producer",
    "editor",
    "ensemble",
    "executive producer",
    "expert",
    "fight director",
    "floor manager",
    "focus puller",
    "foley artist",
    "foley editor",
    "foley mixer",
    "graphic assistant",
    "graphic designer",
    "greensman",
    "grip",
    "hairdresser",
    "illustrator",
    "interviewed guest",
    "interviewer",
    "key character",
    "key grip",
    "key talents",
    "leadman",
    "librettist",
    "lighting director",
    "lighting technician",
    "location manager",
    "lyricist",
    "make up artist",
    "manufacturer",
    "matte artist",
    "music arranger",
    "music group",
    "musician",
    "news reader",
    "orchestra",
    "participant",
    "photographer",
    "post",
    "producer",
    "production assistant",
    "production company",
    "production department",
    "production manager",
    "production secretary",
    "programme production researcher",
    "property manager",
    "publishing company",
    "puppeteer",
    "pyrotechnician",
    "reporter",
    "rigger",
    "runner",
    "scenario",
    "scenic operative",
    "script supervisor",
    "second assistant camera",
    "second assistant director",
    "second unit director",
    "set designer",
    "set dresser",
    "sign language",
    "singer",
    "sound designer",
    "sound mixer",
    "sound recordist",
    "special effects",
    "stunts",
    "subtitles",
    "technical director",
    "term",
    "translation",
    "transportation manager",
    "treatment/programme proposal",
    "vision mixer",
    "visual editor",
    "visual effects",
    "wardrobe",
    "witness",
    "artist",
    "performer",
    "treatment",
    "treatment proposal",
    "programme proposal",
];

fn npt_ok(v: &str) -> bool {
    py_regex!(NPT, r"(now)|(\d+(\.\d+)?)|(\d+:\d\d:\d\d(\.\d+)?)$");
    NPT.is_match(v)
}

fn st_str(h: &Handler) -> Option<String> {
    match &h.st {
        St::S(s) => s.clone(),
        _ => None,
    }
}

/// `prevalidate` of Media RSS kinds.
pub fn prevalidate(h: &mut Handler, eng: &mut Engine, x: X, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    match x {
        X::MediaCategory | X::MediaCopyright => {
            if x == X::MediaCategory {
                h.children.push(eng.empty.clone());
                if let Some(l) = attrs.plain("label").filter(|l| !l.is_empty()) {
                    let l = l.to_string();
                    check_self(h, eng, V::NonHtml, "label", &l);
                }
            }
            let a = if x == X::MediaCategory {
                "scheme"
            } else {
                "url"
            };
            if let Some(s) = attrs.plain(a).filter(|s| !s.is_empty()) {
                let s = s.to_string();
                check_self(h, eng, V::Rfc2396Full, a, &s);
            }
        }
        X::MediaCredit => {
            let scheme = attrs
                .plain("scheme")
                .filter(|s| !s.is_empty())
                .unwrap_or("urn:ebu")
                .to_string();
            if let Some(role) = attrs.plain("role").filter(|r| !r.is_empty())
                && ((scheme == "urn:ebu" && !EBU.contains(&role)) || role != role.to_lowercase())
            {
                eng.log(
                    h,
                    InvalidCreditRole,
                    &[
                        ("parent", &pn),
                        ("element", &n),
                        ("attr", "role"),
                        ("value", role),
                    ],
                );
            }
            if scheme != "urn:ebu" {
                check_self(h, eng, V::Rfc2396Full, "scheme", &scheme);
            }
        }
        X::MediaHash => {
            let algo = attrs
                .plain("algo")
                .filter(|a| !a.is_empty())
                .map(str::to_string);
            if let Some(a) = &algo
                && a != "md5"
                && a != "sha-1"
            {
                eng.log(
                    h,
                    InvalidMediaHash,
                    &[
                        ("parent", &pn),
                        ("element", &n),
                        ("attr", "algo"),
                        ("value", a),
                    ],
                );
            }
            h.st = St::S(algo);
        }
        X::MediaText | X::MediaTitle => {
            h.children.push(eng.empty.clone());
            let t = attrs
                .plain("type")
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if let Some(t) = &t
                && t != "plain"
                && t != "html"
            {
                eng.log(
                    h,
                    InvalidMediaTextType,
                    &[
                        ("parent", &pn),
                        ("element", &n),
                        ("attr", "type"),
                        ("value", t),
                    ],
                );
            }
            h.st = St::S(t);
            if x == X::MediaText {
                for a in ["start", "end"] {
                    let v = attrs.plain(a).unwrap_or("");
                    if !v.is_empty() && !npt_ok(v) {
                        eng.log(
                            h,
                            InvalidNPTTime,
                            &[("parent", &pn), ("element", &n), ("attr", a), ("value", v)],
                        );
                    } else if eng.notices {
                        eng.log(
                            h,
                            ValidNPTTime,
                            &[("parent", &pn), ("element", &n), ("attr", a), ("value", v)],
                        );
                    }
                }
                if let Some(l) = attrs.plain("lang").filter(|l| !l.is_empty()) {
                    let l = l.to_string();
                    iso639_log(eng, h, &l, "lang", &pn);
                }
            }
        }
        _ => {}
    }
}

/// `validate` of Media RSS kinds.
pub fn validate(h: &mut Handler, eng: &mut Engine, x: X, attrs: &Attrs) {
    let n = h.name.clone();
    let value = h.value.clone();
    match x {
        X::MediaHash => validate_hash(h, eng),
        X::MediaRating => validate_rating(h, eng, attrs),
        X::MediaRestriction => validate_restriction(h, eng, attrs),
        X::MediaText | X::MediaTitle => {
            let line = h.at;
            let mut cx = eng.cx(h, &n);
            if st_str(h).as_deref() == Some("html") {
                crate::html::validate(&mut cx, &value);
            } else {
                super::values::nonhtml(&mut cx, &value, ContainsUndeclaredHTML, line);
            }
            h.valid &= !cx.logged;
        }
        X::MediaPlayer | X::MediaThumbnail => validate_player(h, eng, x, attrs),
        X::MediaContent => media_content(h, eng, attrs),
        X::MediaGroup if h.count("media_content") < 2 => {
            eng.log(h, MediaGroupWithoutAlternatives, &[]);
        }
        _ => {}
    }
}

fn media_content(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    let a = |k: &str| attrs.plain(k).filter(|v| !v.is_empty()).map(str::to_string);
    py_regex!(NUM, r"\d+\.?\d*");
    for f in ["bitrate", "duration", "framerate", "samplingrate"] {
        if let Some(v) = a(f)
            && !NUM.is_match(&v)
        {
            eng.log(
                h,
                InvalidFloat,
                &[("parent", &pn), ("element", &n), ("attr", f), ("value", &v)],
            );
        }
    }
    if let Some(v) = a("channels") {
        check_self(h, eng, V::NonNegInt, "channels", &v);
    }
    if let Some(v) = a("expression")
        && !["sample", "full", "nonstop"].contains(&v.as_str())
    {
        eng.log(
            h,
            InvalidMediaExpression,
            &[("parent", &pn), ("element", &n), ("value", &v)],
        );
    }
    for d in ["fileSize", "height"] {
        if let Some(v) = a(d) {
            check_self(h, eng, V::PosInt(0), d, &v);
        }
    }
    if let Some(v) = a("isDefault") {
        check_self(h, eng, V::TrueFalse, "height", &v);
    }
    if let Some(v) = a("lang") {
        iso639_log(eng, h, &v, "lang", &pn);
    }
    if let Some(v) = a("medium")
        && !["image", "audio", "video", "document", "executable"].contains(&v.as_str())
    {
        eng.log(
            h,
            InvalidMediaMedium,
            &[("parent", &pn), ("element", &n), ("value", &v)],
        );
    }
    if let Some(v) = a("type")
        && !crate::types::is_mime(&v)
    {
        eng.log(
            h,
            InvalidMIMEAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "type")],
        );
    }
    if let Some(v) = a("url") {
        check_self(h, eng, V::Rfc2396Full, "url", &v);
    }
    if let Some(v) = a("width") {
        check_self(h, eng, V::PosInt(0), "width", &v);
    }
}

/// `validate_hash`, one case of `validate`.
fn validate_hash(h: &mut Handler, eng: &mut Engine) {
    let pn = h.parent_name.clone();
    let n = h.name.clone();
    let value = h.value.clone();
    let v = crate::types::py_strip(&value).to_string();
    let algo = st_str(h);
    py_regex!(HASH, r"[0-9A-Za-z]+$");
    if !HASH.is_match(&v) {
        eng.log(
            h,
            InvalidMediaHash,
            &[("parent", &pn), ("element", &n), ("value", &v)],
        );
    } else {
        let want = if algo.as_deref() == Some("sha-1") {
            40
        } else {
            32
        };
        if v.len() != want {
            eng.log(
                h,
                InvalidMediaHash,
                &[("parent", &pn), ("element", &n), ("value", &v)],
            );
        }
    }
}

/// `validate_rating`, one case of `validate`.
fn validate_rating(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let pn = h.parent_name.clone();
    let n = h.name.clone();
    let value = h.value.clone();
    let a = |k: &str| attrs.plain(k).filter(|v| !v.is_empty()).map(str::to_string);
    let scheme = a("scheme").unwrap_or_else(|| "urn:simple".into());
    let ok = match scheme.as_str() {
        "urn:simple" => ["adult", "nonadult"].contains(&value.as_str()),
        "urn:mpaa" => ["g", "m", "nc-17", "pg", "pg-13", "r", "x"].contains(&value.as_str()),
        "urn:v-chip" => [
            "14+", "18+", "c", "c8", "g", "pg", "tv-14", "tv-g", "tv-ma", "tv-pg", "tv-y", "tv-y7",
            "tv-y7-fv",
        ]
        .contains(&value.as_str()),
        "urn:icra" => {
            let code = r"([nsvlocx]z [01]|(n[a-c]|s[a-f]|v[a-j]|l[a-c]|o[a-h]|c[a-b]|x[a-e]) 1)";
            regex::Regex::new(&format!(r"^r \({code}( {code})*\)\n?\z"))
                .is_ok_and(|r| r.is_match(&value))
        }
        _ => {
            check_self(h, eng, V::Rfc2396Full, "scheme", &scheme);
            true
        }
    };
    if !ok {
        eng.log(
            h,
            InvalidMediaRating,
            &[
                ("parent", &pn),
                ("element", &n),
                ("scheme", &scheme),
                ("value", &value),
            ],
        );
    }
}

/// `validate_restriction`, one case of `validate`.
fn validate_restriction(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let pn = h.parent_name.clone();
    let n = h.name.clone();
    let value = h.value.clone();
    let a = |k: &str| attrs.plain(k).filter(|v| !v.is_empty()).map(str::to_string);
    match a("relationship") {
        None => eng.log(
            h,
            MissingAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "relationship")],
        ),
        Some(r) if r != "allow" && r != "deny" => eng.log(
            h,
            InvalidMediaRestrictionRel,
            &[
                ("parent", &pn),
                ("element", &n),
                ("attr", "relationship"),
                ("value", &r),
            ],
        ),
        _ => {}
    }
    match a("type").as_deref() {
        None => {
            if !value.is_empty() && value != "all" && value != "none" {
                eng.log(
                    h,
                    InvalidMediaRestriction,
                    &[("parent", &pn), ("element", &n), ("value", &value)],
                );
            }
        }
        Some("country") => {
            for c in value.to_uppercase().split(' ') {
                check_self(h, eng, V::Enum(super::values::En::Country), "country", c);
            }
        }
        Some("uri") => {
            check_self(h, eng, V::Rfc2396Full, &n, &value);
        }
        Some(t) => {
            let t = t.to_string();
            eng.log(
                h,
                InvalidMediaRestrictionType,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("attr", "type"),
                    ("value", &t),
                ],
            );
        }
    }
}

/// `validate_player`, one case of `validate`.
fn validate_player(h: &mut Handler, eng: &mut Engine, x: X, attrs: &Attrs) {
    let pn = h.parent_name.clone();
    let n = h.name.clone();
    let a = |k: &str| attrs.plain(k).filter(|v| !v.is_empty()).map(str::to_string);
    if x == X::MediaThumbnail {
        let t = attrs.plain("time").unwrap_or("");
        if !t.is_empty() && !npt_ok(t) {
            eng.log(
                h,
                InvalidNPTTime,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("attr", "time"),
                    ("value", t),
                ],
            );
        } else if eng.notices {
            eng.log(
                h,
                ValidNPTTime,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("attr", "time"),
                    ("value", t),
                ],
            );
        }
    }
    match a("url") {
        Some(u) => {
            check_self(h, eng, V::Rfc2396Full, "url", &u);
        }
        None => eng.log(
            h,
            MissingAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "url")],
        ),
    }
    for d in ["height", "width"] {
        if let Some(v) = a(d) {
            check_self(h, eng, V::PosInt(0), d, &v);
        }
    }
}
