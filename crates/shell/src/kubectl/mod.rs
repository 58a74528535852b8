//! `kubectl`: argument parsing, requests to the cluster's API, and output
//! in kubectl v1.32's formats.
//!
//! Each subcommand turns its arguments into API requests exactly as kubectl
//! would send them (paths, query parameters, bodies), and prints the
//! answers with kubectl's tables, name printer and error wording.

mod apply;
mod auth;
mod create;
mod describe;
pub mod exec;
mod get;
mod jsonpath;
mod output;
pub mod printers;

use saplay_cluster::api::{Credential, Impersonation, Request, Response};
use saplay_cluster::Cluster;
use serde_json::Value;

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
}

/// A kubectl invocation's state.
pub struct Kubectl<'a> {
    cluster: &'a mut Cluster,
    globals: Globals,
    out: Output,
    /// Standard input (for `-f -`).
    stdin: Option<String>,
    /// The session's files (for `-f FILE`).
    files: Option<&'a std::collections::BTreeMap<String, String>>,
    /// The status to exit with on failure when not 1 (`kubectl exec`
    /// passes on the command's).
    failure_status: Option<i32>,
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

/// Flags that take no value.
const BOOLEAN_FLAGS: &[&str] = &[
    "A",
    "all-namespaces",
    "show-labels",
    "force",
    "all",
    "quiet",
    "q",
    "no-headers",
    "list",
    "i",
    "t",
    "stdin",
    "tty",
    "allow-missing-template-keys",
    "ignore-not-found",
];

/// Splits `args` into positionals and flags (`--f=v`, `--f v`, `-f v`, `-fv`
/// for one-letter flags, booleans without values).
pub(crate) fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            parsed.positional.extend(args[i..].iter().cloned());
            break;
        }
        let (name, inline) = if let Some(long) = arg.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some(short) = arg
            .strip_prefix('-')
            .filter(|s| s.len() > 1 && s.chars().all(|c| BOOLEAN_FLAGS.contains(&c.to_string().as_str())))
        {
            // Bundled boolean flags: `-it`.
            for c in short.chars() {
                parsed.flags.push((c.to_string(), "true".to_string()));
            }
            continue;
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            let rest: String = chars.collect();
            let rest = rest.strip_prefix('=').map(str::to_string).unwrap_or(rest);
            (first, (!rest.is_empty()).then_some(rest))
        } else {
            parsed.positional.push(arg.clone());
            continue;
        };
        let value = match inline {
            Some(v) => v,
            None if BOOLEAN_FLAGS.contains(&name.as_str()) => "true".to_string(),
            None => {
                let v = args.get(i).cloned().ok_or_else(|| format!("flag needs an argument: --{name}"))?;
                i += 1;
                v
            }
        };
        parsed.flags.push((name, value));
    }
    Ok(parsed)
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
        }
    }

    /// The same kubectl reading files from the session's file store.
    pub fn with_files(mut self, files: &'a std::collections::BTreeMap<String, String>) -> Self {
        self.files = Some(files);
        self
    }

    /// A file of the session, by path (relative paths from `/root`).
    pub(crate) fn read_file(&self, path: &str) -> Option<String> {
        let absolute = if path.starts_with('/') { path.to_string() } else { format!("/root/{path}") };
        self.files.and_then(|f| f.get(&absolute)).cloned()
    }

    /// The same kubectl reading `stdin` as its standard input.
    pub fn with_stdin(mut self, stdin: Option<String>) -> Self {
        self.stdin = stdin;
        self
    }

    /// Runs `kubectl ARGS…` and returns what it printed.
    pub fn run(mut self, args: &[String]) -> Output {
        let parsed = match parse_args(args) {
            Ok(p) => p,
            Err(e) => return self.fail(&format!("error: {e}\n")),
        };
        self.globals = Globals {
            namespace: parsed.value(&["n", "namespace"]).map(str::to_string),
            token: parsed.value(&["token"]).map(str::to_string),
            as_user: parsed.value(&["as"]).map(str::to_string),
            as_groups: parsed.values(&["as-group"]).into_iter().map(str::to_string).collect(),
        };
        let Some((command, rest)) = parsed.positional.split_first() else {
            self.out.push(crate::Stream::Stdout, "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n");
            return self.out;
        };
        let rest_args = Args { positional: rest.to_vec(), flags: parsed.flags };
        let result = match command.as_str() {
            "get" => get::run(&mut self, &rest_args),
            "describe" => describe::run(&mut self, &rest_args),
            "create" if rest_args.value(&["f", "filename"]).is_some() => {
                apply::run(&mut self, &rest_args, apply::Mode::Create)
            }
            "create" => create::run(&mut self, &rest_args),
            "apply" => apply::run(&mut self, &rest_args, apply::Mode::Apply),
            "delete" => get::delete(&mut self, &rest_args),
            "auth" => auth::run(&mut self, &rest_args),
            "cluster-info" => {
                let address = self.cluster.api_server_ip();
                self.print(&format!(
                    "Kubernetes control plane is running at https://{address}:6443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
                ));
                Ok(())
            }
            other => Err(format!(
                "error: unknown command \"{other}\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\nRun 'kubectl --help' for usage.\n"
            )),
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

    /// The namespace a namespaced command works in.
    pub(crate) fn namespace(&self) -> String {
        self.globals.namespace.clone().unwrap_or_else(|| "default".to_string())
    }

    /// Sends a request with the session's credential and impersonation.
    pub(crate) fn send(&mut self, mut request: Request) -> Response {
        if let Some(token) = &self.globals.token {
            request.credential = Credential::BearerToken(token.clone());
        }
        if let Some(user) = &self.globals.as_user {
            request.impersonate =
                Some(Impersonation { user: user.clone(), groups: self.globals.as_groups.clone(), uid: None });
        }
        let response = self.cluster.handle(&request);
        for warning in &response.warnings {
            self.out.push(crate::Stream::Stderr, &format!("Warning: {warning}\n"));
        }
        response
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

/// kubectl's rendering of a failed API response (`cmdutil.CheckErr`), with
/// an optional `error when creating "FILE": ` source prefix.
pub(crate) fn api_error(response: &Response, source: Option<&str>) -> String {
    let body = &response.body;
    let reason = body["reason"].as_str().unwrap_or_default();
    let message = body["message"].as_str().unwrap_or_default();
    let sourced = |m: &str| match source {
        Some(s) => format!("error when creating {s:?}: {m}"),
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

/// Parses an API timestamp such as `2025-01-01T00:00:00Z`.
fn parse_timestamp(s: &str) -> Option<i64> {
    let time: k8s_openapi::apimachinery::pkg::apis::meta::v1::Time = serde_json::from_value(Value::from(s)).ok()?;
    Some(saplay_cluster::Time::from_k8s(&time).unix_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse() {
        assert_eq!(parse_timestamp("2025-01-01T00:00:00Z"), Some(1_735_689_600));
        assert_eq!(parse_timestamp("2025-01-14T09:12:47Z"), Some(1_736_845_967));
        assert_eq!(parse_timestamp("garbage"), None);
    }

    #[test]
    fn flags_parse_like_cobra() {
        let args: Vec<String> = ["get", "sa", "-n", "kube-system", "--show-labels", "-oyaml", "--as=jane", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = parse_args(&args).unwrap_or_default();
        assert_eq!(parsed.positional, ["get", "sa", "x"]);
        assert_eq!(parsed.value(&["n"]), Some("kube-system"));
        assert_eq!(parsed.value(&["o"]), Some("yaml"));
        assert_eq!(parsed.value(&["as"]), Some("jane"));
        assert!(parsed.is_set(&["show-labels"]));
    }
}
