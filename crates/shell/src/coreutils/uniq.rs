//! `uniq [OPTION]... [INPUT]`: drop adjacent repeated lines; `-c` counts
//! them, `-d` prints only repeated ones, `-u` only unrepeated ones, `-i`
//! compares without case.

use super::getopt::{self, quote, Arg};
use super::{lines, Cmd};
use crate::files::Io;

const LONG: &[getopt::Long] = &[
    ("count", Arg::No, 'c'),
    ("repeated", Arg::No, 'd'),
    ("unique", Arg::No, 'u'),
    ("ignore-case", Arg::No, 'i'),
    ("help", Arg::No, 'H'),
];

/// `uniq ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let mut cmd = Cmd::new("uniq");
    let parsed = match getopt::parse(args, "cdui", LONG) {
        Ok(p) => p,
        Err(e) => return cmd.usage(&e, 1),
    };
    let (mut count, mut repeated, mut unique, mut fold) = (false, false, false, false);
    for (key, _) in &parsed.opts {
        match key {
            'c' => count = true,
            'd' => repeated = true,
            'u' => unique = true,
            'i' => fold = true,
            _ => {
                return cmd.help(
                    "[OPTION]... [INPUT [OUTPUT]]",
                    "Print INPUT (or standard input) without repeated adjacent lines.\n  -c, --count           show how many times each line came\n  -d, --repeated        print only lines that came more than once\n  -i, --ignore-case     case does not matter\n  -u, --unique          print only lines that came once\n",
                )
            }
        }
    }
    if let Some(extra) = parsed.operands.get(2) {
        return cmd.usage(&format!("extra operand {}", quote(extra)), 1);
    }
    // Writing to an OUTPUT operand is not supported: commands here only
    // read files.
    if let Some(output) = parsed.operands.get(1) {
        cmd.error(&format!("{}: writing an OUTPUT file is not supported here; use > {output}", quote(output)));
        cmd.status = 1;
        return cmd;
    }
    let name = parsed.operands.first().map(String::as_str).unwrap_or("-");
    let text = match io.read(name) {
        Ok(t) => t,
        Err(e) => {
            cmd.error(&format!("{name}: {e}"));
            cmd.status = 1;
            return cmd;
        }
    };
    let same = |a: &str, b: &str| if fold { a.to_lowercase() == b.to_lowercase() } else { a == b };
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for line in lines(&text) {
        match groups.last_mut() {
            Some((first, n)) if same(first, line) => *n += 1,
            _ => groups.push((line, 1)),
        }
    }
    let mut out = String::new();
    for (line, n) in groups {
        if (repeated && n < 2) || (unique && n > 1) {
            continue;
        }
        if count {
            out.push_str(&format!("{n:>7} "));
        }
        out.push_str(line);
        out.push('\n');
    }
    cmd.out(&out);
    cmd
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    #[test]
    fn counts_and_filters() {
        let input = "a\na\nb\nc\nc\nc\n";
        assert_eq!(run("uniq", &["-c"], Some(input), &[]).0, "      2 a\n      1 b\n      3 c\n");
        assert_eq!(run("uniq", &["-d"], Some(input), &[]).0, "a\nc\n");
        assert_eq!(run("uniq", &["-u"], Some(input), &[]).0, "b\n");
        assert_eq!(run("uniq", &["-i"], Some("a\nA\n"), &[]).0, "a\n");
        assert_eq!(run("uniq", &[], Some("a\na"), &[]).0, "a\n");
        assert_eq!(run("uniq", &[], None, &[]).0, "");
    }

    #[test]
    fn errors() {
        assert_eq!(
            run("uniq", &["nope"], None, &[]),
            (String::new(), "uniq: nope: No such file or directory\n".into(), 1)
        );
        assert_eq!(
            run("uniq", &["-q"], None, &[]).1,
            "uniq: invalid option -- 'q'\nTry 'uniq --help' for more information.\n"
        );
        assert_eq!(
            run("uniq", &["a", "b", "c"], None, &[]).1,
            "uniq: extra operand \u{2018}c\u{2019}\nTry 'uniq --help' for more information.\n"
        );
        assert_eq!(
            run("uniq", &["a", "b"], None, &[]).1,
            "uniq: \u{2018}b\u{2019}: writing an OUTPUT file is not supported here; use > b\n"
        );
    }
}
