//! Running parsed scripts: expansion, pipelines, compound commands,
//! redirections and builtins.
//!
//! Commands run in order; a pipeline hands each command's standard output
//! to the next one's standard input. Files live in the session's small
//! file store ([`crate::machine`]); there is no real file system. After
//! `kubectl exec -it POD -- sh` the session runs inside the pod's
//! container until `exit`.

use std::collections::{BTreeMap, BTreeSet};

use saplay_cluster::Cluster;

use crate::files::{FileError, Io};
use crate::machine::{Disk, Files, PodTarget, DEFAULT_PATH};
use crate::syntax::{self, Command, Compound, Joiner, ParamOp, Part, Pipeline, Redirect, Script, Simple, Word};
use crate::{kubectl, Output, Stream};

/// How many loop iterations one command line may run: a learner's
/// `while true` must not freeze the page.
pub const MAX_ITERATIONS: usize = 10_000;

/// How deeply command substitutions may nest.
const MAX_DEPTH: usize = 50;

/// The shell's state between commands.
#[derive(Debug, Clone)]
pub struct Session {
    /// Shell variables (all exported).
    pub vars: BTreeMap<String, String>,
    /// The status of the last command (`$?`).
    pub last_status: i32,
    /// The workstation's files, by absolute path.
    pub files: BTreeMap<String, String>,
    /// The workstation's directories made with `mkdir`.
    pub dirs: BTreeSet<String>,
    /// The current directory.
    pub cwd: String,
    /// Command lines entered, oldest first (`history`).
    pub history: Vec<String>,
    /// The pod shell this session is in, after `kubectl exec -it`.
    pub pod: Option<Box<PodShell>>,
    /// Writable layers of containers, by [`PodTarget::key`].
    pub containers: BTreeMap<String, Disk>,
    flow: Flow,
    iterations: usize,
    depth: usize,
    /// What is left of a compound command's standard input (`read`).
    input: Option<String>,
    /// Whether standard output goes to the terminal (not a pipe, a file
    /// or a substitution): `ls` prints columns then.
    tty: bool,
    /// kubectl's kubeconfig state (`kubectl config set-context`).
    pub kubeconfig: kubectl::Config,
    /// What the command substitutions of the command being expanded wrote
    /// to standard error (it reaches the terminal, not the substitution),
    /// and the status of the last of them: an assignment-only command
    /// ends with it, as POSIX says.
    substituted: Option<(String, i32)>,
}

/// An interactive shell inside a container, and the workstation's state
/// to return to on `exit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodShell {
    /// Where the shell runs.
    pub target: PodTarget,
    /// `sh` or `bash` (the prompt differs).
    pub program: String,
    saved_vars: BTreeMap<String, String>,
    saved_cwd: String,
}

/// Control flow leaving a list early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Flow {
    #[default]
    Normal,
    Break(usize),
    Continue(usize),
    Exit,
}

impl Default for Session {
    fn default() -> Self {
        let vars = [("HOME", "/root"), ("PWD", "/root"), ("USER", "root"), ("SHELL", "/bin/sh")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self {
            vars,
            last_status: 0,
            files: BTreeMap::new(),
            dirs: BTreeSet::new(),
            cwd: "/root".to_string(),
            history: Vec::new(),
            pod: None,
            containers: BTreeMap::new(),
            flow: Flow::Normal,
            iterations: 0,
            depth: 0,
            input: None,
            tty: true,
            kubeconfig: kubectl::Config::default(),
            substituted: None,
        }
    }
}

impl Session {
    /// The prompt a terminal shows before the next command.
    pub fn prompt(&self) -> String {
        match &self.pod {
            None => "$ ".to_string(),
            Some(pod) if pod.program == "bash" => {
                let cwd = match self.cwd.strip_prefix("/root") {
                    Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("~{rest}"),
                    _ => self.cwd.clone(),
                };
                format!("root@{}:{cwd}# ", pod.target.pod)
            }
            Some(_) => "# ".to_string(),
        }
    }

    /// Looks at the files of the machine the session is on, without
    /// changing them (Tab completion).
    pub fn read_files<R>(&self, cluster: &Cluster, look: impl FnOnce(&Files<'_>) -> R) -> R {
        let mut copy = self.clone();
        let files = copy.machine(cluster);
        look(&files)
    }

    /// The files of the machine the session is on.
    fn machine<'a>(&'a mut self, cluster: &Cluster) -> Files<'a> {
        match &self.pod {
            None => Files::workstation_parts(&mut self.files, &mut self.dirs, &self.cwd, cluster.now()),
            Some(pod) => {
                let disk = self.containers.entry(pod.target.key()).or_default();
                Files::container(cluster, &pod.target, disk, &self.cwd)
            }
        }
    }
}

fn ran(stdout: String, stderr: String, status: i32) -> Output {
    let mut out = Output::status(status);
    out.push(Stream::Stdout, &stdout);
    out.push(Stream::Stderr, &stderr);
    out
}

fn fail(stderr: String, status: i32) -> Output {
    ran(String::new(), stderr, status)
}

/// Runs `source` in `session` on `cluster`, one complete command at a
/// time (as dash does: the commands before a syntax error still run).
pub fn run(cluster: &mut Cluster, session: &mut Session, source: &str) -> Output {
    session.iterations = 0;
    run_source(cluster, session, source, true)
}

/// Runs `source`; `top` is the terminal's own shell, where `exit` leaves
/// a pod shell (in `sh -c` or `$(…)` it only ends that script).
fn run_source(cluster: &mut Cluster, session: &mut Session, source: &str, top: bool) -> Output {
    let mut out = Output::default();
    for command in syntax::commands(source) {
        match command {
            Ok((script, _)) => {
                let result = run_script(cluster, session, &script, None);
                out.append(result);
                if session.flow == Flow::Exit {
                    session.flow = Flow::Normal;
                    if top {
                        leave_or_stop(session, &mut out);
                    }
                    break;
                }
                session.flow = Flow::Normal;
            }
            Err(e) => {
                session.last_status = 2;
                out.push(Stream::Stderr, &format!("{e}\n"));
                break;
            }
        }
    }
    // Errors of substitutions in words no command followed (`for x in
    // $(…)` with nothing to loop over).
    if let Some((errors, _)) = session.substituted.take() {
        out.push(Stream::Stderr, &errors);
    }
    out.exit_code = session.last_status;
    out
}

/// `exit`: inside a pod shell, back to the workstation (kubectl reports a
/// failing status); on the workstation, the rest of the input is dropped.
fn leave_or_stop(session: &mut Session, out: &mut Output) {
    match session.pod.take() {
        Some(pod) => {
            session.vars = pod.saved_vars;
            session.cwd = pod.saved_cwd;
            if session.last_status != 0 {
                out.push(Stream::Stderr, &format!("command terminated with exit code {}\n", session.last_status));
            }
        }
        None => out.exit_requested = true,
    }
}

fn run_script(cluster: &mut Cluster, session: &mut Session, script: &Script, stdin: Option<String>) -> Output {
    let mut out = Output::default();
    let mut stdin = stdin;
    for (joiner, pipeline) in script {
        if session.flow != Flow::Normal {
            break;
        }
        let skip = match joiner {
            Joiner::Always => false,
            Joiner::And => session.last_status != 0,
            Joiner::Or => session.last_status == 0,
        };
        if skip {
            continue;
        }
        out.append(run_pipeline(cluster, session, pipeline, stdin.take()));
    }
    out.exit_code = session.last_status;
    out
}

fn run_pipeline(cluster: &mut Cluster, session: &mut Session, pipeline: &Pipeline, stdin: Option<String>) -> Output {
    let mut out = Output::default();
    let mut input = stdin;
    let mut status = 0;
    let last = pipeline.commands.len().saturating_sub(1);
    let tty = session.tty;
    for (i, command) in pipeline.commands.iter().enumerate() {
        session.tty = tty && i == last;
        let mut result = run_command(cluster, session, command, input.take());
        session.tty = tty;
        status = result.exit_code;
        if i < last {
            // Standard output feeds the next command; errors reach the
            // terminal.
            input = Some(result.take(Stream::Stdout));
        }
        out.append(result);
        if session.flow == Flow::Exit {
            break;
        }
    }
    if pipeline.negate {
        status = i32::from(status == 0);
    }
    session.last_status = status;
    out.exit_code = status;
    out
}

/// Expands a word into fields: unquoted expansions split on whitespace.
fn expand(cluster: &mut Cluster, session: &mut Session, word: &Word) -> Result<Vec<String>, Output> {
    let mut fields: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut has_current = false;
    for (index, part) in word.iter().enumerate() {
        let (value, quoted) = match part {
            // Literal text is never split, quoted or not; a leading `~`
            // is the home directory.
            Part::Text { text, quoted } => {
                let home = session.vars.get("HOME").cloned().unwrap_or_default();
                let text = match text.strip_prefix('~') {
                    Some(rest) if index == 0 && !quoted && (rest.is_empty() || rest.starts_with('/')) => {
                        format!("{home}{rest}")
                    }
                    _ => text.clone(),
                };
                (text, true)
            }
            Part::Var { name, quoted } => (lookup(session, name), *quoted),
            Part::Length { name, quoted } => (lookup(session, name).chars().count().to_string(), *quoted),
            Part::Param { name, op, word, quoted } => (parameter(cluster, session, name, *op, word)?, *quoted),
            Part::Command { source, quoted } => (substitute(cluster, session, source), *quoted),
            Part::Arith { source, quoted } => (arithmetic(cluster, session, source)?, *quoted),
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
    Ok(fields)
}

/// `$(…)`: runs `source` in a copy of the session (files written stay)
/// and gives its standard output without trailing newlines.
fn substitute(cluster: &mut Cluster, session: &mut Session, source: &str) -> String {
    if session.depth >= MAX_DEPTH {
        return String::new();
    }
    let saved = session.clone();
    session.depth += 1;
    session.tty = false;
    let iterations = session.iterations;
    let output = run_source(cluster, session, source, false);
    let iterations = session.iterations.max(iterations);
    let files = std::mem::take(&mut session.files);
    let dirs = std::mem::take(&mut session.dirs);
    let containers = std::mem::take(&mut session.containers);
    *session = saved;
    session.files = files;
    session.dirs = dirs;
    session.containers = containers;
    session.iterations = iterations;
    session.last_status = output.exit_code;
    let errors = session.substituted.take().map(|(e, _)| e).unwrap_or_default() + &output.stderr();
    session.substituted = Some((errors, output.exit_code));
    let mut text = output.stdout();
    while text.ends_with('\n') {
        text.pop();
    }
    text
}

/// `$(( … ))`: `$VAR` and `$(…)` inside are expanded first.
fn arithmetic(cluster: &mut Cluster, session: &mut Session, source: &str) -> Result<String, Output> {
    let expanded = match syntax::parse(&format!("echo -n \"{}\"", source.replace('"', "\\\""))) {
        Ok(script) => match script.first().and_then(|(_, p)| p.commands.first()) {
            Some(Command::Simple(s)) => match s.words.get(2) {
                Some(w) => expand_one(cluster, session, w)?,
                None => String::new(),
            },
            _ => source.to_string(),
        },
        Err(_) => source.to_string(),
    };
    crate::arith::eval(&expanded, &session.vars).map(|v| v.to_string()).map_err(|e| fail(format!("sh: 1: {e}\n"), 2))
}

fn lookup(session: &Session, name: &str) -> String {
    match name {
        "?" => session.last_status.to_string(),
        "#" => "0".to_string(),
        "$" => "1".to_string(),
        "0" => "sh".to_string(),
        _ => session.vars.get(name).cloned().unwrap_or_default(),
    }
}

/// `${NAME<op>word}`.
fn parameter(
    cluster: &mut Cluster,
    session: &mut Session,
    name: &str,
    op: ParamOp,
    word: &Word,
) -> Result<String, Output> {
    let value = session.vars.get(name).cloned().or_else(|| (name == "?").then(|| session.last_status.to_string()));
    let unset = |colon: bool| value.as_ref().is_none_or(|v| colon && v.is_empty());
    Ok(match op {
        ParamOp::Default { colon } if unset(colon) => expand_one(cluster, session, word)?,
        ParamOp::Assign { colon } if unset(colon) => {
            let word = expand_one(cluster, session, word)?;
            session.vars.insert(name.to_string(), word.clone());
            word
        }
        ParamOp::Alternative { colon } => {
            if unset(colon) {
                String::new()
            } else {
                expand_one(cluster, session, word)?
            }
        }
        ParamOp::Error { colon } if unset(colon) => {
            let word = expand_one(cluster, session, word)?;
            let message = if word.is_empty() { "parameter not set".to_string() } else { word };
            return Err(fail(format!("sh: 1: {name}: {message}\n"), 2));
        }
        ParamOp::RemovePrefix { longest } | ParamOp::RemoveSuffix { longest } => {
            let pattern = expand_one(cluster, session, word)?;
            let value = value.unwrap_or_default();
            let prefix = matches!(op, ParamOp::RemovePrefix { .. });
            strip_pattern(&value, &pattern, prefix, longest)
        }
        _ => value.unwrap_or_default(),
    })
}

/// Removes the shortest or longest prefix (or suffix) of `value` matching
/// the glob `pattern` (`*`, `?` and literal characters).
fn strip_pattern(value: &str, pattern: &str, prefix: bool, longest: bool) -> String {
    let bounds: Vec<usize> = value.char_indices().map(|(i, _)| i).chain([value.len()]).collect();
    let mut candidates: Vec<usize> = bounds.clone();
    if prefix == longest {
        candidates.reverse();
    }
    for cut in candidates {
        let (matched, rest) = if prefix { (&value[..cut], &value[cut..]) } else { (&value[cut..], &value[..cut]) };
        if glob_match(pattern, matched) {
            return rest.to_string();
        }
    }
    value.to_string()
}

/// Matches `text` against a shell glob with `*` and `?`.
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|c| *c == '*')
}

/// Expands a word into one string (redirection targets, assignments).
fn expand_one(cluster: &mut Cluster, session: &mut Session, word: &Word) -> Result<String, Output> {
    Ok(expand(cluster, session, word)?.join(" "))
}

fn run_command(cluster: &mut Cluster, session: &mut Session, command: &Command, input: Option<String>) -> Output {
    match command {
        Command::Simple(simple) => run_simple(cluster, session, simple, input),
        Command::Compound(compound, redirects) => {
            let stdin = match input_redirects(cluster, session, redirects, input) {
                Ok(stdin) => stdin,
                Err(out) => return out,
            };
            let saved_input = std::mem::replace(&mut session.input, stdin);
            let mut result = run_compound(cluster, session, compound);
            session.input = saved_input;
            output_redirects(cluster, session, redirects, &mut result);
            result
        }
    }
}

/// Standard input from `<` and here-documents (they win over the pipe).
fn input_redirects(
    cluster: &mut Cluster,
    session: &mut Session,
    redirects: &[Redirect],
    input: Option<String>,
) -> Result<Option<String>, Output> {
    let mut stdin = input;
    for redirect in redirects {
        match redirect {
            Redirect::HereDoc { body, expand: true } => stdin = Some(expand_heredoc(cluster, session, body)),
            Redirect::HereDoc { body, expand: false } => stdin = Some(body.clone()),
            Redirect::In { target } => {
                let path = expand_one(cluster, session, target)?;
                let files = session.machine(cluster);
                match crate::files::ReadFiles::read_file(&files, &path) {
                    Ok(content) => stdin = Some(content),
                    Err(e) => return Err(fail(format!("sh: 1: cannot open {path}: {}\n", no_such(e)), 2)),
                }
            }
            _ => {}
        }
    }
    Ok(stdin)
}

/// dash words a missing file "No such file" in redirections.
fn no_such(e: FileError) -> String {
    match e {
        FileError::NotFound => "No such file".to_string(),
        other => other.to_string(),
    }
}

/// Output redirections, in order.
fn output_redirects(cluster: &mut Cluster, session: &mut Session, redirects: &[Redirect], result: &mut Output) {
    for redirect in redirects {
        match redirect {
            Redirect::Dup { fd: 2, to: 1 } => result.redirect(Stream::Stderr, Stream::Stdout),
            Redirect::Dup { fd: 1, to: 2 } => result.redirect(Stream::Stdout, Stream::Stderr),
            Redirect::Out { fd, target, append } => {
                let path = match expand_one(cluster, session, target) {
                    Ok(p) => p,
                    Err(e) => {
                        *result = e;
                        return;
                    }
                };
                let text = result.take(if *fd == 2 { Stream::Stderr } else { Stream::Stdout });
                let mut files = session.machine(cluster);
                let absolute = files.resolve(&path);
                if let Err(e) = files.write(&absolute, &text, *append) {
                    let reason = match e {
                        FileError::NotFound => "Directory nonexistent".to_string(),
                        other => other.to_string(),
                    };
                    *result = fail(format!("sh: 1: cannot create {path}: {reason}\n"), 2);
                    session.last_status = 2;
                    return;
                }
            }
            _ => {}
        }
    }
}

fn run_compound(cluster: &mut Cluster, session: &mut Session, compound: &Compound) -> Output {
    let mut out = Output::default();
    match compound {
        Compound::If { branches, otherwise } => {
            let mut matched = false;
            for (condition, body) in branches {
                out.append(run_script(cluster, session, condition, None));
                if session.flow != Flow::Normal {
                    break;
                }
                if session.last_status == 0 {
                    out.append(run_script(cluster, session, body, None));
                    matched = true;
                    break;
                }
            }
            if !matched && session.flow == Flow::Normal {
                match otherwise {
                    Some(body) => out.append(run_script(cluster, session, body, None)),
                    None => session.last_status = 0,
                }
            }
        }
        Compound::For { name, words, body } => {
            let mut values = Vec::new();
            for word in words.iter().flatten() {
                match expand(cluster, session, word) {
                    Ok(fields) => values.extend(fields),
                    Err(e) => return e,
                }
            }
            session.last_status = 0;
            for value in values {
                if !tick(session, &mut out) {
                    break;
                }
                session.vars.insert(name.clone(), value);
                out.append(run_script(cluster, session, body, None));
                if loop_flow(session) {
                    break;
                }
            }
        }
        Compound::While { condition, body, until } => {
            let mut status = 0;
            loop {
                if !tick(session, &mut out) {
                    status = session.last_status;
                    break;
                }
                out.append(run_script(cluster, session, condition, None));
                if session.flow != Flow::Normal {
                    if loop_flow(session) {
                        break;
                    }
                    continue;
                }
                if (session.last_status == 0) == *until {
                    break;
                }
                out.append(run_script(cluster, session, body, None));
                status = session.last_status;
                if loop_flow(session) {
                    break;
                }
            }
            if session.flow == Flow::Normal {
                session.last_status = status;
            }
        }
        Compound::Group(body) => out.append(run_script(cluster, session, body, None)),
        Compound::Subshell(body) => {
            let vars = session.vars.clone();
            let cwd = session.cwd.clone();
            out.append(run_script(cluster, session, body, None));
            session.vars = vars;
            session.cwd = cwd;
            if session.flow != Flow::Normal && session.flow != Flow::Exit {
                session.flow = Flow::Normal;
            }
            if session.flow == Flow::Exit {
                session.flow = Flow::Normal;
            }
        }
    }
    out.exit_code = session.last_status;
    out
}

/// Counts a loop iteration; false (with a message) past the limit.
fn tick(session: &mut Session, out: &mut Output) -> bool {
    session.iterations += 1;
    if session.iterations > MAX_ITERATIONS {
        if session.iterations == MAX_ITERATIONS + 1 {
            out.push(
                Stream::Stderr,
                &format!("sh: loop stopped after {MAX_ITERATIONS} iterations (the playground's limit)\n"),
            );
        }
        session.last_status = 130;
        return false;
    }
    true
}

/// After a loop body: whether the loop ends, consuming one level of
/// `break`/`continue`.
fn loop_flow(session: &mut Session) -> bool {
    match session.flow {
        Flow::Normal => false,
        Flow::Exit => true,
        Flow::Break(n) => {
            session.flow = if n > 1 { Flow::Break(n - 1) } else { Flow::Normal };
            true
        }
        Flow::Continue(n) => {
            if n > 1 {
                session.flow = Flow::Continue(n - 1);
                true
            } else {
                session.flow = Flow::Normal;
                false
            }
        }
    }
}

fn run_simple(cluster: &mut Cluster, session: &mut Session, command: &Simple, input: Option<String>) -> Output {
    // What is left from expanding a compound command's words (`for x in
    // $(…)`) comes first.
    let before = session.substituted.take();
    match try_simple(cluster, session, command, input) {
        Ok(out) | Err(out) => {
            let out = after_substitutions(before, after_substitutions(session.substituted.take(), out));
            session.last_status = out.exit_code;
            out
        }
    }
}

/// `out` after what command substitutions wrote to standard error.
fn after_substitutions(substituted: Option<(String, i32)>, out: Output) -> Output {
    match substituted {
        Some((errors, _)) if !errors.is_empty() => {
            let mut first = Output { exit_requested: out.exit_requested, ..Output::status(out.exit_code) };
            first.push(Stream::Stderr, &errors);
            first.append(out);
            first
        }
        _ => out,
    }
}

fn try_simple(
    cluster: &mut Cluster,
    session: &mut Session,
    command: &Simple,
    input: Option<String>,
) -> Result<Output, Output> {
    let mut assignments = Vec::new();
    for (name, value) in &command.assignments {
        let value = expand_one(cluster, session, value)?;
        assignments.push((name.clone(), value));
    }
    let mut args: Vec<String> = Vec::new();
    for word in &command.words {
        args.extend(expand(cluster, session, word)?);
    }
    let stdin = input_redirects(cluster, session, &command.redirects, input)?;
    let tty = session.tty;
    if command.redirects.iter().any(|r| matches!(r, Redirect::Out { fd: 1, .. } | Redirect::Dup { fd: 1, .. })) {
        session.tty = false;
    }
    let result = if args.is_empty() {
        for (name, value) in assignments {
            session.vars.insert(name, value);
        }
        // No command: the status of the last substitution, or 0.
        Output::status(session.substituted.as_ref().map_or(0, |(_, status)| *status))
    } else {
        // `VAR=x cmd` sets VAR for that command only.
        let saved: Vec<(String, Option<String>)> =
            assignments.iter().map(|(n, _)| (n.clone(), session.vars.get(n).cloned())).collect();
        for (name, value) in assignments {
            session.vars.insert(name, value);
        }
        let out = builtin(cluster, session, &args, stdin);
        for (name, old) in saved {
            match old {
                Some(v) => session.vars.insert(name, v),
                None => session.vars.remove(&name),
            };
        }
        out
    };
    session.tty = tty;
    // Before the redirections: `X=$(cmd) 2>/dev/null` is quiet.
    let mut result = after_substitutions(session.substituted.take(), result);
    output_redirects(cluster, session, &command.redirects, &mut result);
    Ok(result)
}

fn expand_heredoc(cluster: &mut Cluster, session: &mut Session, body: &str) -> String {
    // Expand $VAR, ${VAR}, $(…) as in double quotes; keep everything else.
    let quoted = format!("\"{}\"", body.replace('\\', "\\\\").replace('"', "\\\""));
    match syntax::parse(&format!("echo -n {quoted}")) {
        Ok(script) => {
            let word = script.first().and_then(|(_, p)| p.commands.first()).and_then(|c| match c {
                Command::Simple(s) => s.words.get(2).cloned(),
                Command::Compound(..) => None,
            });
            match word {
                Some(w) => expand_one(cluster, session, &w).unwrap_or_else(|_| body.to_string()),
                None => body.to_string(),
            }
        }
        Err(_) => body.to_string(),
    }
}

/// Commands that read standard input when given no file.
const STDIN_READERS: [&str; 14] =
    ["cat", "head", "tail", "grep", "cut", "tr", "wc", "sort", "uniq", "base64", "jq", "sh", "bash", "dash"];

/// Shell builtins (they exist wherever a shell runs).
const SHELL_BUILTINS: [&str; 16] = [
    "cd", "pwd", "echo", "printf", "export", "unset", "test", "[", "true", "false", "exit", "break", "continue",
    "read", "set", ":",
];

/// The command `name` runs, as the shell finds it: builtins and, on the
/// workstation, programs by name; a path (with a slash) as a file of the
/// machine; inside a container, other names through `$PATH`, where the
/// image's programs are files of `/usr/bin`. The error is the shell's:
/// dash's inside a container, bash's wording on the workstation.
#[inline(never)]
fn find_command(cluster: &Cluster, session: &mut Session, name: &str) -> Result<String, Output> {
    if name.contains('/') {
        let files = session.machine(cluster);
        let path = files.resolve(name);
        if let Some(program) = files.program(&path) {
            return Ok(program.to_string());
        }
        return Err(match (files.in_container(), files.exists(&path), files.is_dir(&path)) {
            (true, true, _) => fail(format!("sh: 1: {name}: Permission denied\n"), 126),
            (true, false, _) => fail(format!("sh: 1: {name}: not found\n"), 127),
            (false, true, true) => fail(format!("sh: {name}: Is a directory\n"), 126),
            (false, true, false) => fail(format!("sh: {name}: Permission denied\n"), 126),
            (false, false, _) => fail(format!("sh: {name}: No such file or directory\n"), 127),
        });
    }
    if session.pod.is_none() || SHELL_BUILTINS.contains(&name) {
        return Ok(name.to_string());
    }
    let path = session.vars.get("PATH").cloned().unwrap_or_else(|| DEFAULT_PATH.to_string());
    let files = session.machine(cluster);
    match on_path(&files, &path, name) {
        Some(program) => Ok(program.to_string()),
        None => Err(fail(format!("sh: 1: {name}: not found\n"), 127)),
    }
}

/// The image's program `name` in one of the directories of `path` (a
/// `PATH` value; an empty entry is the current directory).
fn on_path(files: &Files<'_>, path: &str, name: &str) -> Option<&'static str> {
    path.split(':').find_map(|dir| {
        let candidate = if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") };
        files.program(&files.resolve(&candidate)).filter(|p| *p == name)
    })
}

/// How runc finds the command of `kubectl exec`, as Go's `exec.LookPath`:
/// a path as a file (from the container's working directory, `/`), a
/// bare name in the container's `PATH`; the error as the runtime words it.
fn look_path(files: &Files<'_>, name: &str, path: &str) -> Result<&'static str, String> {
    if !name.contains('/') {
        return on_path(files, path, name).ok_or_else(|| kubectl::exec::not_found_message(name));
    }
    let absolute = files.resolve(name);
    if let Some(program) = files.program(&absolute) {
        return Ok(program);
    }
    let why = if files.is_dir(&absolute) {
        "is a directory".to_string()
    } else if files.exists(&absolute) {
        "permission denied".to_string()
    } else {
        format!("stat {name}: no such file or directory")
    };
    Err(kubectl::exec::start_failed_message(name, &why))
}

// The commands it dispatches to are `#[inline(never)]`: see "Start-up in the
// browser" in ARCHITECTURE.md.
fn builtin(cluster: &mut Cluster, session: &mut Session, args: &[String], stdin: Option<String>) -> Output {
    let ok = |stdout: String| ran(stdout, String::new(), 0);
    let Some((name, rest)) = args.split_first() else { return ok(String::new()) };
    let name = match find_command(cluster, session, name) {
        Ok(name) => name,
        Err(out) => return out,
    };
    let name = name.as_str();
    // A command inside a loop or group reads what is left of its input.
    let reads_stdin = STDIN_READERS.contains(&name)
        || name == "kubectl" && rest.iter().any(|a| a == "-" || a == "--filename=-" || a == "-f-");
    let stdin = match stdin {
        Some(s) => Some(s),
        None if reads_stdin => session.input.as_mut().map(std::mem::take),
        None => None,
    };
    match name {
        "kubectl" => kubectl_command(cluster, session, rest, stdin),
        _ => other_builtin(cluster, session, name, rest, stdin),
    }
}

/// The commands other than kubectl: out of line, so that a `kubectl`
/// command line does not compile them all in the browser (see "Start-up in
/// the browser" in ARCHITECTURE.md).
#[inline(never)]
fn other_builtin(
    cluster: &mut Cluster,
    session: &mut Session,
    name: &str,
    rest: &[String],
    stdin: Option<String>,
) -> Output {
    let ok = |stdout: String| ran(stdout, String::new(), 0);
    match name {
        "curl" => {
            let inside = session.pod.is_some();
            let files = session.machine(cluster);
            let out = crate::curl::run(cluster, rest, &files, inside);
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
        ":" | "true" | "set" => ok(String::new()),
        "false" => fail(String::new(), 1),
        "cat" => {
            if rest.is_empty() {
                return ok(stdin.unwrap_or_default());
            }
            let files = session.machine(cluster);
            let io = Io { stdin: stdin.as_deref(), files: &files };
            let mut out = String::new();
            let mut err = String::new();
            for file in rest {
                match io.read(file) {
                    Ok(content) => out.push_str(&content),
                    Err(e) => err.push_str(&format!("cat: {file}: {e}\n")),
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
        "read" => {
            let line = match session.input.as_mut() {
                Some(input) if !input.is_empty() => {
                    let end = input.find('\n').map_or(input.len(), |i| i + 1);
                    let line: String = input.drain(..end).collect();
                    Some(line)
                }
                _ => stdin.filter(|s| !s.is_empty()).map(|s| s.lines().next().unwrap_or_default().to_string()),
            };
            let Some(line) = line else { return fail(String::new(), 1) };
            let line = line.trim_end_matches('\n');
            let names: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
            let mut fields = line.split_whitespace();
            for (i, name) in names.iter().enumerate() {
                let value = if i + 1 == names.len() {
                    let used: Vec<&str> = fields.by_ref().collect();
                    used.join(" ")
                } else {
                    fields.next().unwrap_or_default().to_string()
                };
                session.vars.insert((*name).clone(), value);
            }
            ok(String::new())
        }
        "exit" => {
            let status = match rest.first() {
                None => session.last_status,
                Some(n) => match n.parse::<i64>() {
                    Ok(v) if v >= 0 => (v % 256) as i32,
                    _ => return fail(format!("sh: 1: exit: Illegal number: {n}\n"), 2),
                },
            };
            session.flow = Flow::Exit;
            session.last_status = status;
            fail(String::new(), status)
        }
        "break" | "continue" => {
            let n = rest.first().and_then(|n| n.parse::<usize>().ok()).filter(|n| *n > 0).unwrap_or(1);
            session.flow = if name == "break" { Flow::Break(n) } else { Flow::Continue(n) };
            ok(String::new())
        }
        "pwd" => ok(format!("{}\n", session.cwd)),
        "cd" => {
            let target = rest.first().cloned().unwrap_or_else(|| session.vars.get("HOME").cloned().unwrap_or_default());
            let files = session.machine(cluster);
            let path = files.resolve(&target);
            if !files.is_dir(&path) {
                return fail(format!("sh: 1: cd: can't cd to {target}\n"), 2);
            }
            session.cwd = path.clone();
            session.vars.insert("PWD".into(), path);
            ok(String::new())
        }
        "mkdir" => {
            let parents = rest.iter().any(|a| a == "-p");
            let mut files = session.machine(cluster);
            let mut err = String::new();
            for dir in rest.iter().filter(|a| !a.starts_with('-')) {
                let path = files.resolve(dir);
                if let Err(e) = files.mkdir(&path, parents) {
                    err.push_str(&format!("mkdir: cannot create directory '{dir}': {e}\n"));
                }
            }
            if rest.iter().all(|a| a.starts_with('-')) {
                return fail("mkdir: missing operand\nTry 'mkdir --help' for more information.\n".into(), 1);
            }
            let status = i32::from(!err.is_empty());
            ran(String::new(), err, status)
        }
        "rm" => {
            let flags: String = rest.iter().filter(|a| a.starts_with('-')).flat_map(|a| a.chars().skip(1)).collect();
            let recursive = flags.contains('r') || flags.contains('R');
            let force = flags.contains('f');
            let mut files = session.machine(cluster);
            let mut err = String::new();
            let operands: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
            if operands.is_empty() && !force {
                return fail("rm: missing operand\nTry 'rm --help' for more information.\n".into(), 1);
            }
            for file in operands {
                let path = files.resolve(file);
                match files.remove(&path, recursive) {
                    Ok(()) => {}
                    Err(FileError::NotFound) if force => {}
                    Err(FileError::NotFound) => {
                        err.push_str(&format!("rm: cannot remove '{file}': No such file or directory\n"))
                    }
                    Err(FileError::IsADirectory) => {
                        err.push_str(&format!("rm: cannot remove '{file}': Is a directory\n"))
                    }
                    Err(e) => err.push_str(&format!("rm: cannot remove '{file}': {e}\n")),
                }
            }
            let status = i32::from(!err.is_empty());
            ran(String::new(), err, status)
        }
        "touch" => {
            let mut files = session.machine(cluster);
            let mut err = String::new();
            for file in rest.iter().filter(|a| !a.starts_with('-')) {
                let path = files.resolve(file);
                if files.exists(&path) {
                    continue;
                }
                if let Err(e) = files.write(&path, "", true) {
                    err.push_str(&format!("touch: cannot touch '{file}': {e}\n"));
                }
            }
            let status = i32::from(!err.is_empty());
            ran(String::new(), err, status)
        }
        "ls" => {
            let tty = session.tty;
            let files = session.machine(cluster);
            crate::ls::run(&files, rest, tty)
        }
        "test" | "[" => {
            let mut operands: Vec<&str> = rest.iter().map(String::as_str).collect();
            if name == "[" {
                if operands.last() != Some(&"]") {
                    return fail("sh: 1: [: missing ]\n".to_string(), 2);
                }
                operands.pop();
            }
            let files = session.machine(cluster);
            let result = match operands.as_slice() {
                [] => Some(false),
                ["!", rest @ ..] => test(rest, &files).map(|r| !r),
                other => test(other, &files),
            };
            match result {
                Some(true) => ok(String::new()),
                Some(false) => fail(String::new(), 1),
                None => fail(format!("sh: 1: {name}: unexpected operator\n"), 2),
            }
        }
        "head" | "tail" => head_tail(cluster, session, name, rest, stdin),
        "sleep" => {
            // The simulated clock jumps at once: `sleep 50m` shows what the
            // cluster does in fifty minutes.
            let mut total = 0i64;
            for arg in rest {
                match parse_sleep(arg) {
                    Some(seconds) => total = total.saturating_add(seconds),
                    None => {
                        return fail(
                            format!("sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"),
                            1,
                        )
                    }
                }
            }
            if rest.is_empty() {
                return fail("sleep: missing operand\nTry 'sleep --help' for more information.\n".to_string(), 1);
            }
            // At most ten years at once.
            cluster.advance_seconds(total.min(10 * 365 * 86_400));
            ok(String::new())
        }
        "date" => {
            let now = cluster.now().to_k8s().0;
            ok(format!("{}\n", now.format("%a %b %e %H:%M:%S UTC %Y")))
        }
        "hostname" => match &session.pod {
            Some(pod) => ok(format!("{}\n", pod.target.pod)),
            None => ok("workstation\n".to_string()),
        },
        "id" => ok("uid=0(root) gid=0(root) groups=0(root)\n".to_string()),
        "whoami" => ok("root\n".to_string()),
        "history" => {
            let lines: String =
                session.history.iter().enumerate().map(|(i, line)| format!("{:>5}  {line}\n", i + 1)).collect();
            ok(lines)
        }
        "clear" => ok(CLEAR_SCREEN.to_string()),
        "help" => ok(HELP.to_string()),
        "sh" | "bash" | "dash" => shell_program(cluster, session, name, rest, stdin),
        other => {
            let files = session.machine(cluster);
            let io = Io { stdin: stdin.as_deref(), files: &files };
            if other == "jq" {
                return crate::jq::run(rest, &io, cluster.now().unix_millis());
            }
            match crate::coreutils::run(other, rest, &io) {
                Some(out) => out,
                None => fail(format!("sh: {other}: command not found\n"), 127),
            }
        }
    }
}

/// The ANSI sequence `clear` prints: home, erase screen and scrollback.
pub const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

const HELP: &str = "\
sa-playground: a simulated Kubernetes cluster behind a small POSIX shell.

  kubectl ...       talk to the cluster (kubectl --help lists the commands)
  curl ...          call the API server (https://172.18.0.2:6443 from here)
  sleep 10m         move the cluster's clock forward (s, m, h, d)

Shell: if/then/else/fi, for/while loops, pipes, && ||, $(...), here-documents,
redirections, variables. Commands: cat echo printf ls cd pwd mkdir rm touch
head tail grep cut tr wc sort uniq base64 jq date env export unset history
clear help true false test.
";

/// `sh -c SCRIPT`, `sh` (interactive after `kubectl exec -it`), and the
/// same for bash.
#[inline(never)]
fn shell_program(
    cluster: &mut Cluster,
    session: &mut Session,
    name: &str,
    rest: &[String],
    stdin: Option<String>,
) -> Output {
    match rest.split_first() {
        Some((flag, script)) if flag == "-c" => {
            let Some(source) = script.first() else {
                return fail(format!("{name}: -c: option requires an argument\n"), 2);
            };
            let vars = session.vars.clone();
            let cwd = session.cwd.clone();
            let out = run_source(cluster, session, source, false);
            session.vars = vars;
            session.cwd = cwd;
            out
        }
        Some((file, _)) => {
            let files = session.machine(cluster);
            match crate::files::ReadFiles::read_file(&files, file) {
                Ok(source) => run_source(cluster, session, &source, false),
                Err(_) => fail(format!("{name}: 0: cannot open {file}: No such file\n"), 2),
            }
        }
        None => match stdin {
            Some(source) => run_source(cluster, session, &source, false),
            None => Output::status(0),
        },
    }
}

/// `kubectl …`; `kubectl exec` runs its command here, in the container.
#[inline(never)]
fn kubectl_command(cluster: &mut Cluster, session: &mut Session, rest: &[String], stdin: Option<String>) -> Output {
    match kubectl::exec::plan(cluster, rest, &session.kubeconfig) {
        Some(Ok(plan)) => exec_in_container(cluster, session, plan, stdin),
        Some(Err(out)) => out,
        None => {
            let mut config = session.kubeconfig.clone();
            let now = cluster.now();
            let files = Files::workstation_parts(&mut session.files, &mut session.dirs, &session.cwd, now);
            let out =
                kubectl::Kubectl::new(cluster).with_stdin(stdin).with_files(&files).with_config(&mut config).run(rest);
            session.kubeconfig = config;
            out
        }
    }
}

/// Runs a `kubectl exec` command inside its container: a one-off command
/// (kubectl passes on a failing status), or an interactive shell that the
/// session stays in until `exit`. Out of line, so that other kubectl
/// commands do not compile it on their first call.
#[inline(never)]
fn exec_in_container(
    cluster: &mut Cluster,
    session: &mut Session,
    plan: kubectl::exec::ExecPlan,
    stdin: Option<String>,
) -> Output {
    let Some((command, args)) = plan.command.split_first() else { return Output::status(0) };
    let env: BTreeMap<String, String> = cluster
        .container_env(&plan.target.namespace, &plan.target.pod, plan.target.container.as_deref())
        .unwrap_or_default()
        .into_iter()
        .collect();
    // Only the image's executables: shell builtins such as `cd` are not files.
    let path = env.get("PATH").map_or(DEFAULT_PATH, String::as_str);
    let disk = session.containers.entry(plan.target.key()).or_default();
    let found = look_path(&Files::container(cluster, &plan.target, disk, "/"), command, path);
    let program = match found {
        Ok(program) => program.to_string(),
        Err(message) => return fail(message, 1),
    };
    let interactive_shell = plan.stdin && matches!(program.as_str(), "sh" | "bash" | "dash") && args.is_empty();
    let saved_vars = std::mem::replace(&mut session.vars, env);
    let saved_cwd = std::mem::replace(&mut session.cwd, "/".to_string());
    if interactive_shell && session.pod.is_none() {
        session.pod = Some(Box::new(PodShell { target: plan.target, program: program.clone(), saved_vars, saved_cwd }));
        return Output::status(0);
    }
    let outer = session.pod.replace(Box::new(PodShell {
        target: plan.target,
        program: program.clone(),
        saved_vars: BTreeMap::new(),
        saved_cwd: String::new(),
    }));
    let tty = std::mem::replace(&mut session.tty, plan.tty);
    let mut out = builtin(cluster, session, &plan.command, if plan.stdin { stdin } else { None });
    session.tty = tty;
    session.flow = Flow::Normal;
    session.pod = outer;
    session.vars = saved_vars;
    session.cwd = saved_cwd;
    if out.exit_code != 0 {
        out.push(Stream::Stderr, &format!("command terminated with exit code {}\n", out.exit_code));
    }
    out
}

#[inline(never)]
fn head_tail(
    cluster: &mut Cluster,
    session: &mut Session,
    name: &str,
    rest: &[String],
    stdin: Option<String>,
) -> Output {
    // `-n N` lines or `-c N` characters; tail's `+N` counts from the start.
    let mut count = 10usize;
    let mut chars = false;
    let mut from_start = false;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(arg) = rest.get(i) {
        i += 1;
        let value = match arg.as_str() {
            "-n" | "-c" | "--lines" | "--bytes" => {
                i += 1;
                rest.get(i - 1).map(String::as_str)
            }
            _ => arg
                .strip_prefix("--lines=")
                .or_else(|| arg.strip_prefix("--bytes="))
                .or_else(|| arg.strip_prefix("-n"))
                .or_else(|| arg.strip_prefix("-c"))
                .or_else(|| arg.strip_prefix('-').filter(|n| n.parse::<usize>().is_ok())),
        };
        let Some(value) = value else {
            files.push(arg.clone());
            continue;
        };
        chars = arg.starts_with("-c") || arg.starts_with("--bytes");
        from_start = name == "tail" && value.starts_with('+');
        count = match value.trim_start_matches('+').parse() {
            Ok(n) => n,
            Err(_) => {
                let what = if chars { "number of bytes" } else { "number of lines" };
                return fail(format!("{name}: invalid {what}: ‘{value}’\n"), 1);
            }
        };
    }
    let text = match files.first() {
        Some(file) => {
            let machine = session.machine(cluster);
            match crate::files::ReadFiles::read_file(&machine, file) {
                Ok(t) => t,
                Err(e) => return fail(format!("{name}: cannot open '{file}' for reading: {e}\n"), 1),
            }
        }
        None => stdin.unwrap_or_default(),
    };
    let units: Vec<&str> = if chars {
        text.char_indices().map(|(at, c)| &text[at..at + c.len_utf8()]).collect()
    } else {
        text.split_inclusive('\n').collect()
    };
    let chosen: &[&str] = if name == "head" {
        &units[..count.min(units.len())]
    } else if from_start {
        &units[count.saturating_sub(1).min(units.len())..]
    } else {
        &units[units.len().saturating_sub(count)..]
    };
    Output::status(0).with_stdout(&chosen.concat())
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
    let seconds = value * scale;
    (seconds < 1e15).then_some(seconds as i64)
}

/// `test` expressions: `-z S`, `-n S`, `S`, `A = B`, `A != B`, the
/// integer comparisons `-eq -ne -lt -le -gt -ge`, and the file tests
/// `-e -f -d -s -x`; `None` when malformed.
#[inline(never)]
fn test(operands: &[&str], files: &Files<'_>) -> Option<bool> {
    match operands {
        [s] => Some(!s.is_empty()),
        ["-z", s] => Some(s.is_empty()),
        ["-n", s] => Some(!s.is_empty()),
        ["-e", path] => Some(files.exists(&files.resolve(path))),
        ["-d", path] => Some(files.is_dir(&files.resolve(path))),
        ["-x", path] => Some(files.is_executable(&files.resolve(path))),
        ["-f", path] => {
            let path = files.resolve(path);
            Some(files.exists(&path) && !files.is_dir(&path))
        }
        ["-s", path] => Some(crate::files::ReadFiles::read_file(files, path).is_ok_and(|t| !t.is_empty())),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_the_shell_does() {
        for (pattern, text, want) in [
            ("*", "", true),
            ("a*", "abc", true),
            ("*.yaml", "sa.yaml", true),
            ("*.yaml", "sa.json", false),
            ("?b", "ab", true),
            ("a*c*e", "abcde", true),
            ("a*c*e", "abcd", false),
        ] {
            assert_eq!(glob_match(pattern, text), want, "{pattern} {text}");
        }
        assert_eq!(strip_pattern("a.b.c", "*.", true, false), "b.c");
        assert_eq!(strip_pattern("a.b.c", "*.", true, true), "c");
        assert_eq!(strip_pattern("a.b.c", ".*", false, false), "a.b");
        assert_eq!(strip_pattern("a.b.c", ".*", false, true), "a");
        assert_eq!(strip_pattern("abc", "x", true, false), "abc");
    }

    #[test]
    fn sleep_operands() {
        assert_eq!(parse_sleep("50m"), Some(3000));
        assert_eq!(parse_sleep("1.5h"), Some(5400));
        assert_eq!(parse_sleep("1e300d"), None);
        assert_eq!(parse_sleep("-1"), None);
        assert_eq!(parse_sleep("5x"), None);
    }
}
