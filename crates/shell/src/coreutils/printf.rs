//! `printf FORMAT [ARGUMENT]...` as GNU coreutils' printf: escapes,
//! `%` directives with flags, width and precision, the format reused while
//! arguments remain, and numeric arguments checked as `strtoimax` does.

use super::getopt::quote;
use super::Cmd;

/// `printf ARGS…`.
pub(crate) fn run(args: &[String]) -> Cmd {
    let mut cmd = Cmd::new("printf");
    if args.len() == 1 && args.first().is_some_and(|a| a == "--help") {
        return cmd.help(
            "FORMAT [ARGUMENT]...",
            "Print ARGUMENT(s) according to FORMAT: escapes (\\n \\t \\\\ \\NNN \\xHH \\uHHHH \\c) and\n\
             directives (%s %b %q %c %d %i %u %o %x %X %f %e %g %%) with flags, width\n\
             and precision; FORMAT is reused while ARGUMENTs remain.\n",
        );
    }
    let (format, rest) = match args.split_first() {
        Some((f, r)) if f == "--" => match r.split_first() {
            Some(x) => x,
            None => return cmd.usage("missing operand", 1),
        },
        Some(x) => x,
        None => return cmd.usage("missing operand", 1),
    };
    let mut state = State { args: rest, next: 0, cmd: &mut cmd, stop: false };
    loop {
        let before = state.next;
        if !state.format(format) {
            break;
        }
        if state.next == before || state.next >= rest.len() {
            if state.next == before {
                if let Some(extra) = rest.get(state.next) {
                    let msg = format!("warning: ignoring excess arguments, starting with {}", quote(extra));
                    state.cmd.error(&msg);
                }
            }
            break;
        }
    }
    cmd
}

struct State<'a> {
    args: &'a [String],
    next: usize,
    cmd: &'a mut Cmd,
    stop: bool,
}

/// One `%` directive's flags, width and precision.
#[derive(Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    hash: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
    grouping: bool,
}

impl Spec {
    /// Whether conversion `conv` accepts these flags (as coreutils checks).
    fn allows(&self, conv: char) -> bool {
        let mut ok = "aAcdeEfFgGiosuxX".contains(conv);
        if self.grouping {
            ok &= !"aAceEosxX".contains(conv);
        }
        if self.hash {
            ok &= !"cdisu".contains(conv);
        }
        if self.zero {
            ok &= !"cs".contains(conv);
        }
        if self.precision.is_some() {
            ok &= conv != 'c';
        }
        ok
    }
}

impl<'a> State<'a> {
    fn take(&mut self) -> Option<&'a str> {
        let arg = self.args.get(self.next);
        if arg.is_some() {
            self.next += 1;
        }
        arg.map(String::as_str)
    }

    /// Prints `format` once; `false` when output must stop (`\c`, errors).
    fn format(&mut self, format: &str) -> bool {
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            i += 1;
            match c {
                '\\' => {
                    let (text, used, stop) = match escape(chars.get(i..).unwrap_or_default(), false) {
                        Ok(e) => e,
                        Err(message) => {
                            self.fail(&message);
                            return false;
                        }
                    };
                    self.cmd.out(&text);
                    i += used;
                    if stop {
                        return false;
                    }
                }
                '%' => {
                    let start = i - 1;
                    if chars.get(i) == Some(&'%') {
                        self.cmd.out("%");
                        i += 1;
                        continue;
                    }
                    // `%b` and `%q` take no flags, width or precision.
                    if let Some(&bare @ ('b' | 'q')) = chars.get(i) {
                        i += 1;
                        self.directive(bare, &Spec::default());
                        if self.stop {
                            return false;
                        }
                        continue;
                    }
                    let mut spec = Spec::default();
                    while let Some(&f) = chars.get(i) {
                        match f {
                            '-' => spec.minus = true,
                            '+' => spec.plus = true,
                            ' ' => spec.space = true,
                            '#' => spec.hash = true,
                            '0' => spec.zero = true,
                            '\'' => spec.grouping = true,
                            _ => break,
                        }
                        i += 1;
                    }
                    if chars.get(i) == Some(&'*') {
                        i += 1;
                        let w = self.take().map(|a| self.integer(a)).unwrap_or(0);
                        if w < 0 {
                            spec.minus = true;
                        }
                        spec.width = Some(usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX).min(1 << 20));
                    } else {
                        spec.width = digits(&chars, &mut i);
                    }
                    if chars.get(i) == Some(&'.') {
                        i += 1;
                        if chars.get(i) == Some(&'*') {
                            i += 1;
                            let p = self.take().map(|a| self.integer(a)).unwrap_or(0);
                            spec.precision = usize::try_from(p).ok().map(|p| p.min(1 << 20));
                        } else {
                            spec.precision = Some(digits(&chars, &mut i).unwrap_or(0));
                        }
                    }
                    while matches!(chars.get(i), Some('h' | 'l' | 'L' | 'j' | 'z' | 't')) {
                        i += 1;
                    }
                    let Some(&conv) = chars.get(i) else {
                        let text: String = chars.get(start..).unwrap_or_default().iter().collect();
                        self.cmd.error(&format!("{text}: invalid conversion specification"));
                        self.cmd.status = 1;
                        return false;
                    };
                    i += 1;
                    if !spec.allows(conv) || !self.directive(conv, &spec) {
                        let text: String = chars.get(start..i).unwrap_or_default().iter().collect();
                        self.cmd.error(&format!("{text}: invalid conversion specification"));
                        self.cmd.status = 1;
                        return false;
                    }
                    if self.stop {
                        return false;
                    }
                }
                c => {
                    let mut buf = [0u8; 4];
                    self.cmd.out(c.encode_utf8(&mut buf));
                }
            }
        }
        true
    }

    /// Prints one conversion; `false` for an unknown conversion letter.
    fn directive(&mut self, conv: char, spec: &Spec) -> bool {
        let text = match conv {
            's' => {
                let arg = self.take().unwrap_or_default().to_string();
                let arg = match spec.precision {
                    Some(p) => truncate_bytes(&arg, p),
                    None => arg,
                };
                pad(arg, spec, false)
            }
            'b' => {
                let arg: Vec<char> = self.take().unwrap_or_default().chars().collect();
                let mut text = String::new();
                let mut i = 0;
                while let Some(&c) = arg.get(i) {
                    i += 1;
                    if c == '\\' {
                        let (t, used, stop) = match escape(arg.get(i..).unwrap_or_default(), true) {
                            Ok(e) => e,
                            Err(message) => {
                                self.fail(&message);
                                self.stop = true;
                                break;
                            }
                        };
                        text.push_str(&t);
                        i += used;
                        if stop {
                            self.stop = true;
                            break;
                        }
                    } else {
                        text.push(c);
                    }
                }
                let text = match spec.precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                };
                pad(text, spec, false)
            }
            'q' => pad(shell_quote(self.take().unwrap_or_default()), spec, false),
            'c' => pad(self.take().and_then(|a| a.chars().next()).map(String::from).unwrap_or_default(), spec, false),
            'd' | 'i' => {
                let v = self.take().map(|a| self.integer(a)).unwrap_or(0);
                let sign = sign(v < 0, spec);
                number(sign, v.unsigned_abs().to_string(), "", spec)
            }
            'u' | 'x' | 'X' | 'o' => {
                let v = self.take().map(|a| self.unsigned(a)).unwrap_or(0);
                let (digits, prefix) = match conv {
                    'u' => (v.to_string(), ""),
                    'x' => (format!("{v:x}"), if spec.hash && v != 0 { "0x" } else { "" }),
                    'X' => (format!("{v:X}"), if spec.hash && v != 0 { "0X" } else { "" }),
                    _ => (format!("{v:o}"), if spec.hash && v != 0 { "0" } else { "" }),
                };
                number("", digits, prefix, spec)
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let v = self.take().map(|a| self.float(a)).unwrap_or(0.0);
                let body = float(v.abs(), conv, spec.precision.unwrap_or(6), spec.hash);
                let sign = sign(v.is_sign_negative() && !v.is_nan(), spec);
                let finite = v.is_finite();
                let spec = Spec { precision: None, zero: spec.zero && finite, ..spec.clone() };
                number(sign, body, "", &spec)
            }
            _ => return false,
        };
        self.cmd.out(&text);
        true
    }

    /// A numeric argument as `strtoimax` reads it, reporting bad ones.
    fn integer(&mut self, arg: &str) -> i64 {
        let v = self.number(arg, i128::from(i64::MIN), i128::from(i64::MAX), i128::from(i64::MIN));
        i64::try_from(v).unwrap_or_default()
    }

    /// A numeric argument as `strtoumax` reads it (negative values wrap).
    fn unsigned(&mut self, arg: &str) -> u64 {
        let v = self.number(arg, -i128::from(u64::MAX), i128::from(u64::MAX), i128::from(u64::MAX));
        if v < 0 {
            (v.unsigned_abs() as u64).wrapping_neg()
        } else {
            u64::try_from(v).unwrap_or(u64::MAX)
        }
    }

    /// The value of `arg` in `min..=max` (`max` when too large,
    /// `below_min` when too small); a leading quote gives the next
    /// character's code.
    fn number(&mut self, arg: &str, min: i128, max: i128, below_min: i128) -> i128 {
        if let Some(c) = arg.strip_prefix(['\'', '"']) {
            return c.chars().next().map(|c| i128::from(u32::from(c))).unwrap_or(0);
        }
        let trimmed = arg.trim_start();
        let (negative, body) = match trimmed.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let hex = body
            .strip_prefix("0x")
            .or_else(|| body.strip_prefix("0X"))
            .filter(|h| h.starts_with(|c: char| c.is_ascii_hexdigit()));
        let (radix, digits) = if let Some(h) = hex {
            (16, h)
        } else if body.starts_with('0') {
            (8, body)
        } else {
            (10, body)
        };
        let len = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        let (number, rest) = digits.split_at(len);
        if number.is_empty() {
            if !arg.is_empty() {
                self.fail(&format!("{}: expected a numeric value", quote(arg)));
            }
            return 0;
        }
        let magnitude = i128::from_str_radix(number, radix).ok().filter(|m| *m <= max);
        let value = match magnitude {
            Some(m) if negative && -m >= min => -m,
            Some(m) if !negative => m,
            _ => {
                self.fail(&format!("{}: Numerical result out of range", quote(arg)));
                return if negative { below_min } else { max };
            }
        };
        if !rest.is_empty() {
            self.fail(&format!("{}: value not completely converted", quote(arg)));
        }
        value
    }

    /// A floating-point argument as `strtold` reads it.
    fn float(&mut self, arg: &str) -> f64 {
        if let Some(c) = arg.strip_prefix(['\'', '"']) {
            return c.chars().next().map(|c| f64::from(u32::from(c))).unwrap_or(0.0);
        }
        let trimmed = arg.trim_start();
        let mut best = None;
        for end in (1..=trimmed.len()).rev() {
            if let Some(v) = trimmed.get(..end).and_then(|s| s.parse::<f64>().ok()) {
                best = Some((v, end));
                break;
            }
        }
        match best {
            Some((v, end)) => {
                if end < trimmed.len() {
                    self.fail(&format!("{}: value not completely converted", quote(arg)));
                }
                v
            }
            None => {
                if !arg.is_empty() {
                    self.fail(&format!("{}: expected a numeric value", quote(arg)));
                }
                0.0
            }
        }
    }

    fn fail(&mut self, msg: &str) {
        self.cmd.error(msg);
        self.cmd.status = 1;
    }
}

fn digits(chars: &[char], i: &mut usize) -> Option<usize> {
    let mut value: Option<usize> = None;
    while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
        value = Some(value.unwrap_or(0).saturating_mul(10).saturating_add(d as usize).min(1 << 20));
        *i += 1;
    }
    value
}

/// Pads `text` to the width (counted in bytes, as C's printf does), on
/// the left unless `-`.
fn pad(text: String, spec: &Spec, zero: bool) -> String {
    let width = spec.width.unwrap_or(0);
    let len = text.len();
    if len >= width {
        return text;
    }
    let fill = width - len;
    if spec.minus {
        format!("{text}{}", " ".repeat(fill))
    } else if zero {
        format!("{}{text}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary (C's `%.Ns` counts bytes).
fn truncate_bytes(text: &str, max: usize) -> String {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_string()
}

/// A number: sign, base prefix, digits padded to the precision, then to
/// the width (with zeros after the sign when `0` and no precision).
/// The sign a number's conversion prints: `-`, or `+`/space from the flags.
fn sign(negative: bool, spec: &Spec) -> &'static str {
    if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

fn number(sign: &str, digits: String, prefix: &str, spec: &Spec) -> String {
    let digits = match spec.precision {
        Some(0) if digits == "0" => String::new(),
        Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    };
    let head = format!("{sign}{prefix}");
    let width = spec.width.unwrap_or(0);
    let len = head.len() + digits.chars().count();
    if spec.zero && !spec.minus && spec.precision.is_none() && len < width {
        return format!("{head}{}{digits}", "0".repeat(width - len));
    }
    pad(format!("{head}{digits}"), spec, false)
}

/// `%f`, `%e` and `%g` of a non-negative value.
fn float(v: f64, conv: char, precision: usize, hash: bool) -> String {
    if v.is_nan() {
        return if conv.is_ascii_uppercase() { "NAN" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if conv.is_ascii_uppercase() { "INF" } else { "inf" }.to_string();
    }
    let text = match conv.to_ascii_lowercase() {
        'f' => format!("{v:.precision$}"),
        'e' => exponent(v, precision),
        _ => {
            let p = precision.max(1);
            let x = if v == 0.0 {
                0
            } else {
                exponent(v, p - 1).rsplit('e').next().and_then(|e| e.parse::<i64>().ok()).unwrap_or(0)
            };
            let p_i = i64::try_from(p).unwrap_or(i64::MAX);
            let mut s = if x < p_i && x >= -4 {
                let decimals = usize::try_from(p_i - 1 - x).unwrap_or(0);
                format!("{v:.decimals$}")
            } else {
                exponent(v, p - 1)
            };
            if !hash {
                s = trim_zeros(&s);
            }
            s
        }
    };
    if conv.is_ascii_uppercase() {
        text.to_uppercase()
    } else {
        text
    }
}

/// C's `%.Pe`: one digit, the fraction, `e`, a sign and at least two
/// exponent digits.
fn exponent(v: f64, precision: usize) -> String {
    let s = format!("{v:.precision$e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

fn trim_zeros(s: &str) -> String {
    let (mantissa, exp) = match s.find('e') {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { mantissa };
    format!("{mantissa}{exp}")
}

/// A backslash escape after the `\`: the text, how many characters it
/// used and whether it was `\c`. In `%b` arguments octal escapes are
/// `\0NNN`.
fn escape(rest: &[char], in_b: bool) -> Result<(String, usize, bool), String> {
    let Some(&c) = rest.first() else { return Ok(("\\".to_string(), 0, false)) };
    let simple = match c {
        '\\' => Some('\\'),
        '"' if !in_b => Some('"'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'e' => Some('\x1b'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        _ => None,
    };
    if let Some(s) = simple {
        return Ok((s.to_string(), 1, false));
    }
    let missing = || "missing hexadecimal number in escape".to_string();
    Ok(match c {
        'c' => (String::new(), 1, true),
        'x' => {
            let hex: String = rest.iter().skip(1).take(2).take_while(|c| c.is_ascii_hexdigit()).collect();
            let v = u32::from_str_radix(&hex, 16).map_err(|_| missing())?;
            (char::from_u32(v).map(String::from).unwrap_or_default(), 1 + hex.len(), false)
        }
        'u' | 'U' => {
            let n = if c == 'u' { 4 } else { 8 };
            let hex: String = rest.iter().skip(1).take(n).take_while(|c| c.is_ascii_hexdigit()).collect();
            if hex.len() < n {
                return Err(missing());
            }
            let v = u32::from_str_radix(&hex, 16).map_err(|_| missing())?;
            let allowed_low = matches!(v, 0x24 | 0x40 | 0x60);
            match char::from_u32(v) {
                Some(ch) if v >= 0xa0 || allowed_low => (ch.to_string(), 1 + n, false),
                _ => return Err(format!("invalid universal character name \\{c}{hex}")),
            }
        }
        '0'..='7' => {
            let (skip, max) = if in_b && c == '0' { (1, 3) } else { (0, 3) };
            let oct: String = rest.iter().skip(skip).take(max).take_while(|c| ('0'..='7').contains(c)).collect();
            let v = u32::from_str_radix(&oct, 8).unwrap_or(0) & 0xff;
            (char::from_u32(v).map(String::from).unwrap_or_default(), skip + oct.len(), false)
        }
        other => (format!("\\{other}"), 1, false),
    })
}

/// `%q`: the argument quoted for reuse as shell input.
fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-#~".contains(c);
    if s.is_empty() {
        return "''".to_string();
    }
    // `#` and `~` are special only at the start of a word.
    if s.chars().all(safe) && !s.starts_with(['#', '~']) {
        return s.to_string();
    }
    if s.chars().any(char::is_control) {
        let mut out = String::new();
        let mut in_quotes = false;
        for c in s.chars() {
            if c.is_control() {
                if in_quotes {
                    out.push('\'');
                    in_quotes = false;
                }
                let esc = match c {
                    '\n' => "\\n".to_string(),
                    '\t' => "\\t".to_string(),
                    '\r' => "\\r".to_string(),
                    other => format!("\\{:03o}", u32::from(other)),
                };
                out.push_str(&format!("$'{esc}'"));
            } else {
                if !in_quotes {
                    out.push('\'');
                    in_quotes = true;
                }
                if c == '\'' {
                    out.push_str("'\\''");
                } else {
                    out.push(c);
                }
            }
        }
        if in_quotes {
            out.push('\'');
        }
        return out;
    }
    if s.contains('\'') && !s.contains(['"', '$', '`', '\\', '!']) {
        return format!("\"{s}\"");
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printf(args: &[&str]) -> (String, String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let cmd = run(&args);
        let out = cmd.finish();
        (out.stdout(), out.stderr(), out.exit_code)
    }

    #[test]
    fn directives_follow_c_printf() {
        let (out, _, _) = printf(&[
            "[%5s][%-5s][%.2s][%05d][%-5d|][%+d][% d][%x][%X][%o][%#x][%#o][%c][%5.1f][%e][%g][%g][%g]\\n",
            "ab",
            "ab",
            "abc",
            "42",
            "42",
            "42",
            "42",
            "255",
            "255",
            "8",
            "255",
            "8",
            "hello",
            "3.14159",
            "1234.5",
            "0.0001",
            "1234567",
            "100",
        ]);
        assert_eq!(
            out,
            "[   ab][ab   ][ab][00042][42   |][+42][ 42][ff][FF][10][0xff][010][h][  3.1][1.234500e+03][0.0001][1.23457e+06][100]\n"
        );
    }

    #[test]
    fn format_is_reused_and_missing_arguments_are_empty() {
        assert_eq!(printf(&["%s-%s\\n", "a", "b", "c"]).0, "a-b\nc-\n");
        assert_eq!(printf(&["%d %d\\n", "1"]).0, "1 0\n");
        assert_eq!(printf(&["%.3d|%x\\n", "5", "-1"]).0, "005|ffffffffffffffff\n");
        assert_eq!(printf(&["%*d|\\n", "5", "3"]).0, "    3|\n");
    }

    #[test]
    fn bad_numbers_warn_and_go_on() {
        let (out, err, status) =
            printf(&["%d\\n", "x", "12a", "99999999999999999999", "'A", "", "0x1f", "010", " 5", "-3", "+4"]);
        assert_eq!(out, "0\n12\n9223372036854775807\n65\n0\n31\n8\n5\n-3\n4\n");
        assert_eq!(
            err,
            "printf: \u{2018}x\u{2019}: expected a numeric value\n\
             printf: \u{2018}12a\u{2019}: value not completely converted\n\
             printf: \u{2018}99999999999999999999\u{2019}: Numerical result out of range\n"
        );
        assert_eq!(status, 1);
    }

    #[test]
    fn widths_count_bytes() {
        assert_eq!(printf(&["%5s|%.1s|%.2s|\\n", "\u{e9}", "\u{e9}", "\u{e9}"]).0, "   \u{e9}||\u{e9}|\n");
        assert_eq!(printf(&["%q %q %q\\n", "a#b", "#a", "~x"]).0, "a#b '#a' '~x'\n");
    }

    #[test]
    fn escapes_and_b_and_c() {
        assert_eq!(printf(&["\\x41\\101\\u00e9\\q\\n"]).0, "AA\u{e9}\\q\n");
        assert_eq!(printf(&["%b|\\n", "a\\tb\\0101\\c", "x"]).0, "a\tbA");
        assert_eq!(printf(&["a\\cb"]).0, "a");
        assert_eq!(printf(&["a\\u12"]), ("a".into(), "printf: missing hexadecimal number in escape\n".into(), 1));
        assert_eq!(printf(&["\\x"]).1, "printf: missing hexadecimal number in escape\n");
        assert_eq!(printf(&["\\ud800"]).1, "printf: invalid universal character name \\ud800\n");
        assert_eq!(printf(&["\\u0041"]).1, "printf: invalid universal character name \\u0041\n");
        assert_eq!(printf(&["%b", "x\\u12"]), ("x".into(), "printf: missing hexadecimal number in escape\n".into(), 1));
        assert_eq!(
            printf(&["%q\\n", "a b", "a'b", "", "a$b", "a\nb", "abc"]).0,
            "'a b'\n\"a'b\"\n''\n'a$b'\n'a'$'\\n''b'\nabc\n"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(printf(&["%z"]).1, "printf: %z: invalid conversion specification\n");
        for bad in ["%5q", "%-b", "%.1b", "%05s", "%#c", "%.1c", "%'x", "%#d"] {
            assert_eq!(printf(&[bad, "1"]).1, format!("printf: {bad}: invalid conversion specification\n"));
        }
        assert_eq!(printf(&["%+s|%'d|%#g|%g\n", "a", "5", "1", "-0"]).0, "a|5|1.00000|-0\n");
        assert_eq!(
            printf(&["%x|%x|%u\n", "99999999999999999999", "-99999999999999999999", "-1"]).0,
            "ffffffffffffffff|ffffffffffffffff|18446744073709551615\n"
        );
        assert_eq!(printf(&["%d|%x|%o\n", "0x", "0x", "08"]).1.lines().count(), 3);
        assert_eq!(printf(&["%"]).1, "printf: %: invalid conversion specification\n");
        assert_eq!(
            printf(&[]),
            (String::new(), "printf: missing operand\nTry 'printf --help' for more information.\n".into(), 1)
        );
        assert_eq!(
            printf(&["x\\n", "a"]).1,
            "printf: warning: ignoring excess arguments, starting with \u{2018}a\u{2019}\n"
        );
        assert_eq!(printf(&["%.99999999999999999999d", "1"]).2, 0);
    }
}
