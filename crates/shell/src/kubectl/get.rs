//! `kubectl get` and `kubectl delete`.

use saplay_cluster::api::Request;
use saplay_cluster::resource::{self, ResourceInfo};
use serde_json::{json, Value};

use super::output::{self, Format};
use super::printers::{self, human_duration, tabwrite};
use super::{api_error, created_at, parse_timestamp, Args, Kubectl};

use super::patch::resolve;

/// The columns of a resource's table, and its row for an object.
fn columns(r: &ResourceInfo, wide: bool) -> Vec<&'static str> {
    match r.kind {
        "ServiceAccount" => vec!["NAME", "SECRETS", "AGE"],
        "Secret" => vec!["NAME", "TYPE", "DATA", "AGE"],
        "ConfigMap" => vec!["NAME", "DATA", "AGE"],
        "Namespace" => vec!["NAME", "STATUS", "AGE"],
        "Node" if wide => vec![
            "NAME",
            "STATUS",
            "ROLES",
            "AGE",
            "VERSION",
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ],
        "Node" => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "Pod" if wide => {
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
        }
        "Pod" => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "Role" | "ClusterRole" => vec!["NAME", "CREATED AT"],
        "RoleBinding" | "ClusterRoleBinding" if wide => {
            vec!["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
        }
        "RoleBinding" | "ClusterRoleBinding" => vec!["NAME", "ROLE", "AGE"],
        _ => super::workloads::columns(r.kind, wide).unwrap_or_else(|| vec!["NAME", "AGE"]),
    }
}

fn len_of(v: &Value) -> usize {
    v.as_object().map(|m| m.len()).or_else(|| v.as_array().map(Vec::len)).unwrap_or(0)
}

/// printPod's READY, STATUS and RESTARTS. READY counts the containers
/// that are ready and running, and the started sidecars (restartable init
/// containers) that are ready, of all containers and sidecars. STATUS is
/// the phase or the pod's reason, then the first unfinished init container
/// (`Init:0/1`, `Init:Reason`), then the containers' waiting or terminated
/// reasons (`Completed`, `CrashLoopBackOff`, `ExitCode:1`), `Terminating`
/// while being deleted. RESTARTS adds `(5m ago)` from the latest
/// `lastState.terminated.finishedAt`.
struct PodSummary {
    ready: usize,
    total: usize,
    status: String,
    restarts: String,
}

fn pod_summary(pod: &Value, now: i64) -> PodSummary {
    let status = &pod["status"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut reason = text(&status["phase"]);
    if let Some(r) = status["reason"].as_str().filter(|r| !r.is_empty()) {
        reason = r.to_string();
    }
    let conditions: Vec<&Value> = status["conditions"].as_array().into_iter().flatten().collect();
    if conditions.iter().any(|c| c["type"] == "PodScheduled" && c["reason"] == "SchedulingGated") {
        reason = "SchedulingGated".to_string();
    }
    let exit = |t: &Value, prefix: &str| match t["signal"].as_i64().filter(|s| *s != 0) {
        Some(signal) => format!("{prefix}Signal:{signal}"),
        None => format!("{prefix}ExitCode:{}", t["exitCode"].as_i64().unwrap_or(0)),
    };
    // The latest end of a container's previous run, as Unix seconds.
    let last_end = |c: &Value| c["lastState"]["terminated"]["finishedAt"].as_str().and_then(parse_timestamp);
    let init_specs = pod["spec"]["initContainers"].as_array().cloned().unwrap_or_default();
    let sidecar = |name: &Value| init_specs.iter().any(|s| s["name"] == *name && s["restartPolicy"] == "Always");
    let mut total = pod["spec"]["containers"].as_array().map(Vec::len).unwrap_or(0);
    total += init_specs.iter().filter(|s| s["restartPolicy"] == "Always").count();
    let mut ready = 0;
    let (mut restarts, mut sidecar_restarts) = (0, 0);
    let (mut last_restart, mut last_sidecar_restart): (Option<i64>, Option<i64>) = (None, None);
    let mut initializing = false;
    let inits = status["initContainerStatuses"].as_array().cloned().unwrap_or_default();
    for (i, c) in inits.iter().enumerate() {
        let count = c["restartCount"].as_i64().unwrap_or(0);
        restarts += count;
        last_restart = last_restart.max(last_end(c));
        if sidecar(&c["name"]) {
            sidecar_restarts += count;
            last_sidecar_restart = last_sidecar_restart.max(last_end(c));
        }
        let state = &c["state"];
        if state["terminated"].is_object() && state["terminated"]["exitCode"].as_i64().unwrap_or(0) == 0 {
            continue;
        }
        if sidecar(&c["name"]) && c["started"] == true {
            if c["ready"] == true {
                ready += 1;
            }
            continue;
        }
        if state["terminated"].is_object() {
            reason = match state["terminated"]["reason"].as_str().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None => exit(&state["terminated"], "Init:"),
            };
        } else if let Some(r) = state["waiting"]["reason"].as_str().filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }
    let initialized = conditions.iter().any(|c| c["type"] == "Initialized" && c["status"] == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut running = false;
        let statuses = status["containerStatuses"].as_array().cloned().unwrap_or_default();
        for c in statuses.iter().rev() {
            restarts += c["restartCount"].as_i64().unwrap_or(0);
            last_restart = last_restart.max(last_end(c));
            let state = &c["state"];
            if let Some(r) = state["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if let Some(r) = state["terminated"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if state["terminated"].is_object() {
                reason = exit(&state["terminated"], "");
            } else if c["ready"] == true && state["running"].is_object() {
                running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && running {
            let pod_ready = conditions.iter().any(|c| c["type"] == "Ready" && c["status"] == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }
    let phase = status["phase"].as_str().unwrap_or_default();
    if pod["metadata"]["deletionTimestamp"].is_string() {
        if status["reason"] == "NodeLost" {
            reason = "Unknown".to_string();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".to_string();
        }
    }
    let restarts = match last_restart {
        Some(at) if restarts != 0 => format!("{restarts} ({} ago)", human_duration(now - at)),
        _ => restarts.to_string(),
    };
    PodSummary { ready, total, status: reason, restarts }
}

fn subjects_of(binding: &Value, kind: &str) -> String {
    let names: Vec<String> = binding["subjects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["kind"] == kind)
        .map(|s| match kind {
            "ServiceAccount" => {
                format!("{}/{}", s["namespace"].as_str().unwrap_or_default(), s["name"].as_str().unwrap_or_default())
            }
            _ => s["name"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    names.join(", ")
}

// Each kind's row is its own function (`#[inline(never)]`): the browser
// compiles a function whole at its first call, and a first `kubectl get sa`
// should not compile the rows of every kind (see "Start-up in the browser"
// in ARCHITECTURE.md).
fn row(r: &ResourceInfo, o: &Value, now: i64, wide: bool) -> Vec<String> {
    let name = o["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let age = human_duration(now - created_at(o));
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match r.kind {
        "ServiceAccount" => vec![name, len_of(&o["secrets"]).to_string(), age],
        "Secret" => vec![name, s(&o["type"]), (len_of(&o["data"])).to_string(), age],
        "ConfigMap" => vec![name, (len_of(&o["data"]) + len_of(&o["binaryData"])).to_string(), age],
        "Namespace" => vec![name, s(&o["status"]["phase"]), age],
        "Node" => node_row(o, name, age, wide),
        "Pod" => pod_row(o, name, age, now, wide),
        "Role" | "ClusterRole" => vec![name, s(&o["metadata"]["creationTimestamp"])],
        "RoleBinding" | "ClusterRoleBinding" => binding_row(o, name, age, wide),
        _ => workload_row(r, o, now, wide, name, age),
    }
}

/// printNode: the Ready condition (`Ready`, `NotReady`, `Unknown` without
/// one) and `SchedulingDisabled` when cordoned; the roles from
/// `node-role.kubernetes.io/ROLE` and `kubernetes.io/role=ROLE` labels,
/// sorted; with `-o wide` the first internal and external addresses.
#[inline(never)]
fn node_row(o: &Value, name: String, age: String, wide: bool) -> Vec<String> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut status = match super::workloads::condition_status(o, "Ready") {
        Some("True") => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if o["spec"]["unschedulable"] == true {
        status.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<String> = o["metadata"]["labels"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) => Some(role.to_string()),
            None if k == "kubernetes.io/role" => v.as_str().map(str::to_string),
            None => None,
        })
        .filter(|role| !role.is_empty())
        .collect();
    roles.sort();
    roles.dedup();
    let roles = if roles.is_empty() { "<none>".to_string() } else { roles.join(",") };
    let mut cells = vec![name, status, roles, age, s(&o["status"]["nodeInfo"]["kubeletVersion"])];
    if wide {
        let address = |type_: &str| {
            o["status"]["addresses"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["type"] == type_)
                .map(|a| s(&a["address"]))
                .unwrap_or_else(|| "<none>".to_string())
        };
        let info = |key: &str| {
            Some(s(&o["status"]["nodeInfo"][key])).filter(|v| !v.is_empty()).unwrap_or_else(|| "<unknown>".to_string())
        };
        cells.extend([
            address("InternalIP"),
            address("ExternalIP"),
            info("osImage"),
            info("kernelVersion"),
            info("containerRuntimeVersion"),
        ]);
    }
    cells
}

#[inline(never)]
fn pod_row(o: &Value, name: String, age: String, now: i64, wide: bool) -> Vec<String> {
    let summary = pod_summary(o, now);
    let mut cells = vec![name, format!("{}/{}", summary.ready, summary.total), summary.status, summary.restarts, age];
    if wide {
        let or_none = |v: &Value| v.as_str().filter(|s| !s.is_empty()).unwrap_or("<none>").to_string();
        cells.extend([
            or_none(&o["status"]["podIPs"][0]["ip"]),
            or_none(&o["spec"]["nodeName"]),
            or_none(&o["status"]["nominatedNodeName"]),
            readiness_gates(o),
        ]);
    }
    cells
}

/// The READINESS GATES cell: of the gates, how many have their (first)
/// condition True.
fn readiness_gates(pod: &Value) -> String {
    let gates: Vec<&Value> = pod["spec"]["readinessGates"].as_array().into_iter().flatten().collect();
    if gates.is_empty() {
        return "<none>".to_string();
    }
    let met = gates
        .iter()
        .filter(|g| {
            super::workloads::condition_status(pod, g["conditionType"].as_str().unwrap_or_default()) == Some("True")
        })
        .count();
    format!("{met}/{}", gates.len())
}

#[inline(never)]
fn binding_row(o: &Value, name: String, age: String, wide: bool) -> Vec<String> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let role = format!("{}/{}", s(&o["roleRef"]["kind"]), s(&o["roleRef"]["name"]));
    let mut cells = vec![name, role, age];
    if wide {
        cells.extend([subjects_of(o, "User"), subjects_of(o, "Group"), subjects_of(o, "ServiceAccount")]);
    }
    cells
}

#[inline(never)]
fn workload_row(r: &ResourceInfo, o: &Value, now: i64, wide: bool, name: String, age: String) -> Vec<String> {
    super::workloads::row(r.kind, o, now, wide).unwrap_or_else(|| vec![name, age])
}

/// Drops the fields kubectl hides by default before printing YAML/JSON.
fn for_output(mut object: Value, r: &ResourceInfo) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.entry("apiVersion").or_insert_with(|| json!(r.api_version()));
        map.entry("kind").or_insert_with(|| json!(r.kind));
    }
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    object
}

/// `kubectl get`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if let Some(path) = args.value(&["raw"]) {
        let path = path.to_string();
        return raw(k, args, &path);
    }
    let result = get_objects(k, args);
    // A command here cannot go on printing changes until Ctrl-C.
    if result.is_ok() && (args.is_set(&["w", "watch"]) || args.is_set(&["watch-only"])) {
        k.eprint("(the playground cannot stream: --watch shows the objects as they are now; move the clock, or use kubectl wait, to see them change)\n");
    }
    result
}

/// `kubectl get` without `--raw`: kubectl's checks, then the objects
/// printed (none with `--watch-only`, which prints only changes).
fn get_objects(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if args.positional.is_empty() {
        return Err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".to_string());
    }
    // kubectl's Validate.
    let watch = args.is_set(&["w", "watch"]);
    let watch_only = args.is_set(&["watch-only"]);
    if args.is_set(&["output-watch-events"]) && !watch && !watch_only {
        return Err("error: --output-watch-events option can only be used with --watch or --watch-only\n".to_string());
    }
    if args.is_set(&["show-labels"]) {
        let output = args.value(&["o", "output"]).unwrap_or_default();
        if !output.is_empty() && output != "wide" {
            return Err(format!("error: --show-labels option cannot be used with {output} printer\n"));
        }
    }
    // What kubectl's resource builder visits, in order: a list per type, or
    // one object per name (`TYPE NAME…`, `TYPE1,TYPE2 NAME…` or `TYPE/NAME…`).
    let mut requests: Vec<(&ResourceInfo, Option<String>)> = Vec::new();
    if let Some(pairs) = super::type_name_pairs(&args.positional)? {
        for (kind, name) in pairs {
            requests.push((resolve(&kind)?, Some(name)));
        }
    } else if let Some((kinds, names)) = args.positional.split_first() {
        // `all` is a category: the resources discovery lists in it.
        let mut resources: Vec<&ResourceInfo> = Vec::new();
        for kind in kinds.split(',') {
            let expanded: Vec<&ResourceInfo> = if kind == "all" {
                resource::ALL_CATEGORY.iter().filter_map(|plural| resource::by_plural_name(plural)).collect()
            } else {
                vec![resolve(kind)?]
            };
            for r in expanded {
                if !resources.iter().any(|known| std::ptr::eq(*known, r)) {
                    resources.push(r);
                }
            }
        }
        for r in resources {
            if names.is_empty() {
                requests.push((r, None));
            }
            for name in names {
                requests.push((r, Some(name.clone())));
            }
        }
    }
    let named = requests.iter().any(|(_, name)| name.is_some());
    // The resource builder's checks.
    let selected = |flag: &[&str]| args.value(flag).is_some_and(|s| !s.trim().is_empty());
    if named && (selected(&["l", "selector"]) || selected(&["field-selector"])) {
        return Err("error: name cannot be provided when a selector is specified\n".to_string());
    }
    if args.value(&["subresource"]).is_some_and(|s| !s.is_empty()) && requests.iter().any(|(_, name)| name.is_none()) {
        return Err("error: subresource cannot be used when bulk resources are specified\n".to_string());
    }
    if watch_only {
        return Ok(());
    }
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    if all_namespaces && named {
        return Err("error: a resource cannot be retrieved by name across all namespaces\n".to_string());
    }
    let format = output::parse_format(args, output::GET_FORMATS, "get", &|p| k.read_file(p))?;
    let wide = matches!(format, Format::Wide);
    let no_headers = args.is_set(&["no-headers"]);
    let selector = args.value(&["l", "selector"]).map(str::to_string);
    let namespace = k.namespace();
    let mut items: Vec<(&ResourceInfo, Value)> = Vec::new();
    // The types of the builder's results: a list is one even when empty.
    let mut visited: Vec<&ResourceInfo> = Vec::new();
    let mut errors = String::new();
    for (r, name) in &requests {
        let ns = (r.namespaced && !all_namespaces).then_some(namespace.as_str());
        match name {
            // kubectl visits every request and reports the failures after
            // printing what it found.
            None => match list(k, r, ns, selector.as_deref(), args.value(&["field-selector"])) {
                Ok(found) => {
                    items.extend(found.into_iter().map(|item| (*r, item)));
                    visited.push(r);
                }
                Err(e) => errors.push_str(&e),
            },
            Some(name) => {
                let response = k.send(Request::get(r.object_path(ns.or(Some(&namespace)), name)));
                if response.is_success() {
                    items.push((r, response.body));
                    visited.push(r);
                } else {
                    errors.push_str(&api_error(&response, None));
                }
            }
        }
    }
    let single = requests.len() == 1 && named;
    let human = matches!(format, Format::Default | Format::Wide);
    // kubectl's generic printers get one object when one was named, else a
    // List of everything found.
    let object = if single && items.len() == 1 {
        items.first().map(|(r, o)| for_output(o.clone(), r)).unwrap_or(Value::Null)
    } else {
        json!({
            "apiVersion": "v1",
            "items": items.iter().map(|(r, o)| for_output(o.clone(), r)).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {"resourceVersion": ""},
        })
    };
    let nothing_named_found = single && items.is_empty();
    match &format {
        Format::Default | Format::Wide => {
            let options = TableOptions {
                all_namespaces,
                wide,
                show_labels: args.is_set(&["show-labels"]),
                no_headers,
                // multipleGVKsRequested, or --show-kind.
                with_kind: args.is_set(&["show-kind"])
                    || visited.iter().any(|r| visited.first().is_some_and(|first| !std::ptr::eq(*first, *r))),
                label_columns: args
                    .values(&["L", "label-columns"])
                    .iter()
                    .flat_map(|v| v.split(','))
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect(),
            };
            print_tables(k, &items, &options)
        }
        Format::Name => {
            for (r, o) in &items {
                k.print(&format!("{}/{}\n", r.kind_group(), o["metadata"]["name"].as_str().unwrap_or_default()));
            }
        }
        Format::CustomColumns(columns) if !nothing_named_found => {
            let list: Vec<&Value> = items.iter().map(|(_, o)| o).collect();
            let text = output::custom_columns(columns, &list, no_headers)?;
            k.print(&text);
        }
        other if !nothing_named_found => {
            if let Some((text, result)) = output::render(other, &object) {
                k.print(&text);
                if let Err(e) = result {
                    errors.push_str(&e);
                }
            }
        }
        _ => {}
    }
    if human && items.is_empty() && errors.is_empty() && !named {
        // The server answers a table even when it is empty, and kubectl
        // names the namespace only when every table it got is of a
        // namespaced kind (and not with -A, which drops the full stop too).
        if all_namespaces || visited.iter().any(|r| !r.namespaced) {
            k.eprint("No resources found\n");
        } else {
            k.eprint(&format!("No resources found in {namespace} namespace.\n"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(())
}

/// A label selector as a URL query value.
pub(super) fn encode_selector(selector: &str) -> String {
    selector.replace('=', "%3D").replace(',', "%2C").replace(' ', "%20").replace('!', "%21")
}

/// `kubectl get --raw PATH`: the body as the server sent it.
fn raw(k: &mut Kubectl<'_>, args: &Args, path: &str) -> Result<(), String> {
    if !args.positional.is_empty() {
        return Err("error: arguments may not be passed when --raw is specified\n".to_string());
    }
    if args.value(&["l", "selector"]).is_some() {
        return Err(
            "error: --raw may not be specified with other flags that filter the server request or alter the output\n"
                .to_string(),
        );
    }
    if args.value(&["o", "output"]).is_some_and(|o| !o.is_empty()) {
        return Err("error: --raw and --output are mutually exclusive\n".to_string());
    }
    if !path.starts_with('/') {
        return Err(format!("error: --raw must be a valid URL path: parse {path:?}: invalid URI for request\n"));
    }
    let response = k.send(Request::get(path));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    let text = printers::handler_text(path, &response.body)
        .unwrap_or_else(|| printers::ordered_json(&response.body, None) + "\n");
    k.print(&text);
    Ok(())
}

/// kubectl's checks of `create --raw` and `delete --raw` (after create's
/// `--edit` one), in its order: at most one file (`create`: exactly one),
/// not a URL, neither `-R` nor `-o`, and a URL path.
pub(super) fn check_raw_write(args: &Args, raw: &str, files: &[&str], exactly_one: bool) -> Result<(), String> {
    if files.len() > 1 || (exactly_one && files.is_empty()) {
        return Err("error: --raw can only use a single local file or stdin\n".to_string());
    }
    if files.first().is_some_and(|f| f.starts_with("http://") || f.starts_with("https://")) {
        return Err("error: --raw cannot read from a url\n".to_string());
    }
    if args.is_set(&["R", "recursive"]) {
        return Err("error: --raw and --recursive are mutually exclusive\n".to_string());
    }
    if args.value(&["o", "output"]).is_some_and(|o| !o.is_empty()) {
        return Err("error: --raw and --output are mutually exclusive\n".to_string());
    }
    if !raw.starts_with('/') && !raw.contains("://") {
        return Err(format!(
            "error: --raw must be a valid URL path: parse {}: invalid URI for request\n",
            super::jsonpath::go_quote(raw)
        ));
    }
    Ok(())
}

/// The request a `--raw` write sends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RawMethod {
    /// `kubectl create --raw`.
    Post,
    /// `kubectl replace --raw`.
    Put,
    /// `kubectl delete --raw`.
    Delete,
}

/// `kubectl create --raw PATH -f FILE` (POST), `kubectl replace --raw PATH
/// -f FILE` (PUT) and `kubectl delete --raw PATH [-f FILE]` (DELETE): the
/// file's bytes sent as they are (`-` is standard input), the answer's
/// body printed as the server sent it, or the server's error. The callers
/// make kubectl's checks of the flags.
#[inline(never)]
pub(super) fn raw_write(k: &mut Kubectl<'_>, method: RawMethod, path: &str, file: Option<&str>) -> Result<(), String> {
    let body = match file {
        None => None,
        Some("-") => Some(k.stdin.clone().unwrap_or_default()),
        Some(f) => Some(k.read_file(f).ok_or_else(|| format!("error: open {f}: no such file or directory\n"))?),
    };
    let request = match (method, body) {
        (RawMethod::Post, body) => Request::post(path, body.unwrap_or_default()),
        (RawMethod::Put, body) => Request::put(path, body.unwrap_or_default()),
        (RawMethod::Delete, Some(body)) => Request::delete(path).with_body(body),
        (RawMethod::Delete, None) => Request::delete(path),
    };
    let response = k.send(request);
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    k.print(&(printers::ordered_json(&response.body, None) + "\n"));
    Ok(())
}

/// How kubectl's table printer decorates the server's tables.
struct TableOptions {
    all_namespaces: bool,
    wide: bool,
    show_labels: bool,
    no_headers: bool,
    /// Prefix the name column with `kind.group/` (several types, or
    /// `--show-kind`).
    with_kind: bool,
    /// `-L/--label-columns` keys.
    label_columns: Vec<String>,
}

/// The index of a table's `name`-format column among the cells printed:
/// an Event's NAME column is a `-o wide` one, last.
fn name_column(r: &ResourceInfo, wide: bool) -> Option<usize> {
    match r.kind {
        "Event" => wide.then_some(9),
        _ => Some(0),
    }
}

/// A cell as kubectl prints it: cut at its first newline, then `...`.
fn printable(cell: String) -> String {
    match cell.split_once('\n') {
        Some((first, _)) => format!("{first}..."),
        None => cell,
    }
}

/// The tables of `kubectl get`: one per run of objects of the same type,
/// as kubectl prints the builder's results with a printer per mapping,
/// separated by a blank line when headers are printed.
fn print_tables(k: &mut Kubectl<'_>, items: &[(&ResourceInfo, Value)], options: &TableOptions) {
    let now = k.now_seconds();
    let mut written = false;
    let mut rest = items;
    while let Some((r, _)) = rest.first() {
        let run = rest.iter().take_while(|(x, _)| std::ptr::eq(*x, *r)).count();
        let (group, after) = rest.split_at(run);
        rest = after;
        let mut header: Vec<String> = columns(r, options.wide).iter().map(|c| c.to_string()).collect();
        let with_ns = options.all_namespaces && r.namespaced;
        if with_ns {
            header.insert(0, "NAMESPACE".to_string());
        }
        for key in &options.label_columns {
            header.push(key.rsplit('/').next().unwrap_or_default().to_uppercase());
        }
        if options.show_labels {
            header.push("LABELS".to_string());
        }
        let mut rows = if options.no_headers { Vec::new() } else { vec![header] };
        for (_, o) in group {
            let mut cells = row(r, o, now, options.wide);
            if options.with_kind {
                if let Some(name) = name_column(r, options.wide).and_then(|i| cells.get_mut(i)) {
                    *name = format!("{}/{name}", r.kind_group());
                }
            }
            if with_ns {
                cells.insert(0, o["metadata"]["namespace"].as_str().unwrap_or_default().to_string());
            }
            let labels = &o["metadata"]["labels"];
            for key in &options.label_columns {
                cells.push(labels[key.as_str()].as_str().unwrap_or_default().to_string());
            }
            if options.show_labels {
                cells.push(super::workloads::format_labels(labels));
            }
            rows.push(cells.into_iter().map(printable).collect());
        }
        if written && !options.no_headers {
            k.print("\n");
        }
        written = true;
        k.print(&tabwrite(&rows));
    }
}

/// `kubectl delete TYPE NAME…` (and `TYPE/NAME`), `delete TYPE --all`,
/// `delete TYPE -l SELECTOR` and `delete -f FILE|-`.
#[inline(never)]
pub(super) fn delete(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let all = args.is_set(&["all"]);
    let selector = args.value(&["l", "selector"]).map(str::to_string);
    let field_selector = args.value(&["field-selector"]).filter(|f| !f.is_empty());
    let force = args.is_set(&["force"]);
    // kubectl's order: the flags' values (--cascade), then Complete (the
    // grace period kubectl sends, the dry run, the objects), then Validate.
    let cascade = cascade(k, args)?;
    let grace = deletion_grace(args)?;
    let dry = super::patch::dry_run(k, args)?;
    let raw = args.value(&["raw"]).filter(|r| !r.is_empty());
    if raw.is_none() && all && (selector.as_deref().is_some_and(|s| !s.is_empty()) || field_selector.is_some()) {
        return Err("error: setting 'all' parameter but found a non empty selector. \n".to_string());
    }
    let output = args.value(&["o", "output"]).unwrap_or_default();
    if !output.is_empty() && output != "name" {
        return Err(format!("error: unexpected -o output mode: {output}. We only support '-o name'\n"));
    }
    if all && selector.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err("error: cannot set --all and --selector at the same time\n".to_string());
    }
    if all && field_selector.is_some() {
        return Err("error: cannot set --all and --field-selector at the same time\n".to_string());
    }
    if force && grace == 0 {
        k.eprint("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    } else if force && grace > 0 {
        return Err("error: --force and --grace-period greater than 0 cannot be specified together\n".to_string());
    }
    if let Some(raw) = raw {
        let files = args.values(&["f", "filename"]);
        check_raw_write(args, raw, &files, false)?;
        return raw_write(k, RawMethod::Delete, raw, files.first().copied());
    }
    // The same options whether the objects are named or read from files.
    let mut query: Vec<String> = cascade.map(|policy| format!("propagationPolicy={policy}")).into_iter().collect();
    if grace >= 0 {
        query.push(format!("gracePeriodSeconds={grace}"));
    }
    let printed = Deleted { verb: if grace == 0 { "force deleted" } else { "deleted" }, name_only: output == "name" };
    if !args.values(&["f", "filename"]).is_empty() {
        return delete_files(k, args, dry, &query, printed);
    }
    if args.positional.is_empty() {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".to_string());
    }
    let Some((kind, mut names)) = super::type_and_names(k, args, delete)? else {
        return Ok(());
    };
    let r = resolve(&kind)?;
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    if all_namespaces && !names.is_empty() {
        return Err("error: a resource cannot be retrieved by name across all namespaces\n".to_string());
    }
    let mut targets: Vec<(Option<String>, String)> = Vec::new();
    if all || selector.is_some() {
        if !names.is_empty() {
            return Err("error: name cannot be provided when a selector is specified\n".to_string());
        }
        let namespace = k.namespace();
        let ns = (r.namespaced && !all_namespaces).then_some(namespace.as_str());
        for item in &list(k, r, ns, selector.as_deref(), args.value(&["field-selector"]))? {
            targets.push((
                item["metadata"]["namespace"].as_str().map(str::to_string),
                item["metadata"]["name"].as_str().unwrap_or_default().to_string(),
            ));
        }
        if targets.is_empty() {
            k.print("No resources found\n");
            return Ok(());
        }
        names.clear();
    } else if names.is_empty() {
        return Err("error: resource(s) were provided, but no name was specified\n".to_string());
    }
    let namespace = k.namespace();
    targets.extend(names.into_iter().map(|n| (Some(namespace.clone()), n)));
    let mut errors = String::new();
    let mut deleted = Vec::new();
    let ignore_not_found = args.is_set(&["ignore-not-found"]);
    for (ns, name) in targets {
        let ns = ns.unwrap_or_else(|| namespace.clone());
        let response = send_delete(k, r.object_path(Some(&ns), &name), &query, dry);
        if response.is_success() {
            printed.print(k, r, &name, dry);
            deleted.push(being_deleted(r, Some(ns), name, &response.body));
        } else if !(ignore_not_found && response.code == 404) {
            errors.push_str(&api_error(&response, None));
        }
    }
    wait_unless_failed(k, args, dry, errors, &deleted)
}

/// What `kubectl delete` waits for after deleting `name`: the object with
/// the uid the delete answered with (the object, or a Status's details).
fn being_deleted(
    r: &'static ResourceInfo,
    namespace: Option<String>,
    name: String,
    answer: &Value,
) -> super::wait::Target {
    let uid = answer["metadata"]["uid"].as_str().or(answer["details"]["uid"].as_str()).unwrap_or_default();
    super::wait::Target { r, namespace, name, object: Some(json!({"metadata": {"uid": uid}})) }
}

/// The end of `kubectl delete`: the errors, if a delete failed (kubectl
/// then does not wait); else, unless `--wait=false` or a dry run, the wait
/// until every deleted object is gone.
fn wait_unless_failed(
    k: &mut Kubectl<'_>,
    args: &Args,
    dry: super::patch::DryRun,
    errors: String,
    deleted: &[super::wait::Target],
) -> Result<(), String> {
    if !errors.is_empty() {
        return Err(errors);
    }
    if args.value(&["wait"]) == Some("false") || dry != super::patch::DryRun::None || deleted.is_empty() {
        return Ok(());
    }
    super::wait::until_deleted(k, args, deleted)
}

/// The grace period `kubectl delete` sends (-1: none, the object's own),
/// as its Complete makes it from `--grace-period`, `--now` and `--force`:
/// `--now` is 1 s, `0` without `--force` becomes 1, and `--force` alone
/// is 0.
fn deletion_grace(args: &Args) -> Result<i64, String> {
    let mut grace: i64 = match args.value(&["grace-period"]) {
        None => -1,
        Some(g) => g.parse().map_err(|_| {
            format!("error: invalid argument \"{g}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{g}\": value out of range\n")
        })?,
    };
    let force = args.is_set(&["force"]);
    if args.is_set(&["now"]) {
        if grace != -1 {
            return Err("error: --now and --grace-period cannot be specified together\n".to_string());
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    Ok(grace)
}

/// How `kubectl delete` reports a deleted object: `KIND "NAME" deleted`
/// (`force deleted` with a grace period of 0, and the dry run's suffix),
/// or `KIND/NAME` with `-o name`.
#[derive(Clone, Copy)]
pub(super) struct Deleted {
    /// `deleted` or `force deleted`.
    pub verb: &'static str,
    /// `-o name`.
    pub name_only: bool,
}

impl Deleted {
    pub(super) fn print(self, k: &mut Kubectl<'_>, r: &ResourceInfo, name: &str, dry: super::patch::DryRun) {
        if self.name_only {
            k.print(&format!("{}/{name}\n", r.kind_group()));
        } else {
            k.print(&format!("{} {name:?} {}{}\n", r.kind_group(), self.verb, dry.suffix()));
        }
    }
}

/// `--cascade`: background (kubectl's default, so sent as nothing),
/// foreground or orphan; the old boolean values with kubectl's warning.
pub(super) fn cascade(k: &mut Kubectl<'_>, args: &Args) -> Result<Option<&'static str>, String> {
    match args.value(&["cascade"]) {
        None | Some("background") => Ok(None),
        Some("foreground") => Ok(Some("Foreground")),
        Some("orphan") => Ok(Some("Orphan")),
        Some(value) => match super::cli::parse_bool(value) {
            Some(true) => {
                k.eprint("warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n");
                Ok(None)
            }
            Some(false) => {
                k.eprint("warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n");
                Ok(Some("Orphan"))
            }
            None => Err(format!(
                "error: invalid cascade value ({value}). Must be \"background\", \"foreground\", or \"orphan\"\n"
            )),
        },
    }
}

/// Deletes the object at `path`, or with a dry run only pretends to: the
/// client one reads the object (so a missing one is still an error) and
/// sends no delete; the server one asks the server to delete with
/// `dryRun=All`, which checks everything and removes nothing.
fn send_delete(
    k: &mut Kubectl<'_>,
    path: String,
    query: &[String],
    dry: super::patch::DryRun,
) -> saplay_cluster::api::Response {
    if dry == super::patch::DryRun::Client {
        return k.send(Request::get(path));
    }
    let mut query = query.to_vec();
    if dry == super::patch::DryRun::Server {
        query.push("dryRun=All".to_string());
    }
    if query.is_empty() {
        k.send(Request::delete(path))
    } else {
        k.send(Request::delete(format!("{path}?{}", query.join("&"))))
    }
}

/// `kubectl delete -f FILE|-`: each object of the manifests, by name.
fn delete_files(
    k: &mut Kubectl<'_>,
    args: &Args,
    dry: super::patch::DryRun,
    query: &[String],
    printed: Deleted,
) -> Result<(), String> {
    if !args.positional.is_empty() {
        return Err("error: resource(s) were provided, but no name was specified\n".to_string());
    }
    let sources = super::apply::read_sources(k, args)?;
    let ignore_not_found = args.is_set(&["ignore-not-found"]);
    let mut errors = String::new();
    let mut deleted = Vec::new();
    for (source, documents) in sources {
        for object in documents {
            let api_version = object["apiVersion"].as_str().unwrap_or_default();
            let kind = object["kind"].as_str().unwrap_or_default();
            let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
            let Some(r) = resource::by_kind(api_version, kind).filter(|r| !r.is_review()) else {
                let namespace = object["metadata"]["namespace"].as_str().unwrap_or_default();
                errors.push_str(&format!(
                    "error: resource mapping not found for name: {name:?} namespace: {namespace:?} from {source:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first\n"
                ));
                continue;
            };
            let namespace = if r.namespaced {
                let ns = object["metadata"]["namespace"].as_str().map(str::to_string).unwrap_or_else(|| k.namespace());
                if let Some(explicit) = &k.globals.namespace {
                    if *explicit != ns {
                        return Err(format!(
                            "error: the namespace from the provided object {ns:?} does not match the namespace {explicit:?}. You must pass '--namespace={ns}' to perform this operation.\n"
                        ));
                    }
                }
                Some(ns)
            } else {
                None
            };
            let response = send_delete(k, r.object_path(namespace.as_deref(), &name), query, dry);
            if response.is_success() {
                printed.print(k, r, &name, dry);
                deleted.push(being_deleted(r, namespace, name, &response.body));
            } else if !(ignore_not_found && response.code == 404) {
                errors.push_str(&super::api_error_when(&response, Some(("deleting", &source))));
            }
        }
    }
    wait_unless_failed(k, args, dry, errors, &deleted)
}

/// The items of `r` in `ns` (all namespaces when `None`), optionally
/// filtered by a label selector, as `kubectl get`/`delete` list them.
pub(super) fn list(
    k: &mut Kubectl<'_>,
    r: &ResourceInfo,
    ns: Option<&str>,
    selector: Option<&str>,
    fields: Option<&str>,
) -> Result<Vec<Value>, String> {
    let mut query = Vec::new();
    if let Some(sel) = selector {
        query.push(format!("labelSelector={}", encode_selector(sel)));
    }
    if let Some(sel) = fields.filter(|f| !f.is_empty()) {
        query.push(format!("fieldSelector={}", encode_selector(sel)));
    }
    let mut path = r.collection_path(ns);
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query.join("&"));
    }
    let mut response = k.send(Request::get(path));
    if !response.is_success() {
        // The resource builder's EnhanceListError: a bad request or a
        // missing resource names what was listed, with the selectors.
        if matches!(response.code, 400 | 404) {
            let subject = format!("{}/{}, Resource={}", r.group, r.version, r.plural);
            let (labels, fields) = (selector.unwrap_or_default(), fields.unwrap_or_default());
            let message = response.body["message"].as_str().unwrap_or_default().to_string();
            response.body["message"] = json!(if labels.is_empty() && fields.is_empty() {
                format!("Unable to list {subject:?}: {message}")
            } else {
                format!(
                    "Unable to find {subject:?} that match label selector {labels:?}, field selector {fields:?}: {message}"
                )
            });
        }
        return Err(api_error(&response, None));
    }
    Ok(response.body["items"].as_array().cloned().unwrap_or_default())
}
