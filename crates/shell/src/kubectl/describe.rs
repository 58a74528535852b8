//! `kubectl describe` for every kind the cluster serves, in kubectl v1.32's
//! layouts: one object, several names, all of a type, `-l`, `-A`, and
//! kubectl's prefix match when a single name does not exist.

use saplay_cluster::api::Request;
use serde_json::Value;

use super::printers::{go_tabwriter, rule_rows, tabwrite_with};
use super::{api_error, Args, Kubectl};

/// `kubectl describe TYPE [NAME…]`, `TYPE/NAME`, `-l SELECTOR`, `-A`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if args.positional.is_empty() {
        return Err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".to_string());
    }
    // TYPE/NAME arguments may name several types at once.
    if let Some(pairs) = super::type_name_pairs(&args.positional)? {
        let mut first = true;
        let mut errors = String::new();
        for (kind, name) in pairs {
            let sub = Args { positional: vec![kind, name], flags: args.flags.clone() };
            if let Err(e) = describe_named(k, &sub, &mut first) {
                errors.push_str(&e);
            }
        }
        return if errors.is_empty() { Ok(()) } else { Err(errors) };
    }
    describe_named(k, args, &mut true)
}

/// `kubectl describe TYPE [NAME…]`.
fn describe_named(k: &mut Kubectl<'_>, args: &Args, first: &mut bool) -> Result<(), String> {
    let Some((kind, names)) = args.positional.split_first() else {
        return Ok(());
    };
    let names = names.to_vec();
    let r = super::patch::resolve(kind)?;
    let selector = args.value(&["l", "selector"]).map(str::to_string);
    if selector.is_some() && !names.is_empty() {
        return Err("error: name cannot be provided when a selector is specified\n".to_string());
    }
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    if all_namespaces && !names.is_empty() {
        return Err("error: a resource cannot be retrieved by name across all namespaces\n".to_string());
    }
    let namespace = k.namespace();
    let mut objects: Vec<Value> = Vec::new();
    let mut errors = String::new();
    if names.is_empty() {
        let ns = (r.namespaced && !all_namespaces).then_some(namespace.as_str());
        let mut path = r.collection_path(ns);
        if let Some(sel) = &selector {
            path.push_str(&format!("?labelSelector={}", super::get::encode_selector(sel)));
        }
        let response = k.send(Request::get(path));
        if !response.is_success() {
            return Err(api_error(&response, None));
        }
        objects = response.body["items"].as_array().cloned().unwrap_or_default();
        if objects.is_empty() {
            if all_namespaces {
                k.eprint("No resources found\n");
            } else {
                k.eprint(&format!("No resources found in {namespace} namespace.\n"));
            }
            return Ok(());
        }
    } else {
        for name in &names {
            let response = k.send(Request::get(r.object_path(Some(&namespace), name)));
            if response.is_success() {
                objects.push(response.body);
                continue;
            }
            // One name that does not exist: kubectl describes every object
            // whose name starts with it.
            if response.code == 404 && names.len() == 1 {
                let list = k.send(Request::get(r.collection_path(r.namespaced.then_some(namespace.as_str()))));
                let matching: Vec<Value> = list.body["items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|o| o["metadata"]["name"].as_str().is_some_and(|n| n.starts_with(name.as_str())))
                    .cloned()
                    .collect();
                if !matching.is_empty() {
                    objects.extend(matching);
                    continue;
                }
            }
            errors.push_str(&api_error(&response, None));
        }
    }
    for object in &objects {
        if !*first {
            k.print("\n\n");
        }
        *first = false;
        describe_one(k, r.kind, object);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn describe_one(k: &mut Kubectl<'_>, kind: &str, object: &Value) {
    match kind {
        "ServiceAccount" => {
            let ns = object["metadata"]["namespace"].as_str().unwrap_or_default().to_string();
            let secrets = k.send(Request::get(format!("/api/v1/namespaces/{ns}/secrets")));
            describe_service_account(k, object, &secrets.body);
        }
        "Secret" => describe_secret(k, object),
        "Role" | "ClusterRole" => describe_role(k, object),
        "RoleBinding" | "ClusterRoleBinding" => describe_binding(k, object),
        "Pod" => {
            let now = k.now_seconds();
            let events = events_for(k, kind, object);
            let text = describe_pod(object, &events, now);
            k.print(&text);
        }
        "ConfigMap" => k.print(&describe_config_map(object)),
        "Service" => {
            let ns = text(&object["metadata"]["namespace"]).to_string();
            let pods = k.send(Request::get(format!("/api/v1/namespaces/{ns}/pods")));
            let now = k.now_seconds();
            let events = events_for(k, kind, object);
            k.print(&super::workloads::with_events(describe_service(object, &pods.body), &events, now));
        }
        "Namespace" => k.print(&describe_namespace(object)),
        "Node" => {
            let pods = k.send(Request::get("/api/v1/pods"));
            let now = k.now_seconds();
            let events = events_for(k, kind, object);
            k.print(&describe_node(object, &pods.body, &events, now));
        }
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" => {
            let text = super::describe_workloads::describe(k, kind, object);
            k.print(&text);
        }
        _ => {}
    }
}

/// A string field, or "".
pub(super) fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// An API timestamp in Go's RFC 1123 with numeric zone:
/// `Wed, 01 Jan 2025 00:00:00 +0000`.
pub(super) fn rfc1123z(timestamp: &Value) -> String {
    let Ok(time) = serde_json::from_value::<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>(timestamp.clone())
    else {
        return String::new();
    };
    time.0.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// kubectl's `printLabelsMultiline`, as tab-separated text.
pub(super) fn labels_text(title: &str, labels: &Value) -> String {
    let mut out = format!("{title}:\t");
    let lines = map_lines(labels, "=", &[]);
    if lines.is_empty() {
        out.push_str("<none>\n");
    }
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// kubectl's `printAnnotationsMultiline`: long or multi-line values go on
/// their own lines, each cut at 140 characters.
fn annotations_text(annotations: &Value) -> String {
    titled_annotations("Annotations", annotations)
}

/// [`annotations_text`] under another title (`  Annotations` in a pod
/// template).
pub(super) fn titled_annotations(title: &str, annotations: &Value) -> String {
    const MAX: usize = 140;
    let mut out = format!("{title}:\t");
    let mut entries: Vec<(&String, &str)> = annotations
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| key.as_str() != super::apply::LAST_APPLIED)
        .map(|(key, value)| (key, value.as_str().unwrap_or_default()))
        .collect();
    entries.sort();
    if entries.is_empty() {
        out.push_str("<none>\n");
    }
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX || value.contains('\n') {
            out.push_str(&format!("{key}:\n"));
            for line in value.split('\n') {
                let shown = if line.len() > MAX - 2 {
                    let cut: String = line.chars().take(MAX - 2).collect();
                    format!("{cut}...")
                } else {
                    line.to_string()
                };
                out.push_str(&format!("\t  {shown}\n"));
            }
        } else {
            out.push_str(&format!("{key}: {value}\n"));
        }
    }
    out
}

/// The Events about `object` (kubectl's searchEvents: by the involved
/// object's name, namespace, kind and uid).
pub(super) fn events_for(k: &mut Kubectl<'_>, kind: &str, object: &Value) -> Vec<Value> {
    let meta = &object["metadata"];
    let mut selector = format!("involvedObject.name={},involvedObject.kind={kind}", text(&meta["name"]));
    let path = match meta["namespace"].as_str().filter(|n| !n.is_empty()) {
        Some(ns) => {
            selector.push_str(&format!(",involvedObject.namespace={ns}"));
            format!("/api/v1/namespaces/{ns}/events")
        }
        None => "/api/v1/events".to_string(),
    };
    if let Some(uid) = meta["uid"].as_str() {
        selector.push_str(&format!(",involvedObject.uid={uid}"));
    }
    let response = k.send(Request::get(format!("{path}?fieldSelector={}", super::get::encode_selector(&selector))));
    response.body["items"].as_array().cloned().unwrap_or_default()
}

fn describe_pod(pod: &Value, events: &[Value], now: i64) -> String {
    let meta = &pod["metadata"];
    let spec = &pod["spec"];
    let status = &pod["status"];
    let mut w = String::new();
    w.push_str(&format!("Name:\t{}\n", text(&meta["name"])));
    w.push_str(&format!("Namespace:\t{}\n", text(&meta["namespace"])));
    if let Some(priority) = spec["priority"].as_i64() {
        w.push_str(&format!("Priority:\t{priority}\n"));
    }
    if let Some(class) = spec["priorityClassName"].as_str().filter(|c| !c.is_empty()) {
        w.push_str(&format!("Priority Class Name:\t{class}\n"));
    }
    if let Some(class) = spec["runtimeClassName"].as_str().filter(|c| !c.is_empty()) {
        w.push_str(&format!("Runtime Class Name:\t{class}\n"));
    }
    if let Some(sa) = spec["serviceAccountName"].as_str().filter(|s| !s.is_empty()) {
        w.push_str(&format!("Service Account:\t{sa}\n"));
    }
    match spec["nodeName"].as_str().filter(|n| !n.is_empty()) {
        Some(node) => w.push_str(&format!("Node:\t{node}/{}\n", text(&status["hostIP"]))),
        None => w.push_str("Node:\t<none>\n"),
    }
    if status["startTime"].is_string() {
        w.push_str(&format!("Start Time:\t{}\n", rfc1123z(&status["startTime"])));
    }
    w.push_str(&labels_text("Labels", &meta["labels"]));
    w.push_str(&annotations_text(&meta["annotations"]));
    let phase = text(&status["phase"]);
    if meta["deletionTimestamp"].is_string() && phase != "Failed" && phase != "Succeeded" {
        let until = meta["deletionTimestamp"].as_str().and_then(super::parse_timestamp).unwrap_or(now) - now;
        w.push_str(&format!("Status:\tTerminating (lasts {})\n", super::printers::human_duration(until)));
        if let Some(grace) = meta["deletionGracePeriodSeconds"].as_i64() {
            w.push_str(&format!("Termination Grace Period:\t{grace}s\n"));
        }
    } else {
        w.push_str(&format!("Status:\t{phase}\n"));
    }
    for (label, key) in [("Reason", "reason"), ("Message", "message")] {
        if let Some(value) = status[key].as_str().filter(|v| !v.is_empty()) {
            w.push_str(&format!("{label}:\t{value}\n"));
        }
    }
    let seccomp = &spec["securityContext"]["seccompProfile"];
    if seccomp.is_object() {
        w.push_str(&format!("SeccompProfile:\t{}\n", text(&seccomp["type"])));
        if seccomp["type"] == "Localhost" {
            w.push_str(&format!("LocalhostProfile:\t{}\n", text(&seccomp["localhostProfile"])));
        }
    }
    w.push_str(&format!("IP:\t{}\n", text(&status["podIP"])));
    let ips: Vec<&str> = status["podIPs"].as_array().into_iter().flatten().map(|i| text(&i["ip"])).collect();
    if ips.is_empty() {
        w.push_str("IPs:\t<none>\n");
    } else {
        w.push_str("IPs:\n");
        for ip in ips {
            w.push_str(&format!("  IP:\t{ip}\n"));
        }
    }
    if let Some(owner) = controller_of(pod) {
        w.push_str(&format!("Controlled By:\t{owner}\n"));
    }
    if let Some(node) = status["nominatedNodeName"].as_str().filter(|n| !n.is_empty()) {
        w.push_str(&format!("NominatedNodeName:\t{node}\n"));
    }
    for (label, containers, statuses) in [
        ("Init Containers", &spec["initContainers"], &status["initContainerStatuses"]),
        ("Containers", &spec["containers"], &status["containerStatuses"]),
    ] {
        let Some(containers) = containers.as_array().filter(|c| !c.is_empty() || label == "Containers") else {
            continue;
        };
        let none = if containers.is_empty() { " <none>" } else { "" };
        w.push_str(&format!("{label}:{none}\n"));
        for container in containers {
            let name = text(&container["name"]);
            let state = statuses.as_array().into_iter().flatten().find(|s| s["name"] == name);
            describe_container(&mut w, container, state, Some(pod));
        }
    }
    if let Some(gates) = spec["readinessGates"].as_array().filter(|g| !g.is_empty()) {
        w.push_str("Readiness Gates:\n  Type\tStatus\n");
        for gate in gates {
            let kind = text(&gate["conditionType"]);
            let found = status["conditions"].as_array().into_iter().flatten().find(|c| c["type"] == kind);
            let state = found.map_or("<none>", |c| text(&c["status"]));
            w.push_str(&format!("  {kind} \t{state} \n"));
        }
    }
    if let Some(conditions) = status["conditions"].as_array().filter(|c| !c.is_empty()) {
        w.push_str("Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.push_str(&format!("  {} \t{} \n", text(&c["type"]), text(&c["status"])));
        }
    }
    describe_volumes(&mut w, &spec["volumes"], "");
    w.push_str(&format!("QoS Class:\t{}\n", text(&status["qosClass"])));
    w.push_str(&labels_text("Node-Selectors", &spec["nodeSelector"]));
    w.push_str(&tolerations_text("", &spec["tolerations"]));
    super::workloads::with_events(w, events, now)
}

/// printController: `Kind/name` of the owner reference marked controller.
fn controller_of(object: &Value) -> Option<String> {
    object["metadata"]["ownerReferences"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["controller"] == true)
        .map(|o| format!("{}/{}", text(&o["kind"]), text(&o["name"])))
}

/// One container as kubectl's describeContainers prints it; `pod` (absent
/// for a pod template) resolves `fieldRef` values.
pub(super) fn describe_container(w: &mut String, container: &Value, status: Option<&Value>, pod: Option<&Value>) {
    w.push_str(&format!("  {}:\n", text(&container["name"])));
    if let Some(s) = status {
        w.push_str(&format!("    Container ID:\t{}\n", text(&s["containerID"])));
    }
    w.push_str(&format!("    Image:\t{}\n", text(&container["image"])));
    if let Some(s) = status {
        w.push_str(&format!("    Image ID:\t{}\n", text(&s["imageID"])));
    }
    let ports: Vec<&Value> = container["ports"].as_array().into_iter().flatten().collect();
    let protocol = |p: &Value| p["protocol"].as_str().unwrap_or("TCP").to_string();
    let container_ports: Vec<String> =
        ports.iter().map(|p| format!("{}/{}", p["containerPort"].as_i64().unwrap_or(0), protocol(p))).collect();
    let host_ports: Vec<String> =
        ports.iter().map(|p| format!("{}/{}", p["hostPort"].as_i64().unwrap_or(0), protocol(p))).collect();
    let or_none = |v: &[String]| if v.is_empty() { "<none>".to_string() } else { v.join(", ") };
    let label = if container_ports.len() > 1 { "Ports" } else { "Port" };
    w.push_str(&format!("    {label}:\t{}\n", or_none(&container_ports)));
    let label = if host_ports.len() > 1 { "Host Ports" } else { "Host Port" };
    w.push_str(&format!("    {label}:\t{}\n", or_none(&host_ports)));
    for (label, key) in [("Command", "command"), ("Args", "args")] {
        if let Some(words) = container[key].as_array().filter(|a| !a.is_empty()) {
            w.push_str(&format!("    {label}:\n"));
            for word in words {
                for line in text(word).split('\n') {
                    w.push_str(&format!("      {line}\n"));
                }
            }
        }
    }
    if let Some(s) = status {
        container_state(w, "State", &s["state"]);
        if s["lastState"]["terminated"].is_object() {
            container_state(w, "Last State", &s["lastState"]);
        }
        let ready = if s["ready"] == true { "True" } else { "False" };
        w.push_str(&format!("    Ready:\t{ready}\n"));
        w.push_str(&format!("    Restart Count:\t{}\n", s["restartCount"].as_i64().unwrap_or(0)));
    }
    for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
        if let Some(map) = container["resources"][key].as_object().filter(|m| !m.is_empty()) {
            w.push_str(&format!("    {title}:\n"));
            for (name, quantity) in map {
                w.push_str(&format!("      {name}:\t{}\n", quantity_text(quantity)));
            }
        }
    }
    for (title, key) in [("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")] {
        if container[key].is_object() {
            w.push_str(&format!("    {title}:\t{}\n", probe_text(&container[key])));
        }
    }
    let env_from: Vec<&Value> = container["envFrom"].as_array().into_iter().flatten().collect();
    if !env_from.is_empty() {
        w.push_str("    Environment Variables from:\n");
        for source in env_from {
            let (reference, from) = if source["configMapRef"].is_object() {
                (&source["configMapRef"], "ConfigMap")
            } else if source["secretRef"].is_object() {
                (&source["secretRef"], "Secret")
            } else {
                (&Value::Null, "")
            };
            let optional = reference["optional"].as_bool().unwrap_or(false);
            let name = text(&reference["name"]);
            match source["prefix"].as_str().filter(|p| !p.is_empty()) {
                Some(prefix) => {
                    w.push_str(&format!("      {name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"))
                }
                None => w.push_str(&format!("      {name}\t{from}\tOptional: {optional}\n")),
            }
        }
    }
    let env: Vec<&Value> = container["env"].as_array().into_iter().flatten().collect();
    if env.is_empty() {
        w.push_str("    Environment:\t<none>\n");
    } else {
        w.push_str("    Environment:\n");
        for e in env {
            let name = text(&e["name"]);
            let from = &e["valueFrom"];
            if from.is_null() {
                for (i, line) in text(&e["value"]).split('\n').enumerate() {
                    if i == 0 {
                        w.push_str(&format!("      {name}:\t{line}\n"));
                    } else {
                        w.push_str(&format!("      \t{line}\n"));
                    }
                }
            } else if from["fieldRef"].is_object() {
                let field = &from["fieldRef"];
                let path = text(&field["fieldPath"]);
                // kubectl resolves only what its scheme converts for a pod:
                // the name and the namespace (not in a pod template).
                let value = match (pod, path) {
                    (Some(pod), "metadata.name" | "metadata.namespace") => {
                        text(&pod["metadata"][path.trim_start_matches("metadata.")])
                    }
                    _ => "",
                };
                w.push_str(&format!("      {name}:\t{value} ({}:{path})\n", text(&field["apiVersion"])));
            } else if from["resourceFieldRef"].is_object() {
                let field = &from["resourceFieldRef"];
                let resource = text(&field["resource"]);
                let value = resource_field_value(container, field);
                w.push_str(&format!("      {name}:\t{value} ({resource})\n"));
            } else if from["secretKeyRef"].is_object() {
                let reference = &from["secretKeyRef"];
                w.push_str(&format!(
                    "      {name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    text(&reference["key"]),
                    text(&reference["name"]),
                    reference["optional"].as_bool().unwrap_or(false)
                ));
            } else if from["configMapKeyRef"].is_object() {
                let reference = &from["configMapKeyRef"];
                w.push_str(&format!(
                    "      {name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    text(&reference["key"]),
                    text(&reference["name"]),
                    reference["optional"].as_bool().unwrap_or(false)
                ));
            }
        }
    }
    let mut mounts: Vec<&Value> = container["volumeMounts"].as_array().into_iter().flatten().collect();
    if mounts.is_empty() {
        w.push_str("    Mounts:\t<none>\n");
        return;
    }
    mounts.sort_by_key(|m| text(&m["mountPath"]).to_string());
    w.push_str("    Mounts:\n");
    for m in mounts {
        let mut flags = vec![if m["readOnly"] == true { "ro".to_string() } else { "rw".to_string() }];
        if let Some(sub) = m["subPath"].as_str().filter(|s| !s.is_empty()) {
            flags.push(format!("path={sub:?}"));
        }
        w.push_str(&format!("      {} from {} ({})\n", text(&m["mountPath"]), text(&m["name"]), flags.join(",")));
    }
}

/// describeStatus: a container state (`State`, `Last State`).
fn container_state(w: &mut String, title: &str, state: &Value) {
    if state["running"].is_object() {
        w.push_str(&format!("    {title}:\tRunning\n"));
        w.push_str(&format!("      Started:\t{}\n", rfc1123z(&state["running"]["startedAt"])));
    } else if state["waiting"].is_object() {
        w.push_str(&format!("    {title}:\tWaiting\n"));
        if let Some(reason) = state["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
            w.push_str(&format!("      Reason:\t{reason}\n"));
        }
    } else if state["terminated"].is_object() {
        let t = &state["terminated"];
        w.push_str(&format!("    {title}:\tTerminated\n"));
        if let Some(reason) = t["reason"].as_str().filter(|r| !r.is_empty()) {
            w.push_str(&format!("      Reason:\t{reason}\n"));
        }
        if let Some(message) = t["message"].as_str().filter(|m| !m.is_empty()) {
            w.push_str(&format!("      Message:\t{message}\n"));
        }
        w.push_str(&format!("      Exit Code:\t{}\n", t["exitCode"].as_i64().unwrap_or(0)));
        if let Some(signal) = t["signal"].as_i64().filter(|s| *s > 0) {
            w.push_str(&format!("      Signal:\t{signal}\n"));
        }
        w.push_str(&format!("      Started:\t{}\n", rfc1123z(&t["startedAt"])));
        w.push_str(&format!("      Finished:\t{}\n", rfc1123z(&t["finishedAt"])));
    } else {
        w.push_str(&format!("    {title}:\tWaiting\n"));
    }
}

/// A resource quantity as stored (a string, or a bare number).
fn quantity_text(quantity: &Value) -> String {
    match quantity {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// kubectl's DescribeProbe: `http-get http://:8080/healthz delay=0s …`.
fn probe_text(probe: &Value) -> String {
    let int = |key: &str| probe[key].as_i64().unwrap_or(0);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int("initialDelaySeconds"),
        int("timeoutSeconds"),
        int("periodSeconds"),
        int("successThreshold"),
        int("failureThreshold")
    );
    let port = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    if probe["exec"].is_object() {
        let words: Vec<String> =
            probe["exec"]["command"].as_array().into_iter().flatten().map(|c| text(c).to_string()).collect();
        format!("exec [{}] {attrs}", words.join(" "))
    } else if probe["httpGet"].is_object() {
        let get = &probe["httpGet"];
        let scheme = text(&get["scheme"]).to_lowercase();
        let host = text(&get["host"]);
        let port = port(&get["port"]);
        let host = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = text(&get["path"]);
        let path = if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            format!("/{path}")
        } else {
            path.to_string()
        };
        let url = if scheme.is_empty() { format!("//{host}{path}") } else { format!("{scheme}://{host}{path}") };
        format!("http-get {url} {attrs}")
    } else if probe["tcpSocket"].is_object() {
        let tcp = &probe["tcpSocket"];
        format!("tcp-socket {}:{} {attrs}", text(&tcp["host"]), port(&tcp["port"]))
    } else if probe["grpc"].is_object() {
        let grpc = &probe["grpc"];
        format!("grpc <pod>:{} {} {attrs}", grpc["port"].as_i64().unwrap_or(0), text(&grpc["service"]))
    } else {
        format!("unknown {attrs}")
    }
}

/// The value kubectl shows for a `resourceFieldRef` (ExtractContainerResourceValue
/// over the container alone): the limit or request divided by the divisor and
/// rounded up, `node allocatable` for an unset CPU or memory limit.
fn resource_field_value(container: &Value, field: &Value) -> String {
    let resource = text(&field["resource"]);
    let Some((kind, name)) = resource.split_once('.') else {
        return String::new();
    };
    if !matches!(kind, "limits" | "requests") || !matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        return String::new();
    }
    let divisor = field.get("divisor").and_then(parse_quantity).filter(|d| *d > 0.0).unwrap_or(1.0);
    let value = container["resources"][kind].get(name).and_then(parse_quantity).unwrap_or(0.0);
    let shown = if name == "cpu" {
        ((value * 1000.0).ceil() / (divisor * 1000.0).ceil()).ceil()
    } else {
        (value.ceil() / divisor.ceil()).ceil()
    };
    if shown == 0.0 && kind == "limits" && name != "ephemeral-storage" {
        return "node allocatable".to_string();
    }
    format!("{shown:.0}")
}

/// A resource quantity's value (`500m` → 0.5, `1Gi` → 1073741824), read
/// as the API server reads it (`strategy::quantity_nanos`).
fn parse_quantity(quantity: &Value) -> Option<f64> {
    let nanos = match quantity {
        Value::String(s) => saplay_cluster::strategy::quantity_nanos(s),
        Value::Number(n) => saplay_cluster::strategy::quantity_nanos(&n.to_string()),
        _ => None,
    }?;
    // Exact in an f64 for every quantity a pod spec holds.
    Some(nanos as f64 / 1e9)
}

/// describeVolumes; `space` is put before `Volumes:` (a pod template's
/// `  `), and then one space before each volume's name, not its details.
pub(super) fn describe_volumes(w: &mut String, volumes: &Value, space: &str) {
    let volumes: Vec<&Value> = volumes.as_array().into_iter().flatten().collect();
    if volumes.is_empty() {
        w.push_str(&format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.push_str(&format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    // kubectl v1.32 prints the projected sources' `optional` (a *bool) with
    // `%v`: `<nil>` when unset, else the pointer's address, which differs
    // from run to run; a fixed address stands for it.
    let optional = |v: &Value| if v.is_boolean() { "0xc0005c4f4b".to_string() } else { "<nil>".to_string() };
    for volume in volumes {
        w.push_str(&format!("  {name_indent}{}:\n", text(&volume["name"])));
        if let Some(projected) = volume.get("projected") {
            w.push_str("    Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for source in projected["sources"].as_array().into_iter().flatten() {
                if source["secret"].is_object() {
                    w.push_str(&format!("    SecretName:\t{}\n", text(&source["secret"]["name"])));
                    w.push_str(&format!("    SecretOptionalName:\t{}\n", optional(&source["secret"]["optional"])));
                } else if source["downwardAPI"].is_object() {
                    w.push_str("    DownwardAPI:\ttrue\n");
                } else if source["configMap"].is_object() {
                    w.push_str(&format!("    ConfigMapName:\t{}\n", text(&source["configMap"]["name"])));
                    w.push_str(&format!("    ConfigMapOptional:\t{}\n", optional(&source["configMap"]["optional"])));
                } else if source["serviceAccountToken"].is_object() {
                    w.push_str(&format!(
                        "    TokenExpirationSeconds:\t{}\n",
                        source["serviceAccountToken"]["expirationSeconds"].as_i64().unwrap_or(3600)
                    ));
                }
            }
        } else if let Some(secret) = volume.get("secret") {
            w.push_str("    Type:\tSecret (a volume populated by a Secret)\n");
            w.push_str(&format!("    SecretName:\t{}\n", text(&secret["secretName"])));
            w.push_str(&format!("    Optional:\t{}\n", secret["optional"].as_bool().unwrap_or(false)));
        } else if let Some(config_map) = volume.get("configMap") {
            w.push_str("    Type:\tConfigMap (a volume populated by a ConfigMap)\n");
            w.push_str(&format!("    Name:\t{}\n", text(&config_map["name"])));
            w.push_str(&format!("    Optional:\t{}\n", config_map["optional"].as_bool().unwrap_or(false)));
        } else if let Some(empty) = volume.get("emptyDir") {
            w.push_str("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
            w.push_str(&format!("    Medium:\t{}\n", text(&empty["medium"])));
            match empty["sizeLimit"].as_str() {
                Some(limit) => w.push_str(&format!("    SizeLimit:\t{limit}\n")),
                None => w.push_str("    SizeLimit:\t<unset>\n"),
            }
        } else {
            w.push_str("    <unknown>\n");
        }
    }
}

fn describe_config_map(config_map: &Value) -> String {
    let meta = &config_map["metadata"];
    let mut w = format!("Name:\t{}\nNamespace:\t{}\n", text(&meta["name"]), text(&meta["namespace"]));
    w.push_str(&labels_text("Labels", &meta["labels"]));
    w.push_str(&annotations_text(&meta["annotations"]));
    w.push_str("\nData\n====\n");
    for (key, value) in config_map["data"].as_object().into_iter().flatten() {
        w.push_str(&format!("{key}:\n----\n{}\n\n", text(value)));
    }
    w.push_str("\nBinaryData\n====\n");
    for (key, value) in config_map["binaryData"].as_object().into_iter().flatten() {
        use base64::Engine;
        let length = base64::engine::general_purpose::STANDARD.decode(text(value)).map(|b| b.len()).unwrap_or_default();
        w.push_str(&format!("{key}: {length} bytes\n"));
    }
    w.push_str("\nEvents:\t<none>\n");
    go_tabwriter(&w, 0, 2)
}

/// `kubectl describe service`, in kubectl v1.32's layout. Endpoints are
/// what the EndpointSlice controller would list: the ready pods the
/// selector matches (the `kubernetes` Service's is the API server).
fn describe_service(service: &Value, pods: &Value) -> String {
    let meta = &service["metadata"];
    let spec = &service["spec"];
    let strings = |v: &Value| v.as_array().into_iter().flatten().map(|s| text(s).to_string()).collect::<Vec<_>>();
    let mut w = format!("Name:\t{}\nNamespace:\t{}\n", text(&meta["name"]), text(&meta["namespace"]));
    w.push_str(&labels_text("Labels", &meta["labels"]));
    w.push_str(&annotations_text(&meta["annotations"]));
    let selector = spec["selector"].as_object().filter(|m| !m.is_empty());
    let selector_text = super::workloads::format_labels(&spec["selector"]);
    w.push_str(&format!("Selector:\t{selector_text}\nType:\t{}\n", text(&spec["type"])));
    if !spec["ipFamilyPolicy"].is_null() {
        w.push_str(&format!("IP Family Policy:\t{}\n", text(&spec["ipFamilyPolicy"])));
    }
    let or_none = |list: Vec<String>| if list.is_empty() { "<none>".to_string() } else { list.join(",") };
    w.push_str(&format!("IP Families:\t{}\n", or_none(strings(&spec["ipFamilies"]))));
    w.push_str(&format!("IP:\t{}\nIPs:\t{}\n", text(&spec["clusterIP"]), or_none(strings(&spec["clusterIPs"]))));
    if !strings(&spec["externalIPs"]).is_empty() {
        w.push_str(&format!("External IPs:\t{}\n", strings(&spec["externalIPs"]).join(",")));
    }
    if !text(&spec["externalName"]).is_empty() {
        w.push_str(&format!("External Name:\t{}\n", text(&spec["externalName"])));
    }
    // The pods behind the Service: ready, matched by the selector.
    let backends: Vec<&str> = match selector {
        None => Vec::new(),
        Some(selector) => pods["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| selector.iter().all(|(k, v)| p["metadata"]["labels"][k] == *v))
            .filter(|p| super::workloads::has_condition(p, "Ready"))
            .filter_map(|p| p["status"]["podIP"].as_str())
            .collect(),
    };
    let apiserver = text(&meta["namespace"]) == "default" && text(&meta["name"]) == "kubernetes";
    for port in spec["ports"].as_array().into_iter().flatten() {
        let name = Some(text(&port["name"])).filter(|n| !n.is_empty()).unwrap_or("<unset>");
        let protocol = text(&port["protocol"]);
        w.push_str(&format!("Port:\t{name}\t{}/{protocol}\n", port["port"]));
        let target = match &port["targetPort"] {
            Value::String(named) => named.clone(),
            other => other.to_string(),
        };
        w.push_str(&format!("TargetPort:\t{target}/{protocol}\n"));
        if port["nodePort"].as_i64().is_some_and(|n| n != 0) {
            w.push_str(&format!("NodePort:\t{name}\t{}/{protocol}\n", port["nodePort"]));
        }
        let addresses: Vec<String> = if apiserver {
            vec![format!("{}:{target}", saplay_cluster::kubelet::NODE_IP)]
        } else {
            backends.iter().map(|ip| format!("{ip}:{target}")).collect()
        };
        let endpoints = match addresses.len() {
            0 => "<none>".to_string(),
            1..=3 => addresses.join(","),
            n => format!("{} + {} more...", addresses[..3].join(","), n - 3),
        };
        w.push_str(&format!("Endpoints:\t{endpoints}\n"));
    }
    w.push_str(&format!("Session Affinity:\t{}\n", text(&spec["sessionAffinity"])));
    if !text(&spec["externalTrafficPolicy"]).is_empty() {
        w.push_str(&format!("External Traffic Policy:\t{}\n", text(&spec["externalTrafficPolicy"])));
    }
    if !spec["internalTrafficPolicy"].is_null() {
        w.push_str(&format!("Internal Traffic Policy:\t{}\n", text(&spec["internalTrafficPolicy"])));
    }
    if let Some(port) = spec["healthCheckNodePort"].as_i64().filter(|p| *p != 0) {
        w.push_str(&format!("HealthCheck NodePort:\t{port}\n"));
    }
    w
}

fn describe_namespace(namespace: &Value) -> String {
    let meta = &namespace["metadata"];
    let mut w = format!("Name:\t{}\n", text(&meta["name"]));
    w.push_str(&labels_text("Labels", &meta["labels"]));
    w.push_str(&annotations_text(&meta["annotations"]));
    w.push_str(&format!("Status:\t{}\n", text(&namespace["status"]["phase"])));
    w.push_str("\nNo resource quota.\n\nNo LimitRange resource.\n");
    go_tabwriter(&w, 0, 2)
}

fn describe_node(node: &Value, pods: &Value, events: &[Value], now: i64) -> String {
    let meta = &node["metadata"];
    let status = &node["status"];
    let mut w = format!("Name:\t{}\n", text(&meta["name"]));
    let roles: Vec<&str> = meta["labels"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/"))
        .collect();
    w.push_str(&format!("Roles:\t{}\n", if roles.is_empty() { "<none>".to_string() } else { roles.join(",") }));
    w.push_str(&labels_text("Labels", &meta["labels"]));
    w.push_str(&annotations_text(&meta["annotations"]));
    w.push_str(&format!("CreationTimestamp:\t{}\n", rfc1123z(&meta["creationTimestamp"])));
    let taints: Vec<String> = node["spec"]["taints"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let value = t["value"].as_str().filter(|v| !v.is_empty()).map(|v| format!("={v}")).unwrap_or_default();
            format!("{}{value}:{}", text(&t["key"]), text(&t["effect"]))
        })
        .collect();
    if taints.is_empty() {
        w.push_str("Taints:\t<none>\n");
    }
    for (i, t) in taints.iter().enumerate() {
        w.push_str(&format!("{}\t{t}\n", if i == 0 { "Taints:" } else { "" }));
    }
    w.push_str(&format!("Unschedulable:\t{}\n", node["spec"]["unschedulable"].as_bool().unwrap_or(false)));
    if let Some(conditions) = status["conditions"].as_array().filter(|c| !c.is_empty()) {
        w.push_str("Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        w.push_str("  ----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conditions {
            w.push_str(&format!(
                "  {} \t{} \t{} \t{} \t{} \t{}\n",
                text(&c["type"]),
                text(&c["status"]),
                rfc1123z(&c["lastHeartbeatTime"]),
                rfc1123z(&c["lastTransitionTime"]),
                text(&c["reason"]),
                text(&c["message"])
            ));
        }
    }
    w.push_str("Addresses:\n");
    for a in status["addresses"].as_array().into_iter().flatten() {
        w.push_str(&format!("  {}:\t{}\n", text(&a["type"]), text(&a["address"])));
    }
    for (title, key) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
        if let Some(map) = status[key].as_object().filter(|m| !m.is_empty()) {
            w.push_str(&format!("{title}:\n"));
            for (resource, quantity) in map {
                w.push_str(&format!("  {resource}:\t{}\n", text(quantity)));
            }
        }
    }
    let info = &status["nodeInfo"];
    w.push_str("System Info:\n");
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        w.push_str(&format!("  {label}:\t{}\n", text(&info[key])));
    }
    if let Some(cidr) = node["spec"]["podCIDR"].as_str().filter(|c| !c.is_empty()) {
        w.push_str(&format!("PodCIDR:\t{cidr}\n"));
        let all: Vec<&str> = node["spec"]["podCIDRs"].as_array().into_iter().flatten().map(text).collect();
        w.push_str(&format!("PodCIDRs:\t{}\n", all.join(",")));
    }
    if let Some(provider) = node["spec"]["providerID"].as_str().filter(|p| !p.is_empty()) {
        w.push_str(&format!("ProviderID:\t{provider}\n"));
    }
    let name = text(&meta["name"]);
    let running: Vec<&Value> = pods["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["spec"]["nodeName"] == name)
        .filter(|p| !matches!(text(&p["status"]["phase"]), "Succeeded" | "Failed"))
        .collect();
    w.push_str(&format!("Non-terminated Pods:\t({} in total)\n", running.len()));
    w.push_str("  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    w.push_str("  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    for p in running {
        let age = super::printers::human_duration(now - super::created_at(p));
        w.push_str(&format!(
            "  {}\t{}\t\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t{age}\n",
            text(&p["metadata"]["namespace"]),
            text(&p["metadata"]["name"])
        ));
    }
    w.push_str("Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    w.push_str("  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
    for resource in ["cpu", "memory", "ephemeral-storage"] {
        w.push_str(&format!("  {resource}\t0 (0%)\t0 (0%)\n"));
    }
    super::workloads::with_events(w, events, now)
}

fn map_lines(value: &Value, separator: &str, hidden: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !hidden.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}{separator}{}", v.as_str().unwrap_or_default()))
        .collect();
    lines.sort();
    lines
}

/// Rows for a header and its values, further values on their own lines.
fn push_multi(rows: &mut Vec<Vec<String>>, header: &str, values: Vec<String>) {
    if values.is_empty() {
        rows.push(vec![header.to_string(), "<none>".to_string()]);
        return;
    }
    for (i, v) in values.into_iter().enumerate() {
        rows.push(vec![if i == 0 { header.to_string() } else { String::new() }, v]);
    }
}

fn describe_service_account(k: &mut Kubectl<'_>, sa: &Value, secrets: &Value) {
    let name = sa["metadata"]["name"].as_str().unwrap_or_default();
    let uid = sa["metadata"]["uid"].as_str().unwrap_or_default();
    let existing: Vec<&str> =
        secrets["items"].as_array().into_iter().flatten().filter_map(|s| s["metadata"]["name"].as_str()).collect();
    let with_missing = |list: &Value| -> Vec<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["name"].as_str())
            .map(|n| if existing.contains(&n) { n.to_string() } else { format!("{n} (not found)") })
            .collect()
    };
    let tokens: Vec<String> = secrets["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            s["type"] == "kubernetes.io/service-account-token"
                && s["metadata"]["annotations"]["kubernetes.io/service-account.name"] == name
                && s["metadata"]["annotations"]["kubernetes.io/service-account.uid"] == uid
        })
        .filter_map(|s| s["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    let mut rows = vec![
        vec!["Name:".to_string(), name.to_string()],
        vec!["Namespace:".to_string(), sa["metadata"]["namespace"].as_str().unwrap_or_default().to_string()],
    ];
    push_multi(&mut rows, "Labels:", map_lines(&sa["metadata"]["labels"], "=", &[]));
    push_multi(
        &mut rows,
        "Annotations:",
        map_lines(&sa["metadata"]["annotations"], ": ", &["kubectl.kubernetes.io/last-applied-configuration"]),
    );
    push_multi(&mut rows, "Image pull secrets:", with_missing(&sa["imagePullSecrets"]));
    push_multi(&mut rows, "Mountable secrets: ", with_missing(&sa["secrets"]));
    push_multi(&mut rows, "Tokens:            ", tokens);
    rows.push(vec!["Events:".to_string(), "<none>".to_string()]);
    k.print(&tabwrite_with(&rows, 0, 2));
}

/// Name, Labels and Annotations rows (and Namespace for namespaced kinds).
fn header_rows(object: &Value, with_namespace: bool) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["Name:".to_string(), object["metadata"]["name"].as_str().unwrap_or_default().to_string()]];
    if with_namespace {
        rows.push(vec![
            "Namespace:".to_string(),
            object["metadata"]["namespace"].as_str().unwrap_or_default().to_string(),
        ]);
    }
    push_multi(&mut rows, "Labels:", map_lines(&object["metadata"]["labels"], "=", &[]));
    push_multi(
        &mut rows,
        "Annotations:",
        map_lines(&object["metadata"]["annotations"], ": ", &["kubectl.kubernetes.io/last-applied-configuration"]),
    );
    rows
}

fn describe_secret(k: &mut Kubectl<'_>, secret: &Value) {
    let mut out = tabwrite_with(&header_rows(secret, true), 0, 2);
    let type_ = secret["type"].as_str().unwrap_or_default();
    out.push_str(&format!("\nType:  {type_}\n\nData\n====\n"));
    let rows: Vec<Vec<String>> = secret["data"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(value.as_str().unwrap_or_default())
                .unwrap_or_default();
            let shown = if key == "token" && type_ == "kubernetes.io/service-account-token" {
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                format!("{} bytes", bytes.len())
            };
            vec![format!("{key}:"), shown]
        })
        .collect();
    out.push_str(&tabwrite_with(&rows, 0, 2));
    k.print(&out);
}

fn describe_role(k: &mut Kubectl<'_>, role: &Value) {
    let mut rows = header_rows(role, false);
    rows.push(vec!["PolicyRule:".to_string()]);
    let rules = role["rules"].as_array().cloned().unwrap_or_default();
    let (urls, resources): (Vec<Value>, Vec<Value>) =
        rules.into_iter().partition(|r| r["nonResourceURLs"].as_array().is_some_and(|u| !u.is_empty()));
    let mut table = vec![
        vec![
            "  Resources".to_string(),
            "Non-Resource URLs".to_string(),
            "Resource Names".to_string(),
            "Verbs".to_string(),
        ],
        vec![
            "  ---------".to_string(),
            "-----------------".to_string(),
            "--------------".to_string(),
            "-----".to_string(),
        ],
    ];
    for mut row in rule_rows(&resources, &urls) {
        if let Some(first) = row.first_mut() {
            *first = format!("  {first}");
        }
        table.push(row);
    }
    let mut out = tabwrite_with(&rows, 0, 2);
    out.push_str(&tabwrite_with(&table, 0, 2));
    k.print(&out);
}

fn describe_binding(k: &mut Kubectl<'_>, binding: &Value) {
    let mut rows = header_rows(binding, false);
    rows.push(vec!["Role:".to_string()]);
    let mut out = tabwrite_with(&rows, 0, 2);
    let role = vec![
        vec!["  Kind:".to_string(), binding["roleRef"]["kind"].as_str().unwrap_or_default().to_string()],
        vec!["  Name:".to_string(), binding["roleRef"]["name"].as_str().unwrap_or_default().to_string()],
    ];
    out.push_str(&tabwrite_with(&role, 0, 2));
    out.push_str("Subjects:\n");
    let mut table = vec![
        vec!["  Kind".to_string(), "Name".to_string(), "Namespace".to_string()],
        vec!["  ----".to_string(), "----".to_string(), "---------".to_string()],
    ];
    for s in binding["subjects"].as_array().into_iter().flatten() {
        table.push(vec![
            format!("  {}", s["kind"].as_str().unwrap_or_default()),
            s["name"].as_str().unwrap_or_default().to_string(),
            s["namespace"].as_str().unwrap_or_default().to_string(),
        ]);
    }
    out.push_str(&tabwrite_with(&table, 0, 2));
    k.print(&out);
}

/// The `Tolerations:` lines of a pod or a pod template (`indent` before the
/// label), one toleration a line as kubectl prints them: `key=value:effect`,
/// ` op=Exists`, ` for Ns`.
pub(crate) fn tolerations_text(indent: &str, tolerations: &Value) -> String {
    let lines: Vec<String> = tolerations
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let mut line = text(&t["key"]).to_string();
            if let Some(value) = t["value"].as_str().filter(|v| !v.is_empty()) {
                line.push_str(&format!("={value}"));
            }
            if let Some(effect) = t["effect"].as_str().filter(|e| !e.is_empty()) {
                line.push_str(&format!(":{effect}"));
            }
            if t["operator"] == "Exists" && t["value"].as_str().is_none_or(str::is_empty) {
                line.push_str(if line.is_empty() { "op=Exists" } else { " op=Exists" });
            }
            if let Some(seconds) = t["tolerationSeconds"].as_i64() {
                line.push_str(&format!(" for {seconds}s"));
            }
            line
        })
        .collect();
    if lines.is_empty() {
        return format!("{indent}Tolerations:\t<none>\n");
    }
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let label = if i == 0 { format!("{indent}Tolerations:") } else { String::new() };
        out.push_str(&format!("{label}\t{line}\n"));
    }
    out
}
