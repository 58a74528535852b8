//! `kubectl get` and `kubectl delete`.

use saplay_cluster::api::Request;
use saplay_cluster::resource::{self, ResourceInfo};
use serde_json::{json, Value};

use super::output::{self, Format};
use super::printers::{self, human_duration, tabwrite};
use super::{api_error, created_at, Args, Kubectl};

fn resolve(name: &str) -> Result<&'static ResourceInfo, String> {
    resource::lookup(name)
        .filter(|r| !r.is_review())
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{name}\"\n"))
}

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

/// printPod's STATUS and RESTARTS: the phase or the pod's reason, then the
/// first unfinished init container (`Init:0/1`, `Init:Reason`), then the
/// containers' waiting or terminated reasons (`Completed`,
/// `CrashLoopBackOff`, `ExitCode:1`), `Terminating` while being deleted.
fn pod_status(pod: &Value) -> (String, i64) {
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
    let mut restarts = 0;
    let mut initializing = false;
    let inits = status["initContainerStatuses"].as_array().cloned().unwrap_or_default();
    let init_specs = pod["spec"]["initContainers"].as_array().cloned().unwrap_or_default();
    for (i, c) in inits.iter().enumerate() {
        restarts += c["restartCount"].as_i64().unwrap_or(0);
        let state = &c["state"];
        let sidecar = init_specs.iter().any(|s| s["name"] == c["name"] && s["restartPolicy"] == "Always");
        if state["terminated"].is_object() && state["terminated"]["exitCode"].as_i64().unwrap_or(0) == 0 {
            continue;
        }
        if sidecar && c["started"] == true {
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
        restarts = 0;
        let mut running = false;
        let statuses = status["containerStatuses"].as_array().cloned().unwrap_or_default();
        for c in statuses.iter().rev() {
            restarts += c["restartCount"].as_i64().unwrap_or(0);
            let state = &c["state"];
            if let Some(r) = state["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if let Some(r) = state["terminated"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if state["terminated"].is_object() {
                reason = exit(&state["terminated"], "");
            } else if c["ready"] == true && state["running"].is_object() {
                running = true;
            }
        }
        if reason == "Completed" && running {
            let ready = conditions.iter().any(|c| c["type"] == "Ready" && c["status"] == "True");
            reason = if ready { "Running" } else { "NotReady" }.to_string();
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
    (reason, restarts)
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
        "Pod" => pod_row(o, name, age, wide),
        "Role" | "ClusterRole" => vec![name, s(&o["metadata"]["creationTimestamp"])],
        "RoleBinding" | "ClusterRoleBinding" => binding_row(o, name, age, wide),
        _ => workload_row(r, o, now, wide, name, age),
    }
}

#[inline(never)]
fn node_row(o: &Value, name: String, age: String, wide: bool) -> Vec<String> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let ready = super::workloads::has_condition(o, "Ready");
    let roles: Vec<String> = o["metadata"]["labels"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(str::to_string))
        .collect();
    let roles = if roles.is_empty() { "<none>".to_string() } else { roles.join(",") };
    let mut cells = vec![
        name,
        if ready { "Ready" } else { "NotReady" }.to_string(),
        roles,
        age,
        s(&o["status"]["nodeInfo"]["kubeletVersion"]),
    ];
    if wide {
        let ip = o["status"]["addresses"].as_array().into_iter().flatten().find(|a| a["type"] == "InternalIP");
        cells.extend([
            ip.map(|a| s(&a["address"])).unwrap_or_else(|| "<none>".to_string()),
            "<none>".to_string(),
            s(&o["status"]["nodeInfo"]["osImage"]),
            s(&o["status"]["nodeInfo"]["kernelVersion"]),
            s(&o["status"]["nodeInfo"]["containerRuntimeVersion"]),
        ]);
    }
    cells
}

#[inline(never)]
fn pod_row(o: &Value, name: String, age: String, wide: bool) -> Vec<String> {
    let statuses = o["status"]["containerStatuses"].as_array().cloned().unwrap_or_default();
    let total = o["spec"]["containers"].as_array().map(Vec::len).unwrap_or(0);
    let ready = statuses.iter().filter(|c| c["ready"] == true).count();
    let (status, restarts) = pod_status(o);
    let mut cells = vec![name, format!("{ready}/{total}"), status, restarts.to_string(), age];
    if wide {
        let or_none = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| "<none>".to_string());
        cells.extend([
            or_none(&o["status"]["podIP"]),
            or_none(&o["spec"]["nodeName"]),
            or_none(&o["status"]["nominatedNodeName"]),
            readiness_gates(o),
        ]);
    }
    cells
}

/// The READINESS GATES cell: gates whose condition is True, of all.
fn readiness_gates(pod: &Value) -> String {
    let gates: Vec<&Value> = pod["spec"]["readinessGates"].as_array().into_iter().flatten().collect();
    if gates.is_empty() {
        return "<none>".to_string();
    }
    let conditions: Vec<&Value> = pod["status"]["conditions"].as_array().into_iter().flatten().collect();
    let met = gates
        .iter()
        .filter(|g| conditions.iter().any(|c| c["type"] == g["conditionType"] && c["status"] == "True"))
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
    if args.positional.is_empty() {
        return Err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".to_string());
    }
    // TYPE/NAME form: every argument names its type; several types are
    // listed one pair at a time.
    let Some((kinds, names)) = super::type_and_names(k, args, run)? else {
        return Ok(());
    };
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    if all_namespaces && !names.is_empty() {
        return Err("error: a resource cannot be retrieved by name across all namespaces\n".to_string());
    }
    let format = output::parse_format(args, output::GET_FORMATS, "get", &|p| k.read_file(p))?;
    let wide = matches!(format, Format::Wide);
    let show_labels = args.is_set(&["show-labels"]);
    let no_headers = args.is_set(&["no-headers"]);
    let selector = args.value(&["l", "selector"]).map(str::to_string);
    let namespace = k.namespace();
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
    let mut items: Vec<(&ResourceInfo, Value)> = Vec::new();
    let mut errors = String::new();
    for r in &resources {
        let ns = (r.namespaced && !all_namespaces).then_some(namespace.as_str());
        if names.is_empty() {
            for item in list(k, r, ns, selector.as_deref(), args.value(&["field-selector"]))? {
                items.push((r, item));
            }
        } else {
            for name in &names {
                let response = k.send(Request::get(r.object_path(ns.or(Some(&namespace)), name)));
                if response.is_success() {
                    items.push((r, response.body));
                } else {
                    errors.push_str(&api_error(&response, None));
                }
            }
        }
    }
    let single = names.len() == 1 && resources.len() == 1;
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
            print_tables(k, &items, &resources, all_namespaces, wide, show_labels, no_headers)
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
            if let Some(text) = output::render(other, &object) {
                match text {
                    Ok(text) => k.print(&text),
                    Err(e) => errors.push_str(&e),
                }
            }
        }
        _ => {}
    }
    if human && items.is_empty() && errors.is_empty() && names.is_empty() {
        // kubectl names the namespace even for cluster-scoped kinds, and
        // drops the full stop with -A.
        if all_namespaces {
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
    let bare = path.split('?').next().unwrap_or_default().trim_end_matches('/');
    let text = match bare {
        // Written by their own handlers: no newline after the JSON.
        "/version" => printers::ordered_json(&response.body, Some(2)),
        "/openid/v1/jwks" | "/.well-known/openid-configuration" => printers::ordered_json(&response.body, None),
        _ => printers::ordered_json(&response.body, None) + "\n",
    };
    k.print(&text);
    Ok(())
}

fn print_tables(
    k: &mut Kubectl<'_>,
    items: &[(&ResourceInfo, Value)],
    resources: &[&ResourceInfo],
    all_namespaces: bool,
    wide: bool,
    show_labels: bool,
    no_headers: bool,
) {
    let now = k.now_seconds();
    let several = resources.len() > 1;
    let mut first = true;
    for r in resources {
        let mine: Vec<&Value> = items.iter().filter(|(x, _)| x == r).map(|(_, o)| o).collect();
        if mine.is_empty() {
            continue;
        }
        let mut header: Vec<String> = columns(r, wide).iter().map(|c| c.to_string()).collect();
        let with_ns = all_namespaces && r.namespaced;
        if with_ns {
            header.insert(0, "NAMESPACE".to_string());
        }
        if show_labels {
            header.push("LABELS".to_string());
        }
        let mut rows = if no_headers { Vec::new() } else { vec![header] };
        for o in mine {
            let mut cells = row(r, o, now, wide);
            if several {
                if let Some(name) = cells.first_mut() {
                    *name = format!("{}/{name}", r.kind_group());
                }
            }
            if with_ns {
                cells.insert(0, o["metadata"]["namespace"].as_str().unwrap_or_default().to_string());
            }
            if show_labels {
                let labels: Vec<String> = o["metadata"]["labels"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect();
                cells.push(if labels.is_empty() { "<none>".to_string() } else { labels.join(",") });
            }
            rows.push(cells);
        }
        if !first {
            k.print("\n");
        }
        first = false;
        k.print(&tabwrite(&rows));
    }
}

/// `kubectl delete TYPE NAME…` (and `TYPE/NAME`), `delete TYPE --all`,
/// `delete TYPE -l SELECTOR` and `delete -f FILE|-`.
#[inline(never)]
pub(super) fn delete(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let all = args.is_set(&["all"]);
    let selector = args.value(&["l", "selector"]).map(str::to_string);
    if all && selector.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err("error: setting 'all' parameter but found a non empty selector. \n".to_string());
    }
    if args.is_set(&["now"]) && args.value(&["grace-period"]).is_some() {
        return Err("error: --now and --grace-period cannot be specified together\n".to_string());
    }
    let cascade = cascade(k, args)?;
    let dry = super::patch::dry_run(k, args)?;
    if !args.values(&["f", "filename"]).is_empty() {
        return delete_files(k, args, dry);
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
    let mut query: Vec<String> = cascade.map(|policy| format!("propagationPolicy={policy}")).into_iter().collect();
    if let Some(grace) = args.value(&["grace-period"]) {
        let g: i64 = grace.parse().map_err(|_| format!("error: invalid argument \"{grace}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{grace}\": invalid syntax\n"))?;
        let force = args.is_set(&["force"]);
        if g == 0 && !force {
            return Err("error: --grace-period=0 must have --force specified\n".to_string());
        }
        if force {
            k.eprint("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
        }
        query.push(format!("gracePeriodSeconds={}", if g == 0 && force { 0 } else { g }));
    }
    let mut errors = String::new();
    let ignore_not_found = args.is_set(&["ignore-not-found"]);
    for (ns, name) in &targets {
        let path = r.object_path(ns.as_deref().or(Some(&namespace)), name);
        let response = send_delete(k, path, &query, dry);
        if response.is_success() {
            let forced = args.is_set(&["force"]) && args.value(&["grace-period"]) == Some("0");
            let verb = if forced { "force deleted" } else { "deleted" };
            k.print(&format!("{} {name:?} {verb}{}\n", r.kind_group(), dry.suffix()));
        } else if !(ignore_not_found && response.code == 404) {
            errors.push_str(&api_error(&response, None));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `--cascade`: background (kubectl's default, so sent as nothing),
/// foreground or orphan; the old boolean values with kubectl's warning.
fn cascade(k: &mut Kubectl<'_>, args: &Args) -> Result<Option<&'static str>, String> {
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
fn delete_files(k: &mut Kubectl<'_>, args: &Args, dry: super::patch::DryRun) -> Result<(), String> {
    if !args.positional.is_empty() {
        return Err("error: resource(s) were provided, but no name was specified\n".to_string());
    }
    let sources = super::apply::read_sources(k, args)?;
    let ignore_not_found = args.is_set(&["ignore-not-found"]);
    let mut errors = String::new();
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
            let response = send_delete(k, r.object_path(namespace.as_deref(), &name), &[], dry);
            if response.is_success() {
                k.print(&format!("{} {name:?} deleted{}\n", r.kind_group(), dry.suffix()));
            } else if !(ignore_not_found && response.code == 404) {
                errors.push_str(&api_error(&response, Some(&source)).replacen(
                    "error when creating",
                    "error when deleting",
                    1,
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The items of `r` in `ns` (all namespaces when `None`), optionally
/// filtered by a label selector, as `kubectl get`/`delete` list them.
fn list(
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
    let response = k.send(Request::get(path));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    Ok(response.body["items"].as_array().cloned().unwrap_or_default())
}
