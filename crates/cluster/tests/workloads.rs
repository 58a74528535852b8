//! Workload kinds through `Cluster::handle`: discovery, strict decoding,
//! defaults and validation of Deployments, ReplicaSets, DaemonSets,
//! StatefulSets and Jobs, and the plain Service and Ingress kinds.

mod common;

use common::*;
use serde_json::Value;

const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/default/deployments";
const REPLICASETS: &str = "/apis/apps/v1/namespaces/default/replicasets";
const DAEMONSETS: &str = "/apis/apps/v1/namespaces/default/daemonsets";
const STATEFULSETS: &str = "/apis/apps/v1/namespaces/default/statefulsets";
const JOBS: &str = "/apis/batch/v1/namespaces/default/jobs";
const SERVICES: &str = "/api/v1/namespaces/default/services";
const INGRESSES: &str = "/apis/networking.k8s.io/v1/namespaces/default/ingresses";

fn deployment(name: &str, selector: &str, labels: &str, pod_spec: &str) -> String {
    format!(
        r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"{name}"}},
        "spec":{{"selector":{selector},"template":{{"metadata":{{"labels":{labels}}},"spec":{pod_spec}}}}}}}"#
    )
}

const NGINX: &str = r#"{"containers":[{"name":"nginx","image":"nginx:1.27"}]}"#;

#[test]
fn discovery_serves_the_workload_groups() {
    let mut c = cluster();
    let apps = get(&mut c, "/apis/apps/v1");
    let names: Vec<&str> =
        apps.body["resources"].as_array().into_iter().flatten().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["daemonsets", "deployments", "replicasets", "statefulsets"]);
    assert_eq!(apps.body["resources"][1]["shortNames"], serde_json::json!(["deploy"]));
    let batch = get(&mut c, "/apis/batch/v1");
    assert_eq!(batch.body["resources"][0]["name"], "jobs");
    let groups = get(&mut c, "/apis");
    let group_names: Vec<&str> =
        groups.body["groups"].as_array().into_iter().flatten().filter_map(|g| g["name"].as_str()).collect();
    for g in ["apps", "batch", "networking.k8s.io"] {
        assert!(group_names.contains(&g), "{g} missing from {group_names:?}");
    }
    let core = get(&mut c, "/api/v1");
    let core_names: Vec<&str> =
        core.body["resources"].as_array().into_iter().flatten().filter_map(|r| r["name"].as_str()).collect();
    assert!(core_names.contains(&"events") && core_names.contains(&"services"));
}

#[test]
fn deployment_defaults_follow_apps_v1() {
    let mut c = cluster();
    let d =
        create(&mut c, DEPLOYMENTS, &deployment("web", r#"{"matchLabels":{"app":"web"}}"#, r#"{"app":"web"}"#, NGINX));
    let spec = &d["spec"];
    assert_eq!(spec["replicas"], 1);
    assert_eq!(spec["revisionHistoryLimit"], 10);
    assert_eq!(spec["progressDeadlineSeconds"], 600);
    assert_eq!(
        spec["strategy"],
        serde_json::json!({"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}})
    );
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Always");
    assert_eq!(pod["dnsPolicy"], "ClusterFirst");
    assert_eq!(pod["terminationGracePeriodSeconds"], 30);
    assert_eq!(pod["schedulerName"], "default-scheduler");
    assert_eq!(pod["containers"][0]["imagePullPolicy"], "IfNotPresent");
    assert_eq!(pod["containers"][0]["terminationMessagePath"], "/dev/termination-log");
    assert_eq!(d["metadata"]["generation"], 1);
}

#[test]
fn other_workload_defaults() {
    let mut c = cluster();
    let template = r#"{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#;
    let sts = create(
        &mut c,
        STATEFULSETS,
        &format!(
            r#"{{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{{"name":"db"}},"spec":{{"serviceName":"db","selector":{{"matchLabels":{{"app":"x"}}}},"template":{template}}}}}"#
        ),
    );
    assert_eq!(sts["spec"]["podManagementPolicy"], "OrderedReady");
    assert_eq!(
        sts["spec"]["updateStrategy"],
        serde_json::json!({"type":"RollingUpdate","rollingUpdate":{"partition":0}})
    );
    assert_eq!(sts["spec"]["replicas"], 1);
    assert_eq!(
        sts["spec"]["persistentVolumeClaimRetentionPolicy"],
        serde_json::json!({"whenDeleted":"Retain","whenScaled":"Retain"})
    );
    let ds = create(
        &mut c,
        DAEMONSETS,
        &format!(
            r#"{{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{{"name":"agent"}},"spec":{{"selector":{{"matchLabels":{{"app":"x"}}}},"template":{template}}}}}"#
        ),
    );
    assert_eq!(
        ds["spec"]["updateStrategy"],
        serde_json::json!({"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":1}})
    );
    assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    let rs = create(
        &mut c,
        REPLICASETS,
        &format!(
            r#"{{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{{"name":"rs"}},"spec":{{"selector":{{"matchLabels":{{"app":"x"}}}},"template":{template}}}}}"#
        ),
    );
    assert_eq!(rs["spec"]["replicas"], 1);
    let job = create(
        &mut c,
        JOBS,
        r#"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}}"#,
    );
    let spec = &job["spec"];
    assert_eq!(
        (spec["completions"].clone(), spec["parallelism"].clone(), spec["backoffLimit"].clone()),
        (1.into(), 1.into(), 6.into())
    );
    assert_eq!(spec["completionMode"], "NonIndexed");
    assert_eq!(spec["suspend"], false);
    let uid = job["metadata"]["uid"].as_str().unwrap_or_default();
    assert_eq!(spec["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], uid);
    let labels = &spec["template"]["metadata"]["labels"];
    assert_eq!((labels["job-name"].clone(), labels["controller-uid"].clone()), ("pi".into(), uid.into()));
    assert_eq!(labels["batch.kubernetes.io/job-name"], "pi");
}

/// (manifest, expected message of the Invalid or BadRequest answer)
#[test]
fn workload_validation_table() {
    let rows: Vec<(&str, String, &str)> = vec![
        (
            DEPLOYMENTS,
            deployment("x", r#"{"matchLabels":{"app":"y"}}"#, r#"{"app":"x"}"#, NGINX),
            r#"Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`"#,
        ),
        (
            DEPLOYMENTS,
            r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#.to_string(),
            r#"Deployment.apps "x" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`]"#,
        ),
        (
            DEPLOYMENTS,
            deployment("x", r#"{"matchLabels":{"app":"x"}}"#, r#"{"app":"x"}"#, r#"{"restartPolicy":"Never","containers":[{"name":"c","image":"nginx"}]}"#),
            r#"Deployment.apps "x" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#,
        ),
        (
            DEPLOYMENTS,
            deployment("x", r#"{"matchLabels":{"app":"x"}}"#, r#"{"app":"x"}"#, r#"{"containers":[{"name":"c"}]}"#),
            r#"Deployment.apps "x" is invalid: spec.template.spec.containers[0].image: Required value"#,
        ),
        (
            DEPLOYMENTS,
            deployment("x", r#"{"matchLabels":{"app":"x"}}"#, r#"{"app":"x"}"#, r#"{"containers":[{"name":"c","image":"nginx","serviceAccountName":"default"}]}"#),
            r#"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].serviceAccountName""#,
        ),
        (
            DEPLOYMENTS,
            r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"serviceAccountName":"a","selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#.to_string(),
            r#"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.serviceAccountName""#,
        ),
        (
            DEPLOYMENTS,
            r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#.to_string(),
            r#"Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"#,
        ),
        (
            JOBS,
            r#"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}"#.to_string(),
            r#"Job.batch "j" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#,
        ),
        (
            DAEMONSETS,
            r#"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}"#.to_string(),
            r#"DaemonSet.apps "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"#,
        ),
        (
            STATEFULSETS,
            r#"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"volumes":[{"name":"v","emptyDir":{}}],"containers":[{"name":"c","image":"busybox","volumeMounts":[{"name":"w","mountPath":"/w"}]}]}}}}"#.to_string(),
            r#"StatefulSet.apps "s" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "w""#,
        ),
    ];
    for (path, body, want) in rows {
        let mut c = cluster();
        let r = post(&mut c, &format!("{path}?fieldValidation=Strict"), &body);
        assert!(r.code == 422 || r.code == 400, "{body}: {}", r.body);
        let message = r.body["message"].as_str().unwrap_or_default();
        assert_eq!(message, want, "{body}");
    }
}

#[test]
fn selectors_are_immutable() {
    let mut c = cluster();
    create(
        &mut c,
        DEPLOYMENTS,
        &deployment("web", r#"{"matchLabels":{"app":"web"}}"#, r#"{"app":"web","v":"1"}"#, NGINX),
    );
    let patch = r#"{"spec":{"selector":{"matchLabels":{"app":"web","v":"1"}}}}"#;
    let r =
        c.handle(&saplay_cluster::Request::patch(format!("{DEPLOYMENTS}/web"), "application/merge-patch+json", patch));
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"#
    );
}

#[test]
fn services_and_ingresses_are_stored_with_strict_decoding() {
    let mut c = cluster();
    let svc = create(
        &mut c,
        SERVICES,
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"jenkins"},"spec":{"selector":{"app":"jenkins"},"ports":[{"name":"http","port":80,"targetPort":8080}]}}"#,
    );
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(svc["spec"]["ports"][0]["protocol"], "TCP");
    assert!(svc["spec"]["clusterIP"].as_str().is_some_and(|ip| ip.starts_with("10.96.")));
    let ing = create(
        &mut c,
        INGRESSES,
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"jenkins"},"spec":{"rules":[{"http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"jenkins","port":{"number":80}}}}]}}]}}"#,
    );
    assert_eq!(ing["kind"], "Ingress");
    let r = post(
        &mut c,
        &format!("{INGRESSES}?fieldValidation=Strict"),
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"x"},"spec":{"backend":{"serviceName":"a"}}}"#,
    );
    assert_eq!(
        failure(&r, 400, "BadRequest"),
        r#"Ingress in version "v1" cannot be handled as a Ingress: strict decoding error: unknown field "spec.backend""#
    );
}

#[test]
fn garbage_never_panics_for_workload_kinds() {
    let mut c = cluster();
    let bodies = [
        "",
        "{",
        "42",
        "null",
        r#"{"apiVersion":"apps/v1","kind":"Deployment"}"#,
        r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":null}"#,
        r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"replicas":"x"}}"#,
        r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"Bogus"}]},"template":{}}}"#,
    ];
    for path in [DEPLOYMENTS, REPLICASETS, DAEMONSETS, STATEFULSETS, JOBS, SERVICES, INGRESSES] {
        for body in bodies {
            let r = post(&mut c, path, body);
            assert!(r.code < 500, "{path} {body:?} gave {}: {}", r.code, r.body);
        }
        let r = get(&mut c, path);
        assert_eq!(r.code, 200);
        assert!(r.body["items"].is_array());
    }
    let _: Value = get(&mut c, "/api/v1/namespaces/default/events").body;
}
