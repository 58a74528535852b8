//! Go's `encoding/json` syntax errors, for request bodies the API server
//! reads as JSON.
//!
//! The API server checks that a body is valid JSON before decoding it, and
//! a learner's typo comes back in Go's words (`invalid character '}'
//! looking for beginning of value`). serde_json words the same errors
//! differently, so bodies are first checked here, by a scanner that follows
//! Go's states and messages.

/// Where in a JSON text the scanner is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeginValue,
    BeginKeyOrEmpty,
    BeginKey,
    BeginValueOrEmpty,
    EndValue,
    EndTop,
    InString,
    InStringEscape,
    InStringEscapeU(u8),
    Neg,
    Zero,
    Digits,
    Dot,
    DotDigits,
    Exponent,
    ExponentSign,
    ExponentDigits,
    /// Inside `true`, `false` or `null`: the literal and how much of it has
    /// been read.
    Literal(&'static str, usize),
}

/// What an open bracket holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    ObjectKey,
    ObjectValue,
    Array,
}

/// Go's `quoteChar`: the character as Go quotes it in a syntax error
/// (`strconv.Quote` between single quotes).
fn quote_char(c: char) -> String {
    let code = u32::from(c);
    let inner = match c {
        '\'' => "\\'".to_string(),
        '"' => "\"".to_string(),
        '\\' => "\\\\".to_string(),
        '\u{7}' => "\\a".to_string(),
        '\u{8}' => "\\b".to_string(),
        '\u{c}' => "\\f".to_string(),
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        '\t' => "\\t".to_string(),
        '\u{b}' => "\\v".to_string(),
        _ if code < 0x20 || code == 0x7f => format!("\\x{code:02x}"),
        // The bytes read here that start a multi-byte character (0xc2 and
        // up) are all printable for Go.
        _ => c.to_string(),
    };
    format!("'{inner}'")
}

fn invalid(c: char, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// JSON text as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028 and
/// U+2029 as `\u` escapes (they only occur inside strings).
pub fn escape_html(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Go's message for the first syntax error in `text`, or `None` when it
/// is one valid JSON value (Go's `json.Valid`).
pub fn syntax_error(text: &str) -> Option<String> {
    match scan(text.as_bytes(), false) {
        Ok(()) => None,
        Err(StreamError::Syntax { message, .. }) => Some(message),
        Err(StreamError::UnexpectedEof) => Some("unexpected end of JSON input".to_string()),
    }
}

/// Go's error for `json.Unmarshal(bytes, &map[string]interface{}{})`: a
/// syntax error first, then a top-level value that is neither an object
/// nor `null`.
pub fn object_error(bytes: &[u8]) -> Option<String> {
    if let Err(error) = scan(bytes, false) {
        return Some(match error {
            StreamError::Syntax { message, .. } => message,
            StreamError::UnexpectedEof => "unexpected end of JSON input".to_string(),
        });
    }
    let kind = match bytes.iter().find(|b| !is_space(char::from(**b)))? {
        b'{' | b'n' => return None,
        b'[' => "array",
        b'"' => "string",
        b't' | b'f' => "bool",
        _ => "number",
    };
    Some(format!("json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"))
}

/// Why a stream of JSON values (what `json.Decoder` reads, one value after
/// another) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// A syntax error after reading `offset` bytes (Go's
    /// `SyntaxError.Offset`), in Go's words.
    Syntax {
        /// The bytes read, the bad one included.
        offset: usize,
        /// Go's message.
        message: String,
    },
    /// The text ends inside a value (`io.ErrUnexpectedEOF`).
    UnexpectedEof,
}

/// The first error in a stream of JSON values, as Go's `json.Decoder`
/// finds it, or `None` when every value in `text` is complete.
pub fn stream_error(text: &str) -> Option<StreamError> {
    scan(text.as_bytes(), true).err()
}

/// Scans `text` as one JSON value, or with `stream` as values one after
/// another. Go's scanner reads bytes: a byte of a multi-byte character
/// outside a string is reported as the character of that code (Latin-1).
fn scan(text: &[u8], stream: bool) -> Result<(), StreamError> {
    let mut state = State::BeginValue;
    let mut stack: Vec<Open> = Vec::new();
    for (at, c) in text.iter().map(|b| char::from(*b)).enumerate() {
        // A complete value: in a stream, the next one may start here.
        let from = if stream && state == State::EndTop && !is_space(c) { State::BeginValue } else { state };
        state = step(from, &mut stack, c).map_err(|message| StreamError::Syntax { offset: at + 1, message })?;
    }
    // The end of the text ends a number or the top-level value (or, in a
    // stream, comes between values).
    let complete = match state {
        State::EndTop => true,
        State::BeginValue => stream && stack.is_empty(),
        State::Zero | State::Digits | State::DotDigits | State::ExponentDigits => stack.is_empty(),
        _ => false,
    };
    if complete {
        Ok(())
    } else {
        Err(StreamError::UnexpectedEof)
    }
}

/// The state after `c`, or Go's message for it.
fn step(state: State, stack: &mut Vec<Open>, c: char) -> Result<State, String> {
    match state {
        State::BeginValue | State::BeginValueOrEmpty => {
            if is_space(c) {
                return Ok(state);
            }
            if state == State::BeginValueOrEmpty && c == ']' {
                return end_value(stack, c);
            }
            match c {
                '{' => {
                    stack.push(Open::ObjectKey);
                    Ok(State::BeginKeyOrEmpty)
                }
                '[' => {
                    stack.push(Open::Array);
                    Ok(State::BeginValueOrEmpty)
                }
                '"' => Ok(State::InString),
                '-' => Ok(State::Neg),
                '0' => Ok(State::Zero),
                '1'..='9' => Ok(State::Digits),
                't' => Ok(State::Literal("true", 1)),
                'f' => Ok(State::Literal("false", 1)),
                'n' => Ok(State::Literal("null", 1)),
                _ => Err(invalid(c, "looking for beginning of value")),
            }
        }
        State::BeginKeyOrEmpty | State::BeginKey => {
            if is_space(c) {
                return Ok(state);
            }
            if state == State::BeginKeyOrEmpty && c == '}' {
                if let Some(top) = stack.last_mut() {
                    *top = Open::ObjectValue;
                }
                return end_value(stack, c);
            }
            if c == '"' {
                return Ok(State::InString);
            }
            Err(invalid(c, "looking for beginning of object key string"))
        }
        State::EndValue => end_value(stack, c),
        State::EndTop => {
            if is_space(c) {
                Ok(state)
            } else {
                Err(invalid(c, "after top-level value"))
            }
        }
        State::InString => match c {
            '"' => Ok(after_value(stack)),
            '\\' => Ok(State::InStringEscape),
            c if u32::from(c) < 0x20 => Err(invalid(c, "in string literal")),
            _ => Ok(state),
        },
        State::InStringEscape => match c {
            'b' | 'f' | 'n' | 'r' | 't' | '\\' | '/' | '"' => Ok(State::InString),
            'u' => Ok(State::InStringEscapeU(0)),
            _ => Err(invalid(c, "in string escape code")),
        },
        State::InStringEscapeU(n) => {
            if !c.is_ascii_hexdigit() {
                return Err(invalid(c, "in \\u hexadecimal character escape"));
            }
            Ok(if n == 3 { State::InString } else { State::InStringEscapeU(n + 1) })
        }
        State::Neg => match c {
            '0' => Ok(State::Zero),
            '1'..='9' => Ok(State::Digits),
            _ => Err(invalid(c, "in numeric literal")),
        },
        State::Zero | State::Digits => match c {
            '0'..='9' if state == State::Digits => Ok(State::Digits),
            '.' => Ok(State::Dot),
            'e' | 'E' => Ok(State::Exponent),
            _ => end_value(stack, c),
        },
        State::Dot => match c {
            '0'..='9' => Ok(State::DotDigits),
            _ => Err(invalid(c, "after decimal point in numeric literal")),
        },
        State::DotDigits => match c {
            '0'..='9' => Ok(state),
            'e' | 'E' => Ok(State::Exponent),
            _ => end_value(stack, c),
        },
        State::Exponent => match c {
            '+' | '-' => Ok(State::ExponentSign),
            '0'..='9' => Ok(State::ExponentDigits),
            _ => Err(invalid(c, "in exponent of numeric literal")),
        },
        State::ExponentSign => match c {
            '0'..='9' => Ok(State::ExponentDigits),
            _ => Err(invalid(c, "in exponent of numeric literal")),
        },
        State::ExponentDigits => match c {
            '0'..='9' => Ok(state),
            _ => end_value(stack, c),
        },
        State::Literal(word, read) => {
            let expected = word[read..].chars().next().unwrap_or(' ');
            if c != expected {
                return Err(invalid(c, &format!("in literal {word} (expecting {})", quote_char(expected))));
            }
            Ok(if read + 1 == word.len() { after_value(stack) } else { State::Literal(word, read + 1) })
        }
    }
}

/// The state once a value is complete.
fn after_value(stack: &[Open]) -> State {
    if stack.is_empty() {
        State::EndTop
    } else {
        State::EndValue
    }
}

/// What may follow a complete value (inside an object or array, or at
/// the top level).
fn end_value(stack: &mut Vec<Open>, c: char) -> Result<State, String> {
    let Some(top) = stack.last().copied() else {
        return step(State::EndTop, stack, c);
    };
    if is_space(c) {
        return Ok(State::EndValue);
    }
    match (top, c) {
        (Open::ObjectKey, ':') => {
            if let Some(top) = stack.last_mut() {
                *top = Open::ObjectValue;
            }
            Ok(State::BeginValue)
        }
        (Open::ObjectKey, _) => Err(invalid(c, "after object key")),
        (Open::ObjectValue, ',') => {
            if let Some(top) = stack.last_mut() {
                *top = Open::ObjectKey;
            }
            Ok(State::BeginKey)
        }
        (Open::ObjectValue, '}') | (Open::Array, ']') => {
            stack.pop();
            Ok(after_value(stack))
        }
        (Open::ObjectValue, _) => Err(invalid(c, "after object key:value pair")),
        (Open::Array, ',') => Ok(State::BeginValue),
        (Open::Array, _) => Err(invalid(c, "after array element")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_read_value_after_value() {
        assert_eq!(stream_error("{} {\"a\": 1}\n[2] 3 "), None);
        assert_eq!(stream_error(" \n"), None);
        let bad = r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": }}"#;
        assert_eq!(
            stream_error(bad),
            Some(StreamError::Syntax {
                offset: 69,
                message: "invalid character '}' looking for beginning of value".to_string()
            })
        );
        assert_eq!(stream_error("{\"a\": 1}\n{\"b\":"), Some(StreamError::UnexpectedEof));
    }

    #[test]
    fn valid_json_has_no_error() {
        for text in [
            "{}",
            " [ ] ",
            r#"{"a": [1, -0.5e+3, true, false, null, "x\"\u00e9"], "b": {}}"#,
            "0",
            "-12.5E3\n",
            r#""é""#,
        ] {
            assert_eq!(syntax_error(text), None, "{text}");
        }
    }

    /// Go 1.23's `json.Valid` errors for the same texts.
    #[test]
    fn errors_are_worded_as_go_words_them() {
        let cases = [
            (r#"{"a":}"#, "invalid character '}' looking for beginning of value"),
            (r#"{"metadata":{"labels":{"a":"b"}}"#, "unexpected end of JSON input"),
            ("{metadata: 1}", "invalid character 'm' looking for beginning of object key string"),
            (r#"{"x": tru}"#, "invalid character '}' in literal true (expecting 'e')"),
            (r#"{"x": nul"#, "unexpected end of JSON input"),
            (r#"{"x": fals3}"#, "invalid character '3' in literal false (expecting 'e')"),
            (r#"{"a" 1}"#, "invalid character '1' after object key"),
            (r#"{"a": 1 "b": 2}"#, "invalid character '\"' after object key:value pair"),
            ("[1 2]", "invalid character '2' after array element"),
            (r#"{"a": 1} x"#, "invalid character 'x' after top-level value"),
            (r#"{"a": 1,}"#, "invalid character '}' looking for beginning of object key string"),
            ("[1,]", "invalid character ']' looking for beginning of value"),
            ("", "unexpected end of JSON input"),
            ("{'a': 1}", "invalid character '\\'' looking for beginning of object key string"),
            ("{\"a\n\": 1}", "invalid character '\\n' in string literal"),
            (r#"{"a": "\q"}"#, "invalid character 'q' in string escape code"),
            (r#"{"a": "\u12x4"}"#, "invalid character 'x' in \\u hexadecimal character escape"),
            ("[-]", "invalid character ']' in numeric literal"),
            ("[1.]", "invalid character ']' after decimal point in numeric literal"),
            ("[1e]", "invalid character ']' in exponent of numeric literal"),
            ("01", "invalid character '1' after top-level value"),
            ("[\u{1}]", "invalid character '\\x01' looking for beginning of value"),
            ("{\"a\": \\}", "invalid character '\\\\' looking for beginning of value"),
            ("{\"a\": é}", "invalid character 'Ã' looking for beginning of value"),
            ("[\u{a0}1]", "invalid character 'Â' looking for beginning of value"),
        ];
        for (text, want) in cases {
            assert_eq!(syntax_error(text).as_deref(), Some(want), "{text}");
        }
    }

    /// Unmarshalling into a map: syntax first, then the value's kind.
    #[test]
    fn only_objects_and_null_unmarshal_into_a_map() {
        let map = "into Go value of type map[string]interface {}";
        let cases = [
            (&b"{\"auths\":{}}"[..], None),
            (b" null ", None),
            (b"[]", Some(format!("json: cannot unmarshal array {map}"))),
            (b"\"x\"", Some(format!("json: cannot unmarshal string {map}"))),
            (b"-1", Some(format!("json: cannot unmarshal number {map}"))),
            (b"\ttrue", Some(format!("json: cannot unmarshal bool {map}"))),
            (b"[1,", Some("unexpected end of JSON input".to_string())),
            (b"", Some("unexpected end of JSON input".to_string())),
            (b"{\"a\":\"\xff\"}", None),
            (b"\xff", Some("invalid character '\u{ff}' looking for beginning of value".to_string())),
        ];
        for (bytes, want) in cases {
            assert_eq!(object_error(bytes), want, "{}", String::from_utf8_lossy(bytes));
        }
    }
}
