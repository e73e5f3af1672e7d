//! Python's `str.encode('idna')` as the validator uses it on whole URIs:
//! each dot-separated label that is not ASCII becomes `xn--` + Punycode.

/// Encode like Python's `idna` codec; `None` where Python raises `UnicodeError`.
pub fn encode(input: &str) -> Option<String> {
    if input.is_empty() {
        return Some(String::new());
    }
    let labels: Vec<&str> = input
        .split(['.', '\u{3002}', '\u{ff0e}', '\u{ff61}'])
        .collect();
    if input.is_ascii() {
        let n = labels.len();
        for (i, l) in labels.iter().enumerate() {
            if l.len() >= 64 || (i + 1 < n && l.is_empty()) {
                return None;
            }
        }
        return Some(input.to_string());
    }
    let mut out = Vec::with_capacity(labels.len());
    let last = labels.len() - 1;
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() && i == last {
            out.push(String::new());
            continue;
        }
        let enc = to_ascii(label)?;
        if enc.is_empty() || enc.len() >= 64 {
            return None;
        }
        out.push(enc);
    }
    Some(out.join("."))
}

fn to_ascii(label: &str) -> Option<String> {
    if label.is_ascii() {
        return Some(label.to_string());
    }
    let prepped: String = label
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !is_mapped_to_nothing(*c))
        .collect();
    if prepped.chars().any(is_prohibited) {
        return None;
    }
    if prepped.is_ascii() {
        return Some(prepped);
    }
    Some(format!("xn--{}", punycode(&prepped)))
}

fn is_mapped_to_nothing(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{34f}' | '\u{1806}' | '\u{180b}'..='\u{180d}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}')
}

fn is_prohibited(c: char) -> bool {
    let u = c as u32;
    matches!(
        u,
        0xa0 | 0x1680 | 0x2000..=0x200b | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000
    ) || (0x80..=0x9f).contains(&u)
        || (0xe000..=0xf8ff).contains(&u)
        || (0xf0000..=0x10ffff).contains(&u) && (u & 0xffff) <= 0xfffd
        || (u & 0xfffe) == 0xfffe
        || (0xfdd0..=0xfdef).contains(&u)
        || (0xfff9..=0xfffd).contains(&u)
        || (0x2ff0..=0x2ffb).contains(&u)
        || (0x200e..=0x200f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x206a..=0x206f).contains(&u)
        || u == 0xe0001
        || (0xe0020..=0xe007f).contains(&u)
}

/// RFC 3492 Punycode encoding of `input`.
pub fn punycode(input: &str) -> String {
    const BASE: u32 = 36;
    let cps: Vec<u32> = input.chars().map(|c| c as u32).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let b = out.len() as u32;
    let mut h = b;
    if b > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    let digit = |d: u32| -> char {
        if d < 26 {
            (b'a' + d as u8) as char
        } else {
            (b'0' + (d - 26) as u8) as char
        }
    };
    while (h as usize) < cps.len() {
        let Some(&m) = cps.iter().filter(|&&c| c >= n).min() else {
            break;
        };
        delta = delta.saturating_add((m - n).saturating_mul(h + 1));
        n = m;
        for &c in &cps {
            if c < n {
                delta = delta.saturating_add(1);
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        1
                    } else if k >= bias + 26 {
                        26
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, h + 1, h == b);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.saturating_add(1);
        n += 1;
    }
    out
}

fn adapt(delta: u32, num: u32, first: bool) -> u32 {
    let mut d = if first { delta / 700 } else { delta / 2 };
    d += d / num;
    let mut k = 0;
    while d > 455 {
        d /= 35;
        k += 36;
    }
    k + 36 * d / (d + 38)
}

#[cfg(test)]
mod tests {
    #[test]
    fn punycode_examples() {
        assert_eq!(super::punycode("bücher"), "bcher-kva");
        assert_eq!(
            super::encode("http://bücher.example/").as_deref(),
            Some("xn--http://bcher-klb.example/")
        );
        assert_eq!(super::encode("a..b"), None);
    }
}
