//! `kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND…`: checks the
//! arguments and the pod as kubectl and the API server do, and hands the
//! shell an [`ExecPlan`]; the shell runs the command inside the container
//! (see `crate::exec`), or stays in an interactive `sh`/`bash` until `exit`.

use saplay_cluster::api::{Credential, Impersonation, Method, Request};
use saplay_cluster::Cluster;

use super::{cli, Args};
use crate::machine::PodTarget;
use crate::{Output, Stream};

/// What `kubectl exec` is to run, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecPlan {
    /// The container.
    pub target: PodTarget,
    /// The command and its arguments.
    pub command: Vec<String>,
    /// `-i`: standard input is passed (an interactive shell with `-it`).
    pub stdin: bool,
    /// `-t`: the output is a terminal.
    pub tty: bool,
}

fn failed(message: &str) -> Output {
    let mut out = Output::status(1);
    out.push(Stream::Stderr, message);
    out
}

/// The runtime's answer for a program the image lacks.
pub fn not_found_message(program: &str) -> String {
    format!(
        "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown\n"
    )
}

/// `None` when `args` is not a `kubectl exec` (or asks for its help, or
/// does not parse: kubectl itself answers those); otherwise the plan, or
/// what kubectl prints when it refuses. `namespace` is the kubeconfig's.
pub fn plan(cluster: &mut Cluster, args: &[String], namespace: Option<&str>) -> Option<Result<ExecPlan, Output>> {
    let parsed = cli::parse(args).ok()?;
    if parsed.path != "exec" || parsed.help {
        return None;
    }
    Some(check(cluster, parsed, namespace))
}

/// The request with the credential and impersonation of `--token`,
/// `--as` and `--as-group`.
fn identify(mut request: Request, args: &Args) -> Request {
    if let Some(token) = args.value(&["token"]) {
        request.credential = Credential::BearerToken(token.to_string());
    }
    if let Some(user) = args.value(&["as"]) {
        let groups = args.values(&["as-group"]).into_iter().map(str::to_string).collect();
        request.impersonate = Some(Impersonation { user: user.to_string(), groups, uid: None });
    }
    request
}

fn check(cluster: &mut Cluster, parsed: cli::Parsed, namespace: Option<&str>) -> Result<ExecPlan, Output> {
    let args = Args { positional: parsed.positional, flags: parsed.flags };
    let before_dash = parsed.before_dash.unwrap_or(args.positional.len());
    // Words after `--` are the command, never the pod (`kubectl exec -- ls`).
    let Some(pod) = args.positional.first().filter(|_| before_dash > 0) else {
        return Err(failed("error: pod, type/name or --filename must be specified\n"));
    };
    if before_dash > 1 {
        return Err(failed("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"));
    }
    let command: Vec<String> = args.positional.iter().skip(1).cloned().collect();
    if command.is_empty() {
        return Err(failed("error: you must specify at least one command for the container\n"));
    }
    let pod = pod.strip_prefix("pod/").or_else(|| pod.strip_prefix("pods/")).unwrap_or(pod).to_string();
    let namespace = args.value(&["n", "namespace"]).or(namespace).unwrap_or("default").to_string();
    let container = args.value(&["c", "container"]).map(str::to_string);
    // As kubectl: read the pod, then ask the API server for the exec
    // stream (RBAC `create` on `pods/exec`), with the caller's identity.
    let pod_path = format!("/api/v1/namespaces/{namespace}/pods/{pod}");
    let get = cluster.handle(&identify(Request::new(Method::Get, pod_path.clone()), &args));
    if !get.is_success() {
        return Err(failed(&super::api_error(&get, None)));
    }
    if let Err(e) = cluster.container_mounts(&namespace, &pod, container.as_deref()) {
        return Err(failed(&format!("Error from server ({}): {}\n", e.reason(), e.message())));
    }
    let mut query = format!("command={}&stdout=true&stderr=true", command.first().map_or("", String::as_str));
    if let Some(c) = &container {
        query.push_str(&format!("&container={c}"));
    }
    let exec = cluster.handle(&identify(Request::new(Method::Post, format!("{pod_path}/exec?{query}")), &args));
    if !exec.is_success() {
        return Err(failed(&super::api_error(&exec, None)));
    }
    let stdin = args.is_set(&["i", "stdin"]);
    let tty = args.is_set(&["t", "tty"]);
    Ok(ExecPlan { target: PodTarget { namespace, pod, container }, command, stdin, tty })
}
