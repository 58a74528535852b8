//! What the learner ran, read from the shell's history as commands rather
//! than as text: each simple command with its words, and where it ran (on
//! the workstation, or in a pod through `kubectl exec`, one-shot or in the
//! interactive shell of `kubectl exec -it POD -- sh` until `exit`).
//!
//! The shell records the lines typed, not where each ran, so the pod
//! shells are followed here the way the shell enters and leaves them: an
//! `exec` with `-i` whose command is a bare `sh` or `bash` enters one,
//! `exit` leaves it. A line is read with the shell's own parser; words are
//! their literal text, with `$NAME` replaced by the variable's value now
//! (the shell keeps no older one) and other expansions left unresolved.
//! kubectl's arguments are read by the shell's own lenient reader
//! (`saplay_shell::kubectl::read_args`), over the flag tables kubectl
//! itself runs on. Nothing here can fail: a line that does not parse
//! yields what parsed before the error.

use std::collections::BTreeMap;

use saplay_shell::kubectl::{read_args, KubectlArgs};
use saplay_shell::syntax::{self, Command, Compound, Part, Script, Simple, Word};

/// Where a command ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// The learner's own shell.
    Workstation,
    /// Inside a pod's container, with the working directory then.
    Pod {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
        /// The working directory.
        cwd: String,
    },
}

/// One simple command the learner ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ran {
    /// The history line it was part of.
    pub line: usize,
    /// Its words (command name first).
    pub words: Vec<String>,
    /// Where it ran.
    pub place: Place,
}

/// How deeply `sh -c`, `$(…)` and compound commands are followed.
const MAX_DEPTH: usize = 16;

/// The commands of `history`, in the order they ran. `vars` are the
/// workstation's variables, `namespace` the kubeconfig's namespace.
pub(crate) fn commands_run(history: &[String], vars: &BTreeMap<String, String>, namespace: &str) -> Vec<Ran> {
    let mut walker = Walker { vars, namespace, out: Vec::new(), pod: None, line: 0 };
    for (i, line) in history.iter().enumerate() {
        walker.line = i;
        for command in syntax::commands(line) {
            let Ok((script, _)) = command else { break };
            walker.script(&script, 0);
        }
    }
    walker.out
}

struct Walker<'a> {
    vars: &'a BTreeMap<String, String>,
    namespace: &'a str,
    out: Vec<Ran>,
    /// The interactive pod shell the learner is in: (namespace, name, cwd).
    pod: Option<(String, String, String)>,
    line: usize,
}

impl Walker<'_> {
    fn script(&mut self, script: &Script, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (_, pipeline) in script {
            for command in &pipeline.commands {
                match command {
                    Command::Simple(simple) => self.simple(simple, depth),
                    Command::Compound(compound, _) => self.compound(compound, depth + 1),
                }
            }
        }
    }

    fn compound(&mut self, compound: &Compound, depth: usize) {
        match compound {
            Compound::If { branches, otherwise } => {
                for (condition, body) in branches {
                    self.script(condition, depth);
                    self.script(body, depth);
                }
                if let Some(body) = otherwise {
                    self.script(body, depth);
                }
            }
            Compound::For { words, body, .. } => {
                for word in words.iter().flatten() {
                    self.substitutions(word, depth);
                }
                self.script(body, depth);
            }
            Compound::While { condition, body, .. } => {
                self.script(condition, depth);
                self.script(body, depth);
            }
            Compound::Group(body) | Compound::Subshell(body) => self.script(body, depth),
        }
    }

    /// The `$(…)` inside a word run first, where the word is.
    fn substitutions(&mut self, word: &Word, depth: usize) {
        for part in word {
            let source = match part {
                Part::Command { source, .. } => source,
                Part::Param { word, .. } => {
                    self.substitutions(word, depth);
                    continue;
                }
                _ => continue,
            };
            if depth < MAX_DEPTH {
                for command in syntax::commands(source) {
                    let Ok((script, _)) = command else { break };
                    self.script(&script, depth + 1);
                }
            }
        }
    }

    fn text(&self, word: &Word) -> String {
        let inside = self.pod.is_some();
        word.iter()
            .map(|part| match part {
                Part::Text { text, .. } => text.clone(),
                Part::Var { name, .. } => match self.vars.get(name) {
                    Some(value) if !inside => value.clone(),
                    _ => format!("${name}"),
                },
                Part::Length { name, .. } | Part::Param { name, .. } => format!("${{{name}}}"),
                Part::Command { .. } => "$(…)".to_string(),
                Part::Arith { .. } => "$((…))".to_string(),
            })
            .collect()
    }

    fn simple(&mut self, simple: &Simple, depth: usize) {
        for (_, value) in &simple.assignments {
            self.substitutions(value, depth);
        }
        for word in &simple.words {
            self.substitutions(word, depth);
        }
        let words: Vec<String> = simple.words.iter().map(|w| self.text(w)).collect();
        let Some(program) = words.first() else { return };
        if let Some((namespace, name, cwd)) = self.pod.clone() {
            match program.as_str() {
                "exit" | "logout" => self.pod = None,
                "cd" => {
                    let to = words.get(1).map_or("/root", String::as_str);
                    self.pod = Some((namespace.clone(), name.clone(), resolve(&cwd, to)));
                }
                _ if is_shell(program) && words.get(1).is_some_and(|w| w == "-c") => {
                    let place = Place::Pod { namespace, name, cwd };
                    self.shell_c(words.get(2), place, depth);
                }
                _ => self.out.push(Ran { line: self.line, words, place: Place::Pod { namespace, name, cwd } }),
            }
            return;
        }
        if is_shell(program) && words.get(1).is_some_and(|w| w == "-c") {
            if let Some(source) = words.get(2) {
                if depth < MAX_DEPTH {
                    for command in syntax::commands(source) {
                        let Ok((script, _)) = command else { break };
                        self.script(&script, depth + 1);
                    }
                }
            }
            return;
        }
        if program == "kubectl" {
            let kubectl = read_args(words.get(1..).unwrap_or_default());
            if kubectl.command == "exec" {
                self.exec(&kubectl, depth);
            }
        }
        self.out.push(Ran { line: self.line, words, place: Place::Workstation });
    }

    /// `kubectl exec POD -- COMMAND…`: the command in the pod, or the pod's
    /// interactive shell entered.
    fn exec(&mut self, kubectl: &KubectlArgs, depth: usize) {
        let args = kubectl.args();
        let Some(target) = args.first() else { return };
        let name = match target.split_once('/') {
            Some((kind, name)) if is_pod_kind(kind) => name,
            Some(_) => return,
            None => target,
        };
        let namespace = kubectl.value("namespace").unwrap_or(self.namespace).to_string();
        let command: Vec<String> = match &kubectl.after_dash {
            Some(after) => after.clone(),
            None => args.iter().skip(1).map(|w| w.to_string()).collect(),
        };
        let Some(program) = command.first() else { return };
        let place = Place::Pod { namespace: namespace.clone(), name: name.to_string(), cwd: "/".to_string() };
        if is_shell(program) {
            match command.get(1) {
                None if kubectl.is_set("stdin") => self.pod = Some((namespace, name.to_string(), "/".to_string())),
                Some(flag) if flag == "-c" => self.shell_c(command.get(2), place, depth),
                _ => {}
            }
            return;
        }
        self.out.push(Ran { line: self.line, words: command, place });
    }

    /// `sh -c SCRIPT` in a pod: its commands, in a shell of their own.
    fn shell_c(&mut self, source: Option<&String>, place: Place, depth: usize) {
        let (Some(source), Place::Pod { namespace, name, cwd }) = (source, place) else { return };
        if depth >= MAX_DEPTH {
            return;
        }
        let outer = self.pod.replace((namespace, name, cwd));
        for command in syntax::commands(source) {
            let Ok((script, _)) = command else { break };
            self.script(&script, depth + 1);
            if self.pod.is_none() {
                break;
            }
        }
        self.pod = outer;
    }
}

/// `sh`, `bash`, `dash`, also by path (`/bin/sh`).
fn is_shell(program: &str) -> bool {
    matches!(program.rsplit('/').next(), Some("sh" | "bash" | "dash"))
}

/// `pod`, `pods`, `po` (any case), as kubectl takes them in `TYPE/NAME`.
fn is_pod_kind(kind: &str) -> bool {
    saplay_cluster::resource::lookup(kind).is_some_and(|r| r.plural == "pods" && r.group.is_empty())
}

/// `to` from the directory `cwd`, with `.` and `..` resolved, as the
/// shell's files resolve it.
pub(crate) use saplay_shell::machine::absolute as resolve;

/// Whether `path` is `dir` or inside it.
pub(crate) fn within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/')) || dir.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn kubectl_flags_are_read_anywhere_in_long_or_short_form() {
        let line = read_args(&words("get -A -o wide sa --sort-by .metadata.name -nkube-system -it"));
        assert_eq!(line.positional, ["get", "sa"]);
        assert!(line.is_set("all-namespaces") && line.is_set("stdin") && line.is_set("tty"));
        assert_eq!(line.value("output"), Some("wide"));
        assert_eq!(line.value("sort-by"), Some(".metadata.name"));
        assert_eq!(line.value("namespace"), Some("kube-system"));
        let line = read_args(&words("--all-namespaces=false get sa -o=yaml"));
        assert!(!line.is_set("all-namespaces"));
        assert_eq!(line.value("output"), Some("yaml"));
        let line = read_args(&words("exec -n"));
        assert_eq!(line.value("namespace"), Some(""));
    }

    #[test]
    fn paths_resolve_from_the_working_directory() {
        assert_eq!(resolve("/", "var/run/../run/./x/"), "/var/run/x");
        assert_eq!(resolve("/a/b", "../../../c"), "/c");
        assert_eq!(resolve("/a", "/b"), "/b");
        assert!(within("/var/run/x/token", "/var/run/x"));
        assert!(within("/var/run/x", "/var/run/x/"));
        assert!(!within("/var/run/xy", "/var/run/x"));
    }
}
