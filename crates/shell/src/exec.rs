//! Running parsed scripts: expansion, pipelines, redirections, builtins.
//!
//! Commands run in order; a pipeline hands each command's standard output
//! to the next one's standard input. Files written with `>` live in the
//! session's own small file store (there is no real file system).

use std::collections::BTreeMap;

use saplay_cluster::Cluster;

use crate::files::{FileError, Io, ReadFiles};
use crate::syntax::{self, Command, Joiner, Part, Redirect, Word};
use crate::{kubectl, Output, Stream};

/// The shell's state between commands.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Shell variables (all exported).
    pub vars: BTreeMap<String, String>,
    /// The status of the last command (`$?`).
    pub last_status: i32,
    /// Files written by redirections, by absolute path.
    pub files: BTreeMap<String, String>,
}

/// What one command produced.
type Ran = Output;

fn ran(stdout: String, stderr: String, status: i32) -> Ran {
    let mut out = Output::status(status);
    out.push(Stream::Stdout, &stdout);
    out.push(Stream::Stderr, &stderr);
    out
}

impl Session {
    fn absolute(path: &str) -> String {
        if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/root/{path}")
        }
    }
}

/// The learner's own machine: files written with redirections.
struct WorkstationFiles<'a>(&'a BTreeMap<String, String>);

impl ReadFiles for WorkstationFiles<'_> {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        self.0.get(&Session::absolute(path)).cloned().ok_or(FileError::NotFound)
    }
}

/// Runs `source` in `session` on `cluster`.
pub fn run(cluster: &mut Cluster, session: &mut Session, source: &str) -> Output {
    let script = match syntax::parse(source) {
        Ok(s) => s,
        Err(e) => {
            session.last_status = 2;
            return ran(String::new(), format!("{e}\n"), 2);
        }
    };
    let mut out = Output::default();
    for (joiner, pipeline) in script {
        let skip = match joiner {
            Joiner::Always => false,
            Joiner::And => session.last_status != 0,
            Joiner::Or => session.last_status == 0,
        };
        if skip {
            continue;
        }
        let mut input: Option<String> = None;
        let mut status = 0;
        let last = pipeline.len().saturating_sub(1);
        for (i, command) in pipeline.iter().enumerate() {
            let mut result = run_command(cluster, session, command, input.take());
            status = result.exit_code;
            if i < last {
                // Standard output feeds the next command; errors reach the
                // terminal.
                input = Some(result.take(Stream::Stdout));
            }
            out.append(result);
        }
        session.last_status = status;
    }
    out.exit_code = session.last_status;
    out
}

/// Expands a word into fields: unquoted expansions split on whitespace.
fn expand(cluster: &mut Cluster, session: &mut Session, word: &Word) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut has_current = false;
    for part in word {
        let (value, quoted) = match part {
            // Literal text is never split, quoted or not.
            Part::Text { text, .. } => (text.clone(), true),
            Part::Var { name, quoted } => (lookup(session, name), *quoted),
            Part::Length { name, quoted } => (lookup(session, name).chars().count().to_string(), *quoted),
            Part::Command { source, quoted } => {
                let saved = session.clone();
                let output = run(cluster, session, source);
                let files = std::mem::take(&mut session.files);
                *session = saved;
                session.files = files;
                session.last_status = output.exit_code;
                let mut text = output.stdout();
                while text.ends_with('\n') {
                    text.pop();
                }
                (text, *quoted)
            }
        };
        let splits = !quoted && !matches!(part, Part::Text { .. });
        if splits {
            let mut pieces = value.split_whitespace().peekable();
            if value.starts_with(char::is_whitespace) && has_current {
                fields.push(std::mem::take(&mut current));
                has_current = false;
            }
            while let Some(piece) = pieces.next() {
                current.push_str(piece);
                has_current = true;
                if pieces.peek().is_some() {
                    fields.push(std::mem::take(&mut current));
                }
            }
            if value.ends_with(char::is_whitespace) && has_current {
                fields.push(std::mem::take(&mut current));
                has_current = false;
            }
        } else {
            // A quoted expansion makes a field even when empty ("$EMPTY").
            current.push_str(&value);
            has_current = true;
        }
    }
    if has_current {
        fields.push(current);
    }
    fields
}

fn lookup(session: &Session, name: &str) -> String {
    if name == "?" {
        return session.last_status.to_string();
    }
    session.vars.get(name).cloned().unwrap_or_default()
}

/// Expands a word into one string (redirection targets, assignments).
fn expand_one(cluster: &mut Cluster, session: &mut Session, word: &Word) -> String {
    expand(cluster, session, word).join(" ")
}

fn run_command(cluster: &mut Cluster, session: &mut Session, command: &Command, input: Option<String>) -> Ran {
    let mut assignments = Vec::new();
    for (name, value) in &command.assignments {
        let value = expand_one(cluster, session, value);
        assignments.push((name.clone(), value));
    }
    let mut args: Vec<String> = Vec::new();
    for word in &command.words {
        args.extend(expand(cluster, session, word));
    }
    // Standard input: a here-document or `<` wins over the pipe.
    let mut stdin = input;
    for redirect in &command.redirects {
        match redirect {
            Redirect::HereDoc { body, expand: true } => stdin = Some(expand_heredoc(cluster, session, body)),
            Redirect::HereDoc { body, expand: false } => stdin = Some(body.clone()),
            Redirect::In { target } => {
                let path = Session::absolute(&expand_one(cluster, session, target));
                match session.files.get(&path) {
                    Some(content) => stdin = Some(content.clone()),
                    None => return ran(String::new(), format!("sh: {path}: No such file or directory\n"), 1),
                }
            }
            _ => {}
        }
    }
    let mut result = if args.is_empty() {
        for (name, value) in assignments {
            session.vars.insert(name, value);
        }
        Output::status(0)
    } else {
        builtin(cluster, session, &args, stdin)
    };
    // Output redirections, in order.
    for redirect in &command.redirects {
        match redirect {
            Redirect::Dup { fd: 2, to: 1 } => result.redirect(Stream::Stderr, Stream::Stdout),
            Redirect::Dup { fd: 1, to: 2 } => result.redirect(Stream::Stdout, Stream::Stderr),
            Redirect::Out { fd, target, append } => {
                let path = Session::absolute(&expand_one(cluster, session, target));
                let text = result.take(if *fd == 2 { Stream::Stderr } else { Stream::Stdout });
                if path != "/dev/null" {
                    let file = session.files.entry(path).or_default();
                    if !append {
                        file.clear();
                    }
                    file.push_str(&text);
                }
            }
            _ => {}
        }
    }
    result
}

fn expand_heredoc(cluster: &mut Cluster, session: &mut Session, body: &str) -> String {
    // Expand $VAR, ${VAR}, $(…) as in double quotes; keep everything else.
    let quoted = format!("\"{}\"", body.replace('\\', "\\\\").replace('"', "\\\""));
    match syntax::parse(&format!("echo -n {quoted}")) {
        Ok(script) => {
            let words = script.first().and_then(|(_, p)| p.first()).map(|c| c.words.clone()).unwrap_or_default();
            words.get(2).map(|w| expand_one(cluster, session, w)).unwrap_or_else(|| body.to_string())
        }
        Err(_) => body.to_string(),
    }
}

fn builtin(cluster: &mut Cluster, session: &mut Session, args: &[String], stdin: Option<String>) -> Ran {
    let ok = |stdout: String| ran(stdout, String::new(), 0);
    let (name, rest) = match args.split_first() {
        Some((n, r)) => (n.as_str(), r),
        None => return ok(String::new()),
    };
    match name {
        "kubectl" => {
            let files = session.files.clone();
            kubectl::Kubectl::new(cluster).with_stdin(stdin).with_files(&files).run(rest)
        }
        "curl" => {
            let out = crate::curl::run(cluster, rest, &session.files, false);
            ran(out.stdout, out.stderr, out.status)
        }
        "echo" => {
            let (newline, words) = match rest.split_first() {
                Some((flag, words)) if flag == "-n" => (false, words),
                _ => (true, rest),
            };
            let mut text = words.join(" ");
            if newline {
                text.push('\n');
            }
            ok(text)
        }
        "cat" => {
            if rest.is_empty() || rest == ["-"] {
                return ok(stdin.unwrap_or_default());
            }
            let mut out = String::new();
            let mut err = String::new();
            for file in rest {
                match session.files.get(&Session::absolute(file)) {
                    Some(content) => out.push_str(content),
                    None => err.push_str(&format!("cat: {file}: No such file or directory\n")),
                }
            }
            let status = i32::from(!err.is_empty());
            ran(out, err, status)
        }
        "export" => {
            for arg in rest {
                if let Some((n, v)) = arg.split_once('=') {
                    session.vars.insert(n.to_string(), v.to_string());
                }
            }
            ok(String::new())
        }
        "unset" => {
            for arg in rest {
                session.vars.remove(arg);
            }
            ok(String::new())
        }
        "env" => ok(session.vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect()),
        "pwd" => ok("/root\n".to_string()),
        "test" | "[" => {
            let mut operands: Vec<&str> = rest.iter().map(String::as_str).collect();
            if name == "[" {
                if operands.last() != Some(&"]") {
                    return ran(String::new(), "sh: [: missing ]\n".to_string(), 2);
                }
                operands.pop();
            }
            let result = match operands.as_slice() {
                [] => Some(false),
                ["!", rest @ ..] => test(rest).map(|r| !r),
                other => test(other),
            };
            match result {
                Some(true) => ok(String::new()),
                Some(false) => ran(String::new(), String::new(), 1),
                None => ran(String::new(), format!("sh: {name}: unexpected operator\n"), 2),
            }
        }
        "head" | "tail" => {
            let mut count = 10usize;
            let mut files = Vec::new();
            let mut i = 0;
            while let Some(arg) = rest.get(i) {
                i += 1;
                if arg == "-n" {
                    count = rest.get(i).and_then(|n| n.parse().ok()).unwrap_or(count);
                    i += 1;
                } else if let Some(n) =
                    arg.strip_prefix("-n").or_else(|| arg.strip_prefix('-')).and_then(|n| n.parse().ok())
                {
                    count = n;
                } else {
                    files.push(arg.clone());
                }
            }
            let text = match files.first() {
                Some(file) => match session.files.get(&Session::absolute(file)) {
                    Some(t) => t.clone(),
                    None => {
                        return ran(
                            String::new(),
                            format!("{name}: cannot open '{file}' for reading: No such file or directory\n"),
                            1,
                        )
                    }
                },
                None => stdin.unwrap_or_default(),
            };
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let chosen: Vec<&str> = if name == "head" {
                lines.iter().take(count).copied().collect()
            } else {
                lines.iter().skip(lines.len().saturating_sub(count)).copied().collect()
            };
            ok(chosen.concat())
        }
        "sleep" => {
            // The simulated clock jumps at once: `sleep 50m` shows what the
            // cluster does in fifty minutes.
            let mut total = 0i64;
            for arg in rest {
                match parse_sleep(arg) {
                    Some(seconds) => total += seconds,
                    None => {
                        return ran(
                            String::new(),
                            format!("sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"),
                            1,
                        )
                    }
                }
            }
            if rest.is_empty() {
                return ran(
                    String::new(),
                    "sleep: missing operand\nTry 'sleep --help' for more information.\n".to_string(),
                    1,
                );
            }
            cluster.advance_seconds(total);
            ok(String::new())
        }
        "date" => {
            let now = cluster.now().to_k8s().0;
            ok(format!("{}\n", now.format("%a %b %e %H:%M:%S UTC %Y")))
        }
        "true" => ok(String::new()),
        "false" => ran(String::new(), String::new(), 1),
        other => {
            let files = WorkstationFiles(&session.files);
            let io = Io { stdin: stdin.as_deref(), files: &files };
            if other == "jq" {
                return crate::jq::run(rest, &io, cluster.now().unix_millis());
            }
            match crate::coreutils::run(other, rest, &io) {
                Some(out) => out,
                None => ran(String::new(), format!("sh: {other}: command not found\n"), 127),
            }
        }
    }
}

/// GNU `sleep` operands: a number with an optional `s`, `m`, `h` or `d`
/// suffix, in whole seconds (fractions are rounded down).
fn parse_sleep(arg: &str) -> Option<i64> {
    let (number, unit) = match arg.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&arg[..i], c),
        _ => (arg, 's'),
    };
    let value: f64 = number.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        _ => return None,
    };
    Some((value * scale) as i64)
}

/// `test` expressions: `-z S`, `-n S`, `S`, `A = B`, `A != B`, and the
/// integer comparisons `-eq -ne -lt -le -gt -ge`; `None` when malformed.
fn test(operands: &[&str]) -> Option<bool> {
    match operands {
        [s] => Some(!s.is_empty()),
        ["-z", s] => Some(s.is_empty()),
        ["-n", s] => Some(!s.is_empty()),
        [a, "=", b] | [a, "==", b] => Some(a == b),
        [a, "!=", b] => Some(a != b),
        [a, op, b] => {
            let (a, b): (i64, i64) = (a.parse().ok()?, b.parse().ok()?);
            match *op {
                "-eq" => Some(a == b),
                "-ne" => Some(a != b),
                "-lt" => Some(a < b),
                "-le" => Some(a <= b),
                "-gt" => Some(a > b),
                "-ge" => Some(a >= b),
                _ => None,
            }
        }
        _ => None,
    }
}
