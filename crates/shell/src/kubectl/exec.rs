//! `kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND…`: checks the
//! arguments and the pod as kubectl and the API server do, and hands the
//! shell an [`ExecPlan`]; the shell runs the command inside the container
//! (see `crate::exec`), or stays in an interactive `sh`/`bash` until `exit`.

use saplay_cluster::Cluster;

use super::{parse_args, Globals};
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

/// `None` when `args` is not a `kubectl exec`; otherwise the plan, or
/// what kubectl prints when it refuses.
pub fn plan(cluster: &Cluster, args: &[String]) -> Option<Result<ExecPlan, Output>> {
    let dash_dash = args.iter().position(|a| a == "--");
    let before = &args[..dash_dash.unwrap_or(args.len())];
    let parsed = match parse_args(before) {
        Ok(p) => p,
        Err(_) => return None,
    };
    if parsed.positional.first().map(String::as_str) != Some("exec") {
        return None;
    }
    Some(check(cluster, args, dash_dash, parsed))
}

fn check(
    cluster: &Cluster,
    args: &[String],
    dash_dash: Option<usize>,
    parsed: super::Args,
) -> Result<ExecPlan, Output> {
    let globals = Globals { namespace: parsed.value(&["n", "namespace"]).map(str::to_string), ..Globals::default() };
    let positional: Vec<&String> = parsed.positional.iter().skip(1).collect();
    let Some(pod) = positional.first() else {
        return Err(failed("error: pod, type/name or --filename must be specified\n"));
    };
    if positional.len() > 1 {
        return Err(failed("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"));
    }
    let command: Vec<String> = dash_dash.map(|i| args[i + 1..].to_vec()).unwrap_or_default();
    if command.is_empty() {
        return Err(failed("error: you must specify at least one command for the container\n"));
    }
    let pod = pod.strip_prefix("pod/").or_else(|| pod.strip_prefix("pods/")).unwrap_or(pod).to_string();
    let namespace = globals.namespace.unwrap_or_else(|| "default".to_string());
    let container = parsed.value(&["c", "container"]).map(str::to_string);
    if let Err(e) = cluster.container_mounts(&namespace, &pod, container.as_deref()) {
        return Err(if e.reason() == "NotFound" {
            failed(&format!("Error from server (NotFound): {}\n", e.message()))
        } else {
            failed(&format!("error: {}\n", e.message()))
        });
    }
    let stdin = parsed.is_set(&["i", "stdin"]);
    let tty = parsed.is_set(&["t", "tty"]);
    Ok(ExecPlan { target: PodTarget { namespace, pod, container }, command, stdin, tty })
}
