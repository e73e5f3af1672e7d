//! A small JSON parser that keeps the position of every value and notes
//! repeated keys (which serde_json would silently merge).

const MAX_DEPTH: usize = 256;

/// A JSON value with the position of its first character.
#[derive(Debug)]
pub enum J {
    Null,
    Bool,
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

#[derive(Debug)]
pub struct Node {
    pub v: J,
    pub line: usize,
    pub col: usize,
}

pub struct Parser<'a> {
    pub b: &'a [u8],
    pub i: usize,
    pub line: usize,
    pub line_start: usize,
    pub dups: Vec<(String, String, usize, usize)>,
}

pub type PResult<T> = Result<T, (String, usize, usize)>;

impl<'a> Parser<'a> {
    pub fn err<T>(&self, msg: &str) -> PResult<T> {
        Err((msg.to_string(), self.line, self.i - self.line_start + 1))
    }

    pub fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => {
                    self.line += 1;
                    self.i += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    pub fn value(&mut self, depth: usize, path: &str) -> PResult<Node> {
        if depth > MAX_DEPTH {
            return self.err("JSON nested too deeply");
        }
        self.ws();
        let (line, col) = (self.line, self.i - self.line_start + 1);
        let v = match self.b.get(self.i) {
            None => return self.err("Expecting value"),
            Some(b'{') => self.object(depth, path)?,
            Some(b'[') => self.array(depth, path)?,
            Some(b'"') => J::Str(self.string()?),
            Some(b't') | Some(b'f') | Some(b'n') => {
                for (w, v) in [("true", J::Bool), ("false", J::Bool), ("null", J::Null)] {
                    if self.b[self.i..].starts_with(w.as_bytes()) {
                        self.i += w.len();
                        return Ok(Node { v, line, col });
                    }
                }
                return self.err("Expecting value");
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let s = self.i;
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(c))
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.b[s..self.i]).unwrap_or("");
                if t.parse::<f64>().is_err() {
                    return self.err("Expecting value");
                }
                J::Num(t.to_string())
            }
            _ => return self.err("Expecting value"),
        };
        Ok(Node { v, line, col })
    }

    fn string(&mut self) -> PResult<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self
                .b
                .get(self.i)
                .is_some_and(|c| *c != b'"' && *c != b'\\' && *c >= 0x20)
            {
                self.i += 1;
            }
            out.push_str(std::str::from_utf8(&self.b[start..self.i]).unwrap_or(""));
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = *self.b.get(self.i).ok_or((
                        "Unterminated string".to_string(),
                        self.line,
                        1,
                    ))?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = self
                                .b
                                .get(self.i..self.i + 4)
                                .and_then(|h| std::str::from_utf8(h).ok());
                            let Some(n) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                                return self.err("Invalid \\uXXXX escape");
                            };
                            self.i += 4;
                            out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                        }
                        _ => return self.err("Invalid \\escape"),
                    }
                }
                Some(_) => return self.err("Invalid control character"),
                None => return self.err("Unterminated string starting"),
            }
        }
    }

    fn array(&mut self, depth: usize, path: &str) -> PResult<J> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(J::Arr(items));
        }
        loop {
            let p = format!("{path}[{}]", items.len());
            items.push(self.value(depth + 1, &p)?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(J::Arr(items));
                }
                _ => return self.err("Expecting ',' delimiter"),
            }
        }
    }

    fn object(&mut self, depth: usize, path: &str) -> PResult<J> {
        self.i += 1;
        let mut members: Vec<(String, Node)> = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(J::Obj(members));
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return self.err("Expecting property name enclosed in double quotes");
            }
            let (kl, kc) = (self.line, self.i - self.line_start + 1);
            let key = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return self.err("Expecting ':' delimiter");
            }
            self.i += 1;
            let p = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let v = self.value(depth + 1, &p)?;
            if members.iter().any(|(k, _)| *k == key) {
                self.dups.push((
                    key.clone(),
                    if path.is_empty() {
                        "(top level)".into()
                    } else {
                        path.to_string()
                    },
                    kl,
                    kc,
                ));
            }
            members.push((key, v));
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(J::Obj(members));
                }
                _ => return self.err("Expecting ',' delimiter"),
            }
        }
    }
}
