//! The v1 defaults the API server stores with a Pod (and with the pod
//! template of every workload kind), as `pkg/apis/core/v1/defaults.go` and
//! its generated defaulters set them in v1.32; the node's capacity; the
//! kubelet's status of init containers.

mod common;

use common::*;
use serde_json::{json, Value};

const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/default/deployments";
const REPLICASETS: &str = "/apis/apps/v1/namespaces/default/replicasets";
const DAEMONSETS: &str = "/apis/apps/v1/namespaces/default/daemonsets";
const STATEFULSETS: &str = "/apis/apps/v1/namespaces/default/statefulsets";
const JOBS: &str = "/apis/batch/v1/namespaces/default/jobs";

/// A container with every field the defaults touch left unset.
fn bare_container(name: &str) -> Value {
    json!({
        "name": name,
        "image": "nginx:1.27",
        "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
        "env": [
            {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "KEPT", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.uid"}}},
            {"name": "PLAIN", "value": "x"}
        ],
        "livenessProbe": {"httpGet": {"port": 80}},
        "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5, "timeoutSeconds": 0},
        "startupProbe": {"grpc": {"port": 9000}, "failureThreshold": 30},
        "lifecycle": {"preStop": {"httpGet": {"port": 80, "path": "/quit"}}}
    })
}

fn bare_pod_spec() -> Value {
    json!({
        "initContainers": [{"name": "init", "image": "busybox:1.36", "ports": [{"containerPort": 8080}],
            "readinessProbe": {"exec": {"command": ["true"]}}}],
        "containers": [bare_container("app")],
        "volumes": [
            {"name": "info", "downwardAPI": {"items": [{"path": "name", "fieldRef": {"fieldPath": "metadata.name"}}]}},
            {"name": "proj", "projected": {"sources": [{"downwardAPI": {"items": [
                {"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}]}},
            {"name": "host", "hostPath": {"path": "/tmp"}},
            {"name": "scratch"}
        ]
    })
}

/// (JSON pointer into the pod spec, the value v1.32 stores there)
fn expected_spec_defaults() -> Vec<(&'static str, Value)> {
    vec![
        ("/containers/0/ports/0/protocol", json!("TCP")),
        ("/containers/0/ports/1/protocol", json!("UDP")),
        ("/initContainers/0/ports/0/protocol", json!("TCP")),
        ("/containers/0/env/0/valueFrom/fieldRef/apiVersion", json!("v1")),
        ("/containers/0/env/1/valueFrom/fieldRef/apiVersion", json!("v1")),
        ("/containers/0/env/2/valueFrom", Value::Null),
        (
            "/containers/0/livenessProbe",
            json!({"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}),
        ),
        (
            "/containers/0/readinessProbe",
            json!({"tcpSocket": {"port": 80}, "timeoutSeconds": 1, "periodSeconds": 5,
                "successThreshold": 1, "failureThreshold": 3}),
        ),
        (
            "/containers/0/startupProbe",
            json!({"grpc": {"port": 9000, "service": ""}, "timeoutSeconds": 1, "periodSeconds": 10,
                "successThreshold": 1, "failureThreshold": 30}),
        ),
        ("/containers/0/lifecycle/preStop/httpGet", json!({"port": 80, "path": "/quit", "scheme": "HTTP"})),
        (
            "/initContainers/0/readinessProbe",
            json!({"exec": {"command": ["true"]}, "timeoutSeconds": 1, "periodSeconds": 10,
                "successThreshold": 1, "failureThreshold": 3}),
        ),
        ("/containers/0/terminationMessagePath", json!("/dev/termination-log")),
        ("/containers/0/terminationMessagePolicy", json!("File")),
        ("/containers/0/imagePullPolicy", json!("IfNotPresent")),
        ("/initContainers/0/terminationMessagePolicy", json!("File")),
        ("/initContainers/0/imagePullPolicy", json!("IfNotPresent")),
        ("/volumes/0/downwardAPI/defaultMode", json!(420)),
        ("/volumes/0/downwardAPI/items/0/fieldRef/apiVersion", json!("v1")),
        ("/volumes/1/projected/sources/0/downwardAPI/items/0/fieldRef/apiVersion", json!("v1")),
        ("/volumes/2/hostPath/type", json!("")),
        ("/volumes/3/emptyDir", json!({})),
    ]
}

fn check_spec(what: &str, spec: &Value) {
    for (pointer, want) in expected_spec_defaults() {
        let got = spec.pointer(pointer).cloned().unwrap_or(Value::Null);
        assert_eq!(got, want, "{what}: {pointer}");
    }
}

#[test]
fn pod_containers_probes_env_and_volumes_get_the_v1_defaults() {
    let mut c = cluster();
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": bare_pod_spec()});
    let created = create(&mut c, PODS, &pod.to_string());
    check_spec("pod", &created["spec"]);
    let stored = get(&mut c, &format!("{PODS}/p")).body;
    check_spec("stored pod", &stored["spec"]);
}

#[test]
fn ephemeral_containers_get_the_container_defaults() {
    let mut spec = bare_pod_spec();
    let mut debug = bare_container("debug");
    if let Some(map) = debug.as_object_mut() {
        map.remove("livenessProbe");
        map.remove("readinessProbe");
        map.remove("startupProbe");
        map.remove("lifecycle");
    }
    spec["ephemeralContainers"] = json!([debug]);
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec});
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(pod).unwrap_or_default();
    let mut object = saplay_cluster::Object::Pod(pod);
    saplay_cluster::strategy::apply_defaults(&mut object);
    let e = &object.to_value()["spec"]["ephemeralContainers"][0];
    assert_eq!(e["ports"][0]["protocol"], "TCP");
    assert_eq!(e["ports"][1]["protocol"], "UDP");
    assert_eq!(e["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
    assert_eq!(e["terminationMessagePath"], "/dev/termination-log");
    assert_eq!(e["terminationMessagePolicy"], "File");
    assert_eq!(e["imagePullPolicy"], "IfNotPresent");
}

#[test]
fn host_network_pods_default_host_ports_but_templates_do_not() {
    let mut c = cluster();
    let spec = json!({"hostNetwork": true, "containers": [{"name": "c", "image": "nginx:1.27",
        "ports": [{"containerPort": 8080}, {"containerPort": 9090, "hostPort": 9090}]}]});
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "h"}, "spec": spec});
    let created = create(&mut c, PODS, &pod.to_string());
    assert_eq!(created["spec"]["containers"][0]["ports"][0]["hostPort"], 8080);
    assert_eq!(created["spec"]["containers"][0]["ports"][1]["hostPort"], 9090);
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "hn"},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "hn"}},
            "template": {"metadata": {"labels": {"app": "hn"}}, "spec": spec}}});
    let created = create(&mut c, DEPLOYMENTS, &d.to_string());
    let port = &created["spec"]["template"]["spec"]["containers"][0]["ports"][0];
    assert_eq!(port, &json!({"containerPort": 8080, "protocol": "TCP"}));
}

#[test]
fn limits_default_the_requests_of_pods_but_not_of_templates() {
    let mut c = cluster();
    let spec = json!({"containers": [{"name": "c", "image": "nginx:1.27",
        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "100m"}}}]});
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "r"}, "spec": spec});
    let created = create(&mut c, PODS, &pod.to_string());
    assert_eq!(created["spec"]["containers"][0]["resources"]["requests"], json!({"cpu": "100m", "memory": "128Mi"}));
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "rd"},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "rd"}},
            "template": {"metadata": {"labels": {"app": "rd"}}, "spec": spec}}});
    let created = create(&mut c, DEPLOYMENTS, &d.to_string());
    assert_eq!(created["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"], json!({"cpu": "100m"}));
}

/// Every workload kind's pod template gets the same container, probe, env
/// and volume defaults as a Pod; so do the pods its controller makes.
#[test]
fn workload_templates_get_the_pod_defaults() {
    let template = |app: &str, restart: &str| {
        let mut spec = bare_pod_spec();
        spec["restartPolicy"] = json!(restart);
        json!({"metadata": {"labels": {"app": app}}, "spec": spec})
    };
    let selector = |app: &str| json!({"matchLabels": {"app": app}});
    let rows: Vec<(&str, Value)> = vec![
        (
            DEPLOYMENTS,
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                "spec": {"selector": selector("d"), "template": template("d", "Always")}}),
        ),
        (
            REPLICASETS,
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"},
                "spec": {"selector": selector("rs"), "template": template("rs", "Always")}}),
        ),
        (
            DAEMONSETS,
            json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds"},
                "spec": {"selector": selector("ds"), "template": template("ds", "Always")}}),
        ),
        (
            STATEFULSETS,
            json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "ss"},
                "spec": {"serviceName": "ss", "selector": selector("ss"), "template": template("ss", "Always")}}),
        ),
        (
            JOBS,
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"template": template("j", "Never")}}),
        ),
    ];
    for (path, body) in rows {
        let mut c = cluster();
        let created = create(&mut c, path, &body.to_string());
        let kind = created["kind"].as_str().unwrap_or_default().to_string();
        check_spec(&kind, &created["spec"]["template"]["spec"]);
        // Templates are not Pods: no Pod-only defaults.
        assert_eq!(created["spec"]["template"]["spec"]["enableServiceLinks"], Value::Null, "{kind}");
        let pods = get(&mut c, PODS).body;
        let items = pods["items"].as_array().cloned().unwrap_or_default();
        assert!(!items.is_empty(), "{kind} made no pods");
        for pod in items {
            check_spec(&format!("{kind}'s pod"), &pod["spec"]);
        }
    }
}

#[test]
fn node_reports_capacity_and_allocatable() {
    let mut c = cluster();
    let node = get(&mut c, "/api/v1/nodes/node-1").body;
    let capacity = &node["status"]["capacity"];
    for (resource, want) in [("cpu", "2"), ("pods", "110"), ("hugepages-1Gi", "0"), ("hugepages-2Mi", "0")] {
        assert_eq!(capacity[resource], want, "{resource}");
    }
    for resource in ["memory", "ephemeral-storage"] {
        let value = capacity[resource].as_str().unwrap_or_default();
        assert!(value.ends_with("Ki") && value.len() > 4, "{resource}: {value}");
    }
    // kind's kubelet reserves nothing: allocatable is the capacity.
    assert_eq!(node["status"]["allocatable"], *capacity);
}

fn init_pod(name: &str, inits: Value) -> String {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {"initContainers": inits, "containers": [{"name": "app", "image": "nginx:1.27"}]}})
    .to_string()
}

#[test]
fn completed_init_containers_are_reported_terminated() {
    let mut c = cluster();
    create(
        &mut c,
        PODS,
        &init_pod(
            "i",
            json!([{"name": "setup", "image": "busybox:1.36"}, {"name": "migrate", "image": "busybox:1.36"}]),
        ),
    );
    let pod = get(&mut c, &format!("{PODS}/i")).body;
    let status = &pod["status"];
    assert_eq!(status["phase"], "Running");
    let inits = status["initContainerStatuses"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = inits.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["setup", "migrate"]);
    for s in &inits {
        let terminated = &s["state"]["terminated"];
        assert_eq!(terminated["exitCode"], 0, "{s}");
        assert_eq!(terminated["reason"], "Completed", "{s}");
        assert!(terminated["startedAt"].is_string() && terminated["finishedAt"].is_string(), "{s}");
        assert_eq!(s["state"]["running"], Value::Null);
        // The prober calls an init container that exited 0 ready; it no
        // longer runs, so it is not started.
        assert_eq!((s["ready"].as_bool(), s["started"].as_bool()), (Some(true), Some(false)), "{s}");
        assert_eq!(s["restartCount"], 0);
        // The runtime's name for the image, and the container it ran.
        assert_eq!(s["image"], "docker.io/library/busybox:1.36");
        assert!(s["imageID"].as_str().is_some_and(|id| id.starts_with("docker.io/library/busybox@sha256:")), "{s}");
        assert_eq!(terminated["containerID"], s["containerID"], "{s}");
        assert!(s["containerID"].as_str().is_some_and(|id| id.starts_with("containerd://")), "{s}");
    }
    assert!(status["containerStatuses"][0]["state"]["running"].is_object());
    let initialized = status["conditions"].as_array().into_iter().flatten().find(|c| c["type"] == "Initialized");
    assert_eq!(initialized.map(|c| c["status"].clone()), Some(json!("True")));
}

#[test]
fn sidecar_init_containers_keep_running() {
    let mut c = cluster();
    create(
        &mut c,
        PODS,
        &init_pod(
            "s",
            json!([{"name": "setup", "image": "busybox:1.36"},
                {"name": "proxy", "image": "envoyproxy/envoy:v1.32.0", "restartPolicy": "Always"}]),
        ),
    );
    let pod = get(&mut c, &format!("{PODS}/s")).body;
    let inits = &pod["status"]["initContainerStatuses"];
    assert_eq!(inits[0]["state"]["terminated"]["reason"], "Completed");
    assert!(inits[1]["state"]["running"]["startedAt"].is_string(), "{inits}");
    assert_eq!((inits[1]["ready"].as_bool(), inits[1]["started"].as_bool()), (Some(true), Some(true)));
}

#[test]
fn pods_without_init_containers_have_no_init_statuses() {
    let mut c = cluster();
    create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"n"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}"#,
    );
    let pod = get(&mut c, &format!("{PODS}/n")).body;
    assert_eq!(pod["status"]["initContainerStatuses"], Value::Null);
}

#[test]
fn pods_waiting_for_a_volume_have_init_containers_waiting() {
    let mut c = cluster();
    // A ConfigMap that does not exist: the projected volume cannot be
    // written and the pod waits, its init containers not yet run.
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w"},
        "spec": {"initContainers": [{"name": "setup", "image": "busybox:1.36"}],
            "containers": [{"name": "app", "image": "nginx:1.27"}],
            "volumes": [{"name": "cfg", "projected": {"sources": [{"configMap": {"name": "missing"}}]}}]}});
    create(&mut c, PODS, &body.to_string());
    let pod = get(&mut c, &format!("{PODS}/w")).body;
    let status = &pod["status"];
    assert_eq!(status["phase"], "Pending");
    assert_eq!(status["initContainerStatuses"][0]["state"]["waiting"]["reason"], "PodInitializing");
    assert_eq!(status["initContainerStatuses"][0]["ready"], false);
    assert_eq!(status["containerStatuses"][0]["state"]["waiting"]["reason"], "PodInitializing");
    let initialized = status["conditions"].as_array().into_iter().flatten().find(|c| c["type"] == "Initialized");
    assert_eq!(initialized.map(|c| c["status"].clone()), Some(json!("False")));
}

/// (containers' resources, init container's resources, the QoS class
/// v1.32 stores in the pod's status)
#[test]
fn qos_class_follows_requests_and_limits() {
    let both = json!({"limits": {"cpu": "500m", "memory": "128Mi"}});
    let rows: Vec<(Value, Value, &str)> = vec![
        (json!({}), json!({}), "BestEffort"),
        (json!({"requests": {"cpu": "0", "memory": "0"}}), json!({}), "BestEffort"),
        (json!({"requests": {"ephemeral-storage": "1Gi"}}), json!({}), "BestEffort"),
        (json!({"requests": {"cpu": "100m"}}), json!({}), "Burstable"),
        // Requests default to the limits: equal, so Guaranteed.
        (both.clone(), json!({}), "Guaranteed"),
        (both.clone(), both.clone(), "Guaranteed"),
        // An init container without limits spoils it.
        (both.clone(), json!({"requests": {"cpu": "100m"}}), "Burstable"),
        (json!({"limits": {"cpu": "500m"}}), json!({}), "Burstable"),
        (
            json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1024Mi"}}),
            json!({}),
            "Guaranteed",
        ),
        (
            json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}),
            json!({}),
            "Burstable",
        ),
    ];
    for (i, (app, init, want)) in rows.into_iter().enumerate() {
        let mut c = cluster();
        let mut spec = json!({"containers": [{"name": "app", "image": "nginx:1.27", "resources": app}]});
        if init != json!({}) {
            spec["initContainers"] = json!([{"name": "init", "image": "busybox:1.36", "resources": init}]);
        }
        let name = format!("q{i}");
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec});
        let created = create(&mut c, PODS, &pod.to_string());
        assert_eq!(created["status"]["qosClass"], want, "row {i}: {spec}");
        let running = get(&mut c, &format!("{PODS}/{name}")).body;
        assert_eq!(running["status"]["qosClass"], want, "row {i} once running");
    }
}

/// SetDefaults_RoleBinding, _ClusterRoleBinding and _Subject: a roleRef
/// or a User or Group subject without `apiGroup` gets RBAC's; a service
/// account keeps none. A real cluster takes such a manifest, so must we.
#[test]
fn bindings_get_the_rbac_api_group_where_it_is_left_out() {
    let mut c = cluster();
    let subjects = r#"[{"kind": "User", "name": "jane"}, {"kind": "Group", "name": "devs"},
        {"kind": "ServiceAccount", "name": "default", "namespace": "default"}]"#;
    for (path, kind) in [
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", "RoleBinding"),
        ("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "ClusterRoleBinding"),
    ] {
        let body = format!(
            r#"{{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "{kind}", "metadata": {{"name": "loose"}},
                "roleRef": {{"kind": "ClusterRole", "name": "view"}}, "subjects": {subjects}}}"#
        );
        create(&mut c, path, &body);
        let stored = get(&mut c, &format!("{path}/loose")).body;
        assert_eq!(stored["roleRef"]["apiGroup"], "rbac.authorization.k8s.io", "{kind}");
        assert_eq!(stored["subjects"][0]["apiGroup"], "rbac.authorization.k8s.io", "{kind}");
        assert_eq!(stored["subjects"][1]["apiGroup"], "rbac.authorization.k8s.io", "{kind}");
        assert_eq!(stored["subjects"][2].get("apiGroup"), None, "{kind}: {}", stored["subjects"][2]);
    }
}
