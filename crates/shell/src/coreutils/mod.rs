//! Text commands over standard input and files: `printf`, `grep`, `cut`,
//! `tr`, `wc`, `sort`, `uniq`, `base64`, following GNU coreutils 9.1 (and
//! GNU grep 3.8) in a UTF-8 locale: options, output and messages.
//!
//! Each command lives in its own module and returns a [`Cmd`]: what it
//! wrote to each stream, in order, and its exit status.

pub(crate) mod base64;
mod cut;
mod getopt;
mod grep;
mod printf;
mod regex_posix;
mod sort;
mod tr;
mod uniq;
mod wc;

use crate::files::Io;
use crate::{Output, Stream};

/// Runs text command `name`; `None` when `name` is not one of ours.
pub(crate) fn run(name: &str, args: &[String], io: &Io<'_>) -> Option<Output> {
    let package = match name {
        "grep" => "GNU grep) 3.8",
        "printf" | "cut" | "tr" | "wc" | "sort" | "uniq" | "base64" => "GNU coreutils) 9.1",
        _ => return None,
    };
    // `--version` (for printf: as its only argument) prints the version.
    let options = args.iter().take_while(|a| *a != "--");
    let version = if name == "printf" {
        args.len() == 1 && args.first().is_some_and(|a| a == "--version")
    } else {
        options.clone().any(|a| a == "--version" || (name == "grep" && a == "-V"))
    };
    if version {
        let mut out = Output::default();
        out.push(Stream::Stdout, &format!("{name} ({package}\n"));
        return Some(out);
    }
    let cmd = match name {
        "printf" => printf::run(args),
        "grep" => grep::run(args, io),
        "cut" => cut::run(args, io),
        "tr" => tr::run(args, io),
        "wc" => wc::run(args, io),
        "sort" => sort::run(args, io),
        "uniq" => uniq::run(args, io),
        "base64" => base64::run(args, io),
        _ => return None,
    };
    Some(cmd.finish())
}

/// What one text command printed, and its status.
pub(crate) struct Cmd {
    name: &'static str,
    output: Output,
    /// The exit status so far.
    pub status: i32,
}

impl Cmd {
    /// A command called `name` that has printed nothing yet.
    pub fn new(name: &'static str) -> Self {
        Self { name, output: Output::default(), status: 0 }
    }

    /// Writes `text` to standard output.
    pub fn out(&mut self, text: &str) {
        self.output.push(Stream::Stdout, text);
    }

    /// Writes `NAME: message` to standard error.
    pub fn error(&mut self, message: &str) {
        let text = format!("{}: {message}\n", self.name);
        self.output.push(Stream::Stderr, &text);
    }

    /// Writes `text` to standard error as it is.
    pub fn raw_error(&mut self, text: &str) {
        self.output.push(Stream::Stderr, text);
    }

    /// A usage error: the message, the `Try 'NAME --help'` hint and
    /// `status`.
    pub fn usage(mut self, message: &str, status: i32) -> Self {
        self.error(message);
        let hint = format!("Try '{} --help' for more information.\n", self.name);
        self.output.push(Stream::Stderr, &hint);
        self.status = status;
        self
    }

    /// `--help`: the usage line and a short list of the options we know.
    pub fn help(mut self, usage: &str, options: &str) -> Self {
        let text = format!("Usage: {} {usage}\n{options}", self.name);
        self.out(&text);
        self
    }

    /// The finished output with the status.
    pub fn finish(mut self) -> Output {
        self.output.exit_code = self.status;
        self.output
    }
}

/// The lines of `text` without their newlines; a last line without a
/// newline still counts.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n').map(|l| l.strip_suffix('\n').unwrap_or(l))
}

/// Reads each operand (`-` or none: standard input) for command `cmd`;
/// unreadable files are reported as `NAME: FILE: reason` and skipped,
/// setting status 1.
pub(crate) fn read_inputs(cmd: &mut Cmd, io: &Io<'_>, operands: &[String]) -> Vec<(String, String)> {
    let names: Vec<String> = if operands.is_empty() { vec!["-".to_string()] } else { operands.to_vec() };
    let mut inputs = Vec::new();
    for name in names {
        match io.read(&name) {
            Ok(text) => inputs.push((name, text)),
            Err(e) => {
                cmd.error(&format!("{name}: {e}"));
                cmd.status = 1;
            }
        }
    }
    inputs
}

#[cfg(test)]
pub(crate) mod testing {
    //! Running a command over an in-memory set of files.

    use std::collections::BTreeMap;

    use crate::files::{FileError, Io, ReadFiles};

    /// Files by name; `dir` is a directory.
    pub struct Files(pub BTreeMap<String, String>);

    impl ReadFiles for Files {
        fn read_file(&self, path: &str) -> Result<String, FileError> {
            if path == "dir" {
                return Err(FileError::IsADirectory);
            }
            self.0.get(path).cloned().ok_or(FileError::NotFound)
        }
    }

    /// Runs `name` with `args` over `stdin` and files `files`; returns
    /// (stdout, stderr, status).
    pub fn run(name: &str, args: &[&str], stdin: Option<&str>, files: &[(&str, &str)]) -> (String, String, i32) {
        let files = Files(files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        let io = Io { stdin, files: &files };
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match super::run(name, &args, &io) {
            Some(out) => (out.stdout(), out.stderr(), out.exit_code),
            None => (String::new(), "not ours".to_string(), 127),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::run;

    /// Tricky arguments: every combination of up to three of them, for
    /// every command, must give an answer, never a panic.
    const PIECES: &[&str] = &[
        "",
        "-",
        "--",
        "-c",
        "-d",
        "-f",
        "-k",
        "-t",
        "-w",
        "-n",
        "-o",
        "-A",
        "-C1",
        "-s",
        "-v",
        "-x",
        "-i",
        "-u",
        "%",
        "%*.*d",
        "%b",
        "\\",
        "\\u",
        "\\x",
        "[",
        "[:",
        "[=",
        "[a*",
        "[:alpha:]",
        "a-",
        "z-a",
        "\\(",
        "\\{",
        "a\\{1,\\}",
        "(",
        "*",
        "+",
        "1.",
        "1,",
        ",",
        "-3",
        "2-",
        "1.2,3.4",
        "99999999999999999999",
        "\u{e9}",
        "x\u{e9}y",
        "\\<",
        "{,}",
        "\\1",
        "g",
        "nope",
        "dir",
        "=",
        "YQ",
        "-w0",
    ];

    #[test]
    fn version_and_unknown_names() {
        assert_eq!(run("wc", &["-l", "--version"], None, &[]).0, "wc (GNU coreutils) 9.1\n");
        assert_eq!(run("grep", &["-V"], None, &[]).0, "grep (GNU grep) 3.8\n");
        assert_eq!(run("printf", &["--version"], None, &[]).0, "printf (GNU coreutils) 9.1\n");
        assert_eq!(run("printf", &["--version", "x"], None, &[]).0, "--version");
        assert_eq!(run("nl", &[], None, &[]).2, 127);
    }

    #[test]
    fn no_argument_makes_a_command_panic() {
        let files = [("g", "a b\n\u{e9}t\u{e9}\tx\n\n"), ("empty", "")];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for name in ["printf", "grep", "cut", "tr", "wc", "sort", "uniq", "base64"] {
            for _ in 0..1500 {
                let count = next(4);
                let args: Vec<&str> = (0..count).map(|_| PIECES[next(PIECES.len())]).collect();
                let stdin = ["", "x\n", "a:b\tc\n\u{e9}\u{e9} z\n", "YQ==\n", "no newline"][next(5)];
                let (_, _, status) = run(name, &args, Some(stdin), &files);
                assert!((0..=2).contains(&status), "{name} {args:?}: status {status}");
            }
        }
    }
}
