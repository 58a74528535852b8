//! kubectl's tables for the workload kinds (Deployments, ReplicaSets,
//! DaemonSets, StatefulSets, Jobs), Services, Ingresses and Events, with
//! the columns kube-apiserver v1.32's table printers give them, and the
//! `Events:` section `kubectl describe` ends with.

use serde_json::Value;

use super::printers::{go_tabwriter, human_duration};
use super::{created_at, parse_timestamp};

/// The table columns of `kind`, or `None` for kinds printed elsewhere.
pub(super) fn columns(kind: &str, wide: bool) -> Option<Vec<&'static str>> {
    let mut columns = match kind {
        "Deployment" => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "ReplicaSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        "DaemonSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
        "StatefulSet" => vec!["NAME", "READY", "AGE"],
        "Job" => vec!["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
        "Service" => vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        "Ingress" => vec!["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        "Event" if wide => vec![
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME",
        ],
        "Event" => vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        _ => return None,
    };
    if wide {
        match kind {
            "Deployment" | "ReplicaSet" | "DaemonSet" | "Job" => columns.extend(["CONTAINERS", "IMAGES", "SELECTOR"]),
            "StatefulSet" => columns.extend(["CONTAINERS", "IMAGES"]),
            "Service" => columns.push("SELECTOR"),
            _ => {}
        }
    }
    Some(columns)
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// `k=v,k2=v2` in key order, or `<none>` (labels.FormatLabels).
pub(super) fn format_labels(map: &Value) -> String {
    let mut pairs: Vec<String> =
        map.as_object().into_iter().flatten().map(|(k, v)| format!("{k}={}", text(v))).collect();
    pairs.sort();
    if pairs.is_empty() {
        "<none>".to_string()
    } else {
        pairs.join(",")
    }
}

/// metav1.FormatLabelSelector: the selector as `labels.Selector` prints
/// it, its requirements (match labels and expressions together) sorted by
/// key, the values of `in`/`notin` sorted; `<none>` when it selects
/// nothing or everything.
pub(super) fn format_selector(selector: &Value) -> String {
    let mut requirements: Vec<(String, String)> = selector["matchLabels"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), format!("{k}={}", text(v))))
        .collect();
    for e in selector["matchExpressions"].as_array().into_iter().flatten() {
        let mut values: Vec<&str> = e["values"].as_array().into_iter().flatten().map(text).collect();
        values.sort_unstable();
        let key = text(&e["key"]);
        let shown = match text(&e["operator"]) {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => return "<error>".to_string(),
        };
        requirements.push((key.to_string(), shown));
    }
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    if requirements.is_empty() {
        "<none>".to_string()
    } else {
        requirements.into_iter().map(|(_, shown)| shown).collect::<Vec<_>>().join(",")
    }
}

/// The CONTAINERS and IMAGES cells of a pod template.
fn containers_and_images(template: &Value) -> [String; 2] {
    let containers: Vec<&Value> = template["spec"]["containers"].as_array().into_iter().flatten().collect();
    let names: Vec<&str> = containers.iter().map(|c| text(&c["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| text(&c["image"])).collect();
    [names.join(","), images.join(",")]
}

/// The cells of one row, or `None` for kinds printed elsewhere.
pub(super) fn row(kind: &str, o: &Value, now: i64, wide: bool) -> Option<Vec<String>> {
    let name = text(&o["metadata"]["name"]).to_string();
    let age = human_duration(now - created_at(o));
    let spec = &o["spec"];
    let status = &o["status"];
    let desired = spec["replicas"].as_i64().unwrap_or(1);
    let mut cells = match kind {
        "Deployment" => vec![
            name,
            format!("{}/{desired}", int(&status["readyReplicas"])),
            int(&status["updatedReplicas"]).to_string(),
            int(&status["availableReplicas"]).to_string(),
            age,
        ],
        "ReplicaSet" => vec![
            name,
            desired.to_string(),
            int(&status["replicas"]).to_string(),
            int(&status["readyReplicas"]).to_string(),
            age,
        ],
        "DaemonSet" => vec![
            name,
            int(&status["desiredNumberScheduled"]).to_string(),
            int(&status["currentNumberScheduled"]).to_string(),
            int(&status["numberReady"]).to_string(),
            int(&status["updatedNumberScheduled"]).to_string(),
            int(&status["numberAvailable"]).to_string(),
            format_labels(&spec["template"]["spec"]["nodeSelector"]),
            age,
        ],
        "StatefulSet" => vec![name, format!("{}/{desired}", int(&status["readyReplicas"])), age],
        "Job" => vec![name, job_status(o), job_completions(o), job_duration(o, now), age],
        "Service" => service_row(o, name, age),
        "Ingress" => ingress_row(o, name, age),
        "Event" => return Some(event_row(o, now, wide)),
        _ => return None,
    };
    if wide {
        match kind {
            // printDeployment prints the selector's String(), empty for an
            // empty one; the others FormatLabelSelector.
            "Deployment" => {
                cells.extend(containers_and_images(&spec["template"]));
                let selector = format_selector(&spec["selector"]);
                cells.push(if selector == "<none>" { String::new() } else { selector.replace("<error>", "<invalid>") });
            }
            "ReplicaSet" | "DaemonSet" | "Job" => {
                cells.extend(containers_and_images(&spec["template"]));
                cells.push(format_selector(&spec["selector"]));
            }
            "StatefulSet" => cells.extend(containers_and_images(&spec["template"])),
            "Service" => cells.push(format_labels(&spec["selector"])),
            _ => {}
        }
    }
    Some(cells)
}

/// Whether the first condition of `o` of type `type_` has status True
/// (the printers' hasJobCondition, the Node printer's condition map).
pub(super) fn has_condition(o: &Value, type_: &str) -> bool {
    condition_status(o, type_) == Some("True")
}

/// The status of `o`'s first condition of type `type_`.
pub(super) fn condition_status<'a>(o: &'a Value, type_: &str) -> Option<&'a str> {
    o["status"]["conditions"].as_array().into_iter().flatten().find(|c| c["type"] == type_).map(|c| text(&c["status"]))
}

/// The Job table's STATUS as v1.32's printJob decides it: Complete,
/// Failed, Terminating while being deleted, Suspended, FailureTarget, else
/// Running (SuccessCriteriaMet is shown only from v1.34).
fn job_status(job: &Value) -> String {
    let status = if has_condition(job, "Complete") {
        "Complete"
    } else if has_condition(job, "Failed") {
        "Failed"
    } else if job["metadata"]["deletionTimestamp"].is_string() {
        "Terminating"
    } else if has_condition(job, "Suspended") {
        "Suspended"
    } else if has_condition(job, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    status.to_string()
}

fn job_completions(job: &Value) -> String {
    let succeeded = int(&job["status"]["succeeded"]);
    match job["spec"]["completions"].as_i64() {
        Some(completions) => format!("{succeeded}/{completions}"),
        None => {
            let parallelism = job["spec"]["parallelism"].as_i64().unwrap_or(1);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    }
}

fn job_duration(job: &Value, now: i64) -> String {
    let Some(start) = job["status"]["startTime"].as_str().and_then(parse_timestamp) else {
        return String::new();
    };
    let end = job["status"]["completionTime"].as_str().and_then(parse_timestamp).unwrap_or(now);
    human_duration(end - start)
}

/// printService: the first of `clusterIPs`, getServiceExternalIP, and
/// makePortString.
fn service_row(svc: &Value, name: String, age: String) -> Vec<String> {
    let spec = &svc["spec"];
    let type_ = text(&spec["type"]).to_string();
    let cluster_ip = spec["clusterIPs"].as_array().and_then(|ips| ips.first()).map(|ip| text(ip).to_string());
    let external: Vec<String> =
        spec["externalIPs"].as_array().into_iter().flatten().map(|ip| text(ip).to_string()).collect();
    let external = match type_.as_str() {
        "ClusterIP" | "NodePort" if external.is_empty() => "<none>".to_string(),
        "ClusterIP" | "NodePort" => external.join(","),
        "LoadBalancer" => {
            // loadBalancerStatusStringer: a sorted set of IPs or hostnames
            // (the server prints wide, so never clipped).
            let mut balancers: Vec<String> =
                load_balancer_addresses(&svc["status"]).into_iter().map(str::to_string).collect();
            balancers.extend(external);
            if balancers.is_empty() {
                "<pending>".to_string()
            } else {
                balancers.join(",")
            }
        }
        "ExternalName" => text(&spec["externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    };
    let ports: Vec<String> = spec["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let protocol = text(&p["protocol"]);
            match p["nodePort"].as_i64().filter(|n| *n > 0) {
                Some(node) => format!("{}:{node}/{protocol}", int(&p["port"])),
                None => format!("{}/{protocol}", int(&p["port"])),
            }
        })
        .collect();
    let ports = if ports.is_empty() { "<none>".to_string() } else { ports.join(",") };
    vec![name, type_, cluster_ip.unwrap_or_else(|| "<none>".to_string()), external, ports, age]
}

/// printIngress: formatHosts (at most three, then `+ N more...`), the
/// load balancers as a sorted set, formatPorts.
fn ingress_row(ingress: &Value, name: String, age: String) -> Vec<String> {
    let spec = &ingress["spec"];
    let class = spec["ingressClassName"].as_str().unwrap_or("<none>").to_string();
    let rules: Vec<&Value> = spec["rules"].as_array().into_iter().flatten().collect();
    let mut hosts: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in &rules {
        if hosts.len() == 3 {
            more = true;
        }
        let host = text(&rule["host"]);
        if !more && !host.is_empty() {
            hosts.push(host);
        }
    }
    let hosts = match (hosts.is_empty(), more) {
        (true, _) => "*".to_string(),
        (false, true) => format!("{} + {} more...", hosts.join(","), rules.len() - 3),
        (false, false) => hosts.join(","),
    };
    let addresses = load_balancer_addresses(&ingress["status"]);
    let tls = spec["tls"].as_array().is_some_and(|t| !t.is_empty());
    let ports = if tls { "80, 443" } else { "80" }.to_string();
    vec![name, class, hosts, addresses.join(","), ports, age]
}

/// A Service's or Ingress's `status.loadBalancer.ingress` as the printers'
/// loadBalancerStatusStringer reads it: each entry's IP, else its
/// hostname, as a sorted set.
fn load_balancer_addresses(status: &Value) -> Vec<&str> {
    let mut addresses: Vec<&str> = status["loadBalancer"]["ingress"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| [text(&i["ip"]), text(&i["hostname"])].into_iter().find(|a| !a.is_empty()))
        .collect();
    addresses.sort_unstable();
    addresses.dedup();
    addresses
}

/// When an event was first and last seen, and how often.
fn event_times(event: &Value, now: i64) -> (String, String, i64) {
    let since = |v: &Value| v.as_str().and_then(parse_timestamp).map(|t| human_duration(now - t));
    let first = since(&event["firstTimestamp"]).or_else(|| since(&event["eventTime"])).unwrap_or_default();
    let (last, count) = match event["series"].as_object() {
        Some(series) => (
            since(series.get("lastObservedTime").unwrap_or(&Value::Null)).unwrap_or_default(),
            series.get("count").and_then(Value::as_i64).unwrap_or(1),
        ),
        None => (since(&event["lastTimestamp"]).unwrap_or_else(|| first.clone()), int(&event["count"]).max(1)),
    };
    (first, last, count)
}

fn event_row(event: &Value, now: i64, wide: bool) -> Vec<String> {
    let (first, last, count) = event_times(event, now);
    let involved = &event["involvedObject"];
    let kind = text(&involved["kind"]).to_lowercase();
    let object = match involved["name"].as_str().filter(|n| !n.is_empty()) {
        Some(name) => format!("{kind}/{name}"),
        None => kind,
    };
    let message = text(&event["message"]).trim().to_string();
    if !wide {
        return vec![last, text(&event["type"]).to_string(), text(&event["reason"]).to_string(), object, message];
    }
    // formatEventSource: the legacy source, else the reporting fields.
    let first_non_empty = |a: &Value, b: &Value| {
        let a = text(a);
        if a.is_empty() { text(b) } else { a }.to_string()
    };
    let component = first_non_empty(&event["source"]["component"], &event["reportingComponent"]);
    let instance = first_non_empty(&event["source"]["host"], &event["reportingInstance"]);
    let from = if instance.is_empty() { component } else { format!("{component}, {instance}") };
    vec![
        last,
        text(&event["type"]).to_string(),
        text(&event["reason"]).to_string(),
        object,
        text(&involved["fieldPath"]).to_string(),
        from,
        message,
        first,
        count.to_string(),
        text(&event["metadata"]["name"]).to_string(),
    ]
}

/// The Unix seconds an event was last seen, for sorting.
fn last_seen(event: &Value) -> i64 {
    event["lastTimestamp"]
        .as_str()
        .or(event["eventTime"].as_str())
        .or(event["firstTimestamp"].as_str())
        .and_then(parse_timestamp)
        .unwrap_or(0)
}

/// When an event was seen, as `kubectl describe` and `kubectl events`
/// write it (their `getInterval`): the age of `eventTime` (else of
/// `firstTimestamp`), or for a repeated event `5s (x3 over 40s)`, the age
/// of its last sighting, its count and that first age; `<unknown>` for a
/// time the event does not have.
pub(super) fn event_interval(event: &Value, now: i64) -> String {
    let since = |v: &Value| {
        v.as_str().and_then(parse_timestamp).map_or_else(|| "<unknown>".to_string(), |t| human_duration(now - t))
    };
    let first = if event["eventTime"].as_str().is_some_and(|t| parse_timestamp(t).is_some()) {
        since(&event["eventTime"])
    } else {
        since(&event["firstTimestamp"])
    };
    let count = int(&event["count"]);
    if let Some(series) = event["series"].as_object() {
        format!(
            "{} (x{} over {first})",
            since(series.get("lastObservedTime").unwrap_or(&Value::Null)),
            series.get("count").and_then(Value::as_i64).unwrap_or(0)
        )
    } else if count > 1 {
        format!("{} (x{count} over {first})", since(&event["lastTimestamp"]))
    } else {
        first
    }
}

/// Ends a describe text `w` (tab-separated, not yet aligned) with the
/// `Events:` section as DescribeEvents writes it: `Events:\t<none>` aligned
/// with the lines before, or the writer flushed and a table of type,
/// reason, age (`5s (x3 over 40s)`), source and message, oldest first.
pub(super) fn with_events(mut w: String, events: &[Value], now: i64) -> String {
    if events.is_empty() {
        w.push_str("Events:\t<none>\n");
        return go_tabwriter(&w, 0, 2);
    }
    go_tabwriter(&w, 0, 2) + &describe_events(events, now)
}

/// The table of [`with_events`].
fn describe_events(events: &[Value], now: i64) -> String {
    let mut sorted: Vec<&Value> = events.iter().collect();
    sorted.sort_by_key(|e| last_seen(e));
    let mut w = String::from("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for event in sorted {
        let interval = event_interval(event, now);
        let mut from = text(&event["source"]["component"]);
        if from.is_empty() {
            from = text(&event["reportingComponent"]);
        }
        w.push_str(&format!(
            "  {}\t{}\t{interval}\t{from}\t{}\n",
            text(&event["type"]),
            text(&event["reason"]),
            text(&event["message"]).trim()
        ));
    }
    go_tabwriter(&w, 0, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_are_formatted_as_metav1_does() {
        assert_eq!(format_selector(&json!({"matchLabels": {"b": "2", "a": "1"}})), "a=1,b=2");
        assert_eq!(
            format_selector(&json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "db"]}]})),
            "tier in (db,web)"
        );
        assert_eq!(
            format_selector(
                &json!({"matchLabels": {"z": "1"}, "matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]})
            ),
            "!a,z=1"
        );
        assert_eq!(format_selector(&json!({})), "<none>");
        assert_eq!(format_selector(&Value::Null), "<none>");
    }

    #[test]
    fn events_show_count_and_interval() {
        let now = 1_735_689_700;
        let event = json!({
            "type": "Warning", "reason": "FailedCreate", "message": "Error creating: x ",
            "source": {"component": "replicaset-controller"}, "count": 3,
            "firstTimestamp": "2025-01-01T00:00:00Z", "lastTimestamp": "2025-01-01T00:01:00Z",
            "involvedObject": {"kind": "ReplicaSet", "name": "web-1"}, "metadata": {"name": "web-1.1"}
        });
        let text = describe_events(std::slice::from_ref(&event), now);
        assert!(text.contains("Warning  FailedCreate  40s (x3 over 100s)  replicaset-controller  Error creating: x\n"));
        assert_eq!(row("Event", &event, now, false).unwrap_or_default()[3], "replicaset/web-1");
        assert_eq!(with_events("Name:\tx\n".to_string(), &[], now), "Name:    x\nEvents:  <none>\n");
    }

    #[test]
    fn job_completions_follow_the_spec() {
        assert_eq!(job_completions(&json!({"spec": {"completions": 3}, "status": {"succeeded": 1}})), "1/3");
        assert_eq!(job_completions(&json!({"spec": {"parallelism": 2}})), "0/1 of 2");
        assert_eq!(job_completions(&json!({"spec": {}})), "0/1");
    }
}
