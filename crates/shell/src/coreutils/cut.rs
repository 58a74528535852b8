//! `cut OPTION... [FILE]...`: print selected fields (`-f`, split on `-d`,
//! TAB by default), characters (`-c`) or bytes (`-b`) of each line; lists
//! as `1,3`, `2-`, `-3`; `-s`, `--complement` and `--output-delimiter`.

use super::getopt::{self, quote, Arg};
use super::{lines, read_inputs, Cmd};
use crate::files::Io;

const LONG: &[getopt::Long] = &[
    ("bytes", Arg::Required, 'b'),
    ("characters", Arg::Required, 'c'),
    ("fields", Arg::Required, 'f'),
    ("delimiter", Arg::Required, 'd'),
    ("only-delimited", Arg::No, 's'),
    ("complement", Arg::No, 'C'),
    ("output-delimiter", Arg::Required, 'O'),
    ("help", Arg::No, 'H'),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bytes,
    Chars,
    Fields,
}

/// Parses a list into sorted, merged 1-based inclusive ranges.
fn parse_list(list: &str, fields: bool) -> Result<Vec<(usize, usize)>, String> {
    let (numbered, invalid, large) = if fields {
        ("fields are numbered from 1", "invalid field value", "field number")
    } else {
        ("byte/character positions are numbered from 1", "invalid byte/character position", "byte/character offset")
    };
    let mut ranges = Vec::new();
    for part in list.split([',', ' ', '\t']) {
        let number = |s: &str| -> Result<Option<usize>, String> {
            if s.is_empty() {
                return Ok(None);
            }
            if let Some(bad) = s.find(|c: char| !c.is_ascii_digit()) {
                return Err(format!("{invalid} {}", quote(s.get(bad..).unwrap_or_default())));
            }
            match s.parse::<usize>() {
                Ok(0) => Err(numbered.to_string()),
                Ok(n) => Ok(Some(n)),
                Err(_) => Err(format!("{large} {} is too large", quote(s))),
            }
        };
        match part.split_once('-') {
            None => match number(part)? {
                Some(n) => ranges.push((n, n)),
                None => return Err(numbered.to_string()),
            },
            Some((lo, hi)) => {
                let (lo, hi) = (number(lo)?, number(hi)?);
                match (lo, hi) {
                    (None, None) => return Err("invalid range with no endpoint: -".to_string()),
                    (lo, hi) => {
                        let (lo, hi) = (lo.unwrap_or(1), hi.unwrap_or(usize::MAX));
                        if hi < lo {
                            return Err("invalid decreasing range".to_string());
                        }
                        ranges.push((lo, hi));
                    }
                }
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    Ok(merged)
}

fn selected(ranges: &[(usize, usize)], n: usize, complement: bool) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= n && n <= hi) != complement
}

/// `cut ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let mut cmd = Cmd::new("cut");
    let parsed = match getopt::parse(args, "b:c:f:d:sn", LONG) {
        Ok(p) => p,
        Err(e) => return cmd.usage(&e, 1),
    };
    let mut list: Option<(Mode, String)> = None;
    let mut delimiter: Option<String> = None;
    let mut only_delimited = false;
    let mut complement = false;
    let mut output_delimiter: Option<String> = None;
    for (key, value) in parsed.opts {
        let value = value.unwrap_or_default();
        match key {
            'b' | 'c' | 'f' => {
                if list.is_some() {
                    return cmd.usage("only one list may be specified", 1);
                }
                let mode = match key {
                    'b' => Mode::Bytes,
                    'c' => Mode::Chars,
                    _ => Mode::Fields,
                };
                list = Some((mode, value));
            }
            'd' => delimiter = Some(value),
            's' => only_delimited = true,
            'C' => complement = true,
            'O' => output_delimiter = Some(value),
            'n' => {}
            _ => {
                return cmd.help(
                    "OPTION... [FILE]...",
                    "Print chosen fields or characters of each line of each FILE.\n  -b, --bytes=LIST        keep these byte positions\n  -c, --characters=LIST   keep these character positions\n  -d, --delimiter=DELIM   fields are separated by DELIM (TAB by default)\n  -f, --fields=LIST       keep these fields\n      --complement        keep everything except LIST\n  -s, --only-delimited    skip lines that have no delimiter\n      --output-delimiter=STRING  join kept fields with STRING\nLIST is made of N, N-, N-M or -M, separated by commas.\n",
                )
            }
        }
    }
    let Some((mode, list)) = list else {
        return cmd.usage("you must specify a list of bytes, characters, or fields", 1);
    };
    if mode != Mode::Fields && delimiter.is_some() {
        return cmd.usage("an input delimiter may be specified only when operating on fields", 1);
    }
    if mode != Mode::Fields && only_delimited {
        return cmd.usage("suppressing non-delimited lines makes sense\n\tonly when operating on fields", 1);
    }
    let delimiter = match delimiter.as_deref() {
        None => '\t',
        Some("") => '\0',
        Some(d) => {
            let mut chars = d.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => return cmd.usage("the delimiter must be a single character", 1),
            }
        }
    };
    let ranges = match parse_list(&list, mode == Mode::Fields) {
        Ok(r) => r,
        Err(e) => return cmd.usage(&e, 1),
    };
    for (_, text) in read_inputs(&mut cmd, io, &parsed.operands) {
        let mut out = String::new();
        for line in lines(&text) {
            match mode {
                Mode::Fields => {
                    if !line.contains(delimiter) {
                        if !only_delimited {
                            out.push_str(line);
                            out.push('\n');
                        }
                        continue;
                    }
                    let sep = output_delimiter.clone().unwrap_or_else(|| delimiter.to_string());
                    let picked: Vec<&str> = line
                        .split(delimiter)
                        .enumerate()
                        .filter(|(i, _)| selected(&ranges, i + 1, complement))
                        .map(|(_, f)| f)
                        .collect();
                    out.push_str(&picked.join(&sep));
                }
                Mode::Bytes | Mode::Chars => {
                    let mut last: Option<usize> = None;
                    for (i, c) in line.chars().enumerate() {
                        if selected(&ranges, i + 1, complement) {
                            if let (Some(sep), Some(prev)) = (&output_delimiter, last) {
                                if prev + 1 != i {
                                    out.push_str(sep);
                                }
                            }
                            out.push(c);
                            last = Some(i);
                        }
                    }
                }
            }
            out.push('\n');
        }
        cmd.out(&out);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    const C: &[(&str, &str)] = &[("c", "a:b:c\nnodelim\nx:y\n")];

    fn cut(args: &[&str]) -> (String, String, i32) {
        let mut all = args.to_vec();
        all.push("c");
        run("cut", &all, None, C)
    }

    #[test]
    fn fields_and_characters() {
        assert_eq!(cut(&["-d:", "-f2"]).0, "b\nnodelim\ny\n");
        assert_eq!(cut(&["-d:", "-f1,3"]).0, "a:c\nnodelim\nx\n");
        assert_eq!(cut(&["-d:", "-f2-"]).0, "b:c\nnodelim\ny\n");
        assert_eq!(cut(&["-d:", "-f-2"]).0, "a:b\nnodelim\nx:y\n");
        assert_eq!(cut(&["-s", "-d:", "-f2"]).0, "b\ny\n");
        assert_eq!(cut(&["-c2-3"]).0, ":b\nod\n:y\n");
        assert_eq!(cut(&["-d:", "--complement", "-f2"]).0, "a:c\nnodelim\nx\n");
        assert_eq!(cut(&["-d:", "--output-delimiter= | ", "-f1,3"]).0, "a | c\nnodelim\nx\n");
        assert_eq!(cut(&["-d:", "-f", "2,1"]).0, "a:b\nnodelim\nx:y\n");
        assert_eq!(cut(&["-d:", "-f", "1 3"]).0, "a:c\nnodelim\nx\n");
        assert_eq!(run("cut", &["-f2"], Some("a\tb"), C).0, "b\n");
        assert_eq!(run("cut", &["-d.", "-f2"], Some("h.p.s\n"), C).0, "p\n");
    }

    #[test]
    fn errors() {
        let usage = "\nTry 'cut --help' for more information.\n";
        let err = |args: &[&str]| cut(args).1;
        assert_eq!(err(&["-f1", "-c1"]), format!("cut: only one list may be specified{usage}"));
        assert_eq!(err(&[]), format!("cut: you must specify a list of bytes, characters, or fields{usage}"));
        assert_eq!(err(&["-d", "ab", "-f1"]), format!("cut: the delimiter must be a single character{usage}"));
        assert_eq!(err(&["-f0"]), format!("cut: fields are numbered from 1{usage}"));
        assert_eq!(err(&["-f", "1,,2"]), format!("cut: fields are numbered from 1{usage}"));
        assert_eq!(err(&["-f", "x"]), format!("cut: invalid field value \u{2018}x\u{2019}{usage}"));
        assert_eq!(err(&["-f", "3-1"]), format!("cut: invalid decreasing range{usage}"));
        assert_eq!(err(&["-c0"]), format!("cut: byte/character positions are numbered from 1{usage}"));
        assert_eq!(err(&["-c", "2-x"]), format!("cut: invalid byte/character position \u{2018}x\u{2019}{usage}"));
        assert_eq!(err(&["-f", "-"]), format!("cut: invalid range with no endpoint: -{usage}"));
        assert_eq!(
            err(&["-f", "99999999999999999999"]),
            format!("cut: field number \u{2018}99999999999999999999\u{2019} is too large{usage}")
        );
        assert_eq!(
            err(&["-s", "-c1"]),
            format!("cut: suppressing non-delimited lines makes sense\n\tonly when operating on fields{usage}")
        );
        assert_eq!(
            err(&["-d:", "-c1"]),
            format!("cut: an input delimiter may be specified only when operating on fields{usage}")
        );
        let (out, err, status) = run("cut", &["-f1", "nope", "c"], None, C);
        assert_eq!(
            (out.as_str(), err.as_str(), status),
            ("a:b:c\nnodelim\nx:y\n", "cut: nope: No such file or directory\n", 1)
        );
    }
}
