//! `tr [OPTION]... SET1 [SET2]`: translate, delete (`-d`) and squeeze
//! (`-s`) characters; sets take ranges (`a-z`), classes (`[:upper:]`),
//! repeats (`[c*n]`), equivalence classes (`[=c=]`) and backslash escapes.

use std::collections::{BTreeMap, BTreeSet};

use super::getopt::{self, quote, Arg};
use super::Cmd;
use crate::files::Io;

const LONG: &[getopt::Long] = &[
    ("complement", Arg::No, 'c'),
    ("delete", Arg::No, 'd'),
    ("squeeze-repeats", Arg::No, 's'),
    ("truncate-set1", Arg::No, 't'),
    ("help", Arg::No, 'H'),
];

/// One piece of a parsed set.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Char(char),
    Class(&'static str, Vec<char>),
    /// `[c*n]`; `None` is `[c*]`: as many as needed to fill SET2.
    Repeat(char, Option<usize>),
}

/// `tr ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let cmd = Cmd::new("tr");
    let parsed = match getopt::parse(args, "cCdst", LONG) {
        Ok(p) => p,
        Err(e) => return cmd.usage(&e, 1),
    };
    let (mut complement, mut delete, mut squeeze, mut truncate) = (false, false, false, false);
    for (key, _) in &parsed.opts {
        match key {
            'c' | 'C' => complement = true,
            'd' => delete = true,
            's' => squeeze = true,
            't' => truncate = true,
            _ => {
                return cmd.help(
                    "[OPTION]... STRING1 [STRING2]",
                    "Copy standard input to standard output, replacing, removing or squeezing\ncharacters.\n  -c, -C, --complement    use every character not in STRING1\n  -d, --delete            remove the characters of STRING1\n  -s, --squeeze-repeats   turn runs of one character of the last STRING into one\n  -t, --truncate-set1     shorten STRING1 to the length of STRING2\n",
                )
            }
        }
    }
    let ops = &parsed.operands;
    let needed = if delete && squeeze || (!delete && !squeeze) { 2 } else { 1 };
    match ops.as_slice() {
        [] => return cmd.usage("missing operand", 1),
        [one] if needed == 2 => {
            let why = if delete {
                "Two strings must be given when both deleting and squeezing repeats."
            } else {
                "Two strings must be given when translating."
            };
            return cmd.usage(&format!("missing operand after {}\n{why}", quote(one)), 1);
        }
        _ => {}
    }
    if let Some(extra) = ops.get(needed) {
        let mut message = format!("extra operand {}", quote(extra));
        if delete && !squeeze {
            message.push_str("\nOnly one string may be given when deleting without squeezing repeats.");
        }
        return cmd.usage(&message, 1);
    }
    let mut cmd = cmd;
    match translate(io.stdin().as_str(), ops, complement, delete, squeeze, truncate) {
        Ok(text) => cmd.out(&text),
        Err(e) => {
            cmd.error(&e);
            cmd.status = 1;
        }
    }
    cmd
}

fn translate(
    input: &str,
    ops: &[String],
    complement: bool,
    delete: bool,
    squeeze: bool,
    truncate: bool,
) -> Result<String, String> {
    let set1 = parse_set(ops.first().map(String::as_str).unwrap_or_default())?;
    let set2 = match ops.get(1) {
        Some(s) => Some(parse_set(s)?),
        None => None,
    };
    let chars1 = expand(&set1, 0);
    let in_set1: BTreeSet<char> = chars1.iter().copied().collect();
    let member1 = |c: char| in_set1.contains(&c) != complement;
    let mut map: BTreeMap<char, char> = BTreeMap::new();
    let mut complement_to = None;
    let mut squeeze_set: Option<(BTreeSet<char>, bool)> = None;
    if let Some(set2) = &set2 {
        let chars2 = expand(set2, chars1.len());
        squeeze_set = Some((chars2.iter().copied().collect(), false));
        if !delete {
            if set2.iter().any(|i| matches!(i, Item::Class(name, _) if *name != "upper" && *name != "lower")) {
                return Err(
                    "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'"
                        .to_string(),
                );
            }
            let Some(&last) = chars2.last() else {
                if truncate {
                    return Ok(input.to_string());
                }
                return Err("when not truncating set1, string2 must be non-empty".to_string());
            };
            if complement {
                complement_to = Some(last);
            } else {
                for (i, &c) in chars1.iter().enumerate() {
                    match chars2.get(i) {
                        Some(&to) => {
                            map.insert(c, to);
                        }
                        None if truncate => break,
                        None => {
                            map.insert(c, last);
                        }
                    }
                }
            }
        }
    } else if squeeze {
        squeeze_set = Some((in_set1.clone(), complement));
    }
    let mut out = String::with_capacity(input.len());
    let mut previous: Option<char> = None;
    for c in input.chars() {
        let c = if delete {
            if member1(c) {
                continue;
            }
            c
        } else if let Some(to) = complement_to {
            if member1(c) {
                to
            } else {
                c
            }
        } else {
            map.get(&c).copied().unwrap_or(c)
        };
        if squeeze {
            if let Some((set, negate)) = &squeeze_set {
                if previous == Some(c) && set.contains(&c) != *negate {
                    continue;
                }
            }
        }
        previous = Some(c);
        out.push(c);
    }
    Ok(out)
}

/// The characters of a set, with `[c*]` filling up to `fill`.
fn expand(set: &[Item], fill: usize) -> Vec<char> {
    let fixed: usize = set
        .iter()
        .map(|i| match i {
            Item::Char(_) => 1,
            Item::Class(_, cs) => cs.len(),
            Item::Repeat(_, n) => n.unwrap_or(0),
        })
        .sum();
    let mut out = Vec::new();
    for item in set {
        match item {
            Item::Char(c) => out.push(*c),
            Item::Class(_, cs) => out.extend(cs),
            Item::Repeat(c, n) => {
                let count = n.unwrap_or(fill.saturating_sub(fixed)).min(1 << 16);
                out.extend(std::iter::repeat_n(*c, count));
            }
        }
    }
    out
}

fn class(name: &str) -> Option<(&'static str, Vec<char>)> {
    let ascii = |f: fn(&char) -> bool| (0u8..=127).map(char::from).filter(f).collect::<Vec<char>>();
    Some(match name {
        "upper" => ("upper", ascii(char::is_ascii_uppercase)),
        "lower" => ("lower", ascii(char::is_ascii_lowercase)),
        "digit" => ("digit", ascii(char::is_ascii_digit)),
        "alpha" => ("alpha", ascii(char::is_ascii_alphabetic)),
        "alnum" => ("alnum", ascii(char::is_ascii_alphanumeric)),
        "punct" => ("punct", ascii(char::is_ascii_punctuation)),
        "space" => ("space", vec!['\t', '\n', '\x0b', '\x0c', '\r', ' ']),
        "blank" => ("blank", vec!['\t', ' ']),
        "cntrl" => ("cntrl", ascii(char::is_ascii_control)),
        "graph" => ("graph", ascii(char::is_ascii_graphic)),
        "print" => ("print", ascii(|c| c.is_ascii_graphic() || *c == ' ')),
        "xdigit" => ("xdigit", ascii(char::is_ascii_hexdigit)),
        _ => return None,
    })
}

/// Reads one possibly escaped character at `i`.
fn one(chars: &[char], i: &mut usize) -> Option<char> {
    let c = *chars.get(*i)?;
    *i += 1;
    if c != '\\' {
        return Some(c);
    }
    let Some(&e) = chars.get(*i) else { return Some('\\') };
    *i += 1;
    Some(match e {
        'a' => '\x07',
        'b' => '\x08',
        'f' => '\x0c',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\x0b',
        '0'..='7' => {
            let mut v = e.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.get(*i).and_then(|c| c.to_digit(8)) {
                    Some(d) if v * 8 + d <= 0o377 => {
                        v = v * 8 + d;
                        *i += 1;
                    }
                    _ => break,
                }
            }
            char::from_u32(v).unwrap_or('\0')
        }
        other => other,
    })
}

fn parse_set(text: &str) -> Result<Vec<Item>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i) == Some(&'[') {
            let rest: String = chars.get(i + 1..).unwrap_or_default().iter().collect();
            if let Some(body) = rest.strip_prefix(':') {
                if let Some(end) = body.find(":]") {
                    let name = body.get(..end).unwrap_or_default();
                    let Some((n, cs)) = class(name) else {
                        return Err(format!("invalid character class {}", quote(name)));
                    };
                    items.push(Item::Class(n, cs));
                    i += 1 + 1 + name.chars().count() + 2;
                    continue;
                }
            }
            if let Some(body) = rest.strip_prefix('=') {
                let mut chars_body = body.chars();
                if let (Some(c), Some('='), Some(']')) = (chars_body.next(), chars_body.next(), chars_body.next()) {
                    items.push(Item::Char(c));
                    i += 5;
                    continue;
                }
            }
            // `[c*n]` and `[c*]`.
            let mut j = i + 1;
            if let Some(c) = one(&chars, &mut j) {
                if chars.get(j) == Some(&'*') {
                    let digits: String =
                        chars.get(j + 1..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit()).collect();
                    if chars.get(j + 1 + digits.len()) == Some(&']') {
                        let count = if digits.is_empty() {
                            None
                        } else {
                            let radix = if digits.starts_with('0') { 8 } else { 10 };
                            match usize::from_str_radix(&digits, radix) {
                                Ok(0) => None,
                                Ok(n) => Some(n),
                                Err(_) => {
                                    return Err(format!("invalid repeat count {} in [c*n] construct", quote(&digits)))
                                }
                            }
                        };
                        items.push(Item::Repeat(c, count));
                        i = j + 2 + digits.len();
                        continue;
                    }
                }
            }
        }
        let Some(c) = one(&chars, &mut i) else { break };
        if chars.get(i) == Some(&'-') && i + 1 < chars.len() {
            let mut j = i + 1;
            if let Some(end) = one(&chars, &mut j) {
                if end < c {
                    let range: String = chars.get(i.saturating_sub(1)..j).unwrap_or_default().iter().collect();
                    return Err(format!("range-endpoints of '{range}' are in reverse collating sequence order"));
                }
                items.extend((c..=end).map(Item::Char));
                i = j;
                continue;
            }
        }
        items.push(Item::Char(c));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    fn tr(args: &[&str], input: &str) -> (String, String, i32) {
        run("tr", args, Some(input), &[])
    }

    #[test]
    fn translates_deletes_and_squeezes() {
        assert_eq!(tr(&["-d", "\\t"], "a\tb\n").0, "ab\n");
        assert_eq!(tr(&["-c", "a", "x"], "abc\n").0, "axxx");
        assert_eq!(tr(&["-s", "a-z"], "aabbcc\n").0, "abc\n");
        assert_eq!(tr(&["-ds", "b", " "], "aabb  cc\n").0, "aa cc\n");
        assert_eq!(tr(&["a-y", "b-z"], "hello\n").0, "ifmmp\n");
        assert_eq!(tr(&["[:lower:]", "[:upper:]"], "Hello\n").0, "HELLO\n");
        assert_eq!(tr(&["abc", "x"], "abc\n").0, "xxx\n");
        assert_eq!(tr(&["-t", "abc", "xy"], "abc\n").0, "xyc\n");
        assert_eq!(tr(&["-", "_"], "a-b\n").0, "a_b\n");
        assert_eq!(tr(&["a\\nb", "x"], "abc\n").0, "xxcx");
        assert_eq!(tr(&["-d", "[:punct:]"], "a.b\n").0, "ab\n");
        assert_eq!(tr(&["[a*2]", "x"], "ab\n").0, "xb\n");
        assert_eq!(tr(&["abc", "[x*]"], "abc\n").0, "xxx\n");
        assert_eq!(tr(&["a-", "x"], "abc\n").0, "xbc\n");
        assert_eq!(tr(&["-d", "\\n"], "a\nb\n").0, "ab");
        assert_eq!(tr(&["-d", "[=a=]"], "banana").0, "bnn");
        assert_eq!(tr(&["[:space:]", "\\n"], "a b\tc").0, "a\nb\nc");
    }

    #[test]
    fn errors() {
        let usage = "\nTry 'tr --help' for more information.\n";
        assert_eq!(tr(&[], "").1, format!("tr: missing operand{usage}"));
        assert_eq!(
            tr(&["a"], "").1,
            format!("tr: missing operand after \u{2018}a\u{2019}\nTwo strings must be given when translating.{usage}")
        );
        assert_eq!(
            tr(&["-d", "a", "b"], "").1,
            format!("tr: extra operand \u{2018}b\u{2019}\nOnly one string may be given when deleting without squeezing repeats.{usage}")
        );
        assert_eq!(tr(&["z-a", "x"], "").1, "tr: range-endpoints of 'z-a' are in reverse collating sequence order\n");
        assert_eq!(
            tr(&["a", "[:digit:]"], "").1,
            "tr: when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'\n"
        );
        assert_eq!(tr(&["a", ""], "abc").1, "tr: when not truncating set1, string2 must be non-empty\n");
        assert_eq!(tr(&["[:foo:]", "x"], "").1, "tr: invalid character class \u{2018}foo\u{2019}\n");
        assert_eq!(tr(&["-q"], "").2, 1);
        assert_eq!(tr(&["[a*99999999999999999999999]", "x"], "a").2, 1);
    }
}
