//! Kubernetes Events: the scheduler's and the kubelet's for every pod,
//! de-duplication by count, field selectors as `kubectl describe` uses
//! them, and the one-hour TTL.

mod common;

use common::*;
use saplay_cluster::Cluster;
use serde_json::Value;

const EVENTS: &str = "/api/v1/namespaces/default/events";

fn events(c: &mut Cluster, query: &str) -> Vec<Value> {
    let r = get(c, &format!("{EVENTS}{query}"));
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(r.body["kind"], "EventList");
    r.body["items"].as_array().cloned().unwrap_or_default()
}

fn summary(e: &Value) -> (String, String, String) {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    (s(&e["reason"]), s(&e["message"]), s(&e["involvedObject"]["fieldPath"]))
}

#[test]
fn a_bare_pod_gets_the_scheduler_and_kubelet_events() {
    let mut c = cluster();
    create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"side","image":"busybox"}]}}"#,
    );
    let all = events(&mut c, "");
    let rows: Vec<(String, String, String)> = all.iter().map(summary).collect();
    assert_eq!(rows[0], ("Scheduled".into(), "Successfully assigned default/web to node-1".into(), String::new()));
    assert_eq!(
        rows[1],
        (
            "Pulled".into(),
            r#"Container image "nginx:1.27" already present on machine"#.into(),
            "spec.containers{nginx}".into()
        )
    );
    assert_eq!(rows[2], ("Created".into(), "Created container: nginx".into(), "spec.containers{nginx}".into()));
    assert_eq!(rows[3], ("Started".into(), "Started container nginx".into(), "spec.containers{nginx}".into()));
    // busybox has no tag: imagePullPolicy Always, so the kubelet pulls.
    assert_eq!(rows[4].0, "Pulling");
    assert_eq!(rows[4].1, r#"Pulling image "busybox""#);
    assert!(rows[5].1.starts_with(r#"Successfully pulled image "busybox" in "#), "{}", rows[5].1);
    assert!(rows[5].1.ends_with(" bytes."));
    let scheduled = &all[0];
    assert_eq!(scheduled["reportingComponent"], "default-scheduler");
    assert_eq!(scheduled["action"], "Binding");
    assert!(scheduled["eventTime"].is_string());
    assert!(scheduled["firstTimestamp"].is_null());
    let started = &all[3];
    assert_eq!(started["source"], serde_json::json!({"component": "kubelet", "host": "node-1"}));
    assert_eq!(started["count"], 1);
    assert_eq!(started["type"], "Normal");
    assert_eq!(started["involvedObject"]["kind"], "Pod");
    assert_eq!(started["firstTimestamp"], started["lastTimestamp"]);
    assert!(started["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("web.")));
}

#[test]
fn describe_style_field_selectors_find_an_objects_events() {
    let mut c = cluster();
    create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}"#,
    );
    create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}"#,
    );
    let uid = c.pod_uid("default", "a").unwrap_or_default();
    let found = events(
        &mut c,
        &format!("?fieldSelector=involvedObject.name%3Da,involvedObject.namespace%3Ddefault,involvedObject.kind%3DPod,involvedObject.uid%3D{uid}"),
    );
    assert_eq!(found.len(), 4);
    assert!(found.iter().all(|e| e["involvedObject"]["name"] == "a"));
    assert_eq!(events(&mut c, "?fieldSelector=reason%3DScheduled").len(), 2);
}

#[test]
fn repeats_count_up_and_events_expire_after_an_hour() {
    let mut c = cluster();
    create(
        &mut c,
        "/apis/apps/v1/namespaces/default/replicasets",
        r#"{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rs"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"serviceAccountName":"nobody","containers":[{"name":"c","image":"nginx:1.27"}]}}}}"#,
    );
    let failed = events(&mut c, "?fieldSelector=reason%3DFailedCreate");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["source"]["component"], "replicaset-controller");
    c.advance_seconds(30);
    let failed = events(&mut c, "?fieldSelector=reason%3DFailedCreate");
    assert_eq!(failed.len(), 1);
    let count = failed[0]["count"].as_i64().unwrap_or_default();
    assert!(count > 5, "{count}");
    assert_ne!(failed[0]["firstTimestamp"], failed[0]["lastTimestamp"]);
    // Remove the cause; an hour after the last retry the event is gone.
    assert_eq!(delete(&mut c, "/apis/apps/v1/namespaces/default/replicasets/rs").code, 200);
    c.advance_seconds(3601);
    assert!(events(&mut c, "").is_empty());
}
