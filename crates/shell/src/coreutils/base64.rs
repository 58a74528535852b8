//! `base64 [OPTION]... [FILE]`: encode (wrapped at 76 columns, `-w N`,
//! `-w 0` for none) or decode (`-d`, `-i` to skip garbage). Decoding works
//! in groups of four characters as GNU's does: on bad or unpadded input it
//! prints what it decoded so far, then `base64: invalid input`.

use base64::Engine as _;

use super::getopt::{self, quote, Arg};
use super::Cmd;
use crate::files::Io;

const LONG: &[getopt::Long] =
    &[("decode", Arg::No, 'd'), ("ignore-garbage", Arg::No, 'i'), ("wrap", Arg::Required, 'w'), ("help", Arg::No, 'H')];

/// `base64 ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let mut cmd = Cmd::new("base64");
    let parsed = match getopt::parse(args, "diw:", LONG) {
        Ok(p) => p,
        Err(e) => return cmd.usage(&e, 1),
    };
    let (mut decode, mut garbage, mut wrap) = (false, false, 76usize);
    for (key, value) in &parsed.opts {
        match key {
            'd' => decode = true,
            'i' => garbage = true,
            'w' => {
                let value = value.clone().unwrap_or_default();
                match value.parse::<u64>() {
                    Ok(n) => wrap = usize::try_from(n).unwrap_or(usize::MAX),
                    // GNU prints one unwrapped line for sizes past the integer range.
                    Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => wrap = 0,
                    Err(_) => {
                        cmd.error(&format!("invalid wrap size: {}", quote(&value)));
                        cmd.status = 1;
                        return cmd;
                    }
                }
            }
            _ => {
                return cmd.help(
                    "[OPTION]... [FILE]",
                    "Encode FILE (standard input when none or -) as base64, or decode it.\n  -d, --decode          turn base64 back into data\n  -i, --ignore-garbage  when decoding, skip characters outside the alphabet\n  -w, --wrap=COLS       break encoded lines after COLS characters (76);\n                          0 keeps one line\n",
                )
            }
        }
    }
    if let Some(extra) = parsed.operands.get(1) {
        return cmd.usage(&format!("extra operand {}", quote(extra)), 1);
    }
    let name = parsed.operands.first().map(String::as_str).unwrap_or("-");
    let input = match io.read(name) {
        Ok(t) => t,
        Err(e) => {
            cmd.error(&format!("{name}: {e}"));
            cmd.status = 1;
            return cmd;
        }
    };
    if decode {
        let (bytes, ok) = decode_gnu(&input, garbage);
        cmd.out(&String::from_utf8_lossy(&bytes));
        if !ok {
            cmd.error("invalid input");
            cmd.status = 1;
        }
    } else {
        let encoded = base64::engine::general_purpose::STANDARD.encode(input.as_bytes());
        let mut out = String::with_capacity(encoded.len() + encoded.len() / 76 + 1);
        if wrap == 0 {
            out = encoded;
        } else {
            for (i, c) in encoded.chars().enumerate() {
                if i > 0 && i % wrap == 0 {
                    out.push('\n');
                }
                out.push(c);
            }
            if !out.is_empty() {
                out.push('\n');
            }
        }
        cmd.out(&out);
    }
    cmd
}

/// The 6-bit value of a character of the standard base64 alphabet.
pub(crate) fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes groups of four (newlines skipped); stops at the first bad
/// group after writing the bytes its leading characters gave.
fn decode_gnu(input: &str, ignore_garbage: bool) -> (Vec<u8>, bool) {
    let chars: Vec<u8> =
        input.bytes().filter(|&b| b != b'\n').filter(|&b| !ignore_garbage || b == b'=' || value(b).is_some()).collect();
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    for group in chars.chunks(4) {
        if !decode_group(group, &mut out) {
            return (out, false);
        }
    }
    (out, true)
}

fn decode_group(g: &[u8], out: &mut Vec<u8>) -> bool {
    let get = |i: usize| g.get(i).copied().and_then(value);
    let (Some(a), Some(b)) = (get(0), get(1)) else { return false };
    out.push((a << 2) | (b >> 4));
    match g.get(2) {
        None => false,
        Some(b'=') => g.len() == 4 && g.get(3) == Some(&b'='),
        Some(_) => {
            let Some(c) = get(2) else { return false };
            out.push(((b << 4) & 0xf0) | (c >> 2));
            match g.get(3) {
                None => false,
                Some(b'=') => true,
                Some(_) => {
                    let Some(d) = get(3) else { return false };
                    out.push(((c << 6) & 0xc0) | d);
                    true
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    fn b64(args: &[&str], input: &str) -> (String, String, i32) {
        run("base64", args, Some(input), &[])
    }

    #[test]
    fn encodes_with_wrapping() {
        assert_eq!(b64(&[], "{\"a\":1}").0, "eyJhIjoxfQ==\n");
        assert_eq!(b64(&["-w0"], "hi\n").0, "aGkK");
        assert_eq!(b64(&["-w", "3"], "hi\n").0, "aGk\nK\n");
        assert_eq!(b64(&[], "").0, "");
        let zeros = "\0".repeat(100);
        assert_eq!(b64(&[], &zeros).0, format!("{}\n{}==\n", "A".repeat(76), "A".repeat(58)));
        assert_eq!(b64(&["-w", "99999999999999999999999"], "hi\n").0, "aGkK");
    }

    #[test]
    fn decodes_as_gnu_does() {
        let invalid = "base64: invalid input\n";
        assert_eq!(b64(&["-d"], "eyJhIjoxfQ\n"), ("{\"a\":1}".into(), invalid.into(), 1));
        assert_eq!(b64(&["-d"], "eyJhIjoxfQ==\n"), ("{\"a\":1}".into(), String::new(), 0));
        assert_eq!(b64(&["-d"], "YQ==YQ==\n").0, "aa");
        assert_eq!(b64(&["-d"], "YW*Jj\n"), ("a".into(), invalid.into(), 1));
        assert_eq!(b64(&["-di"], "Y*WJj\n"), ("abc".into(), String::new(), 0));
        assert_eq!(b64(&["-d"], "Y\n"), (String::new(), invalid.into(), 1));
        assert_eq!(b64(&["-d"], "YQ=\n"), ("a".into(), invalid.into(), 1));
        assert_eq!(b64(&["-d"], "YQ==x\n"), ("a".into(), invalid.into(), 1));
        assert_eq!(b64(&["-d"], "YWJ=\n").0, "ab");
        assert_eq!(b64(&["--decode"], "/w==\n").0, "\u{fffd}");
    }

    #[test]
    fn errors() {
        assert_eq!(b64(&["-w", "x"], "").1, "base64: invalid wrap size: \u{2018}x\u{2019}\n");
        assert_eq!(
            b64(&["a", "b"], "").1,
            "base64: extra operand \u{2018}b\u{2019}\nTry 'base64 --help' for more information.\n"
        );
        assert_eq!(
            run("base64", &["nope"], None, &[]),
            (String::new(), "base64: nope: No such file or directory\n".into(), 1)
        );
        assert_eq!(
            b64(&["--decode=x"], "").1,
            "base64: option '--decode' doesn't allow an argument\nTry 'base64 --help' for more information.\n"
        );
    }
}
