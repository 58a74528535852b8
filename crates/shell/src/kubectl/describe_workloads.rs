//! `kubectl describe` for Deployments, ReplicaSets, DaemonSets,
//! StatefulSets and Jobs in kubectl v1.32's layouts: the object's own
//! lines, its pods' phases, the `Pod Template:` block (with `Service
//! Account:` when the template names one), conditions, a Deployment's old
//! and new ReplicaSets, and the Events about it.

use saplay_cluster::api::Request;
use serde_json::Value;

use super::describe::{
    describe_container, describe_volumes, events_for, labels_text, rfc1123z, text, titled_annotations, tolerations_text,
};
use super::workloads::{format_selector, with_events};
use super::Kubectl;

/// The describe text of a workload object of `kind`.
pub(super) fn describe(k: &mut Kubectl<'_>, kind: &str, object: &Value) -> String {
    let now = k.now_seconds();
    let events = events_for(k, kind, object);
    let w = match kind {
        "Deployment" => {
            let replica_sets = owned(k, "/apis/apps/v1", "replicasets", object);
            deployment(object, &replica_sets)
        }
        "ReplicaSet" => {
            let pods = owned(k, "/api/v1", "pods", object);
            replica_set(object, &pods)
        }
        "DaemonSet" => {
            let pods = owned(k, "/api/v1", "pods", object);
            daemon_set(object, &pods)
        }
        "StatefulSet" => {
            let pods = owned(k, "/api/v1", "pods", object);
            stateful_set(object, &pods)
        }
        _ => job(object, now),
    };
    with_events(w, &events, now)
}

/// The objects of `plural` in the owner's namespace that it controls.
fn owned(k: &mut Kubectl<'_>, prefix: &str, plural: &str, owner: &Value) -> Vec<Value> {
    let ns = text(&owner["metadata"]["namespace"]);
    let uid = &owner["metadata"]["uid"];
    let response = k.send(Request::get(format!("{prefix}/namespaces/{ns}/{plural}")));
    response.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| {
            o["metadata"]["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| r["uid"] == *uid && r["controller"] == true)
        })
        .cloned()
        .collect()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// `Name`, `Namespace` (and `CreationTimestamp` where kubectl shows it).
fn head(object: &Value, created: bool) -> String {
    let meta = &object["metadata"];
    let mut w = format!("Name:\t{}\nNamespace:\t{}\n", text(&meta["name"]), text(&meta["namespace"]));
    if created {
        w.push_str(&format!("CreationTimestamp:\t{}\n", rfc1123z(&meta["creationTimestamp"])));
    }
    w
}

fn labels_and_annotations(object: &Value) -> String {
    labels_text("Labels", &object["metadata"]["labels"])
        + &titled_annotations("Annotations", &object["metadata"]["annotations"])
}

/// `Controlled By:  Kind/name` for an object with a controller.
fn controlled_by(object: &Value) -> String {
    object["metadata"]["ownerReferences"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["controller"] == true)
        .map(|r| format!("Controlled By:\t{}/{}\n", text(&r["kind"]), text(&r["name"])))
        .unwrap_or_default()
}

/// `Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed`.
fn pods_status(pods: &[Value]) -> String {
    let count = |phase: &str| pods.iter().filter(|p| p["status"]["phase"] == phase).count();
    format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        count("Running"),
        count("Pending"),
        count("Succeeded"),
        count("Failed")
    )
}

/// DescribePodTemplate: labels, annotations, service account, containers,
/// volumes, node selectors and tolerations, indented under `Pod Template:`.
pub(super) fn pod_template(template: &Value) -> String {
    let mut w = String::from("Pod Template:\n");
    w.push_str(&labels_text("  Labels", &template["metadata"]["labels"]));
    if template["metadata"]["annotations"].as_object().is_some_and(|a| !a.is_empty()) {
        w.push_str(&titled_annotations("  Annotations", &template["metadata"]["annotations"]));
    }
    let spec = &template["spec"];
    if let Some(sa) = spec["serviceAccountName"].as_str().filter(|s| !s.is_empty()) {
        w.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    for (label, key) in [("Init Containers", "initContainers"), ("Containers", "containers")] {
        let Some(containers) = spec[key].as_array().filter(|c| !c.is_empty() || key == "containers") else {
            continue;
        };
        w.push_str(&format!("  {label}:\n"));
        for container in containers {
            let mut one = String::new();
            describe_container(&mut one, container, None, None);
            // The container's name sits one column further in than in a pod.
            w.push(' ');
            w.push_str(&one);
        }
    }
    describe_volumes(&mut w, &spec["volumes"], "  ");
    if let Some(class) = spec["priorityClassName"].as_str().filter(|c| !c.is_empty()) {
        w.push_str(&format!("  Priority Class Name:\t{class}\n"));
    }
    w.push_str(&labels_text("  Node-Selectors", &spec["nodeSelector"]));
    w.push_str(&tolerations_text("  ", &spec["tolerations"]));
    w
}

/// `Conditions:` with type, status and reason (Deployments, ReplicaSets).
fn conditions(object: &Value) -> String {
    let Some(conditions) = object["status"]["conditions"].as_array().filter(|c| !c.is_empty()) else {
        return String::new();
    };
    let mut w = String::from("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
    for c in conditions {
        w.push_str(&format!("  {} \t{}\t{}\n", text(&c["type"]), text(&c["status"]), text(&c["reason"])));
    }
    w
}

/// A quantity or percentage of an IntOrString (`25%`, `1`).
fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => "0".to_string(),
    }
}

/// `name (current/desired replicas created)`, joined, or `<none>`.
fn replica_sets_line(sets: &[&Value]) -> String {
    if sets.is_empty() {
        return "<none>".to_string();
    }
    let shown: Vec<String> = sets
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                text(&rs["metadata"]["name"]),
                int(&rs["status"]["replicas"]),
                rs["spec"]["replicas"].as_i64().unwrap_or(1)
            )
        })
        .collect();
    shown.join(", ")
}

fn revision(object: &Value) -> &str {
    text(&object["metadata"]["annotations"]["deployment.kubernetes.io/revision"])
}

fn deployment(d: &Value, replica_sets: &[Value]) -> String {
    let spec = &d["spec"];
    let status = &d["status"];
    let mut w = head(d, true);
    w.push_str(&labels_and_annotations(d));
    w.push_str(&format!("Selector:\t{}\n", format_selector(&spec["selector"])));
    w.push_str(&format!(
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        spec["replicas"].as_i64().unwrap_or(1),
        int(&status["updatedReplicas"]),
        int(&status["replicas"]),
        int(&status["availableReplicas"]),
        int(&status["unavailableReplicas"])
    ));
    w.push_str(&format!("StrategyType:\t{}\n", text(&spec["strategy"]["type"])));
    w.push_str(&format!("MinReadySeconds:\t{}\n", int(&spec["minReadySeconds"])));
    let rolling = &spec["strategy"]["rollingUpdate"];
    if rolling.is_object() {
        w.push_str(&format!(
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            int_or_string(&rolling["maxUnavailable"]),
            int_or_string(&rolling["maxSurge"])
        ));
    }
    w.push_str(&pod_template(&spec["template"]));
    w.push_str(&conditions(d));
    let current = revision(d);
    let new: Vec<&Value> = replica_sets.iter().filter(|rs| !current.is_empty() && revision(rs) == current).collect();
    let old: Vec<&Value> = replica_sets
        .iter()
        .filter(|rs| current.is_empty() || revision(rs) != current)
        .filter(|rs| rs["spec"]["replicas"].as_i64().unwrap_or(1) != 0)
        .collect();
    if !replica_sets.is_empty() {
        w.push_str(&format!("OldReplicaSets:\t{}\n", replica_sets_line(&old)));
        w.push_str(&format!("NewReplicaSet:\t{}\n", replica_sets_line(&new)));
    }
    w
}

fn replica_set(rs: &Value, pods: &[Value]) -> String {
    let mut w = head(rs, false);
    w.push_str(&format!("Selector:\t{}\n", format_selector(&rs["spec"]["selector"])));
    w.push_str(&labels_and_annotations(rs));
    w.push_str(&controlled_by(rs));
    w.push_str(&format!(
        "Replicas:\t{} current / {} desired\n",
        int(&rs["status"]["replicas"]),
        rs["spec"]["replicas"].as_i64().unwrap_or(1)
    ));
    w.push_str(&pods_status(pods));
    w.push_str(&pod_template(&rs["spec"]["template"]));
    w.push_str(&conditions(rs));
    w
}

fn daemon_set(ds: &Value, pods: &[Value]) -> String {
    let status = &ds["status"];
    let mut w = head(ds, false);
    w.push_str(&format!("Selector:\t{}\n", format_selector(&ds["spec"]["selector"])));
    let node_selector = &ds["spec"]["template"]["spec"]["nodeSelector"];
    let mut pairs: Vec<String> =
        node_selector.as_object().into_iter().flatten().map(|(k, v)| format!("{k}={}", text(v))).collect();
    pairs.sort();
    w.push_str(&format!("Node-Selector:\t{}\n", if pairs.is_empty() { "<none>".to_string() } else { pairs.join(",") }));
    w.push_str(&labels_and_annotations(ds));
    w.push_str(&format!("Desired Number of Nodes Scheduled:\t{}\n", int(&status["desiredNumberScheduled"])));
    w.push_str(&format!("Current Number of Nodes Scheduled:\t{}\n", int(&status["currentNumberScheduled"])));
    w.push_str(&format!(
        "Number of Nodes Scheduled with Up-to-date Pods:\t{}\n",
        int(&status["updatedNumberScheduled"])
    ));
    w.push_str(&format!("Number of Nodes Scheduled with Available Pods:\t{}\n", int(&status["numberAvailable"])));
    w.push_str(&format!("Number of Nodes Misscheduled:\t{}\n", int(&status["numberMisscheduled"])));
    w.push_str(&pods_status(pods));
    w.push_str(&pod_template(&ds["spec"]["template"]));
    w
}

fn stateful_set(sts: &Value, pods: &[Value]) -> String {
    let spec = &sts["spec"];
    let mut w = head(sts, true);
    w.push_str(&format!("Selector:\t{}\n", format_selector(&spec["selector"])));
    w.push_str(&labels_and_annotations(sts));
    w.push_str(&format!(
        "Replicas:\t{} desired | {} total\n",
        spec["replicas"].as_i64().unwrap_or(1),
        int(&sts["status"]["replicas"])
    ));
    w.push_str(&format!("Update Strategy:\t{}\n", text(&spec["updateStrategy"]["type"])));
    if let Some(partition) = spec["updateStrategy"]["rollingUpdate"]["partition"].as_i64() {
        w.push_str(&format!("  Partition:\t{partition}\n"));
    }
    w.push_str(&pods_status(pods));
    w.push_str(&pod_template(&spec["template"]));
    let claims: Vec<&Value> = spec["volumeClaimTemplates"].as_array().into_iter().flatten().collect();
    if claims.is_empty() {
        w.push_str("Volume Claims:\t<none>\n");
    } else {
        w.push_str("Volume Claims:\n");
        for claim in claims {
            w.push_str(&format!("  Name:\t{}\n", text(&claim["metadata"]["name"])));
            let class = claim["spec"]["storageClassName"].as_str().unwrap_or_default();
            w.push_str(&format!("  StorageClass:\t{class}\n"));
            w.push_str(&labels_text("  Labels", &claim["metadata"]["labels"]));
            w.push_str(&titled_annotations("  Annotations", &claim["metadata"]["annotations"]));
            let capacity = claim["spec"]["resources"]["requests"]["storage"].as_str().unwrap_or("0");
            w.push_str(&format!("  Capacity:\t{capacity}\n"));
            let modes: Vec<&str> = claim["spec"]["accessModes"].as_array().into_iter().flatten().map(text).collect();
            w.push_str(&format!("  Access Modes:\t[{}]\n", modes.join(" ")));
        }
    }
    w
}

fn job(job: &Value, now: i64) -> String {
    let spec = &job["spec"];
    let status = &job["status"];
    let mut w = head(job, false);
    w.push_str(&format!("Selector:\t{}\n", format_selector(&spec["selector"])));
    w.push_str(&labels_and_annotations(job));
    w.push_str(&controlled_by(job));
    w.push_str(&format!("Parallelism:\t{}\n", spec["parallelism"].as_i64().unwrap_or(1)));
    match spec["completions"].as_i64() {
        Some(c) => w.push_str(&format!("Completions:\t{c}\n")),
        None => w.push_str("Completions:\t<unset>\n"),
    }
    w.push_str(&format!("Completion Mode:\t{}\n", spec["completionMode"].as_str().unwrap_or("NonIndexed")));
    w.push_str(&format!("Suspend:\t{}\n", spec["suspend"].as_bool().unwrap_or(false)));
    w.push_str(&format!("Backoff Limit:\t{}\n", spec["backoffLimit"].as_i64().unwrap_or(6)));
    if let Some(ttl) = spec["ttlSecondsAfterFinished"].as_i64() {
        w.push_str(&format!("TTL Seconds After Finished:\t{ttl}\n"));
    }
    let start = status["startTime"].as_str().and_then(super::parse_timestamp);
    if start.is_some() {
        w.push_str(&format!("Start Time:\t{}\n", rfc1123z(&status["startTime"])));
    }
    let end = status["completionTime"].as_str().and_then(super::parse_timestamp);
    if end.is_some() {
        w.push_str(&format!("Completed At:\t{}\n", rfc1123z(&status["completionTime"])));
    }
    if let Some(start) = start {
        let duration = end.unwrap_or(now) - start;
        w.push_str(&format!("Duration:\t{}\n", super::printers::human_duration(duration)));
    }
    if let Some(deadline) = spec["activeDeadlineSeconds"].as_i64() {
        w.push_str(&format!("Active Deadline Seconds:\t{deadline}s\n"));
    }
    w.push_str(&format!(
        "Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed\n",
        int(&status["active"]),
        int(&status["ready"]),
        int(&status["succeeded"]),
        int(&status["failed"])
    ));
    w.push_str(&pod_template(&spec["template"]));
    w
}
