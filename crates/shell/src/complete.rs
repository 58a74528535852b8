//! Tab completion for a command line, from the shell's state.
//!
//! [`complete`] looks at the line up to the cursor and offers what could
//! stand in the word under it: command names, kubectl subcommands and
//! flags, resource types (`sa`, `serviceaccounts`, `TYPE/NAME`), object
//! names from the live cluster (in the namespace given with `-n`, else
//! `default`), namespaces after `-n`, and the session's files after `-f`,
//! after `>`/`<` and as arguments of the text commands. Both front ends
//! (the terminal CLI and the browser UI) use it; like the rest of the
//! shell it is pure and never changes the session or the cluster.

use saplay_cluster::fs::EntryKind;
use saplay_cluster::resource::{self, ResourceInfo, RESOURCES};
use saplay_cluster::Object;

use crate::Shell;

/// What Tab offers for the word under the cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the word being completed starts: a
    /// chosen candidate replaces the text from here to the cursor.
    pub start: usize,
    /// The words that fit, sorted, without duplicates, quoted for the
    /// shell where needed.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The text one Tab press puts in place of the word: a single
    /// candidate followed by a space (none after a directory's `/` or a
    /// flag's `=`), else the candidates' longest common prefix; `None`
    /// when nothing fits.
    pub fn insertion(&self) -> Option<String> {
        match self.candidates.as_slice() {
            [] => None,
            [one] if one.ends_with('/') || one.ends_with('=') => Some(one.clone()),
            [one] => Some(format!("{one} ")),
            [first, rest @ ..] => {
                let mut prefix: &str = first;
                for other in rest {
                    let common = prefix.chars().zip(other.chars()).take_while(|(a, b)| a == b).count();
                    let end = prefix.char_indices().nth(common).map_or(prefix.len(), |(i, _)| i);
                    prefix = &prefix[..end];
                }
                Some(prefix.to_string())
            }
        }
    }
}

/// The commands the shell runs, for completing command names.
pub const COMMANDS: &[&str] = &[
    "[", "base64", "cat", "curl", "cut", "date", "echo", "env", "export", "false", "grep", "head", "jq", "kubectl",
    "printf", "pwd", "sleep", "sort", "tail", "test", "tr", "true", "unset", "wc",
];

/// kubectl's subcommands that the shell knows.
pub const KUBECTL_COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "auth",
    "cluster-info",
    "config",
    "create",
    "delete",
    "describe",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "label",
    "patch",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "version",
    "wait",
];

/// `kubectl create` subcommands.
const CREATE_COMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "deployment",
    "job",
    "namespace",
    "role",
    "rolebinding",
    "secret",
    "service",
    "serviceaccount",
    "token",
];

/// `kubectl create service` subcommands.
const SERVICE_COMMANDS: &[&str] = &["clusterip", "externalname", "loadbalancer", "nodeport"];

/// The kinds `expose` works on.
const EXPOSE_KINDS: &[&str] = &["deployments", "pods", "replicasets", "services"];

/// `kubectl rollout` subcommands.
const ROLLOUT_COMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// `kubectl set` subcommands.
const SET_COMMANDS: &[&str] = &["image", "serviceaccount", "subject"];

/// The kinds `rollout` works on.
const ROLLOUT_KINDS: &[&str] = &["daemonsets", "deployments", "statefulsets"];

/// `kubectl auth` subcommands.
const AUTH_COMMANDS: &[&str] = &["can-i", "whoami"];

/// `kubectl config` subcommands.
const CONFIG_COMMANDS: &[&str] = &[
    "current-context",
    "delete-context",
    "delete-user",
    "get-clusters",
    "get-contexts",
    "get-users",
    "rename-context",
    "set-context",
    "set-credentials",
    "use-context",
    "view",
];

/// Verbs for `auth can-i` and `create role --verb`.
const VERBS: &[&str] = &[
    "bind",
    "create",
    "delete",
    "deletecollection",
    "escalate",
    "get",
    "impersonate",
    "list",
    "patch",
    "update",
    "use",
    "watch",
];

/// Flags every kubectl command takes (the useful part of `kubectl options`).
const GLOBAL_FLAGS: &[&str] = &["--as", "--as-group", "--namespace", "--token"];

/// Flags by subcommand path (the ones a learner of this chapter meets).
const FLAGS: &[(&str, &[&str])] = &[
    (
        "get",
        &[
            "--all-namespaces",
            "--filename",
            "--ignore-not-found",
            "--no-headers",
            "--output",
            "--selector",
            "--show-kind",
            "--show-labels",
        ],
    ),
    ("describe", &["--all-namespaces", "--filename", "--selector"]),
    ("create", &["--dry-run", "--filename", "--output"]),
    ("create serviceaccount", &["--dry-run", "--output"]),
    ("create namespace", &["--dry-run", "--output"]),
    (
        "create token",
        &["--audience", "--bound-object-kind", "--bound-object-name", "--bound-object-uid", "--duration", "--output"],
    ),
    ("create role", &["--dry-run", "--output", "--resource", "--resource-name", "--verb"]),
    (
        "create clusterrole",
        &[
            "--aggregation-rule",
            "--dry-run",
            "--non-resource-url",
            "--output",
            "--resource",
            "--resource-name",
            "--verb",
        ],
    ),
    (
        "create rolebinding",
        &["--clusterrole", "--dry-run", "--group", "--output", "--role", "--serviceaccount", "--user"],
    ),
    ("create clusterrolebinding", &["--clusterrole", "--dry-run", "--group", "--output", "--serviceaccount", "--user"]),
    ("apply", &["--dry-run", "--filename", "--output"]),
    (
        "delete",
        &[
            "--all",
            "--all-namespaces",
            "--filename",
            "--force",
            "--grace-period",
            "--ignore-not-found",
            "--now",
            "--selector",
        ],
    ),
    ("auth can-i", &["--all-namespaces", "--list", "--no-headers", "--quiet", "--subresource"]),
    ("auth whoami", &["--output"]),
    ("exec", &["--container", "--stdin", "--tty"]),
    ("patch", &["--dry-run", "--output", "--patch", "--type"]),
    ("label", &["--all", "--dry-run", "--list", "--output", "--overwrite", "--selector"]),
    ("annotate", &["--all", "--dry-run", "--list", "--output", "--overwrite", "--selector"]),
    (
        "run",
        &[
            "--command",
            "--dry-run",
            "--env",
            "--image",
            "--labels",
            "--output",
            "--overrides",
            "--restart",
            "--rm",
            "--stdin",
            "--tty",
        ],
    ),
    ("version", &["--client", "--output"]),
    ("api-resources", &["--api-group", "--namespaced", "--no-headers", "--output", "--sort-by", "--verbs"]),
    ("explain", &["--api-version", "--recursive"]),
    ("config view", &["--minify", "--output", "--raw"]),
    ("create deployment", &["--dry-run", "--image", "--output", "--port", "--replicas"]),
    ("create service clusterip", &["--clusterip", "--dry-run", "--output", "--tcp"]),
    ("create service externalname", &["--dry-run", "--external-name", "--output", "--tcp"]),
    ("create service loadbalancer", &["--dry-run", "--output", "--tcp"]),
    ("create service nodeport", &["--dry-run", "--node-port", "--output", "--tcp"]),
    (
        "expose",
        &[
            "--cluster-ip",
            "--dry-run",
            "--external-ip",
            "--filename",
            "--labels",
            "--name",
            "--output",
            "--port",
            "--protocol",
            "--selector",
            "--session-affinity",
            "--target-port",
            "--type",
        ],
    ),
    ("scale", &["--current-replicas", "--dry-run", "--output", "--replicas"]),
    ("rollout status", &["--timeout", "--watch"]),
    ("rollout restart", &["--output"]),
    ("rollout history", &["--revision"]),
    ("rollout undo", &["--dry-run", "--to-revision"]),
    ("set serviceaccount", &["--dry-run", "--output"]),
    ("set image", &["--dry-run", "--output"]),
    ("edit", &["--output", "--output-patch"]),
    ("replace", &["--dry-run", "--filename", "--force", "--grace-period", "--output"]),
    ("wait", &["--all", "--all-namespaces", "--for", "--output", "--selector", "--timeout"]),
    ("events", &["--all-namespaces", "--for", "--no-headers", "--output", "--types"]),
];

/// What `kubectl exec` runs inside a container here.
const EXEC_COMMANDS: &[&str] = &["cat", "echo", "ls"];

/// kubectl flags that take no value (the others take the next word).
const BOOLEAN_FLAGS: &[&str] = &[
    "A",
    "all",
    "all-namespaces",
    "client",
    "command",
    "force",
    "i",
    "ignore-not-found",
    "list",
    "minify",
    "namespaced",
    "no-headers",
    "now",
    "overwrite",
    "q",
    "quiet",
    "raw",
    "recursive",
    "rm",
    "show-kind",
    "show-labels",
    "stdin",
    "t",
    "tty",
];

/// Completes the word at byte offset `cursor` of `line` (a cursor past
/// the end or inside a character is moved back to a valid place).
pub fn complete(shell: &Shell, line: &str, cursor: usize) -> Completion {
    let mut cursor = cursor.min(line.len());
    while !line.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let before = &line[..cursor];
    let scan = scan(before);
    let word = scan.current.unwrap_or(Word { start: cursor, text: String::new(), quoted: false, descriptor: false });
    let context = Context { shell, line: before, word: &word };
    if word.descriptor {
        return Completion { start: word.start, candidates: Vec::new() };
    }

    if let Some(name) = word.text.strip_prefix('$').filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        let names = shell.session.vars.keys().filter(|v| v.starts_with(name)).map(|v| format!("${v}"));
        return context.finish_plain(word.start, names.collect());
    }
    if scan.redirect_target {
        return context.finish(word.start, files(shell, &word.text));
    }
    // Assignments before the command name are not the command.
    let words: Vec<&str> = scan.words.iter().map(String::as_str).skip_while(|w| is_assignment(w)).collect();
    let Some((command, args)) = words.split_first() else {
        if is_assignment(&word.text) {
            return Completion { start: word.start, candidates: Vec::new() };
        }
        let names = COMMANDS.iter().filter(|c| c.starts_with(word.text.as_str())).map(|c| c.to_string());
        return context.finish(word.start, names.collect());
    };
    if *command == "kubectl" {
        return kubectl(&context, args);
    }
    context.finish(word.start, files(shell, &word.text))
}

/// The word under the cursor: where it starts, its text with quotes
/// removed, and whether it had any quoting.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    text: String,
    quoted: bool,
    /// `&1` in `2>&1`: a descriptor, not a word.
    descriptor: bool,
}

/// The current command's words before the cursor.
#[derive(Debug, Default)]
struct Scan {
    /// Finished words of the current command, quotes removed.
    words: Vec<String>,
    /// The word the cursor is in, if it is in one.
    current: Option<Word>,
    /// Whether the word at the cursor follows `>`, `>>` or `<`.
    redirect_target: bool,
}

/// Splits the text before the cursor into the current command's words.
fn scan(before: &str) -> Scan {
    let mut scan = Scan::default();
    let mut current: Option<Word> = None;
    let mut pending_redirect = false;
    let (mut single, mut double, mut escaped) = (false, false, false);
    let finish = |scan: &mut Scan, current: &mut Option<Word>, pending_redirect: &mut bool| {
        if let Some(word) = current.take() {
            if *pending_redirect {
                *pending_redirect = false;
            } else if !word.descriptor {
                scan.words.push(word.text);
            }
        }
    };
    for (i, c) in before.char_indices() {
        if escaped {
            escaped = false;
            if c != '\n' {
                current
                    .get_or_insert(Word { start: i - 1, text: String::new(), quoted: true, descriptor: false })
                    .text
                    .push(c);
            }
            continue;
        }
        if single {
            if c == '\'' {
                single = false;
            } else if let Some(w) = current.as_mut() {
                w.text.push(c);
            }
            continue;
        }
        if double {
            match c {
                '"' => double = false,
                '\\' => escaped = true,
                _ => {
                    if let Some(w) = current.as_mut() {
                        w.text.push(c);
                    }
                }
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if let Some(w) = current.as_mut() {
                    w.quoted = true;
                }
            }
            '\'' | '"' => {
                let word =
                    current.get_or_insert(Word { start: i, text: String::new(), quoted: true, descriptor: false });
                word.quoted = true;
                single = c == '\'';
                double = c == '"';
            }
            ' ' | '\t' => finish(&mut scan, &mut current, &mut pending_redirect),
            '>' | '<' => {
                // `2>` names a descriptor, not a word.
                if current.as_ref().is_some_and(|w| !w.quoted && w.text.chars().all(|d| d.is_ascii_digit())) {
                    current = None;
                }
                finish(&mut scan, &mut current, &mut pending_redirect);
                pending_redirect = true;
            }
            '&' if pending_redirect && current.is_none() => {
                // `2>&1`: a descriptor follows, not a file.
                pending_redirect = false;
                current = Some(Word { start: i, text: "&".to_string(), quoted: true, descriptor: true });
            }
            '|' | '&' | ';' | '\n' | '(' | ')' | '`' => {
                finish(&mut scan, &mut current, &mut pending_redirect);
                scan.words.clear();
                pending_redirect = false;
            }
            '$' if before[i..].starts_with("$(") => {
                finish(&mut scan, &mut current, &mut pending_redirect);
                scan.words.clear();
            }
            _ => current
                .get_or_insert(Word { start: i, text: String::new(), quoted: false, descriptor: false })
                .text
                .push(c),
        }
    }
    if escaped {
        // A trailing backslash: the word continues after it.
        current.get_or_insert(Word {
            start: before.len().saturating_sub(1),
            text: String::new(),
            quoted: true,
            descriptor: false,
        });
    }
    scan.current = current;
    scan.redirect_target = pending_redirect;
    scan
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// What completion knows while it works on one line.
struct Context<'a> {
    shell: &'a Shell,
    line: &'a str,
    word: &'a Word,
}

impl Context<'_> {
    /// Keeps the candidates that start with the word, quoted for the shell.
    fn finish(&self, start: usize, candidates: Vec<String>) -> Completion {
        let prefix = self.word.text.as_str();
        let mut candidates: Vec<String> =
            candidates.into_iter().filter(|c| c.starts_with(prefix)).map(|c| quote(&c)).collect();
        candidates.sort();
        candidates.dedup();
        Completion { start, candidates }
    }

    /// Like `finish`, without quoting (`$NAME` stays as it is).
    fn finish_plain(&self, start: usize, candidates: Vec<String>) -> Completion {
        let mut candidates: Vec<String> =
            candidates.into_iter().filter(|c| c.starts_with(self.word.text.as_str())).collect();
        candidates.sort();
        candidates.dedup();
        Completion { start, candidates }
    }
}

/// `word` as the shell reads it back: unchanged when it has only safe
/// characters, else in single quotes.
fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:=@%+,[".contains(c);
    if word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Paths on the session's machine starting with `prefix`, one directory
/// level at a time (directories end with `/`), relative to the current
/// directory unless `prefix` is absolute.
fn files(shell: &Shell, prefix: &str) -> Vec<String> {
    let (dir, name) = match prefix.rfind('/') {
        Some(i) => (&prefix[..=i], &prefix[i + 1..]),
        None => ("", prefix),
    };
    shell.session.read_files(&shell.cluster, |files| {
        let path = files.resolve(if dir.is_empty() { "." } else { dir });
        let entries = files.read_dir(&path).unwrap_or_default();
        entries
            .into_iter()
            .filter(|e| e.name.starts_with(name) && (!e.name.starts_with('.') || name.starts_with('.')))
            .map(|e| {
                let slash = if files.is_dir(&files.resolve(&format!("{dir}{}", e.name))) { "/" } else { "" };
                format!("{dir}{}{slash}", e.name)
            })
            .collect()
    })
}

/// Completes the words of `kubectl ARGS…`.
fn kubectl(context: &Context<'_>, args: &[&str]) -> Completion {
    let word = context.word;
    let parsed = parse_kubectl(args);
    let namespace = parsed.namespace.clone().unwrap_or_else(|| "default".to_string());
    if let Some(command) = &parsed.after_dashes {
        // `kubectl exec POD -- COMMAND ARGS…`: what runs in the container.
        let candidates = match (parsed.positional.as_slice(), command.as_slice()) {
            ([exec, _], []) if exec == "exec" => names(EXEC_COMMANDS),
            ([exec, pod], [_, ..]) if exec == "exec" => {
                let pod = pod.strip_prefix("pod/").or_else(|| pod.strip_prefix("pods/")).unwrap_or(pod);
                container_paths(context.shell, &namespace, pod, parsed.container.as_deref(), &word.text)
            }
            _ => Vec::new(),
        };
        return context.finish(word.start, candidates);
    }
    // The value of a flag, as the next word or after `=`.
    if let Some(flag) = &parsed.wants_value {
        return context.finish(word.start, flag_values(context, flag, &word.text, &namespace, &parsed.positional));
    }
    if let Some((flag, _)) = word.text.strip_prefix("--").and_then(|f| f.split_once('=')) {
        let raw = context.line.get(word.start..).unwrap_or_default();
        if let Some(equals) = raw.find('=') {
            let start = word.start + equals + 1;
            let value_prefix = context.line.get(start..).unwrap_or_default();
            let values = flag_values(context, flag, value_prefix, &namespace, &parsed.positional);
            let mut candidates: Vec<String> =
                values.into_iter().filter(|v| v.starts_with(value_prefix)).map(|c| quote(&c)).collect();
            candidates.sort();
            candidates.dedup();
            return Completion { start, candidates };
        }
    }
    if word.text.starts_with('-') {
        let path = subcommand_path(&parsed.positional);
        let local = FLAGS.iter().find(|(p, _)| *p == path).map(|(_, f)| *f).unwrap_or_default();
        let all = local.iter().chain(GLOBAL_FLAGS).map(|f| f.to_string()).collect();
        return context.finish(word.start, all);
    }
    let positional: Vec<&str> = parsed.positional.iter().map(String::as_str).collect();
    let candidates = match positional.as_slice() {
        [] => names(KUBECTL_COMMANDS),
        ["create"] => names(CREATE_COMMANDS),
        ["auth"] => names(AUTH_COMMANDS),
        ["config"] => names(CONFIG_COMMANDS),
        // The kubeconfig's own names.
        ["config", "use-context" | "use" | "delete-context" | "rename-context" | "get-contexts" | "set-context"] => {
            context.shell.session().kubeconfig.contexts.keys().cloned().collect()
        }
        ["config", "delete-user" | "set-credentials"] => {
            context.shell.session().kubeconfig.users.keys().cloned().collect()
        }
        ["rollout"] => names(ROLLOUT_COMMANDS),
        ["set"] => names(SET_COMMANDS),
        ["create", "service" | "svc"] => names(SERVICE_COMMANDS),
        ["expose"] if !word.text.contains('/') => names(EXPOSE_KINDS),
        ["expose", rest @ ..] => objects(context.shell, &word.text, rest, &namespace),
        ["rollout", _] if !word.text.contains('/') => names(ROLLOUT_KINDS),
        ["rollout", _, rest @ ..] => objects(context.shell, &word.text, rest, &namespace),
        ["set", "serviceaccount" | "sa", kind, _] if !kind.contains('/') => {
            object_names(context.shell, "serviceaccounts", &namespace)
        }
        ["set", "serviceaccount" | "sa", first] if first.contains('/') => {
            object_names(context.shell, "serviceaccounts", &namespace)
        }
        ["set", _, rest @ ..] => objects(context.shell, &word.text, rest, &namespace),
        ["scale", rest @ ..] => objects(context.shell, &word.text, rest, &namespace),
        ["create", "token"] => object_names(context.shell, "serviceaccounts", &namespace),
        ["auth", "can-i"] => names(VERBS),
        ["auth", "can-i", _] => resource_types(&word.text, false),
        ["exec"] => object_names(context.shell, "pods", &namespace),
        ["explain"] => resource_types(&word.text, true),
        [command, rest @ ..]
            if matches!(*command, "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "wait") =>
        {
            objects(context.shell, &word.text, rest, &namespace)
        }
        _ => Vec::new(),
    };
    context.finish(word.start, candidates)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Completes the argument after `get`, `describe`, `delete`, … : a
/// resource type first, then names of that type, or `TYPE/NAME`.
fn objects(shell: &Shell, word: &str, before: &[&str], namespace: &str) -> Vec<String> {
    if let Some((kind, _)) = word.split_once('/') {
        let Some(info) = resource::lookup(kind) else { return Vec::new() };
        return object_names_of(shell, info, namespace).into_iter().map(|n| format!("{kind}/{n}")).collect();
    }
    match before.first() {
        None => resource_types(word, false),
        // `TYPE/NAME` arguments: the next one is another `TYPE/NAME`.
        Some(first) if first.contains('/') => resource_types(word, false),
        // `get sa,secrets` takes no names.
        Some(first) if first.contains(',') => Vec::new(),
        Some(first) => match resource::lookup(first) {
            Some(info) => object_names_of(shell, info, namespace),
            None => Vec::new(),
        },
    }
}

/// Resource type names for `prefix`: plurals (and short names once
/// something is typed), else singular names and kinds; review resources
/// only where asked (`explain`).
fn resource_types(prefix: &str, with_reviews: bool) -> Vec<String> {
    let served = || RESOURCES.iter().filter(move |r| with_reviews || !r.is_review());
    let mut out: Vec<String> = served()
        .flat_map(|r| {
            let short = if prefix.is_empty() { &[][..] } else { r.short_names };
            std::iter::once(r.plural).chain(short.iter().copied())
        })
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect();
    if out.is_empty() {
        out = served()
            .flat_map(|r| [r.singular.to_string(), r.kind.to_string()])
            .filter(|n| n.starts_with(prefix))
            .collect();
    }
    out
}

/// Names of the objects of resource `plural` in `namespace`.
fn object_names(shell: &Shell, plural: &str, namespace: &str) -> Vec<String> {
    resource::by_plural_name(plural).map(|info| object_names_of(shell, info, namespace)).unwrap_or_default()
}

fn object_names_of(shell: &Shell, info: &ResourceInfo, namespace: &str) -> Vec<String> {
    let scope = info.namespaced.then_some(namespace);
    shell.cluster.store().list(info, scope).map(Object::name).map(str::to_string).collect()
}

/// Values for flag `flag` (written without dashes).
fn flag_values(context: &Context<'_>, flag: &str, prefix: &str, namespace: &str, positional: &[String]) -> Vec<String> {
    let shell = context.shell;
    match flag {
        "n" | "namespace" => shell.cluster.namespace_names().into_iter().map(str::to_string).collect(),
        "f" | "filename" => files(shell, prefix),
        "o" | "output" => {
            let mut formats = names(&["json", "name", "yaml"]);
            if positional.first().is_some_and(|c| c == "get") {
                formats.push("wide".to_string());
            }
            formats
        }
        "clusterrole" => object_names(shell, "clusterroles", namespace),
        "role" => object_names(shell, "roles", namespace),
        "serviceaccount" => service_accounts(shell).into_iter().map(|(ns, name)| format!("{ns}:{name}")).collect(),
        "as" => {
            service_accounts(shell).into_iter().map(|(ns, name)| format!("system:serviceaccount:{ns}:{name}")).collect()
        }
        "verb" => names(VERBS),
        "resource" => resource_types(prefix, false),
        "type" if positional.first().is_some_and(|c| c == "expose") => {
            names(&["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"])
        }
        "type" => names(&["json", "merge", "strategic"]),
        "session-affinity" => names(&["ClientIP", "None"]),
        "protocol" => names(&["SCTP", "TCP", "UDP"]),
        "restart" => names(&["Always", "Never", "OnFailure"]),
        "bound-object-kind" => names(&["Node", "Pod", "Secret"]),
        "dry-run" => names(&["client", "none", "server"]),
        _ => Vec::new(),
    }
}

/// Paths inside pod `namespace/pod`'s container that start with `prefix`
/// (an absolute path): entries of the directory `prefix` ends in, with
/// `/` after directories; hidden ones only when asked for with a `.`.
fn container_paths(shell: &Shell, namespace: &str, pod: &str, container: Option<&str>, prefix: &str) -> Vec<String> {
    let Ok(mounts) = shell.cluster.container_mounts(namespace, pod, container) else { return Vec::new() };
    let Some(slash) = prefix.rfind('/') else { return Vec::new() };
    let (dir, name) = prefix.split_at(slash + 1);
    let Ok(entries) = mounts.read_dir(if dir.is_empty() { "/" } else { dir }) else { return Vec::new() };
    entries
        .into_iter()
        .filter(|e| e.name.starts_with(name) && (name.starts_with('.') || !e.name.starts_with('.')))
        .map(|e| {
            let path = format!("{dir}{}", e.name);
            let is_dir = matches!(e.kind, EntryKind::Directory) || mounts.read_dir(&path).is_ok();
            if is_dir {
                format!("{path}/")
            } else {
                path
            }
        })
        .collect()
}

/// Every service account as (namespace, name).
fn service_accounts(shell: &Shell) -> Vec<(String, String)> {
    let Some(info) = resource::by_plural_name("serviceaccounts") else { return Vec::new() };
    shell
        .cluster
        .store()
        .list(info, None)
        .map(|o| (o.metadata().namespace.clone().unwrap_or_default(), o.name().to_string()))
        .collect()
}

/// `create token`, `create service nodeport` or `get`: the subcommand
/// words that select a flag table.
fn subcommand_path(positional: &[String]) -> String {
    match positional {
        [create, service, kind, ..] if create == "create" && matches!(service.as_str(), "service" | "svc") => {
            format!("create service {kind}")
        }
        [first, second, ..] if matches!(first.as_str(), "create" | "auth" | "config" | "rollout" | "set") => {
            let second = match second.as_str() {
                "sa" => "serviceaccount",
                "ns" => "namespace",
                "deploy" => "deployment",
                other => other,
            };
            format!("{first} {second}")
        }
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// kubectl's words before the cursor, as far as completion needs them.
#[derive(Debug, Default)]
struct KubectlWords {
    positional: Vec<String>,
    namespace: Option<String>,
    /// The flag (without dashes) whose value is the word under the cursor.
    wants_value: Option<String>,
    /// `-c/--container`.
    container: Option<String>,
    /// The words after `--`, when it came before the cursor (a command
    /// for the container).
    after_dashes: Option<Vec<String>>,
}

fn parse_kubectl(args: &[&str]) -> KubectlWords {
    let mut parsed = KubectlWords::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if *arg == "--" {
            parsed.after_dashes = Some(iter.map(|w| w.to_string()).collect());
            break;
        }
        let (name, inline) = if let Some(long) = arg.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            if short.chars().all(|c| BOOLEAN_FLAGS.contains(&c.to_string().as_str())) {
                continue;
            }
            let mut chars = short.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            let rest: String = chars.collect();
            let rest = rest.strip_prefix('=').map(str::to_string).unwrap_or(rest);
            (first, (!rest.is_empty()).then_some(rest))
        } else {
            parsed.positional.push(arg.to_string());
            continue;
        };
        if BOOLEAN_FLAGS.contains(&name.as_str()) {
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match iter.next() {
                Some(v) => v.to_string(),
                None => {
                    parsed.wants_value = Some(name);
                    break;
                }
            },
        };
        match name.as_str() {
            "n" | "namespace" => parsed.namespace = Some(value),
            "c" | "container" => parsed.container = Some(value),
            _ => {}
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use saplay_cluster::{Cluster, ClusterConfig};

    fn shell() -> Shell {
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        let setup = "kubectl create sa build-robot\nkubectl create sa builder\nkubectl create ns dev\n\
                     kubectl create sa -n dev deployer\nkubectl create role pod-reader --verb=get --resource=pods\n\
                     echo a > sa.yaml\necho b > secret.yaml\necho c > /tmp/pod.yaml\nmkdir manifests\necho d > manifests/one.yaml\n\
                     NS=dev\nNAME=x";
        let out = shell.run(setup);
        assert_eq!(out.stderr(), "", "set-up");
        let pod = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx\nEOF";
        assert_eq!(shell.run(pod).stderr(), "", "set-up");
        shell
    }

    /// Completes at the end of `line`.
    fn at_end(shell: &Shell, line: &str) -> Completion {
        complete(shell, line, line.len())
    }

    #[test]
    fn table() {
        let shell = shell();
        let rows: &[(&str, &[&str])] = &[
            ("", COMMANDS),
            ("ku", &["kubectl"]),
            ("e", &["echo", "env", "export"]),
            ("A=1 kub", &["kubectl"]),
            ("A=", &[]),
            ("kubectl ", KUBECTL_COMMANDS),
            ("kubectl a", &["annotate", "api-resources", "apply", "auth"]),
            ("kubectl -n dev g", &["get"]),
            ("kubectl w", &["wait"]),
            ("kubectl wait --fo", &["--for"]),
            ("kubectl ev", &["events"]),
            ("kubectl events --ty", &["--types"]),
            ("kubectl wait --for=delete sa/b", &["sa/build-robot", "sa/builder"]),
            (
                "kubectl get ",
                &[
                    "clusterrolebindings",
                    "clusterroles",
                    "configmaps",
                    "daemonsets",
                    "deployments",
                    "events",
                    "ingresses",
                    "jobs",
                    "namespaces",
                    "nodes",
                    "pods",
                    "replicasets",
                    "rolebindings",
                    "roles",
                    "secrets",
                    "serviceaccounts",
                    "services",
                    "statefulsets",
                ],
            ),
            ("kubectl get s", &["sa", "secrets", "serviceaccounts", "services", "statefulsets", "sts", "svc"]),
            ("kubectl get sa", &["sa"]),
            ("kubectl rollout ", ROLLOUT_COMMANDS),
            ("kubectl rollout status ", ROLLOUT_KINDS),
            ("kubectl set ", SET_COMMANDS),
            ("kubectl set sa deployment web ", &["build-robot", "builder", "default"]),
            ("kubectl set serviceaccount deploy/web b", &["build-robot", "builder"]),
            ("kubectl create dep", &["deployment"]),
            ("kubectl create deployment web --re", &["--replicas"]),
            ("kubectl scale dep", &["deploy", "deployments"]),
            ("kubectl get serviceaccount", &["serviceaccounts"]),
            ("kubectl get ServiceA", &["ServiceAccount"]),
            ("kubectl get nosuch", &[]),
            ("kubectl get sa ", &["build-robot", "builder", "default"]),
            ("kubectl get sa bu", &["build-robot", "builder"]),
            ("kubectl get sa -n dev ", &["default", "deployer"]),
            ("kubectl -n dev get sa d", &["default", "deployer"]),
            ("kubectl get sa --namespace=dev d", &["default", "deployer"]),
            ("kubectl get sa -ndev d", &["default", "deployer"]),
            ("kubectl get sa -A d", &["default"]),
            ("kubectl get sa/b", &["sa/build-robot", "sa/builder"]),
            ("kubectl describe serviceaccount/de", &["serviceaccount/default"]),
            ("kubectl get nosuch/b", &[]),
            ("kubectl get sa/build-robot po", &["po", "pods"]),
            ("kubectl get sa,secrets ", &[]),
            ("kubectl get ns k", &["kube-node-lease", "kube-public", "kube-system"]),
            ("kubectl get roles ", &["pod-reader"]),
            ("kubectl delete role p", &["pod-reader"]),
            ("kubectl get tokenr", &[]),
            ("kubectl explain tokenr", &["tokenreviews"]),
            ("kubectl get -n ", &["default", "dev", "kube-node-lease", "kube-public", "kube-system"]),
            ("kubectl get sa -n k", &["kube-node-lease", "kube-public", "kube-system"]),
            ("kubectl get sa --namespace d", &["default", "dev"]),
            ("kubectl get --show-l", &["--show-labels"]),
            ("kubectl get -o ", &["json", "name", "wide", "yaml"]),
            ("kubectl get sa -o y", &["yaml"]),
            ("kubectl create token --output j", &["json"]),
            ("kubectl create ", CREATE_COMMANDS),
            ("kubectl create r", &["role", "rolebinding"]),
            ("kubectl create service ", SERVICE_COMMANDS),
            ("kubectl create svc n", &["nodeport"]),
            ("kubectl create service nodeport web --n", &["--namespace", "--node-port"]),
            ("kubectl expose ", EXPOSE_KINDS),
            ("kubectl expose po", &["pods"]),
            ("kubectl expose pod ", &["web"]),
            ("kubectl expose pod/", &["pod/web"]),
            ("kubectl expose pod web --type=N", &["NodePort"]),
            ("kubectl expose pod web --session-affinity ", &["ClientIP", "None"]),
            ("kubectl expose pod web --ta", &["--target-port"]),
            ("kubectl create token ", &["build-robot", "builder", "default"]),
            ("kubectl create token -n dev de", &["default", "deployer"]),
            ("kubectl create token build-robot --d", &["--duration"]),
            ("kubectl create token build-robot --bound-object-kind ", &["Node", "Pod", "Secret"]),
            ("kubectl create sa x --dr", &["--dry-run"]),
            ("kubectl create rolebinding rb --role=", &["pod-reader"]),
            ("kubectl create rolebinding rb --clusterrole=vi", &["view"]),
            ("kubectl create rolebinding rb --serviceaccount=dev:", &["dev:default", "dev:deployer"]),
            ("kubectl create role r --verb=li", &["list"]),
            ("kubectl auth ", &["can-i", "whoami"]),
            ("kubectl auth can-i li", &["list"]),
            ("kubectl auth can-i list se", &["secrets", "serviceaccounts", "services"]),
            (
                "kubectl auth can-i list pods --as=system:serviceaccount:dev:",
                &["system:serviceaccount:dev:default", "system:serviceaccount:dev:deployer"],
            ),
            ("kubectl auth can-i --l", &["--list"]),
            ("kubectl config ", CONFIG_COMMANDS),
            ("kubectl config use-context ", &["kind-saplay"]),
            ("kubectl config delete-user k", &["kind-saplay"]),
            ("kubectl exec ", &["web"]),
            ("kubectl get po ", &["web"]),
            ("kubectl exec -n dev ", &[]),
            ("kubectl exec web -- ", EXEC_COMMANDS),
            ("kubectl exec web -- c", &["cat"]),
            ("kubectl exec web -- cat /", &["/var/"]),
            (
                "kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/",
                &[
                    "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
                    "/var/run/secrets/kubernetes.io/serviceaccount/namespace",
                    "/var/run/secrets/kubernetes.io/serviceaccount/token",
                ],
            ),
            (
                "kubectl exec web -- ls /var/run/secrets/kubernetes.io/serviceaccount/..d",
                &["/var/run/secrets/kubernetes.io/serviceaccount/..data/"],
            ),
            (
                "kubectl exec pod/web -c nginx -- cat /var/run/secrets/kubernetes.io/serviceaccount/t",
                &["/var/run/secrets/kubernetes.io/serviceaccount/token"],
            ),
            ("kubectl exec web -c nosuch -- cat /", &[]),
            ("kubectl exec nosuch -- cat /", &[]),
            ("kubectl exec web -- cat relative", &[]),
            ("kubectl apply -f ", &["manifests/", "sa.yaml", "secret.yaml"]),
            ("kubectl apply -f s", &["sa.yaml", "secret.yaml"]),
            ("kubectl apply -f manifests/", &["manifests/one.yaml"]),
            ("kubectl apply -f /", &["/root/", "/tmp/"]),
            ("kubectl apply -f /tmp/", &["/tmp/pod.yaml"]),
            ("kubectl apply --filename=/t", &["/tmp/"]),
            ("kubectl version --", &["--as", "--as-group", "--client", "--namespace", "--output", "--token"]),
            ("kubectl nosuch --", GLOBAL_FLAGS),
            ("cat s", &["sa.yaml", "secret.yaml"]),
            ("cat 'se", &["secret.yaml"]),
            ("echo hi > s", &["sa.yaml", "secret.yaml"]),
            ("echo hi 2>&", &[]),
            ("echo hi 2>/t", &["/tmp/"]),
            ("echo $N", &["$NAME", "$NS"]),
            ("echo a | ku", &["kubectl"]),
            ("echo a && kubectl get sa b", &["build-robot", "builder"]),
            ("echo $(kubectl get sa b", &["build-robot", "builder"]),
            ("kubectl get sa \"b", &["build-robot", "builder"]),
        ];
        for (line, want) in rows {
            let got = at_end(&shell, line).candidates;
            assert_eq!(got, want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{line:?}");
        }
    }

    #[test]
    fn start_is_where_the_word_begins() {
        let shell = shell();
        assert_eq!(at_end(&shell, "kubectl get sa bu").start, 15);
        assert_eq!(at_end(&shell, "kubectl get sa ").start, 15);
        assert_eq!(at_end(&shell, "kubectl get sa \"b").start, 15);
        assert_eq!(at_end(&shell, "kubectl create rolebinding rb --role=p").start, 37);
        assert_eq!(at_end(&shell, "").start, 0);
    }

    #[test]
    fn the_cursor_may_be_inside_the_line() {
        let shell = shell();
        let line = "kubectl get se -n dev";
        let got = complete(&shell, line, "kubectl get se".len());
        assert_eq!(
            got,
            Completion { start: 12, candidates: vec!["secrets".into(), "serviceaccounts".into(), "services".into()] }
        );
    }

    #[test]
    fn odd_cursors_and_input_never_panic() {
        let shell = shell();
        for line in [
            "é",
            "kubectl get sa é",
            "'",
            "\"",
            "\\",
            "kubectl -",
            "kubectl --=",
            "kubectl -n",
            "$",
            "${",
            "2>",
            ">&",
            "|",
            "kubectl --namespace=",
            "kubectl get /",
            "kubectl get sa/",
        ] {
            for cursor in 0..=line.len() + 2 {
                let got = complete(&shell, line, cursor);
                assert!(got.start <= line.len(), "{line:?} {cursor}");
            }
        }
        assert_eq!(complete(&shell, "ku", 99).candidates, ["kubectl"]);
    }

    #[test]
    fn names_that_need_quotes_are_quoted() {
        let mut shell = shell();
        shell.run("echo x > \"my file\"; echo y > \"it's\"");
        assert_eq!(at_end(&shell, "cat my").candidates, ["'my file'"]);
        assert_eq!(at_end(&shell, "cat 'my").candidates, ["'my file'"]);
        assert_eq!(at_end(&shell, "cat it").candidates, ["'it'\\''s'"]);
    }

    #[test]
    fn insertion_completes_a_word_or_the_common_part() {
        let one =
            |c: &[&str]| Completion { start: 0, candidates: c.iter().map(|s| s.to_string()).collect() }.insertion();
        assert_eq!(one(&[]), None);
        assert_eq!(one(&["kubectl"]), Some("kubectl ".into()));
        assert_eq!(one(&["/tmp/"]), Some("/tmp/".into()));
        assert_eq!(one(&["build-robot", "builder"]), Some("build".into()));
        assert_eq!(one(&["sa", "secrets"]), Some("s".into()));
        assert_eq!(one(&["été", "étage"]), Some("ét".into()));
    }

    #[test]
    fn builtins_listed_are_commands() {
        let mut shell = shell();
        // Text commands (grep, wc, jq, …) come with the coreutils and jq
        // modules; the built-ins must all run.
        for name in [
            "[", "cat", "curl", "date", "echo", "env", "export", "false", "head", "kubectl", "pwd", "sleep", "tail",
            "test", "true", "unset",
        ] {
            assert!(COMMANDS.contains(&name));
            assert_ne!(shell.run(&format!("{name} </dev/null")).exit_code, 127, "{name}");
        }
    }
}
