//! The workload controllers through `Cluster::handle`: Deployments make
//! ReplicaSets make pods (with their service account's token), missing
//! service accounts leave FailedCreate events, scaling, rollouts, the
//! garbage collector, DaemonSets, StatefulSets and Jobs.

mod common;

use common::*;
use saplay_cluster::{Cluster, Request};
use serde_json::Value;

const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/default/deployments";
const REPLICASETS: &str = "/apis/apps/v1/namespaces/default/replicasets";
const EVENTS: &str = "/api/v1/namespaces/default/events";

fn web(sa: Option<&str>, replicas: i32) -> String {
    let sa = sa.map(|s| format!(r#""serviceAccountName":"{s}","#)).unwrap_or_default();
    format!(
        r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"web"}},"spec":{{"replicas":{replicas},"selector":{{"matchLabels":{{"app":"web"}}}},"template":{{"metadata":{{"labels":{{"app":"web"}}}},"spec":{{{sa}"containers":[{{"name":"nginx","image":"nginx:1.27"}}]}}}}}}}}"#
    )
}

fn items(c: &mut Cluster, path: &str) -> Vec<Value> {
    get(c, path).body["items"].as_array().cloned().unwrap_or_default()
}

fn live_pods(c: &mut Cluster) -> Vec<Value> {
    items(c, PODS).into_iter().filter(|p| p["metadata"]["deletionTimestamp"].is_null()).collect()
}

fn events(c: &mut Cluster, reason: &str) -> Vec<Value> {
    items(c, EVENTS).into_iter().filter(|e| e["reason"] == reason).collect()
}

fn patch(c: &mut Cluster, path: &str, body: &str) -> saplay_cluster::Response {
    c.handle(&Request::patch(path, "application/strategic-merge-patch+json", body))
}

#[test]
fn deployment_makes_a_replica_set_that_makes_pods_with_tokens() {
    let mut c = cluster();
    service_account(&mut c, "build-robot");
    create(&mut c, DEPLOYMENTS, &web(Some("build-robot"), 2));
    let sets = items(&mut c, REPLICASETS);
    assert_eq!(sets.len(), 1);
    let rs = &sets[0];
    let hash = rs["metadata"]["labels"]["pod-template-hash"].as_str().unwrap_or_default().to_string();
    assert_eq!(rs["metadata"]["name"], format!("web-{hash}"));
    assert!(hash.bytes().all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b)), "{hash}");
    assert_eq!(rs["spec"]["selector"]["matchLabels"]["pod-template-hash"], hash.as_str());
    assert_eq!(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
    assert_eq!(rs["metadata"]["ownerReferences"][0]["kind"], "Deployment");
    assert_eq!(rs["metadata"]["ownerReferences"][0]["controller"], true);
    assert_eq!(rs["metadata"]["ownerReferences"][0]["blockOwnerDeletion"], true);
    let pods = live_pods(&mut c);
    assert_eq!(pods.len(), 2);
    for pod in &pods {
        let name = pod["metadata"]["name"].as_str().unwrap_or_default();
        let suffix = name.strip_prefix(&format!("web-{hash}-")).unwrap_or_default();
        assert_eq!(suffix.len(), 5, "{name}");
        assert_eq!(pod["spec"]["serviceAccountName"], "build-robot");
        assert_eq!(pod["metadata"]["labels"]["pod-template-hash"], hash.as_str());
        assert_eq!(pod["status"]["phase"], "Running");
        let mounts = c.container_mounts("default", name, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(mounts.mounts.iter().any(|(path, _, v)| path.ends_with("serviceaccount") && !v.tokens.is_empty()));
    }
    let d = get(&mut c, &format!("{DEPLOYMENTS}/web")).body;
    assert_eq!(d["status"]["replicas"], 2);
    assert_eq!(d["status"]["availableReplicas"], 2);
    assert_eq!(d["status"]["updatedReplicas"], 2);
    assert_eq!(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
    let conditions: Vec<(String, String, String)> = d["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["type"].as_str().unwrap_or_default().to_string(),
                c["status"].as_str().unwrap_or_default().to_string(),
                c["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        conditions,
        [
            ("Available".into(), "True".into(), "MinimumReplicasAvailable".into()),
            ("Progressing".into(), "True".into(), "NewReplicaSetAvailable".into())
        ]
    );
    let scaling = events(&mut c, "ScalingReplicaSet");
    assert_eq!(scaling[0]["message"], format!("Scaled up replica set web-{hash} from 0 to 2"));
    assert_eq!(scaling[0]["source"]["component"], "deployment-controller");
    let created = events(&mut c, "SuccessfulCreate");
    assert_eq!(created.len(), 2);
    assert!(created[0]["message"].as_str().unwrap_or_default().starts_with(&format!("Created pod: web-{hash}-")));
    assert_eq!(created[0]["involvedObject"]["kind"], "ReplicaSet");
}

#[test]
fn missing_service_account_leaves_failed_create_until_it_exists() {
    let mut c = cluster();
    create(&mut c, DEPLOYMENTS, &web(Some("build-robot"), 1));
    assert!(live_pods(&mut c).is_empty());
    let rs_name = items(&mut c, REPLICASETS)[0]["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let failed = events(&mut c, "FailedCreate");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["type"], "Warning");
    assert_eq!(
        failed[0]["message"],
        format!(
            r#"Error creating: pods "{rs_name}-" is forbidden: error looking up service account default/build-robot: serviceaccount "build-robot" not found"#
        )
    );
    assert_eq!(failed[0]["involvedObject"]["name"], rs_name.as_str());
    // The controller retries with a backoff: the same event counts up.
    c.advance_seconds(60);
    let failed = events(&mut c, "FailedCreate");
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["count"].as_i64().unwrap_or_default() > 1);
    let d = get(&mut c, &format!("{DEPLOYMENTS}/web")).body;
    let failure =
        d["status"]["conditions"].as_array().into_iter().flatten().find(|c| c["type"] == "ReplicaFailure").cloned();
    assert_eq!(failure.map(|f| f["reason"].clone()), Some("FailedCreate".into()));
    service_account(&mut c, "build-robot");
    let pods = live_pods(&mut c);
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0]["spec"]["serviceAccountName"], "build-robot");
}

#[test]
fn scaling_up_and_down() {
    let mut c = cluster();
    create(&mut c, DEPLOYMENTS, &web(None, 1));
    let r = c.handle(&Request::patch(
        format!("{DEPLOYMENTS}/web/scale"),
        "application/merge-patch+json",
        r#"{"spec":{"replicas":3}}"#,
    ));
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(r.body["kind"], "Scale");
    assert_eq!(live_pods(&mut c).len(), 3);
    patch(&mut c, &format!("{DEPLOYMENTS}/web"), r#"{"spec":{"replicas":1}}"#);
    assert_eq!(live_pods(&mut c).len(), 1);
    let messages: Vec<String> = events(&mut c, "ScalingReplicaSet")
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with("Scaled up replica set") && m.ends_with("from 1 to 3")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("Scaled down replica set") && m.ends_with("from 3 to 1")),
        "{messages:?}"
    );
    assert_eq!(events(&mut c, "SuccessfulDelete").len(), 2);
}

#[test]
fn template_change_rolls_out_new_pods_with_new_tokens() {
    let mut c = cluster();
    service_account(&mut c, "old-sa");
    service_account(&mut c, "new-sa");
    create(&mut c, DEPLOYMENTS, &web(Some("old-sa"), 2));
    let old_pods: Vec<String> =
        live_pods(&mut c).iter().map(|p| p["metadata"]["name"].as_str().unwrap_or_default().to_string()).collect();
    let r = patch(
        &mut c,
        &format!("{DEPLOYMENTS}/web"),
        r#"{"spec":{"template":{"spec":{"serviceAccountName":"new-sa"}}}}"#,
    );
    assert_eq!(r.code, 200, "{}", r.body);
    let sets = items(&mut c, REPLICASETS);
    assert_eq!(sets.len(), 2);
    let new_rs = sets.iter().find(|rs| rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2");
    let old_rs = sets.iter().find(|rs| rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
    let (Some(new_rs), Some(old_rs)) = (new_rs, old_rs) else { panic!("revisions: {sets:?}") };
    assert_eq!(new_rs["spec"]["replicas"], 2);
    assert_eq!(old_rs["spec"]["replicas"], 0);
    let pods = live_pods(&mut c);
    assert_eq!(pods.len(), 2);
    for pod in &pods {
        let name = pod["metadata"]["name"].as_str().unwrap_or_default();
        assert!(!old_pods.contains(&name.to_string()));
        assert_eq!(pod["spec"]["serviceAccountName"], "new-sa");
        let mounts = c.container_mounts("default", name, None).unwrap_or_else(|e| panic!("{e:?}"));
        let token = mounts.mounts.iter().flat_map(|(_, _, v)| v.tokens.clone()).next();
        assert!(token.is_some_and(|t| t.claims.service_account == "new-sa"));
    }
    let d = get(&mut c, &format!("{DEPLOYMENTS}/web")).body;
    assert_eq!(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
    assert_eq!(d["metadata"]["generation"], 2);
    assert_eq!(d["status"]["observedGeneration"], 2);
    // The old pods terminate gracefully and are gone after 30 s.
    c.advance_seconds(31);
    assert_eq!(items(&mut c, PODS).len(), 2);
}

#[test]
fn deleting_owners_cascades_and_orphan_keeps_dependents() {
    let mut c = cluster();
    create(&mut c, DEPLOYMENTS, &web(None, 2));
    assert_eq!(delete(&mut c, &format!("{DEPLOYMENTS}/web")).code, 200);
    assert!(items(&mut c, REPLICASETS).is_empty());
    assert!(live_pods(&mut c).is_empty());
    c.advance_seconds(31);
    assert!(items(&mut c, PODS).is_empty());

    create(&mut c, DEPLOYMENTS, &web(None, 1));
    let r = delete(&mut c, &format!("{DEPLOYMENTS}/web?propagationPolicy=Orphan"));
    assert_eq!(r.code, 200);
    let sets = items(&mut c, REPLICASETS);
    assert_eq!(sets.len(), 1);
    assert!(sets[0]["metadata"]["ownerReferences"].is_null());
    assert_eq!(live_pods(&mut c).len(), 1);
}

#[test]
fn a_deleted_pod_is_replaced() {
    let mut c = cluster();
    create(&mut c, DEPLOYMENTS, &web(None, 1));
    let name = live_pods(&mut c)[0]["metadata"]["name"].as_str().unwrap_or_default().to_string();
    delete(&mut c, &format!("{PODS}/{name}"));
    let pods = live_pods(&mut c);
    assert_eq!(pods.len(), 1);
    assert_ne!(pods[0]["metadata"]["name"], name.as_str());
}

#[test]
fn daemon_sets_honour_the_node_selector() {
    let mut c = cluster();
    let ds = |name: &str, selector: &str| {
        format!(
            r#"{{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{{"name":"{name}"}},"spec":{{"selector":{{"matchLabels":{{"app":"{name}"}}}},"template":{{"metadata":{{"labels":{{"app":"{name}"}}}},"spec":{{"nodeSelector":{selector},"containers":[{{"name":"c","image":"busybox"}}]}}}}}}}}"#
        )
    };
    let path = "/apis/apps/v1/namespaces/default/daemonsets";
    create(&mut c, path, &ds("agent", r#"{"kubernetes.io/os":"linux"}"#));
    create(&mut c, path, &ds("ccm", r#"{"node-role.kubernetes.io/master":""}"#));
    let pods = live_pods(&mut c);
    assert_eq!(pods.len(), 1);
    assert!(pods[0]["metadata"]["name"].as_str().unwrap_or_default().starts_with("agent-"));
    assert_eq!(pods[0]["spec"]["nodeName"], "node-1");
    let agent = get(&mut c, &format!("{path}/agent")).body;
    assert_eq!(agent["status"]["desiredNumberScheduled"], 1);
    assert_eq!(agent["status"]["numberReady"], 1);
    let ccm = get(&mut c, &format!("{path}/ccm")).body;
    assert_eq!(ccm["status"]["desiredNumberScheduled"], 0);
}

#[test]
fn stateful_sets_name_pods_in_order() {
    let mut c = cluster();
    let path = "/apis/apps/v1/namespaces/default/statefulsets";
    create(
        &mut c,
        path,
        r#"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":3,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"c","image":"postgres"}]}}}}"#,
    );
    let names: Vec<String> =
        live_pods(&mut c).iter().map(|p| p["metadata"]["name"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(names, ["db-0", "db-1", "db-2"]);
    let messages: Vec<String> = events(&mut c, "SuccessfulCreate")
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(messages[0], "create Pod db-0 in StatefulSet db successful");
    let sts = get(&mut c, &format!("{path}/db")).body;
    assert_eq!(sts["status"]["readyReplicas"], 3);
    assert!(sts["status"]["currentRevision"].as_str().is_some_and(|r| r.starts_with("db-")));
}

#[test]
fn jobs_run_to_completion_on_the_clock() {
    let mut c = cluster();
    let path = "/apis/batch/v1/namespaces/default/jobs";
    create(
        &mut c,
        path,
        r#"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}}"#,
    );
    let job = get(&mut c, &format!("{path}/pi")).body;
    assert_eq!(job["status"]["active"], 1);
    assert!(job["status"]["completionTime"].is_null());
    c.advance_seconds(11);
    let job = get(&mut c, &format!("{path}/pi")).body;
    assert_eq!(job["status"]["succeeded"], 1);
    assert!(job["status"]["active"].is_null());
    assert!(job["status"]["completionTime"].is_string());
    let types: Vec<&str> =
        job["status"]["conditions"].as_array().into_iter().flatten().filter_map(|c| c["type"].as_str()).collect();
    assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
    assert_eq!(items(&mut c, PODS)[0]["status"]["phase"], "Succeeded");
    let completed = events(&mut c, "Completed");
    assert_eq!(completed.len(), 1);
    assert_eq!(completed[0]["message"], "Job completed");
}

#[test]
fn huge_replica_counts_stay_bounded() {
    let mut c = cluster();
    create(&mut c, DEPLOYMENTS, &web(None, 2_000_000_000));
    assert!(items(&mut c, PODS).len() <= 5000);
}
