//! JSON text in and out the way jq 1.7.1 reads and writes it.
//!
//! The reader follows jq's own parser: values at the top level come out as
//! soon as they are complete, number literals keep their text (jq 1.7
//! prints an untouched `1.0` as `1.0`), and errors carry jq's wording and
//! its line and column. The writer prints jq's layouts (`-c`, `--indent`,
//! `--tab`, `-S`, `-a`) and numbers the way jq prints doubles.

use jaq_json::{Map, Num, Val};

/// Where a parse went wrong, worded as jq words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{} at line {line}, column {column}", if *.at_eof { " at EOF" } else { "" })]
pub struct ParseError {
    /// jq's description, e.g. `Invalid numeric literal`.
    pub message: &'static str,
    /// Whether the text ended before the value did.
    pub at_eof: bool,
    /// 1-based line.
    pub line: usize,
    /// Characters read on that line, counting the one that failed.
    pub column: usize,
}

/// What the parser saw last, for jq's separator checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    OpenArray,
    OpenObject,
    Colon,
    Comma,
    Value,
}

/// How deep values may nest. jq allows 10000; the browser's stack is
/// smaller, so the playground stops earlier with jq's message.
const MAX_DEPTH: usize = 1000;

/// An open container (or an object key waiting for its value).
enum Frame {
    Arr(Vec<Val>),
    Obj(Map),
    Key(Val),
}

/// A reader of a sequence of JSON texts.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    column: usize,
    stack: Vec<Frame>,
    next: Option<Val>,
    last: Last,
    token: Vec<u8>,
    token_end: usize,
    in_string: bool,
    escaped: bool,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// A reader over `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            column: 0,
            stack: Vec::new(),
            next: None,
            last: Last::Nothing,
            token: Vec::new(),
            token_end: 0,
            in_string: false,
            escaped: false,
            failed: false,
        }
    }

    /// Byte offset just past the last value returned (for literals: where
    /// the character that ended them starts).
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn error(&mut self, message: &'static str, at_eof: bool) -> ParseError {
        self.failed = true;
        ParseError { message, at_eof, line: self.line, column: self.column }
    }

    /// The next complete value, `None` at the end, or the first error
    /// (after which the reader stops).
    pub fn next_value(&mut self) -> Option<Result<(Val, usize), ParseError>> {
        if self.failed {
            return None;
        }
        while let Some(&c) = self.bytes.get(self.pos) {
            let at = self.pos;
            self.pos += 1;
            self.column += 1;
            if c == b'\n' {
                self.line += 1;
                self.column = 0;
            }
            if let Err(message) = self.scan(c, at) {
                return Some(Err(self.error(message, false)));
            }
            if self.stack.is_empty() {
                if let Some(v) = self.next.take() {
                    let end = if self.token_end > 0 { self.token_end } else { self.pos };
                    self.token_end = 0;
                    return Some(Ok((v, end)));
                }
            }
        }
        // End of the text.
        if self.in_string {
            return Some(Err(self.error("Unfinished string", true)));
        }
        let end = self.pos;
        if let Err(message) = self.literal(end) {
            return Some(Err(self.error(message, true)));
        }
        if !self.stack.is_empty() {
            return Some(Err(self.error("Unfinished JSON term", true)));
        }
        self.failed = true;
        self.next.take().map(|v| Ok((v, end)))
    }

    fn scan(&mut self, c: u8, at: usize) -> Result<(), &'static str> {
        if self.in_string {
            if c == b'"' && !self.escaped {
                self.in_string = false;
                let s = unescape(&self.token)?;
                self.token.clear();
                return self.value(Val::from(s));
            }
            self.escaped = c == b'\\' && !self.escaped;
            self.token.push(c);
            return Ok(());
        }
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => self.literal(at),
            b'"' => {
                self.literal(at)?;
                self.in_string = true;
                self.escaped = false;
                Ok(())
            }
            b'[' | b',' | b']' | b'{' | b':' | b'}' => {
                self.literal(at)?;
                self.structure(c)
            }
            _ => {
                self.token.push(c);
                Ok(())
            }
        }
    }

    /// Ends a literal (`true`, `null`, a number) that ran up to `at`.
    fn literal(&mut self, at: usize) -> Result<(), &'static str> {
        if self.token.is_empty() {
            return Ok(());
        }
        let token = std::mem::take(&mut self.token);
        let word = |w: &[u8], v: Val| if token == w { Ok(v) } else { Err("Invalid literal") };
        let v = match token.first() {
            Some(b't') => word(b"true", Val::Bool(true))?,
            Some(b'f') => word(b"false", Val::Bool(false))?,
            Some(b'n') if token.get(1) == Some(&b'u') => word(b"null", Val::Null)?,
            _ => {
                let text = std::str::from_utf8(&token).map_err(|_| "Invalid numeric literal")?;
                number(text).ok_or("Invalid numeric literal")?
            }
        };
        self.value(v)?;
        self.token_end = if self.stack.is_empty() { at } else { 0 };
        Ok(())
    }

    fn value(&mut self, v: Val) -> Result<(), &'static str> {
        if self.next.is_some() {
            return Err("Expected separator between values");
        }
        self.next = Some(v);
        self.last = Last::Value;
        Ok(())
    }

    fn structure(&mut self, c: u8) -> Result<(), &'static str> {
        match c {
            b'[' | b'{' => {
                if self.next.is_some() {
                    return Err("Expected separator between values");
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err("Exceeds depth limit for parsing");
                }
                if c == b'[' {
                    self.stack.push(Frame::Arr(Vec::new()));
                    self.last = Last::OpenArray;
                } else {
                    self.stack.push(Frame::Obj(Map::default()));
                    self.last = Last::OpenObject;
                }
            }
            b':' => {
                if !matches!(self.stack.last(), Some(Frame::Obj(_))) {
                    return Err("':' not as part of an object");
                }
                let Some(key) = self.next.take() else { return Err("Expected string key before ':'") };
                if !matches!(key, Val::TStr(_)) {
                    return Err("Object keys must be strings");
                }
                if self.last != Last::Value {
                    return Err("':' should follow a key");
                }
                self.stack.push(Frame::Key(key));
                self.last = Last::Colon;
            }
            b',' => {
                let Some(v) = self.next.take() else { return Err("Expected value before ','") };
                match self.stack.pop() {
                    None => return Err("',' not as part of an object or array"),
                    Some(Frame::Arr(mut a)) => {
                        a.push(v);
                        self.stack.push(Frame::Arr(a));
                    }
                    Some(Frame::Key(k)) => self.insert(k, v),
                    Some(other) => {
                        self.stack.push(other);
                        return Err("Objects must consist of key:value pairs");
                    }
                }
                self.last = Last::Comma;
            }
            b']' => {
                let Some(Frame::Arr(mut a)) = self.stack.pop() else { return Err("Unmatched ']'") };
                if self.last == Last::Comma {
                    return Err("Expected another array element");
                }
                match self.next.take() {
                    Some(v) => a.push(v),
                    None if !a.is_empty() => return Err("Expected another array element"),
                    None => {}
                }
                self.next = Some(Val::from_iter(a));
                self.last = Last::Value;
            }
            _ => {
                if self.stack.is_empty() {
                    return Err("Unmatched '}'");
                }
                if self.last == Last::Comma {
                    return Err("Expected another key-value pair");
                }
                match self.next.take() {
                    Some(v) => match self.stack.pop() {
                        Some(Frame::Key(k)) => self.insert(k, v),
                        _ => return Err("Objects must consist of key:value pairs"),
                    },
                    None => match self.stack.last() {
                        Some(Frame::Obj(o)) if o.is_empty() => {}
                        Some(Frame::Obj(_)) => return Err("Expected another key-value pair"),
                        _ => return Err("Unmatched '}'"),
                    },
                }
                let Some(Frame::Obj(o)) = self.stack.pop() else { return Err("Unmatched '}'") };
                self.next = Some(Val::obj(o));
                self.last = Last::Value;
            }
        }
        Ok(())
    }

    fn insert(&mut self, key: Val, v: Val) {
        if let Some(Frame::Obj(o)) = self.stack.last_mut() {
            o.insert(key, v);
        }
    }
}

/// All values of `text`, or the first error (with the values before it).
pub fn parse_all(text: &str) -> (Vec<Val>, Option<ParseError>) {
    let mut reader = Reader::new(text);
    let mut values = Vec::new();
    while let Some(r) = reader.next_value() {
        match r {
            Ok((v, _)) => values.push(v),
            Err(e) => return (values, Some(e)),
        }
    }
    (values, None)
}

/// Exactly one value (as `fromjson` and `--argjson` want it).
pub fn parse_one(text: &str) -> Result<Val, String> {
    let mut reader = Reader::new(text);
    match reader.next_value() {
        None => Err("Expected JSON value".to_string()),
        Some(Err(e)) => Err(e.to_string()),
        Some(Ok((v, _))) => match reader.next_value() {
            None => Ok(v),
            Some(Err(e)) => Err(e.to_string()),
            Some(Ok(_)) => Err("Unexpected extra JSON values".to_string()),
        },
    }
}

/// The first value of `text` and the byte offset where it ends.
pub fn parse_prefix(text: &str) -> Option<(Val, usize)> {
    Reader::new(text).next_value()?.ok()
}

/// The characters of a JSON string body (between the quotes), with jq's
/// checks.
fn unescape(raw: &[u8]) -> Result<String, &'static str> {
    let mut out = String::new();
    let text = String::from_utf8_lossy(raw);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if (c as u32) < 0x20 {
                return Err("Invalid string: control characters from U+0000 through U+001F must be escaped");
            }
            out.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let unit = hex4(&mut chars).ok_or("Invalid \\uXXXX escape")?;
                if (0xD800..0xDC00).contains(&unit) {
                    let low = match (chars.next(), chars.next()) {
                        (Some('\\'), Some('u')) => hex4(&mut chars),
                        _ => None,
                    };
                    match low {
                        Some(low) if (0xDC00..0xE000).contains(&low) => {
                            let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(c).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err("Invalid \\uXXXX\\uXXXX surrogate pair escape"),
                    }
                } else {
                    char::from_u32(unit).unwrap_or('\u{FFFD}')
                }
            }
            _ => return Err("Invalid escape"),
        };
        out.push(escaped);
    }
    Ok(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut unit = 0;
    for _ in 0..4 {
        unit = unit * 16 + chars.next()?.to_digit(16)?;
    }
    Some(unit)
}

/// A number literal as jq (decNumber) accepts it: an optional sign, digits
/// with an optional fraction (or a fraction alone), an optional exponent;
/// or `nan`/`infinity`.
pub fn number(text: &str) -> Option<Val> {
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    match unsigned {
        "nan" => return Some(Val::Num(Num::Float(f64::NAN))),
        "inf" | "infinity" => {
            let inf = if lower.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
            return Some(Val::Num(Num::Float(inf)));
        }
        _ => {}
    }
    let canonical = canonical(text)?;
    // Small integers are jaq integers, so they index arrays; anything else
    // keeps its literal text, as jq 1.7 does.
    match canonical.parse::<i64>() {
        Ok(i) if i.unsigned_abs() <= 1 << 53 && canonical != "-0" => Some(Val::Num(Num::Int(isize::try_from(i).ok()?))),
        _ => Some(Val::Num(Num::Dec(jaq_json::Rc::new(canonical)))),
    }
}

/// decNumber's scientific string for a literal: the digits without leading
/// zeros and the exponent; plain notation while the exponent is not positive
/// and the number is not tiny, else `d.dddE±n`.
pub fn canonical(text: &str) -> Option<String> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits_ok(int) || !digits_ok(frac) {
        return None;
    }
    let exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let body = e.strip_prefix(['-', '+']).unwrap_or(e);
            if body.is_empty() || !digits_ok(body) {
                return None;
            }
            // Far beyond any double: keep the text sane.
            let value: i64 = body.parse().unwrap_or(i64::MAX / 4).min(1_000_000_000);
            if e.starts_with('-') {
                -value
            } else {
                value
            }
        }
    };
    let all = format!("{int}{frac}");
    let coefficient = all.trim_start_matches('0');
    let coefficient = if coefficient.is_empty() { "0" } else { coefficient };
    let exp = exp - frac.len() as i64;
    let adjusted = exp + coefficient.len() as i64 - 1;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exp <= 0 && adjusted >= -6 {
        if exp == 0 {
            out.push_str(coefficient);
        } else {
            let point = coefficient.len() as i64 + exp;
            if point > 0 {
                let (a, b) = coefficient.split_at(point as usize);
                out.push_str(a);
                out.push('.');
                out.push_str(b);
            } else {
                out.push_str("0.");
                out.push_str(&"0".repeat((-point) as usize));
                out.push_str(coefficient);
            }
        }
    } else {
        let (first, rest) = coefficient.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('E');
        out.push(if adjusted < 0 { '-' } else { '+' });
        out.push_str(&adjusted.unsigned_abs().to_string());
    }
    Some(out)
}

/// A double as jq prints it: the shortest digits that read back the same,
/// in plain notation unless the exponent is below -4 or too large, where it
/// prints `1e+23`, `1e-05`. NaN prints as `null`, infinities as the
/// largest double.
pub fn format_double(f: f64) -> String {
    if f.is_nan() {
        return "null".to_string();
    }
    let f = if f.is_infinite() { f64::MAX.copysign(f) } else { f };
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    let decpt = exp + 1;
    let n = digits.len() as i64;
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if decpt <= -4 || decpt > n + 15 {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if decpt - 1 < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", (decpt - 1).unsigned_abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-decpt) as usize));
        out.push_str(&digits);
    } else if decpt >= n {
        out.push_str(&digits);
        out.push_str(&"0".repeat((decpt - n) as usize));
    } else {
        let (a, b) = digits.split_at(decpt as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

/// A number as jq prints it.
pub fn format_num(n: &Num) -> String {
    match n {
        Num::Int(i) if (i.unsigned_abs() as u64) <= 1 << 53 => i.to_string(),
        Num::Int(i) => format_double(*i as f64),
        Num::BigInt(b) => format_double(b.to_string().parse().unwrap_or(f64::NAN)),
        Num::Float(f) => format_double(*f),
        Num::Dec(text) => canonical(text).unwrap_or_else(|| text.to_string()),
    }
}

/// How to lay out output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Indentation per level; `None` for compact output.
    pub indent: Option<String>,
    /// Sort object keys (`-S`).
    pub sort_keys: bool,
    /// Escape everything beyond ASCII (`-a`).
    pub ascii: bool,
}

impl Layout {
    /// jq's `-c`.
    pub fn compact() -> Self {
        Self { indent: None, sort_keys: false, ascii: false }
    }
}

/// `v` as jq dumps it with `layout`.
pub fn write(v: &Val, layout: &Layout) -> String {
    let mut out = String::new();
    write_into(&mut out, v, layout, 0);
    out
}

fn newline(out: &mut String, layout: &Layout, level: usize) {
    if let Some(indent) = &layout.indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(indent);
        }
    }
}

fn write_into(out: &mut String, v: &Val, layout: &Layout, level: usize) {
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => out.push_str(&format_num(n)),
        Val::TStr(s) | Val::BStr(s) => write_str(out, &String::from_utf8_lossy(s), layout.ascii),
        Val::Arr(a) if a.is_empty() => out.push_str("[]"),
        Val::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, layout, level + 1);
                write_into(out, x, layout, level + 1);
            }
            newline(out, layout, level);
            out.push(']');
        }
        Val::Obj(o) if o.is_empty() => out.push_str("{}"),
        Val::Obj(o) => {
            out.push('{');
            let mut entries: Vec<(&Val, &Val)> = o.iter().collect();
            if layout.sort_keys {
                entries.sort_by_key(|(k, _)| key_bytes(k));
            }
            for (i, (k, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, layout, level + 1);
                match k {
                    Val::TStr(s) | Val::BStr(s) => write_str(out, &String::from_utf8_lossy(s), layout.ascii),
                    other => write_str(out, &write(other, &Layout::compact()), layout.ascii),
                }
                out.push(':');
                if layout.indent.is_some() {
                    out.push(' ');
                }
                write_into(out, x, layout, level + 1);
            }
            newline(out, layout, level);
            out.push('}');
        }
    }
}

fn key_bytes(k: &Val) -> Vec<u8> {
    match k {
        Val::TStr(s) | Val::BStr(s) => s.to_vec(),
        other => write(other, &Layout::compact()).into_bytes(),
    }
}

/// A JSON string with jq's escapes.
pub fn write_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(text: &str) -> String {
        match parse_one(text) {
            Ok(v) => write(&v, &Layout::compact()),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn literals_keep_their_text_as_decnumber_prints_it() {
        let cases = [
            ("1.0", "1.0"),
            ("1.5", "1.5"),
            ("100000000000000000000000", "100000000000000000000000"),
            ("1e1000", "1E+1000"),
            ("3.0e10", "3.0E+10"),
            ("1E5", "1E+5"),
            ("-0", "-0"),
            ("0.00001", "0.00001"),
            ("1e-7", "1E-7"),
            ("01", "1"),
            ("12345678901234567890", "12345678901234567890"),
            ("9007199254740993", "9007199254740993"),
            ("-12", "-12"),
            ("0.0", "0.0"),
        ];
        for (input, want) in cases {
            assert_eq!(compact(input), want, "{input}");
        }
    }

    #[test]
    fn doubles_print_like_jq() {
        let cases = [
            (1e23, "1e+23"),
            (f64::INFINITY, "1.7976931348623157e+308"),
            (f64::NEG_INFINITY, "-1.7976931348623157e+308"),
            (f64::NAN, "null"),
            (0.1, "0.1"),
            (3e10, "30000000000"),
            (1e-5, "1e-05"),
            (1e-7, "1e-07"),
            (1.5e-7, "1.5e-07"),
            (12345678901234567890.0, "12345678901234567000"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e17, "1e+17"),
            (1e15, "1000000000000000"),
            (0.0001, "0.0001"),
            (5.0, "5"),
            (-2.5, "-2.5"),
            (0.0, "0"),
        ];
        for (f, want) in cases {
            assert_eq!(format_double(f), want, "{f}");
        }
    }

    #[test]
    fn strings_are_escaped_as_jq_escapes_them() {
        assert_eq!(compact(r#""é\u00e9\u0001 \u2028 \ud83d\ude00 \u007f/""#), "\"éé\\u0001 \u{2028} 😀 \\u007f/\"");
        let mut out = String::new();
        write_str(&mut out, "é😀\n", true);
        assert_eq!(out, "\"\\u00e9\\ud83d\\ude00\\n\"");
    }

    #[test]
    fn pretty_and_sorted_layouts() {
        let v = parse_one(r#"{"b":1,"a":[1,{}],"c":{}}"#).unwrap_or_default();
        let layout = Layout { indent: Some("  ".into()), sort_keys: true, ascii: false };
        assert_eq!(write(&v, &layout), "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": 1,\n  \"c\": {}\n}");
    }

    #[test]
    fn parse_errors_carry_jq_wording_and_position() {
        let cases = [
            ("{\"a\":1\n", "Unfinished JSON term at EOF at line 2, column 0"),
            ("nope\n", "Invalid numeric literal at line 2, column 0"),
            ("nul\n", "Invalid literal at line 2, column 0"),
            ("[1,2,]\n", "Expected another array element at line 1, column 6"),
            ("{\"a\" 1}\n", "Expected separator between values at line 1, column 7"),
            ("\"abc\n", "Unfinished string at EOF at line 2, column 0"),
            ("NAME      SECRETS   AGE\n", "Invalid numeric literal at line 1, column 5"),
            ("{\"a\":1,}\n", "Expected another key-value pair at line 1, column 8"),
            ("{,}\n", "Expected value before ',' at line 1, column 2"),
            ("{\"a\"}\n", "Objects must consist of key:value pairs at line 1, column 5"),
            ("]\n", "Unmatched ']' at line 1, column 1"),
            ("[1}\n", "Objects must consist of key:value pairs at line 1, column 3"),
            ("{1:2}\n", "Object keys must be strings at line 1, column 3"),
            ("\"\\ud800\"\n", "Invalid \\uXXXX\\uXXXX surrogate pair escape at line 1, column 8"),
            ("\"\\u12\"\n", "Invalid \\uXXXX escape at line 1, column 6"),
            ("\"\\x\"\n", "Invalid escape at line 1, column 4"),
            (
                "\"a\tb\"\n",
                "Invalid string: control characters from U+0000 through U+001F must be escaped at line 1, column 5",
            ),
            ("nope", "Invalid numeric literal at EOF at line 1, column 4"),
            ("tru e\n", "Invalid literal at line 1, column 4"),
        ];
        for (input, want) in cases {
            let (_, err) = parse_all(input);
            assert_eq!(err.map(|e| e.to_string()).as_deref(), Some(want), "{input:?}");
        }
    }

    #[test]
    fn several_values_and_values_before_an_error() {
        let (values, err) = parse_all("1 2\n[1]x\n");
        assert_eq!(values.len(), 3);
        assert_eq!(err.map(|e| e.to_string()).as_deref(), Some("Invalid numeric literal at line 3, column 0"));
        let (values, err) = parse_all("");
        assert!(values.is_empty() && err.is_none());
        assert_eq!(compact("nan"), "null");
        assert_eq!(compact("  {\"a\" : [ true , false , null ] }  "), "{\"a\":[true,false,null]}");
    }

    #[test]
    fn prefix_parsing_reports_where_the_value_ends() {
        let text = "1 with \"a\"";
        let (v, end) = parse_prefix(text).unwrap_or_default();
        assert_eq!((write(&v, &Layout::compact()).as_str(), &text[end..]), ("1", " with \"a\""));
        let text = "[1,2] with \"a\"";
        let (_, end) = parse_prefix(text).unwrap_or_default();
        assert_eq!(&text[end..], " with \"a\"");
        let text = "[1,\"x\"] and";
        let (_, end) = parse_prefix(text).unwrap_or_default();
        assert_eq!(&text[end..], " and");
    }

    #[test]
    fn deep_nesting_and_huge_exponents_do_not_panic() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(parse_one(&deep), Err("Exceeds depth limit for parsing at line 1, column 1001".to_string()));
        let fine = "[".repeat(500) + &"]".repeat(500);
        assert!(parse_one(&fine).is_ok());
        assert_eq!(compact("1e99999999999999999999"), "1E+1000000000");
        assert_eq!(compact("-"), "error: Invalid numeric literal at EOF at line 1, column 1");
    }
}
