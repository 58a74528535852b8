//! `grep [OPTION]... PATTERNS [FILE]...` as GNU grep 3.8: basic (default),
//! extended (`-E`), fixed-string (`-F`) and Perl-like (`-P`, the `regex`
//! crate's syntax) patterns; `-i -v -w -x`, `-c -l -L -q -o -n -b -h -H -s
//! -m`, `-e`/`-f` patterns, `-A -B -C -NUM` context; exit 0 when a line was
//! selected, 1 when none, 2 on errors.

use regex_lite::{Regex, RegexBuilder};

use super::getopt::{self, Arg};
use super::regex_posix;
use super::{lines, Cmd};
use crate::files::Io;

const LONG: &[getopt::Long] = &[
    ("extended-regexp", Arg::No, 'E'),
    ("fixed-strings", Arg::No, 'F'),
    ("basic-regexp", Arg::No, 'G'),
    ("perl-regexp", Arg::No, 'P'),
    ("regexp", Arg::Required, 'e'),
    ("file", Arg::Required, 'f'),
    ("ignore-case", Arg::No, 'i'),
    ("no-ignore-case", Arg::No, 'I'),
    ("invert-match", Arg::No, 'v'),
    ("word-regexp", Arg::No, 'w'),
    ("line-regexp", Arg::No, 'x'),
    ("count", Arg::No, 'c'),
    ("color", Arg::Optional, 'K'),
    ("colour", Arg::Optional, 'K'),
    ("files-without-match", Arg::No, 'L'),
    ("files-with-matches", Arg::No, 'l'),
    ("max-count", Arg::Required, 'm'),
    ("only-matching", Arg::No, 'o'),
    ("quiet", Arg::No, 'q'),
    ("silent", Arg::No, 'q'),
    ("no-messages", Arg::No, 's'),
    ("line-number", Arg::No, 'n'),
    ("with-filename", Arg::No, 'H'),
    ("no-filename", Arg::No, 'h'),
    ("label", Arg::Required, '\u{2}'),
    ("byte-offset", Arg::No, 'b'),
    ("after-context", Arg::Required, 'A'),
    ("before-context", Arg::Required, 'B'),
    ("context", Arg::Required, 'C'),
    ("text", Arg::No, 'a'),
    ("help", Arg::No, '?'),
];

const USAGE: &str = "Usage: grep [OPTION]... PATTERNS [FILE]...\n";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Basic,
    Extended,
    Fixed,
    /// `-P`: the `regex` crate's own syntax, close to Perl's.
    Perl,
}

#[derive(Default)]
struct Options {
    invert: bool,
    word: bool,
    count: bool,
    files_with: bool,
    files_without: bool,
    max_count: Option<u64>,
    only: bool,
    quiet: bool,
    no_messages: bool,
    line_number: bool,
    byte_offset: bool,
    with_filename: Option<bool>,
    label: Option<String>,
    after: usize,
    before: usize,
    /// `-A`, `-B` or `-C` given (even 0): groups are separated by `--`.
    context: bool,
}

/// The compiled patterns and how a match must sit in its line.
struct Matcher {
    /// `None` when there are no patterns (`-f` of an empty file): nothing
    /// matches.
    regex: Option<Regex>,
    word: bool,
}

fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl Matcher {
    /// The first acceptable match at or after byte `from`.
    fn find(&self, line: &str, from: usize) -> Option<(usize, usize)> {
        let mut pos = from;
        loop {
            let m = self.regex.as_ref()?.find_at(line, pos)?;
            if !self.word {
                return Some((m.start(), m.end()));
            }
            let before_ok = !line.get(..m.start()).unwrap_or_default().chars().next_back().is_some_and(is_word);
            let after_ok = !line.get(m.end()..).unwrap_or_default().chars().next().is_some_and(is_word);
            if before_ok && after_ok {
                return Some((m.start(), m.end()));
            }
            // Try again from the next character.
            pos = m.start() + line.get(m.start()..).unwrap_or_default().chars().next().map_or(1, char::len_utf8);
            if pos > line.len() {
                return None;
            }
        }
    }

    fn matches(&self, line: &str) -> bool {
        self.find(line, 0).is_some()
    }
}

fn context(value: &str) -> Result<usize, String> {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
        return Ok(value.parse::<usize>().unwrap_or(usize::MAX));
    }
    Err(format!("{value}: invalid context length argument"))
}

/// `grep ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Cmd {
    let mut cmd = Cmd::new("grep");
    let usage_error = |mut cmd: Cmd, message: Option<&str>| {
        if let Some(message) = message {
            cmd.error(message);
        }
        cmd.raw_error(USAGE);
        cmd.raw_error("Try 'grep --help' for more information.\n");
        cmd.status = 2;
        cmd
    };
    // `-NUM` is `--context=NUM`.
    let mut args: Vec<String> = args.to_vec();
    if let Some(end) = args.iter().position(|a| a == "--").or(Some(args.len())) {
        for arg in args.iter_mut().take(end) {
            if arg.len() > 1
                && arg.starts_with('-')
                && arg.get(1..).unwrap_or_default().chars().all(|c| c.is_ascii_digit())
            {
                *arg = format!("-C{}", arg.get(1..).unwrap_or_default());
            }
        }
    }
    let parsed = match getopt::parse(&args, "EFGPe:f:iIvwxyclLm:oqsnbHhA:B:C:aUz", LONG) {
        Ok(p) => p,
        Err(e) => return usage_error(cmd, Some(&e)),
    };
    let mut o = Options::default();
    let mut syntax = Syntax::Basic;
    let mut ignore_case = false;
    let mut line_regexp = false;
    let mut patterns: Option<Vec<String>> = None;
    for (key, value) in parsed.opts {
        let value = value.unwrap_or_default();
        match key {
            'E' => syntax = Syntax::Extended,
            'F' => syntax = Syntax::Fixed,
            'G' => syntax = Syntax::Basic,
            'P' => syntax = Syntax::Perl,
            'e' => patterns.get_or_insert_with(Vec::new).extend(value.split('\n').map(String::from)),
            'f' => match io.read(&value) {
                Ok(text) => patterns.get_or_insert_with(Vec::new).extend(lines(&text).map(String::from)),
                Err(e) => {
                    cmd.error(&format!("{value}: {e}"));
                    cmd.status = 2;
                    return cmd;
                }
            },
            'i' | 'y' => ignore_case = true,
            'I' => ignore_case = false,
            'v' => o.invert = true,
            'w' => o.word = true,
            'x' => line_regexp = true,
            'c' => o.count = true,
            'l' => o.files_with = true,
            'L' => o.files_without = true,
            'm' => match value.trim().parse::<i64>() {
                Ok(n) => o.max_count = u64::try_from(n).ok(),
                Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => o.max_count = None,
                Err(_) => {
                    cmd.error("invalid max count");
                    cmd.status = 2;
                    return cmd;
                }
            },
            'o' => o.only = true,
            'q' => o.quiet = true,
            's' => o.no_messages = true,
            'n' => o.line_number = true,
            'H' => o.with_filename = Some(true),
            'h' => o.with_filename = Some(false),
            '\u{2}' => o.label = Some(value),
            'b' => o.byte_offset = true,
            'A' | 'B' | 'C' => match context(&value) {
                Ok(n) => {
                    o.context = true;
                    if key != 'B' {
                        o.after = n;
                    }
                    if key != 'A' {
                        o.before = n;
                    }
                }
                Err(e) => {
                    cmd.error(&e);
                    cmd.status = 2;
                    return cmd;
                }
            },
            '?' => {
                return cmd.help(
                    "[OPTION]... PATTERNS [FILE]...",
                    "Print the lines of each FILE that match PATTERNS.\n  -E, --extended-regexp     patterns are POSIX extended expressions\n  -F, --fixed-strings       patterns are plain strings\n  -G, --basic-regexp        patterns are POSIX basic expressions (default)\n  -P, --perl-regexp         patterns are Perl-like expressions\n  -e, --regexp=PATTERNS     a pattern (may be repeated)\n  -f, --file=FILE           read patterns from FILE, one a line\n  -i, --ignore-case         case does not matter\n  -w, --word-regexp         a match must be a whole word\n  -x, --line-regexp         a match must be the whole line\n  -v, --invert-match        print the lines that do not match\n  -m, --max-count=NUM       stop after NUM lines\n  -n, --line-number         show line numbers\n  -b, --byte-offset         show where each line (or part) starts, in bytes\n  -H, --with-filename       show the file name on each line\n  -h, --no-filename         never show file names\n  -o, --only-matching       print just the matching parts\n  -q, --quiet, --silent     print nothing; the status tells\n  -s, --no-messages         say nothing about unreadable files\n  -L, --files-without-match  list the files with no match\n  -l, --files-with-matches  list the files with a match\n  -c, --count               print how many lines matched\n  -B, --before-context=NUM  also print NUM lines before each match\n  -A, --after-context=NUM   also print NUM lines after each match\n  -C, --context=NUM         both of the above\n",
                )
            }
            _ => {}
        }
    }
    let mut operands = parsed.operands;
    let patterns = match patterns {
        Some(p) => p,
        None => {
            if operands.is_empty() {
                return usage_error(cmd, None);
            }
            let first = operands.remove(0);
            first.split('\n').map(String::from).collect()
        }
    };
    let matcher = match compile(&mut cmd, &patterns, syntax, ignore_case, line_regexp, o.word) {
        Ok(m) => m,
        Err(e) => {
            cmd.error(&e);
            cmd.status = 2;
            return cmd;
        }
    };
    if operands.is_empty() {
        operands.push("-".to_string());
    }
    let with_filename = o.with_filename.unwrap_or(operands.len() > 1);
    let mut selected_any = false;
    let mut error = false;
    for name in &operands {
        let text = match io.read(name) {
            Ok(t) => t,
            Err(e) => {
                if !o.no_messages {
                    cmd.error(&format!("{name}: {e}"));
                }
                error = true;
                continue;
            }
        };
        let label =
            if name == "-" { o.label.clone().unwrap_or_else(|| "(standard input)".to_string()) } else { name.clone() };
        let prefix = if with_filename { Some(label.as_str()) } else { None };
        let (count, output) = search(&text, &matcher, &o, prefix);
        if count > 0 {
            selected_any = true;
            if o.quiet {
                cmd.status = 0;
                return cmd;
            }
        }
        if o.quiet {
            continue;
        }
        if o.files_with || o.files_without {
            if (count > 0) == o.files_with {
                cmd.out(&format!("{label}\n"));
            }
        } else if o.count {
            match prefix {
                Some(p) => cmd.out(&format!("{p}:{count}\n")),
                None => cmd.out(&format!("{count}\n")),
            }
        } else {
            cmd.out(&output);
        }
    }
    cmd.status = if error {
        2
    } else if selected_any {
        0
    } else {
        1
    };
    cmd
}

fn compile(
    cmd: &mut Cmd,
    patterns: &[String],
    syntax: Syntax,
    ignore_case: bool,
    line_regexp: bool,
    word: bool,
) -> Result<Matcher, String> {
    let mut parts = Vec::new();
    for p in patterns {
        let pattern = match syntax {
            Syntax::Fixed => regex_lite::escape(p),
            Syntax::Perl => p.clone(),
            Syntax::Basic | Syntax::Extended => {
                let t = regex_posix::translate(p, syntax == Syntax::Extended)?;
                for w in &t.warnings {
                    cmd.error(w);
                }
                t.pattern
            }
        };
        parts.push(format!("(?:{pattern})"));
    }
    if parts.is_empty() {
        return Ok(Matcher { regex: None, word });
    }
    let joined = parts.join("|");
    let full = if line_regexp { format!("^(?:{joined})$") } else { joined };
    let regex = RegexBuilder::new(&full).case_insensitive(ignore_case).size_limit(1 << 22).build().map_err(|e| {
        let reason = e.to_string();
        if reason.contains("size limit") {
            "Regular expression too big".to_string()
        } else if syntax == Syntax::Perl {
            // The regex engine's own reason, for `-P`.
            reason
        } else {
            "Invalid regular expression".to_string()
        }
    })?;
    Ok(Matcher { regex: Some(regex), word: word && !line_regexp })
}

/// Searches one file: the number of selected lines and what to print.
fn search(text: &str, matcher: &Matcher, o: &Options, prefix: Option<&str>) -> (u64, String) {
    let all: Vec<&str> = lines(text).collect();
    let mut out = String::new();
    let mut count = 0u64;
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    // Context lines are printed around whole lines only; `--` separates
    // groups whenever a context option was given.
    let context = !o.only;
    // Where each line starts, in bytes, for `-b`.
    let mut starts = Vec::with_capacity(all.len());
    let mut offset = 0;
    for line in &all {
        starts.push(offset);
        offset += line.len() + 1;
    }
    let emit_at = |out: &mut String, n: usize, sep: char, body: &str, column: usize| {
        if let Some(p) = prefix {
            out.push_str(p);
            out.push(sep);
        }
        if o.line_number {
            out.push_str(&(n + 1).to_string());
            out.push(sep);
        }
        if o.byte_offset {
            out.push_str(&(starts.get(n).copied().unwrap_or(0) + column).to_string());
            out.push(sep);
        }
        out.push_str(body);
        out.push('\n');
    };
    let emit = |out: &mut String, n: usize, sep: char, body: &str| emit_at(out, n, sep, body, 0);
    for (i, line) in all.iter().enumerate() {
        let done = o.max_count.is_some_and(|m| count >= m);
        if done && after_left == 0 {
            break;
        }
        let selected = !done && matcher.matches(line) != o.invert;
        if !selected {
            if after_left > 0 && context {
                emit(&mut out, i, '-', line);
                last_printed = Some(i);
                after_left -= 1;
            }
            continue;
        }
        count += 1;
        if o.count || o.files_with || o.files_without || o.quiet {
            continue;
        }
        let before = if context { o.before } else { 0 };
        let from = i.saturating_sub(before).max(last_printed.map_or(0, |l| l + 1));
        if let Some(l) = last_printed {
            if o.context && from > l + 1 {
                out.push_str("--\n");
            }
        }
        for (j, line) in all.iter().enumerate().take(i).skip(from) {
            emit(&mut out, j, '-', line);
        }
        if o.only {
            if !o.invert {
                let mut pos = 0;
                while let Some((s, e)) = matcher.find(line, pos) {
                    if e > s {
                        emit_at(&mut out, i, ':', line.get(s..e).unwrap_or_default(), s);
                        pos = e;
                    } else {
                        pos = e + line.get(e..).unwrap_or_default().chars().next().map_or(1, char::len_utf8);
                    }
                    if pos > line.len() {
                        break;
                    }
                }
            }
        } else {
            emit(&mut out, i, ':', line);
        }
        last_printed = Some(i);
        after_left = if context { o.after } else { 0 };
    }
    (count, out)
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    const G: &str = "NAME      SECRETS   AGE\ndefault   0         5m\nbuilder   0         1m\n";
    const FILES: &[(&str, &str)] =
        &[("g", G), ("b", "one two\nthree\n"), ("n", "1\n2\n3\n4\n5\n6\n7\n"), ("empty", "")];

    fn grep(args: &[&str]) -> (String, String, i32) {
        run("grep", args, Some(G), FILES)
    }

    #[test]
    fn selects_lines() {
        assert_eq!(grep(&["default"]), ("default   0         5m\n".into(), String::new(), 0));
        assert_eq!(grep(&["-c", "0"]).0, "2\n");
        assert_eq!(grep(&["-n", "-i", "name"]).0, "1:NAME      SECRETS   AGE\n");
        assert_eq!(grep(&["-v", "def"]).0, "NAME      SECRETS   AGE\nbuilder   0         1m\n");
        assert_eq!(grep(&["-o", "de[a-z]*"]).0, "default\nder\n");
        assert_eq!(grep(&["-q", "x"]), (String::new(), String::new(), 1));
        assert_eq!(grep(&["-E", "def|bui"]).0, "default   0         5m\nbuilder   0         1m\n");
        assert_eq!(grep(&["def\\|bui"]).0, "default   0         5m\nbuilder   0         1m\n");
        assert_eq!(grep(&["a+"]).2, 1);
        assert_eq!(grep(&["-F", "a+"]).2, 1);
        assert_eq!(grep(&["-w", "defaul"]).2, 1);
        assert_eq!(grep(&["-w", "default"]).2, 0);
        assert_eq!(grep(&["-x", "default.*"]).0, "default   0         5m\n");
        assert_eq!(grep(&["-e", "NAME", "-e", "builder"]).0, "NAME      SECRETS   AGE\nbuilder   0         1m\n");
        assert_eq!(grep(&["-m1", "0"]).0, "default   0         5m\n");
        assert_eq!(grep(&["-n", "-o", "0"]).0, "2:0\n3:0\n");
        assert_eq!(grep(&["-c", "-v", "0"]).0, "1\n");
        assert_eq!(grep(&["-o", "-v", "0"]), (String::new(), String::new(), 0));
        assert_eq!(grep(&["-H", "x\\|fa"]).0, "(standard input):default   0         5m\n");
        assert_eq!(grep(&["-iw", "AGE"]).0, "NAME      SECRETS   AGE\n");
        assert_eq!(grep(&["-f", "empty"]).2, 1);
        assert_eq!(run("grep", &["-o", "a*"], Some("baac\n"), FILES).0, "aa\n");
        assert_eq!(run("grep", &["-w", "ab"], Some("abc ab\n"), FILES).0, "abc ab\n");
        assert_eq!(run("grep", &["-ob", "b"], Some("abcabc\n"), FILES).0, "1:b\n4:b\n");
        assert_eq!(run("grep", &["-nb", "c"], Some("ab\nc\n"), FILES).0, "2:3:c\n");
    }

    #[test]
    fn several_files() {
        assert_eq!(grep(&["-l", "de", "g", "b"]).0, "g\n");
        assert_eq!(grep(&["-L", "de", "g", "b"]), ("b\n".into(), String::new(), 0));
        assert_eq!(grep(&["-c", "de", "g", "b"]).0, "g:2\nb:0\n");
        assert_eq!(
            grep(&["de", "g", "nope"]),
            (
                "g:default   0         5m\ng:builder   0         1m\n".into(),
                "grep: nope: No such file or directory\n".into(),
                2
            )
        );
        assert_eq!(grep(&["-h", "de", "g", "g"]).0, "default   0         5m\nbuilder   0         1m\n".repeat(2));
        assert_eq!(grep(&["-s", "de", "nope"]), (String::new(), String::new(), 2));
        assert_eq!(grep(&["-q", "de", "g", "nope"]), (String::new(), String::new(), 0));
        assert_eq!(
            grep(&["-q", "de", "nope", "g"]),
            (String::new(), "grep: nope: No such file or directory\n".into(), 0)
        );
        assert_eq!(grep(&["de", "-", "dir"]).1, "grep: dir: Is a directory\n");
    }

    #[test]
    fn context() {
        assert_eq!(grep(&["-A1", "NAME"]).0, "NAME      SECRETS   AGE\ndefault   0         5m\n");
        assert_eq!(grep(&["-B1", "-n", "builder"]).0, "2-default   0         5m\n3:builder   0         1m\n");
        assert_eq!(grep(&["-C1", "-e", "2", "-e", "6", "n"]).0, "1\n2\n3\n--\n5\n6\n7\n");
        assert_eq!(grep(&["-C1", "-e", "2", "-e", "4", "n"]).0, "1\n2\n3\n4\n5\n");
        assert_eq!(grep(&["-A", "1", "-H", "5", "n"]).0, "n:5\nn-6\n");
        assert_eq!(grep(&["-A0", "-e", "1", "-e", "3", "n"]).0, "1\n--\n3\n");
        assert_eq!(grep(&["-1", "4", "n"]).0, "3\n4\n5\n");
        assert_eq!(grep(&["-o", "-A1", "-e", "1", "-e", "5", "n"]).0, "1\n--\n5\n");
        assert_eq!(grep(&["-c", "-A1", "-e", "1", "-e", "5", "n"]).0, "2\n");
    }

    #[test]
    fn perl_syntax_is_the_regex_crates() {
        assert_eq!(run("grep", &["-P", "\\t\\d+"], Some("a\t12\nb 3\n"), FILES).0, "a\t12\n");
        let (_, err, status) = run("grep", &["-P", "a(?=b)"], Some("ab\n"), FILES);
        assert_eq!(status, 2);
        assert!(err.starts_with("grep: look-around"), "{err}");
    }

    #[test]
    fn errors() {
        let usage = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
        assert_eq!(grep(&[]), (String::new(), usage.to_string(), 2));
        assert_eq!(grep(&["-e"]).1, format!("grep: option requires an argument -- 'e'\n{usage}"));
        assert_eq!(grep(&["-Q", "x"]).1, format!("grep: invalid option -- 'Q'\n{usage}"));
        assert_eq!(grep(&["\\("]), (String::new(), "grep: Unmatched ( or \\(\n".into(), 2));
        assert_eq!(grep(&["-E", "("]).1, "grep: Unmatched ( or \\(\n");
        assert_eq!(grep(&["-A", "x", "a"]).1, "grep: x: invalid context length argument\n");
        assert_eq!(grep(&["-m", "x", "a"]).1, "grep: invalid max count\n");
        assert_eq!(grep(&["-e", "x", "-f", "nope"]).1, "grep: nope: No such file or directory\n");
        assert_eq!(grep(&["-E", "*a"]).1, "grep: warning: * at start of expression\n");
        assert_eq!(grep(&["x\\{32767\\}\\{32767\\}"]).1, "grep: Regular expression too big\n");
    }
}
