//! `sort [OPTION]... [FILE]...`: sort lines by bytes (as in the C.UTF-8
//! locale), numbers (`-n`), human sizes (`-h`), folded case (`-f`), in
//! reverse (`-r`), by keys (`-k POS1[,POS2]`, `-t SEP`), keeping one of
//! equal lines (`-u`), stable (`-s`), or checking order (`-c`).

use std::cmp::Ordering;

use super::getopt::{self, quote, Arg};
use super::{lines, Cmd};
use crate::files::Io;

const LONG: &[getopt::Long] = &[
    ("ignore-leading-blanks", Arg::No, 'b'),
    ("check", Arg::No, 'c'),
    ("ignore-case", Arg::No, 'f'),
    ("human-numeric-sort", Arg::No, 'h'),
    ("key", Arg::Required, 'k'),
    ("numeric-sort", Arg::No, 'n'),
    ("reverse", Arg::No, 'r'),
    ("stable", Arg::No, 's'),
    ("field-separator", Arg::Required, 't'),
    ("unique", Arg::No, 'u'),
    ("help", Arg::No, 'H'),
];

/// How one key compares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Order {
    blanks: bool,
    fold: bool,
    human: bool,
    numeric: bool,
    reverse: bool,
}

impl Order {
    fn is_default(&self) -> bool {
        *self == Order::default()
    }

    fn set(&mut self, flag: char) -> bool {
        match flag {
            'b' => self.blanks = true,
            'f' => self.fold = true,
            'h' => self.human = true,
            'n' => self.numeric = true,
            'r' => self.reverse = true,
            _ => return false,
        }
        true
    }
}

/// `-k START[,END]`: fields and characters are 1-based; an end character
/// of 0 means the end of the field; no end means the end of the line.
#[derive(Debug, Clone, Copy)]
struct Key {
    start_field: usize,
    start_char: usize,
    end: Option<(usize, usize)>,
    end_blanks: bool,
    order: Order,
}

fn parse_key(spec: &str) -> Result<Key, String> {
    let invalid = |why: &str| format!("{why}: invalid field specification {}", quote(spec));
    let count = |s: &str, what: &str| -> Result<(usize, usize), String> {
        let len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        if len == 0 {
            return Err(format!("{what}: invalid count at start of {}", quote(s)));
        }
        Ok((s.get(..len).unwrap_or_default().parse::<usize>().unwrap_or(usize::MAX), len))
    };
    let (start, end) = match spec.split_once(',') {
        Some((s, e)) => (s, Some(e)),
        None => (spec, None),
    };
    let mut key = Key { start_field: 0, start_char: 1, end: None, end_blanks: false, order: Order::default() };
    let (field, used) = count(start, "invalid number at field start")?;
    if field == 0 {
        return Err(invalid("field number is zero"));
    }
    key.start_field = field;
    let mut rest = start.get(used..).unwrap_or_default();
    if let Some(after) = rest.strip_prefix('.') {
        let (c, used) = count(after, "invalid number after '.'")?;
        if c == 0 {
            return Err(invalid("character offset is zero"));
        }
        key.start_char = c;
        rest = after.get(used..).unwrap_or_default();
    }
    for flag in rest.chars() {
        if !key.order.set(flag) {
            return Err(invalid("stray character in field spec"));
        }
    }
    if let Some(end) = end {
        let (field, used) = count(end, "invalid number after ','")?;
        if field == 0 {
            return Err(invalid("field number is zero"));
        }
        let mut rest = end.get(used..).unwrap_or_default();
        let mut c = 0;
        if let Some(after) = rest.strip_prefix('.') {
            let (n, used) = count(after, "invalid number after '.'")?;
            c = n;
            rest = after.get(used..).unwrap_or_default();
        }
        for flag in rest.chars() {
            if flag == 'b' {
                key.end_blanks = true;
            } else if !key.order.set(flag) {
                return Err(invalid("stray character in field spec"));
            }
        }
        key.end = Some((field, c));
    }
    Ok(key)
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Byte offset where field `n` (1-based) starts.
fn field_start(line: &str, n: usize, tab: Option<char>) -> usize {
    let mut pos = 0;
    for _ in 1..n {
        if pos >= line.len() {
            return line.len();
        }
        let rest = line.get(pos..).unwrap_or_default();
        pos += match tab {
            Some(t) => match rest.find(t) {
                Some(i) => i + t.len_utf8(),
                None => return line.len(),
            },
            None => {
                let blanks = rest.len() - rest.trim_start_matches(is_blank).len();
                let word = rest.get(blanks..).unwrap_or_default().find(is_blank).unwrap_or(rest.len() - blanks);
                blanks + word
            }
        };
    }
    pos
}

fn skip_blanks(line: &str, pos: usize) -> usize {
    let rest = line.get(pos..).unwrap_or_default();
    pos + rest.len() - rest.trim_start_matches(is_blank).len()
}

fn advance_chars(line: &str, pos: usize, n: usize) -> usize {
    let rest = line.get(pos..).unwrap_or_default();
    pos + rest.char_indices().nth(n).map(|(i, _)| i).unwrap_or(rest.len())
}

fn key_text<'a>(line: &'a str, key: &Key, tab: Option<char>) -> &'a str {
    let mut start = field_start(line, key.start_field, tab);
    if key.order.blanks {
        start = skip_blanks(line, start);
    }
    start = advance_chars(line, start, key.start_char - 1);
    let end = match key.end {
        None => line.len(),
        Some((field, 0)) => {
            let begin = field_start(line, field, tab);
            let rest = line.get(begin..).unwrap_or_default();
            begin
                + match tab {
                    Some(t) => rest.find(t).unwrap_or(rest.len()),
                    None => {
                        let blanks = rest.len() - rest.trim_start_matches(is_blank).len();
                        blanks + rest.get(blanks..).unwrap_or_default().find(is_blank).unwrap_or(rest.len() - blanks)
                    }
                }
        }
        Some((field, c)) => {
            let mut begin = field_start(line, field, tab);
            if key.end_blanks {
                begin = skip_blanks(line, begin);
            }
            advance_chars(line, begin, c)
        }
    };
    line.get(start..end.max(start)).unwrap_or_default()
}

/// The leading number of `s` as `sort -n` reads it (blanks, sign, digits,
/// one decimal point); anything else is 0. Also its remainder.
fn leading_number(s: &str) -> (f64, &str) {
    let t = s.trim_start_matches(is_blank);
    let mut end = 0;
    let bytes = t.as_bytes();
    if bytes.first() == Some(&b'-') {
        end = 1;
    }
    let mut seen_point = false;
    let mut digits = 0;
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii_digit() {
            digits += 1;
        } else if b == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        end += 1;
    }
    if digits == 0 {
        return (0.0, t);
    }
    (t.get(..end).unwrap_or_default().parse::<f64>().unwrap_or(0.0), t.get(end..).unwrap_or_default())
}

fn compare_key(a: &str, b: &str, order: &Order) -> Ordering {
    let ordering = if order.numeric || order.human {
        let ((x, xr), (y, yr)) = (leading_number(a), leading_number(b));
        if order.human {
            let rank = |v: f64, rest: &str| {
                let unit = rest.chars().next().and_then(|c| "KMGTPEZYRQ".find(c.to_ascii_uppercase()));
                let unit = match (rest.chars().next(), unit) {
                    (Some('k' | 'K'), _) => 1,
                    (Some(c), Some(u)) if c.is_ascii_uppercase() => u as i64 + 1,
                    _ => 0,
                };
                let sign = if v < 0.0 { -1 } else { i64::from(v > 0.0) };
                (sign, sign * unit)
            };
            rank(x, xr).cmp(&rank(y, yr)).then(x.partial_cmp(&y).unwrap_or(Ordering::Equal))
        } else {
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    } else if order.fold {
        a.chars().map(|c| c.to_ascii_uppercase()).cmp(b.chars().map(|c| c.to_ascii_uppercase()))
    } else {
        a.cmp(b)
    };
    if order.reverse {
        ordering.reverse()
    } else {
        ordering
    }
}

struct Sorter {
    keys: Vec<Key>,
    tab: Option<char>,
    global: Order,
    last_resort: bool,
}

impl Sorter {
    fn keys_compare(&self, a: &str, b: &str) -> Ordering {
        for key in &self.keys {
            let (x, y) = (key_text(a, key, self.tab), key_text(b, key, self.tab));
            let ordering = compare_key(x, y, &key.order);
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    }

    fn compare(&self, a: &str, b: &str) -> Ordering {
        let ordering = self.keys_compare(a, b);
        if ordering != Ordering::Equal || !self.last_resort {
            return ordering;
        }
        let last = a.cmp(b);
        if self.global.reverse {
            last.reverse()
        } else {
            last
        }
    }
}

/// `sort ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let mut cmd = Cmd::new("sort");
    let parsed = match getopt::parse(args, "bcfhk:nrst:u", LONG) {
        Ok(p) => p,
        Err(e) => return cmd.usage(&e, 2),
    };
    let mut global = Order::default();
    let mut keys = Vec::new();
    let mut tab = None;
    let (mut check, mut stable, mut unique) = (false, false, false);
    for (key, value) in parsed.opts {
        let value = value.unwrap_or_default();
        match key {
            'c' => check = true,
            's' => stable = true,
            'u' => unique = true,
            'k' => match parse_key(&value) {
                Ok(k) => keys.push(k),
                Err(e) => {
                    cmd.error(&e);
                    cmd.status = 2;
                    return cmd;
                }
            },
            't' => {
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (None, _) => {
                        cmd.error("empty tab");
                        cmd.status = 2;
                        return cmd;
                    }
                    (Some(c), None) => tab = Some(c),
                    _ if value == "\\0" => tab = Some('\0'),
                    _ => {
                        cmd.error(&format!("multi-character tab {}", quote(&value)));
                        cmd.status = 2;
                        return cmd;
                    }
                }
            }
            'H' => {
                return cmd.help(
                    "[OPTION]... [FILE]...",
                    "Print the lines of all FILEs in order.\n  -b, --ignore-leading-blanks  keys start at their first non-blank\n  -f, --ignore-case            lower case sorts as upper case\n  -h, --human-numeric-sort     numbers with size suffixes (2K, 1G)\n  -n, --numeric-sort           leading numbers by value\n  -r, --reverse                largest first\n  -c, --check                  only check that the input is in order\n  -k, --key=F[.C][OPTS][,F[.C][OPTS]]  sort on this part of the line\n  -s, --stable                 keep input order between equal lines\n  -t, --field-separator=SEP    fields are separated by SEP\n  -u, --unique                 print one line of each equal run\n",
                )
            }
            flag => {
                global.set(flag);
            }
        }
    }
    if global.numeric && global.human {
        cmd.error("options '-hn' are incompatible");
        cmd.status = 2;
        return cmd;
    }
    for key in &mut keys {
        if key.order.is_default() {
            let blanks = key.order.blanks;
            key.order = global;
            key.order.blanks |= blanks;
        }
    }
    if keys.is_empty() {
        keys.push(Key { start_field: 1, start_char: 1, end: None, end_blanks: false, order: global });
    }
    let sorter = Sorter { keys, tab, global, last_resort: !stable && !unique };
    let names: Vec<String> = if parsed.operands.is_empty() { vec!["-".to_string()] } else { parsed.operands.clone() };
    if check && names.len() > 1 {
        if let Some(extra) = names.get(1) {
            return cmd.usage(&format!("extra operand {} not allowed with -c", quote(extra)), 2);
        }
    }
    let mut all: Vec<String> = Vec::new();
    for name in &names {
        match io.read(name) {
            Ok(text) => all.extend(lines(&text).map(str::to_string)),
            Err(e) => {
                cmd.error(&format!("cannot read: {name}: {e}"));
                cmd.status = 2;
                return cmd;
            }
        }
    }
    if check {
        for (i, pair) in all.windows(2).enumerate() {
            if let [a, b] = pair {
                let ordering = sorter.compare(a, b);
                if ordering == Ordering::Greater || (unique && ordering == Ordering::Equal) {
                    let name = names.first().map(String::as_str).unwrap_or("-");
                    cmd.error(&format!("{name}:{}: disorder: {b}", i + 2));
                    cmd.status = 1;
                    return cmd;
                }
            }
        }
        return cmd;
    }
    all.sort_by(|a, b| sorter.compare(a, b));
    if unique {
        all.dedup_by(|b, a| sorter.keys_compare(a, b) == Ordering::Equal);
    }
    let mut out = String::new();
    for line in all {
        out.push_str(&line);
        out.push('\n');
    }
    cmd.out(&out);
    cmd
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    const S: &[(&str, &str)] = &[("s", "b\na\nB\n10\n9\n2K\n1M\n a\n")];

    fn sort(args: &[&str]) -> String {
        let mut all = args.to_vec();
        all.push("s");
        run("sort", &all, None, S).0
    }

    #[test]
    fn orders() {
        assert_eq!(sort(&[]), " a\n10\n1M\n2K\n9\nB\na\nb\n");
        assert_eq!(sort(&["-r"]), "b\na\nB\n9\n2K\n1M\n10\n a\n");
        assert_eq!(sort(&["-n"]), " a\nB\na\nb\n1M\n2K\n9\n10\n");
        assert_eq!(sort(&["-h"]), " a\nB\na\nb\n9\n10\n2K\n1M\n");
        assert_eq!(sort(&["-f"]), " a\n10\n1M\n2K\n9\na\nB\nb\n");
        assert_eq!(run("sort", &["-n"], Some("1.5\n-2\n1e3\n 3\n"), S).0, "-2\n1e3\n1.5\n 3\n");
    }

    #[test]
    fn keys_and_unique() {
        let input = "x 3\ny 1\nz 2\nw 1\n";
        assert_eq!(run("sort", &["-k2"], Some(input), S).0, "w 1\ny 1\nz 2\nx 3\n");
        assert_eq!(run("sort", &["-k2,2n", "-u"], Some(input), S).0, "y 1\nz 2\nx 3\n");
        assert_eq!(run("sort", &["-t:", "-k2"], Some("a:3\nb:1\n"), S).0, "b:1\na:3\n");
        assert_eq!(run("sort", &["-u"], Some("b\na\nb\n"), S).0, "a\nb\n");
        assert_eq!(run("sort", &[], Some("b\na"), S).0, "a\nb\n");
        assert_eq!(run("sort", &["-k2"], Some("a b\na  a\n"), S).0, "a  a\na b\n");
        assert_eq!(run("sort", &["-b", "-k2"], Some("a b\na  a\n"), S).0, "a  a\na b\n");
        assert_eq!(run("sort", &["-k1.2,1.3"], Some("xcb\nyab\n"), S).0, "yab\nxcb\n");
        assert_eq!(run("sort", &["-k3"], Some("a\n"), S).0, "a\n");
    }

    #[test]
    fn errors() {
        let err = |args: &[&str]| run("sort", args, Some("x\n"), S);
        let q = |s: &str| format!("\u{2018}{s}\u{2019}");
        assert_eq!(
            err(&["-k", "1x"]).1,
            format!("sort: stray character in field spec: invalid field specification {}\n", q("1x"))
        );
        assert_eq!(
            err(&["-k", "1,x"]).1,
            format!("sort: invalid number after ',': invalid count at start of {}\n", q("x"))
        );
        assert_eq!(
            err(&["-k", "1.0"]).1,
            format!("sort: character offset is zero: invalid field specification {}\n", q("1.0"))
        );
        assert_eq!(
            err(&["-k", "0"]).1,
            format!("sort: field number is zero: invalid field specification {}\n", q("0"))
        );
        assert_eq!(
            err(&["-k", "x"]).1,
            format!("sort: invalid number at field start: invalid count at start of {}\n", q("x"))
        );
        assert_eq!(err(&["-t", ""]).1, "sort: empty tab\n");
        assert_eq!(err(&["-t", "ab"]).1, format!("sort: multi-character tab {}\n", q("ab")));
        assert_eq!(err(&["-nh"]).1, "sort: options '-hn' are incompatible\n");
        assert_eq!(err(&["nope"]), (String::new(), "sort: cannot read: nope: No such file or directory\n".into(), 2));
        assert_eq!(err(&["-q"]).2, 2);
        assert_eq!(run("sort", &["-c"], Some("2\n1\n"), S), (String::new(), "sort: -:2: disorder: 1\n".into(), 1));
        assert_eq!(err(&["-k", "99999999999999999999999"]).0, "x\n");
        assert_eq!(err(&["-k", "1,99999999999999999999999", "-t", ":"]).0, "x\n");
    }
}
