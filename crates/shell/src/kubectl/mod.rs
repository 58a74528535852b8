//! `kubectl`: argument parsing, requests to the cluster's API, and output
//! in kubectl v1.32's formats.
//!
//! Each subcommand turns its arguments into API requests exactly as kubectl
//! would send them (paths, query parameters, bodies), and prints the
//! answers with kubectl's tables, name printer and error wording.

mod apply;
mod auth;
pub mod check;
pub(crate) mod cli;
pub mod config;
mod create;
mod describe;
mod describe_workloads;
pub mod edit;
mod events;
pub mod exec;
mod explain;
mod expose;
mod get;
mod gotemplate;
mod help;
mod info;
pub mod jsonpath;
mod label;
mod output;
mod patch;
pub mod printers;
mod rollout;
mod run;
mod set;
mod wait;
mod workloads;

pub use check::{check_manifest, locate_errors, ManifestProblem};
pub use cli::{read_args, KubectlArgs};
pub use config::Config;

use saplay_cluster::api::{Credential, Impersonation, Request, Response};
use saplay_cluster::Cluster;
use serde_json::Value;

use crate::files::ReadFiles;

/// How many times one waiting command may move the clock: far more than
/// a week of a busy cluster's deadlines ([`Kubectl::advance_toward`]).
const MAX_CLOCK_STEPS: usize = 100_000;
use crate::Output;

/// Flags every kubectl command takes.
#[derive(Debug, Clone, Default)]
pub struct Globals {
    /// `-n/--namespace`.
    pub namespace: Option<String>,
    /// `--token`.
    pub token: Option<String>,
    /// `--as`.
    pub as_user: Option<String>,
    /// `--as-group` (repeatable).
    pub as_groups: Vec<String>,
    /// `--as-uid`.
    pub as_uid: Option<String>,
}

/// A kubectl invocation's state.
pub struct Kubectl<'a> {
    cluster: &'a mut Cluster,
    globals: Globals,
    out: Output,
    /// Standard input (for `-f -`).
    stdin: Option<String>,
    /// The session's files (for `-f FILE`).
    files: Option<&'a dyn ReadFiles>,
    /// The status to exit with on failure when not 1 (`kubectl exec`
    /// passes on the command's).
    failure_status: Option<i32>,
    /// The session's kubeconfig (the current context's namespace).
    config: Option<&'a mut Config>,
    /// How many arguments came before `--` (`kubectl run NAME -- CMD`).
    before_dash: Option<usize>,
    /// What this command uses of the kubeconfig (its context's namespace
    /// and credential); `None` for the commands that need no server.
    selection: Option<config::Selection>,
}

/// Parsed flags of one subcommand: positional arguments, and flag values
/// by name (repeatable flags keep every value).
#[derive(Debug, Default)]
pub(crate) struct Args {
    pub positional: Vec<String>,
    pub flags: Vec<(String, String)>,
}

impl Args {
    /// The last value of flag `name` (as written without dashes).
    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.as_str())
    }

    /// All values of a repeatable flag.
    pub fn values(&self, names: &[&str]) -> Vec<&str> {
        self.flags.iter().filter(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.as_str()).collect()
    }

    /// Whether a boolean flag is set.
    pub fn is_set(&self, names: &[&str]) -> bool {
        self.value(names).is_some_and(|v| v != "false")
    }
}

impl<'a> Kubectl<'a> {
    /// A kubectl talking to `cluster`.
    pub fn new(cluster: &'a mut Cluster) -> Self {
        Self {
            cluster,
            globals: Globals::default(),
            out: Output::default(),
            stdin: None,
            files: None,
            failure_status: None,
            config: None,
            before_dash: None,
            selection: None,
        }
    }

    /// The same kubectl using (and changing) the session's kubeconfig.
    pub fn with_config(mut self, config: &'a mut Config) -> Self {
        self.config = Some(config);
        self
    }

    /// The same kubectl reading files (`-f FILE`) from the machine it
    /// runs on.
    pub fn with_files(mut self, files: &'a dyn ReadFiles) -> Self {
        self.files = Some(files);
        self
    }

    /// A file of the machine, by path (relative to the current directory).
    pub(crate) fn read_file(&self, path: &str) -> Option<String> {
        self.files.and_then(|f| f.read_file(path).ok())
    }

    /// The regular files in directory `path`, or `None` when `path` is
    /// not a directory.
    pub(crate) fn list_files(&self, path: &str) -> Option<Vec<String>> {
        self.files.and_then(|f| f.list_files(path).ok())
    }

    /// The subdirectories of directory `path` (for `-R`).
    pub(crate) fn list_dirs(&self, path: &str) -> Vec<String> {
        self.files.and_then(|f| f.list_dirs(path).ok()).unwrap_or_default()
    }

    /// The same kubectl reading `stdin` as its standard input.
    pub fn with_stdin(mut self, stdin: Option<String>) -> Self {
        self.stdin = stdin;
        self
    }

    /// Runs `kubectl ARGS…` and returns what it printed.
    // The subcommands it dispatches to are `#[inline(never)]`: see "Start-up in the
    // browser" in ARCHITECTURE.md.
    pub fn run(mut self, args: &[String]) -> Output {
        let parsed = match cli::parse(args) {
            Ok(p) => p,
            Err(e) => return self.fail(&e.render()),
        };
        self.before_dash = parsed.before_dash;
        let args = Args { positional: parsed.positional, flags: parsed.flags };
        // pflag's notice for a deprecated flag, given any value. kubectl
        // then records nothing here (see docs/KNOWN-DIFFERENCES.md).
        if args.value(&["record"]).is_some() {
            self.eprint("Flag --record has been deprecated, --record will be removed in the future\n");
        }
        // An empty value (`-n "$NS"`, `--token=$TOKEN` with the variable
        // unset) overrides nothing, as in kubectl: the kubeconfig's
        // namespace and credentials stay.
        let given = |names: &[&str]| args.value(names).filter(|v| !v.is_empty()).map(str::to_string);
        self.globals = Globals {
            namespace: given(&["n", "namespace"]),
            token: given(&["token"]),
            as_user: given(&["as"]),
            as_groups: args.values(&["as-group"]).into_iter().map(str::to_string).collect(),
            as_uid: given(&["as-uid"]),
        };
        if self.globals.as_user.is_none() && (!self.globals.as_groups.is_empty() || self.globals.as_uid.is_some()) {
            return self.fail(&format!(
                "error: requesting uid, groups or user-extra for {} without impersonating a user\n",
                config::NAME
            ));
        }
        let path = parsed.path;
        if cli::NOT_HERE.contains(&path.as_str()) {
            return self.fail(&not_here(&path));
        }
        if parsed.help || path.is_empty() {
            if help::has_page(&path) {
                self.print(&help::render(&path));
                return self.out;
            }
            return self.fail(&not_here(&path));
        }
        // A group command without its subcommand: kubectl prints the
        // group's help and fails (on standard error, but rollout's on
        // standard output).
        if matches!(path.as_str(), "set" | "config" | "auth" | "rollout")
            && args.positional.is_empty()
            && help::has_page(&path)
        {
            let text = help::render(&path);
            if path == "rollout" {
                self.print(&text);
                self.out.exit_code = 1;
                return self.out;
            }
            return self.fail(&text);
        }
        let command = path.split(' ').next().unwrap_or_default();
        let offline =
            matches!(command, "config" | "help" | "options") || (command == "version" && args.is_set(&["client"]));
        if !offline {
            let fresh = Config::default();
            let kubeconfig = self.config.as_deref().unwrap_or(&fresh);
            match config::select(kubeconfig, &args, &path) {
                Ok(selection) => self.selection = Some(selection),
                Err(message) => return self.fail(&message),
            }
        }
        let result = match command {
            "get" => get::run(&mut self, &args),
            "describe" => describe::run(&mut self, &args),
            "create" if args.value(&["f", "filename"]).is_some() => apply::run(&mut self, &args, apply::Mode::Create),
            "create" => create::run(&mut self, &args),
            "apply" => apply::run(&mut self, &args, apply::Mode::Apply),
            "replace" => apply::run(&mut self, &args, apply::Mode::Replace),
            "delete" => get::delete(&mut self, &args),
            "expose" => expose::run(&mut self, &args),
            "auth" => auth::run(&mut self, &args),
            // The shell runs `kubectl exec` itself (see `crate::exec`).
            "exec" => Err("error: kubectl exec needs the playground's shell\n".to_string()),
            "cluster-info" => info::cluster_info(&mut self, &args),
            "version" => info::version(&mut self, &args),
            "api-resources" => info::api_resources(&mut self, &args),
            "api-versions" => info::api_versions(&mut self, &args),
            "patch" => patch::run(&mut self, &args),
            "label" => label::run(&mut self, &args, label::What::Labels),
            "annotate" => label::run(&mut self, &args, label::What::Annotations),
            "run" => run::run(&mut self, &args),
            "scale" => rollout::scale(&mut self, &args),
            "rollout" => rollout::run(&mut self, &args),
            "set" => set::run(&mut self, &args),
            "wait" => wait::run(&mut self, &args),
            "events" => events::run(&mut self, &args),
            "edit" => edit::run(&mut self, &args),
            "explain" => explain::run(&mut self, &args),
            "config" => config::run(&mut self, &args),
            "options" => {
                self.print(&help::options());
                Ok(())
            }
            "help" => {
                self.print(&help::help_topic(&args.positional));
                Ok(())
            }
            _ => Err(not_here(&path)),
        };
        if let Err(message) = result {
            return self.fail(&message);
        }
        self.out
    }

    fn fail(mut self, message: &str) -> Output {
        self.out.push(crate::Stream::Stderr, message);
        self.out.exit_code = self.failure_status.unwrap_or(1);
        self.out
    }

    /// The namespace a namespaced command works in: `-n`, else the
    /// current context's, else `default`.
    pub(crate) fn namespace(&self) -> String {
        self.globals
            .namespace
            .clone()
            .or_else(|| self.selection.as_ref().and_then(|s| s.namespace.clone()))
            .or_else(|| self.config.as_ref().and_then(|c| c.namespace().map(str::to_string)))
            .unwrap_or_else(|| "default".to_string())
    }

    /// Sends a request with the session's credential and impersonation.
    pub(crate) fn send(&mut self, mut request: Request) -> Response {
        if let Some(token) = &self.globals.token {
            request.credential = Credential::BearerToken(token.clone());
        } else if let Some(selection) = &self.selection {
            request.credential = selection.credential.clone();
        }
        if let Some(user) = &self.globals.as_user {
            request.impersonate = Some(Impersonation {
                user: user.clone(),
                groups: self.globals.as_groups.clone(),
                uid: self.globals.as_uid.clone(),
            });
        }
        let response = self.cluster.handle(&request);
        for warning in &response.warnings {
            self.out.push(crate::Stream::Stderr, &format!("Warning: {warning}\n"));
        }
        response
    }

    /// One step of a command that waits on the simulated clock (`wait`,
    /// `rollout status`, `replace --force`): moves the clock to the
    /// cluster's next deadline if one comes by `until` and says so, else
    /// to `until` (false: the wait is over). `steps` counts the moves of
    /// one wait; after [`MAX_CLOCK_STEPS`] of them it is over too, so a
    /// deadline that kept coming back at the same instant could not hang
    /// the page.
    pub(crate) fn advance_toward(&mut self, until: saplay_cluster::Time, steps: &mut usize) -> bool {
        *steps += 1;
        match self.cluster.next_deadline().filter(|t| *t <= until && *steps <= MAX_CLOCK_STEPS) {
            Some(next) => {
                self.cluster.advance_to(next);
                true
            }
            None => {
                self.cluster.advance_to(until);
                false
            }
        }
    }

    /// The cluster's clock, for ages.
    pub(crate) fn now_seconds(&self) -> i64 {
        self.cluster.now().unix_seconds()
    }

    pub(crate) fn print(&mut self, text: &str) {
        self.out.push(crate::Stream::Stdout, text);
    }

    pub(crate) fn eprint(&mut self, text: &str) {
        self.out.push(crate::Stream::Stderr, text);
    }
}

/// The `TYPE/NAME` pairs of the arguments, `None` when they are in `TYPE
/// NAME…` form. As in kubectl, either every argument is `TYPE/NAME` or
/// none is (`kubectl get sa sa/default` is refused).
pub(crate) fn type_name_pairs(args: &[String]) -> Result<Option<Vec<(String, String)>>, String> {
    let slashed = args.iter().filter(|a| a.contains('/')).count();
    if slashed == 0 {
        return Ok(None);
    }
    if slashed != args.len() {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".to_string());
    }
    args.iter().map(|a| split_type_name(a)).collect::<Result<Vec<_>, _>>().map(Some)
}

/// One `TYPE/NAME` argument, checked as kubectl's resource builder does:
/// one slash, a type that is a single resource, a name.
pub(crate) fn split_type_name(arg: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = arg.split('/').collect();
    let [kind, name] = parts[..] else {
        return Err("error: arguments in resource/name form may not have more than one slash\n".to_string());
    };
    // kubectl splits the type at commas, dropping repeats.
    let mut kinds: Vec<&str> = kind.split(',').collect();
    kinds.sort_unstable();
    kinds.dedup();
    if kind.is_empty() || name.is_empty() || kinds.len() != 1 {
        return Err("error: arguments in resource/name form must have a single resource and name\n".to_string());
    }
    Ok((kind.to_string(), name.to_string()))
}

/// `TYPE NAME…` from the arguments (either form): the type and its names,
/// or, when `TYPE/NAME` pairs name several types, what `each` (the
/// command itself) did with every pair on its own.
pub(crate) fn type_and_names(
    k: &mut Kubectl<'_>,
    args: &Args,
    each: fn(&mut Kubectl<'_>, &Args) -> Result<(), String>,
) -> Result<Option<(String, Vec<String>)>, String> {
    let Some(pairs) = type_name_pairs(&args.positional)? else {
        let Some((kind, names)) = args.positional.split_first() else { return Ok(None) };
        return Ok(Some((kind.clone(), names.to_vec())));
    };
    if pairs.iter().all(|(kind, _)| *kind == pairs[0].0) {
        let kind = pairs[0].0.clone();
        return Ok(Some((kind, pairs.into_iter().map(|(_, name)| name).collect())));
    }
    let mut errors = String::new();
    for (kind, name) in pairs {
        let one = Args { positional: vec![kind, name], flags: args.flags.clone() };
        if let Err(e) = each(k, &one) {
            errors.push_str(&e);
        }
    }
    if errors.is_empty() {
        Ok(None)
    } else {
        Err(errors)
    }
}

/// What the playground says for a kubectl command it does not have: the
/// help to read is its group's (`kubectl set --help` for `set env`).
fn not_here(path: &str) -> String {
    let group = match path.rsplit_once(' ') {
        // `create secret tls`: the group is `create secret`.
        Some((group, _)) => format!("kubectl {group} --help"),
        None => "kubectl --help".to_string(),
    };
    format!("error: \"kubectl {path}\" is not available in this playground; \"{group}\" lists the commands it has\n")
}

/// What kubectl shows of a failed API response it wraps in words of its
/// own (`failed to patch: …`): the Status's message alone, without
/// `Error from server (Reason):`.
pub(crate) fn wrapped_error(response: &Response) -> String {
    match response.body["message"].as_str() {
        Some(message) => message.to_string(),
        None => api_error(response, None).trim_end().trim_start_matches("error: ").to_string(),
    }
}

/// kubectl's rendering of a failed API response (`cmdutil.CheckErr`), with
/// an optional `error when creating "FILE": ` source prefix.
pub(crate) fn api_error(response: &Response, source: Option<&str>) -> String {
    api_error_when(response, source.map(|s| ("creating", s)))
}

/// [`api_error`] with the verb of the source prefix (kubectl's
/// `AddSourceToErr`): `error when replacing "FILE": …`.
pub(crate) fn api_error_when(response: &Response, source: Option<(&str, &str)>) -> String {
    let body = &response.body;
    let reason = body["reason"].as_str().unwrap_or_default();
    let message = body["message"].as_str().unwrap_or_default();
    let sourced = |m: &str| match source {
        Some((verb, s)) => format!("error when {verb} {s:?}: {m}"),
        None => m.to_string(),
    };
    if reason == "Unauthorized" {
        return format!("error: You must be logged in to the server ({message})\n");
    }
    if reason == "Invalid" {
        if let Some(causes) = body["details"]["causes"].as_array().filter(|c| !c.is_empty()) {
            let kind = body["details"]["kind"].as_str().unwrap_or_default();
            let name = body["details"]["name"].as_str().unwrap_or_default();
            let errors: Vec<String> = causes
                .iter()
                .map(|c| {
                    format!(
                        "{}: {}",
                        c["field"].as_str().unwrap_or_default(),
                        c["message"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            // kubectl's MultilineError: one error on the line, several as a
            // bulleted list under it.
            if let [one] = errors.as_slice() {
                return format!("The {kind} {name:?} is invalid: {one}\n");
            }
            let bullets: String = errors.iter().map(|e| format!("* {e}\n")).collect();
            return format!("The {kind} {name:?} is invalid: \n{bullets}");
        }
    }
    if reason.is_empty() {
        return format!("error: {}\n", sourced(message));
    }
    format!("Error from server ({reason}): {}\n", sourced(message))
}

/// The message of a failed response, for commands that wrap it
/// (`error: failed to create serviceaccount: <message>`).
pub(crate) fn api_message(response: &Response) -> String {
    response.body["message"].as_str().unwrap_or_default().to_string()
}

/// `metadata.creationTimestamp` in Unix seconds.
pub(crate) fn created_at(object: &Value) -> i64 {
    object["metadata"]["creationTimestamp"].as_str().and_then(parse_timestamp).unwrap_or_default()
}

/// Parses an API timestamp such as `2025-01-01T00:00:00Z` (RFC 3339, as
/// kubectl's `time.Parse(time.RFC3339, …)`), to Unix seconds.
pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    // chrono also takes a space for the T, which Go's layout does not.
    if s.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|time| time.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse() {
        assert_eq!(parse_timestamp("2025-01-01T00:00:00Z"), Some(1_735_689_600));
        assert_eq!(parse_timestamp("2025-01-14T09:12:47Z"), Some(1_736_845_967));
        assert_eq!(parse_timestamp("garbage"), None);
        assert_eq!(parse_timestamp("2025-01-14T09:12:47.900Z"), Some(1_736_845_967));
        assert_eq!(parse_timestamp("2025-01-14T10:12:47+01:00"), Some(1_736_845_967));
        // Go's time.RFC3339 layout wants the T.
        assert_eq!(parse_timestamp("2025-01-14 09:12:47Z"), None);
    }

    #[test]
    fn odd_command_lines_end_in_errors_not_panics() {
        let lines: &[&[&str]] = &[
            &["-"],
            &["--"],
            &["---"],
            &["-n="],
            &["--namespace=", "get", "sa"],
            &["get", "sa", "-o"],
            &["patch", "sa", "default", "-p", "\u{0}"],
            &["patch", "sa/", "-p", "{}"],
            &["patch", "/x", "-p", "{}"],
            &["label", "sa/default", "=", "-"],
            &["annotate", "sa", "default", "a=b", "c"],
            &["run", "x", "--image=a", "--overrides=[]"],
            &["run", "x", "--image=a", "--override-type=json", "--overrides=[{\"op\":\"remove\",\"path\":\"/x\"}]"],
            &["explain", "sa..x"],
            &["explain", "."],
            &["explain", "pods.spec.containers.env.valueFrom.x"],
            &["config", "set-context", "a", "b"],
            &["config", "use-context"],
            &["api-resources", "--namespaced"],
            &["help", "create", "nosuch", "extra"],
            &["-é"],
            &["get", "--é"],
            &["create", "deployment", "x", "--image="],
            &["create", "deployment", "x", "--image=a", "--", "--"],
            &["scale", "--replicas=1", "/x"],
            &["scale", "--replicas=99999999999", "deploy/x"],
            &["rollout", "undo", "deploy/x", "--to-revision=-5"],
            &["rollout", "status", "deploy/", "--timeout=x"],
            &["rollout", "history", "deploy"],
            &["set", "image", "deploy/x", "="],
            &["set", "sa", "deploy/x", "deploy/y", "z"],
            &["get", "events", "--field-selector", "=,="],
        ];
        for line in lines {
            let mut cluster = Cluster::new(saplay_cluster::ClusterConfig::default());
            let args: Vec<String> = line.iter().map(|s| s.to_string()).collect();
            let out = Kubectl::new(&mut cluster).run(&args);
            assert!(out.exit_code == 0 || !out.stderr().is_empty(), "{line:?}: {out:?}");
        }
    }

    #[test]
    fn flags_parse_like_cobra() {
        let args: Vec<String> = ["get", "sa", "-n", "kube-system", "--show-labels", "-oyaml", "--as=jane", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = cli::parse(&args).unwrap_or_default();
        assert_eq!(parsed.path, "get");
        assert_eq!(parsed.positional, ["sa", "x"]);
        let parsed = Args { positional: parsed.positional, flags: parsed.flags };
        assert_eq!(parsed.value(&["n"]), Some("kube-system"));
        assert_eq!(parsed.value(&["o"]), Some("yaml"));
        assert_eq!(parsed.value(&["as"]), Some("jane"));
        assert!(parsed.is_set(&["show-labels"]));
    }
}
