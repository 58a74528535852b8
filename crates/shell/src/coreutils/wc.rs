//! `wc [OPTION]... [FILE]...`: newline, word, character and byte counts,
//! in columns as wide as GNU wc makes them (from the total size of the
//! files, at least 7 when reading a pipe), with a `total` line for
//! several files.

use super::getopt::{self, Arg};
use super::Cmd;
use crate::files::{FileError, Io};

const LONG: &[getopt::Long] = &[
    ("bytes", Arg::No, 'c'),
    ("chars", Arg::No, 'm'),
    ("lines", Arg::No, 'l'),
    ("words", Arg::No, 'w'),
    ("max-line-length", Arg::No, 'L'),
    ("help", Arg::No, 'H'),
];

#[derive(Default, Clone, Copy)]
struct Counts {
    lines: usize,
    words: usize,
    chars: usize,
    bytes: usize,
    longest: usize,
}

fn count(text: &str) -> Counts {
    let mut c = Counts { bytes: text.len(), words: text.split_whitespace().count(), ..Counts::default() };
    let mut width = 0usize;
    for ch in text.chars() {
        c.chars += 1;
        match ch {
            '\n' => {
                c.lines += 1;
                c.longest = c.longest.max(width);
                width = 0;
            }
            '\t' => width = (width / 8 + 1) * 8,
            '\r' | '\x0c' => {
                c.longest = c.longest.max(width);
                width = 0;
            }
            c if c.is_control() => {}
            _ => width += 1,
        }
    }
    c.longest = c.longest.max(width);
    c
}

/// `wc ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let mut cmd = Cmd::new("wc");
    let parsed = match getopt::parse(args, "cmlwL", LONG) {
        Ok(p) => p,
        Err(e) => return cmd.usage(&e, 1),
    };
    let mut show = [false; 5];
    for (key, _) in &parsed.opts {
        match key {
            'l' => show[0] = true,
            'w' => show[1] = true,
            'm' => show[2] = true,
            'c' => show[3] = true,
            'L' => show[4] = true,
            _ => {
                return cmd.help(
                    "[OPTION]... [FILE]...",
                    "Count the lines, words and bytes of each FILE (standard input when none\nor -); with several FILEs a total line follows.\n  -c, --bytes            count bytes\n  -m, --chars            count characters\n  -l, --lines            count newlines\n  -L, --max-line-length  show the widest line's display width\n  -w, --words            count words\n",
                )
            }
        }
    }
    if show == [false; 5] {
        show = [true, true, false, true, false];
    }
    let named = !parsed.operands.is_empty();
    let names: Vec<String> = if named { parsed.operands.clone() } else { vec!["-".to_string()] };
    // Read everything first: the column width depends on all inputs.
    let inputs: Vec<(String, Result<String, FileError>)> = names.iter().map(|n| (n.clone(), io.read(n))).collect();
    let single = inputs.len() == 1 && show.iter().filter(|s| **s).count() == 1;
    let mut width = 1;
    let first_failed = matches!(inputs.first(), Some((_, Err(FileError::NotFound | FileError::PermissionDenied))));
    if !single && !first_failed {
        let mut minimum = 1;
        let mut total_size = 0usize;
        for (name, result) in &inputs {
            match result {
                Ok(text) if name != "-" => total_size += text.len(),
                Ok(_) | Err(FileError::IsADirectory) => minimum = 7,
                Err(_) => {}
            }
        }
        while total_size >= 10 {
            width += 1;
            total_size /= 10;
        }
        width = width.max(minimum);
    }
    let mut total = Counts::default();
    for (name, result) in &inputs {
        let counts = match result {
            Ok(text) => count(text),
            Err(e) => {
                cmd.error(&format!("{name}: {e}"));
                cmd.status = 1;
                if *e != FileError::IsADirectory {
                    continue;
                }
                Counts::default()
            }
        };
        total.lines += counts.lines;
        total.words += counts.words;
        total.chars += counts.chars;
        total.bytes += counts.bytes;
        total.longest = total.longest.max(counts.longest);
        let label = if named { Some(name.as_str()) } else { None };
        cmd.out(&line(&counts, show, width, label));
    }
    if inputs.len() > 1 {
        cmd.out(&line(&total, show, width, Some("total")));
    }
    cmd
}

fn line(c: &Counts, show: [bool; 5], width: usize, label: Option<&str>) -> String {
    let values = [c.lines, c.words, c.chars, c.bytes, c.longest];
    let mut parts: Vec<String> = Vec::new();
    for (value, shown) in values.iter().zip(show) {
        if shown {
            parts.push(format!("{value:>width$}"));
        }
    }
    let mut text = parts.join(" ");
    if let Some(label) = label {
        text.push(' ');
        text.push_str(label);
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    const FILES: &[(&str, &str)] = &[("a", "hi\n"), ("b", "one two\nthree\n")];

    #[test]
    fn columns_follow_gnu_widths() {
        assert_eq!(run("wc", &["a"], None, FILES).0, "1 1 3 a\n");
        assert_eq!(run("wc", &["-l", "a"], None, FILES).0, "1 a\n");
        assert_eq!(run("wc", &["-l", "a", "a"], None, FILES).0, "1 a\n1 a\n2 total\n");
        assert_eq!(run("wc", &["a", "b"], None, FILES).0, " 1  1  3 a\n 2  3 14 b\n 3  4 17 total\n");
        assert_eq!(run("wc", &[], Some("x\n"), FILES).0, "      1       1       2\n");
        assert_eq!(run("wc", &["-l"], Some("x\ny\n"), FILES).0, "2\n");
        assert_eq!(
            run("wc", &["-", "a"], Some("x\n"), FILES).0,
            "      1       1       2 -\n      1       1       3 a\n      2       2       5 total\n"
        );
        assert_eq!(run("wc", &["-lc"], Some("x\n"), FILES).0, "      1       2\n");
        assert_eq!(run("wc", &["-m", "-L"], Some("h\u{e9}\tx\n"), FILES).0, "      5       9\n");
    }

    #[test]
    fn missing_files_and_directories() {
        let (out, err, status) = run("wc", &["nope", "a"], None, FILES);
        assert_eq!(out, "1 1 3 a\n1 1 3 total\n");
        assert_eq!(err, "wc: nope: No such file or directory\n");
        assert_eq!(status, 1);
        let (out, err, _) = run("wc", &["dir", "a"], None, FILES);
        assert_eq!(out, "      0       0       0 dir\n      1       1       3 a\n      1       1       3 total\n");
        assert_eq!(err, "wc: dir: Is a directory\n");
    }

    #[test]
    fn options() {
        assert_eq!(
            run("wc", &["-q"], None, FILES).1,
            "wc: invalid option -- 'q'\nTry 'wc --help' for more information.\n"
        );
        assert_eq!(
            run("wc", &["--total=x"], None, FILES).1,
            "wc: unrecognized option '--total=x'\nTry 'wc --help' for more information.\n"
        );
        assert_eq!(run("wc", &[], None, FILES).0, "      0       0       0\n");
    }
}
