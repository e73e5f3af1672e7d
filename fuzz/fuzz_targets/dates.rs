//! Dates: `dates::parse` in a time zone picked by the first byte, and `dates::find`.
#![no_main]

use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;

/// Zones with daylight-saving gaps and odd offsets as well as the usual ones.
const ZONES: [Tz; 6] = [
    Tz::UTC,
    Tz::Asia__Shanghai,
    Tz::America__New_York,
    Tz::Asia__Kathmandu,
    Tz::Pacific__Apia,
    Tz::Australia__Lord_Howe,
];

fuzz_target!(|data: &[u8]| {
    let Some((&zone, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let tz = ZONES[usize::from(zone) % ZONES.len()];
    if let Ok(date) = feedloom::dates::parse(text, tz) {
        assert!(feedloom::dates::representable(date), "{text:?} gave {date}");
    }
    if let Some(found) = feedloom::dates::find(text) {
        assert!(found.start <= found.end && found.end <= text.len());
        assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end));
        let _ = found.date.resolve(tz);
    }
});
