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

/// What kubectl prints when the runtime cannot start the command: runc
/// looks it up as Go's `exec.LookPath` does, in the container's `PATH`
/// for a bare name, or as a file for a path.
pub fn start_failed_message(command: &str, why: &str) -> String {
    format!(
        "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: {}: {why}: unknown\n",
        cli::go_quote(command)
    )
}

/// The runtime's answer for a program the image lacks.
pub fn not_found_message(program: &str) -> String {
    start_failed_message(program, "executable file not found in $PATH")
}

/// `None` when `args` is not a `kubectl exec` (or asks for its help, or
/// does not parse: kubectl itself answers those); otherwise the plan, or
/// what kubectl prints when it refuses. `kubeconfig` is the session's.
pub fn plan(cluster: &mut Cluster, args: &[String], kubeconfig: &super::Config) -> Option<Result<ExecPlan, Output>> {
    let parsed = cli::parse(args).ok()?;
    if parsed.path != "exec" || parsed.help {
        return None;
    }
    Some(check(cluster, parsed, kubeconfig))
}

/// The request with the credential of `--token` (else the kubeconfig's,
/// `credential`) and the impersonation of `--as` and `--as-group`.
fn identify(mut request: Request, args: &Args, credential: &Credential) -> Request {
    request.credential = match args.value(&["token"]).filter(|t| !t.is_empty()) {
        Some(token) => Credential::BearerToken(token.to_string()),
        None => credential.clone(),
    };
    if let Some(user) = args.value(&["as"]) {
        let groups = args.values(&["as-group"]).into_iter().map(str::to_string).collect();
        request.impersonate = Some(Impersonation { user: user.to_string(), groups, uid: None });
    }
    request
}

/// The pod `kubectl exec TYPE/NAME` runs in: the pod itself, or for a
/// workload or Service the oldest of the pods its selector matches, read
/// as the caller.
fn pod_for(
    cluster: &mut Cluster,
    args: &Args,
    credential: &Credential,
    namespace: &str,
    kind: &str,
    name: &str,
) -> Result<String, Output> {
    let Some(r) = saplay_cluster::resource::lookup(kind).filter(|r| !r.is_review()) else {
        return Err(failed(&format!("error: the server doesn't have a resource type {}\n", cli::go_quote(kind))));
    };
    if r.plural == "pods" {
        return Ok(name.to_string());
    }
    let path = r.object_path(r.namespaced.then_some(namespace), name);
    let object = cluster.handle(&identify(Request::new(Method::Get, path), args, credential));
    if !object.is_success() {
        return Err(failed(&super::api_error(&object, None)));
    }
    let selector = match r.plural {
        "services" => match object.body["spec"]["selector"].as_object() {
            Some(selector) if !selector.is_empty() => Some(selector.clone()),
            _ => {
                return Err(failed(&format!(
                    "error: cannot attach to *v1.Service: invalid service '{name}': Service is defined without a selector\n"
                )))
            }
        },
        "deployments" | "replicasets" | "statefulsets" | "daemonsets" | "jobs" => {
            object.body["spec"]["selector"]["matchLabels"].as_object().cloned()
        }
        _ => None,
    };
    let Some(selector) = selector else {
        // Every kind served here is in a Go package named `v1`.
        return Err(failed(&format!(
            "error: cannot attach to *v1.{kind}: selector for *v1.{kind} not implemented\n",
            kind = r.kind
        )));
    };
    let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect();
    let list = cluster.handle(&identify(
        Request::new(Method::Get, format!("/api/v1/namespaces/{namespace}/pods?labelSelector={}", labels.join(","))),
        args,
        credential,
    ));
    if !list.is_success() {
        return Err(failed(&super::api_error(&list, None)));
    }
    let mut pods: Vec<(String, String)> = list.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["metadata"]["deletionTimestamp"].is_null())
        .map(|p| {
            let meta = &p["metadata"];
            (
                meta["creationTimestamp"].as_str().unwrap_or_default().to_string(),
                meta["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    pods.sort();
    // kubectl waits up to --pod-running-timeout for a pod to appear.
    pods.into_iter().next().map(|(_, name)| name).ok_or_else(|| failed("error: timed out waiting for the condition\n"))
}

fn check(cluster: &mut Cluster, parsed: cli::Parsed, kubeconfig: &super::Config) -> Result<ExecPlan, Output> {
    let args = Args { positional: parsed.positional, flags: parsed.flags };
    // kubectl's order: the old `exec POD COMMAND` form, the timeout, then
    // the pod and the command. Words between the pod and `--` are ignored;
    // words after `--` are the command, never the pod (`kubectl exec -- ls`).
    let before_dash = parsed.before_dash;
    if before_dash.is_none() && args.positional.len() > 1 {
        return Err(failed("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"));
    }
    let timeout = args.value(&["pod-running-timeout"]).unwrap_or("1m0s");
    if super::create::go_duration_nanos(timeout).is_ok_and(|t| t <= 0) {
        return Err(failed(
            "error: --pod-running-timeout must be higher than zero\nSee 'kubectl exec -h' for help and examples\n",
        ));
    }
    let before_dash = before_dash.unwrap_or(args.positional.len());
    let Some(target) = args.positional.first().filter(|_| before_dash > 0) else {
        return Err(failed("error: pod, type/name or --filename must be specified\n"));
    };
    let command: Vec<String> = args.positional.iter().skip(before_dash.max(1)).cloned().collect();
    if command.is_empty() {
        return Err(failed("error: you must specify at least one command for the container\n"));
    }
    let selection = super::config::select(kubeconfig, &args, "exec").map_err(|e| failed(&e))?;
    let credential = &selection.credential;
    let namespace = args
        .value(&["n", "namespace"])
        .filter(|n| !n.is_empty())
        .or(selection.namespace.as_deref())
        .unwrap_or("default")
        .to_string();
    let pod = match target.contains('/') {
        true => {
            let (kind, name) = super::split_type_name(target).map_err(|e| failed(&e))?;
            pod_for(cluster, &args, credential, &namespace, &kind, &name)?
        }
        false => target.clone(),
    };
    let container = args.value(&["c", "container"]).map(str::to_string);
    // As kubectl: read the pod, then ask the API server for the exec
    // stream (RBAC `create` on `pods/exec`), with the caller's identity.
    let pod_path = format!("/api/v1/namespaces/{namespace}/pods/{pod}");
    let get = cluster.handle(&identify(Request::new(Method::Get, pod_path.clone()), &args, credential));
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
    let exec =
        cluster.handle(&identify(Request::new(Method::Post, format!("{pod_path}/exec?{query}")), &args, credential));
    if !exec.is_success() {
        return Err(failed(&super::api_error(&exec, None)));
    }
    let stdin = args.is_set(&["i", "stdin"]);
    let tty = args.is_set(&["t", "tty"]);
    Ok(ExecPlan { target: PodTarget { namespace, pod, container }, command, stdin, tty })
}
