//! The ServiceAccount admission plugin, row by row from the upstream rules
//! (`plugin/pkg/admission/serviceaccount/admission.go`).

mod common;
use common::*;
use serde_json::{json, Value};

fn pod(spec: Value) -> String {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "mypod"}, "spec": spec}).to_string()
}

fn nginx() -> Value {
    json!({"name": "web", "image": "nginx"})
}

fn token_volumes(pod: &Value) -> Vec<Value> {
    pod["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["name"].as_str().is_some_and(|n| n.starts_with("kube-api-access-")))
        .cloned()
        .collect()
}

fn is_api_access_name(name: &str) -> bool {
    name.strip_prefix("kube-api-access-")
        .is_some_and(|s| s.len() == 5 && s.bytes().all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b)))
}

#[test]
fn default_service_account_and_the_injected_volume() {
    let mut c = cluster();
    let created = create(
        &mut c,
        PODS,
        &pod(json!({"containers": [nginx()], "initContainers": [{"name": "init", "image": "busybox"}]})),
    );
    let spec = &created["spec"];
    assert_eq!(spec["serviceAccountName"], "default");
    assert_eq!(spec["serviceAccount"], "default", "v1 fills the deprecated alias");
    let volumes = token_volumes(&created);
    assert_eq!(volumes.len(), 1);
    let name = volumes[0]["name"].as_str().unwrap_or_default();
    assert!(is_api_access_name(name), "{name}");
    assert_eq!(
        volumes[0]["projected"],
        json!({
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]
        })
    );
    let mount = json!({"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": name, "readOnly": true});
    assert_eq!(spec["containers"][0]["volumeMounts"], json!([mount]));
    assert_eq!(spec["initContainers"][0]["volumeMounts"], json!([mount]));
}

#[test]
fn missing_service_account_is_forbidden() {
    let mut c = cluster();
    let r = post(&mut c, PODS, &pod(json!({"serviceAccountName": "build-robot", "containers": [nginx()]})));
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"pods "mypod" is forbidden: error looking up service account default/build-robot: serviceaccount "build-robot" not found"#
    );
    // Admission runs before validation: a bad name is "not found" too.
    let r = post(&mut c, PODS, &pod(json!({"serviceAccountName": "Bad_Name", "containers": [nginx()]})));
    assert!(failure(&r, 403, "Forbidden").ends_with(r#"serviceaccount "Bad_Name" not found"#));
    // generateName is used when the pod has no name.
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-7c5ddbdf54-"},
        "spec": {"serviceAccountName": "x", "containers": [nginx()]}});
    let r = post(&mut c, PODS, &body.to_string());
    assert!(failure(&r, 403, "Forbidden").starts_with(r#"pods "web-7c5ddbdf54-"#));
}

#[test]
fn automount_precedence_table() {
    // (pod.automountServiceAccountToken, sa.automountServiceAccountToken, injected)
    let rows: [(Option<bool>, Option<bool>, bool); 7] = [
        (None, None, true),
        (None, Some(true), true),
        (None, Some(false), false),
        (Some(true), Some(false), true),
        (Some(true), None, true),
        (Some(false), Some(true), false),
        (Some(false), None, false),
    ];
    for (i, (pod_setting, sa_setting, injected)) in rows.into_iter().enumerate() {
        let mut c = cluster();
        let mut sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}});
        if let Some(v) = sa_setting {
            sa["automountServiceAccountToken"] = v.into();
        }
        create(&mut c, SA, &sa.to_string());
        let mut spec = json!({"serviceAccountName": "robot", "containers": [nginx()]});
        if let Some(v) = pod_setting {
            spec["automountServiceAccountToken"] = v.into();
        }
        let created = create(&mut c, PODS, &pod(spec));
        assert_eq!(!token_volumes(&created).is_empty(), injected, "row {i}: pod {pod_setting:?}, sa {sa_setting:?}");
        assert_eq!(created["spec"]["containers"][0].get("volumeMounts").is_some(), injected, "row {i}");
    }
}

#[test]
fn an_existing_kube_api_access_volume_is_reused() {
    let mut c = cluster();
    let spec = json!({"containers": [nginx()], "volumes": [{"name": "kube-api-access-mine", "emptyDir": {}}]});
    let created = create(&mut c, PODS, &pod(spec));
    assert_eq!(created["spec"]["volumes"].as_array().map(Vec::len), Some(1));
    assert_eq!(created["spec"]["containers"][0]["volumeMounts"][0]["name"], "kube-api-access-mine");
}

#[test]
fn containers_that_already_mount_the_path_are_left_alone() {
    let mut c = cluster();
    let own = json!({"name": "mine", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"});
    let spec = json!({
        "containers": [{"name": "a", "image": "x", "volumeMounts": [own]}, {"name": "b", "image": "x"}],
        "volumes": [{"name": "mine", "emptyDir": {}}],
    });
    let created = create(&mut c, PODS, &pod(spec));
    let containers = &created["spec"]["containers"];
    assert_eq!(containers[0]["volumeMounts"], json!([own]));
    assert!(containers[1]["volumeMounts"][0]["name"].as_str().is_some_and(is_api_access_name));
    // Every container mounts the path already: no volume is added.
    let spec = json!({"containers": [{"name": "a", "image": "x", "volumeMounts": [own]}], "volumes": [{"name": "mine", "emptyDir": {}}]});
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p2"}, "spec": spec});
    let created = create(&mut c, PODS, &body.to_string());
    assert!(token_volumes(&created).is_empty());
}

#[test]
fn image_pull_secrets_are_copied_only_when_the_pod_has_none() {
    let mut c = cluster();
    create(
        &mut c,
        SA,
        r#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"},"imagePullSecrets":[{"name":"regcred"}]}"#,
    );
    let copied = create(&mut c, PODS, &pod(json!({"serviceAccountName": "robot", "containers": [nginx()]})));
    assert_eq!(copied["spec"]["imagePullSecrets"], json!([{"name": "regcred"}]));
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "own"},
        "spec": {"serviceAccountName": "robot", "containers": [nginx()], "imagePullSecrets": [{"name": "mine"}]}});
    let kept = create(&mut c, PODS, &body.to_string());
    assert_eq!(kept["spec"]["imagePullSecrets"], json!([{"name": "mine"}]));
}

#[test]
fn the_deprecated_service_account_field_is_honoured() {
    let mut c = cluster();
    create(&mut c, SA, r#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"dashboard-sa"}}"#);
    let created = create(&mut c, PODS, &pod(json!({"serviceAccount": "dashboard-sa", "containers": [nginx()]})));
    assert_eq!(created["spec"]["serviceAccountName"], "dashboard-sa");
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "both"},
        "spec": {"serviceAccount": "nosuch", "serviceAccountName": "dashboard-sa", "containers": [nginx()]}});
    let both = create(&mut c, PODS, &body.to_string());
    assert_eq!(
        (both["spec"]["serviceAccountName"].as_str(), both["spec"]["serviceAccount"].as_str()),
        (Some("dashboard-sa"), Some("dashboard-sa"))
    );
}

#[test]
fn service_account_name_is_immutable() {
    let mut c = cluster();
    create(&mut c, SA, r#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}"#);
    let mut created = create(&mut c, PODS, &pod(json!({"containers": [nginx()]})));
    created["spec"]["serviceAccountName"] = "robot".into();
    let r = put(&mut c, &format!("{PODS}/mypod"), &created.to_string());
    assert!(failure(&r, 422, "Invalid").starts_with(r#"Pod "mypod" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"#));
    // The image may change.
    let mut current = get(&mut c, &format!("{PODS}/mypod")).body;
    current["spec"]["containers"][0]["image"] = "nginx:1.27".into();
    assert_eq!(put(&mut c, &format!("{PODS}/mypod"), &current.to_string()).code, 200);
}

#[test]
fn mountable_secrets_are_enforced_only_when_annotated() {
    let mut c = cluster();
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "strict", "annotations": {"kubernetes.io/enforce-mountable-secrets": "true"}},
        "secrets": [{"name": "allowed"}]});
    create(&mut c, SA, &sa.to_string());
    let spec = json!({"serviceAccountName": "strict", "containers": [nginx()],
        "volumes": [{"name": "s", "secret": {"secretName": "other"}}]});
    let r = post(&mut c, PODS, &pod(spec));
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"pods "mypod" is forbidden: volume with secret.secretName="other" is not allowed because service account strict does not reference that secret"#
    );
    let spec = json!({"serviceAccountName": "strict", "containers": [{"name": "web", "image": "x",
        "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "other", "key": "p"}}}]}]});
    let r = post(&mut c, PODS, &pod(spec));
    assert!(failure(&r, 403, "Forbidden").ends_with("container web with envVar PASSWORD referencing secret.secretName=\"other\" is not allowed because service account strict does not reference that secret"));
    let spec = json!({"containers": [nginx()], "volumes": [{"name": "s", "secret": {"secretName": "other"}}]});
    assert_eq!(post(&mut c, PODS, &pod(spec)).code, 201, "default SA does not enforce");
}

#[test]
fn mirror_pods_may_not_reference_service_accounts() {
    let mut c = cluster();
    let body = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "static", "annotations": {"kubernetes.io/config.mirror": "x"}},
        "spec": {"serviceAccountName": "default", "containers": [nginx()]}});
    let r = post(&mut c, PODS, &body.to_string());
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"pods "static" is forbidden: a mirror pod may not reference service accounts"#
    );
    let body = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "static", "annotations": {"kubernetes.io/config.mirror": "x"}},
        "spec": {"containers": [nginx()]}});
    let created = create(&mut c, PODS, &body.to_string());
    assert!(token_volumes(&created).is_empty(), "mirror pods are never mutated");
}

#[test]
fn projected_token_lifetime_limits() {
    let mut c = cluster();
    let spec = |seconds: i64| {
        json!({"containers": [nginx()], "volumes": [{"name": "tok", "projected": {"sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": seconds, "audience": "vault"}}]}}]})
    };
    let r = post(&mut c, PODS, &pod(spec(60)));
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"Pod "mypod" is invalid: spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"#
    );
    let r = post(&mut c, PODS, &pod(spec(1 << 33)));
    assert!(failure(&r, 422, "Invalid").ends_with("may not specify a duration larger than 2^32 seconds"));
    assert_eq!(post(&mut c, PODS, &pod(spec(600))).code, 201);
}

/// `ValidateLocalNonReservedPath` on a projected token's path, and on the
/// items of secret, config map and downward API volumes, projected or not,
/// with the field paths v1.32 reports (a token's path and a downward API
/// file's path are named at the volume or source, not at the item).
#[test]
fn projected_and_item_paths_must_stay_inside_the_volume() {
    let mut c = cluster();
    let token = |path: &str| json!({"projected": {"sources": [{"serviceAccountToken": {"path": path}}]}});
    let secret_item = |path: &str| json!({"secret": {"secretName": "s", "items": [{"key": "k", "path": path}]}});
    let config_item = |path: &str| json!({"configMap": {"name": "c", "items": [{"key": "k", "path": path}]}});
    let projected_secret = |path: &str| json!({"projected": {"sources": [{"secret": {"name": "s", "items": [{"key": "k", "path": path}]}}]}});
    let projected_config = |path: &str| {
        json!({"projected": {"sources": [
            {"serviceAccountToken": {"path": "token"}},
            {"configMap": {"name": "c", "items": [{"key": "k", "path": path}]}}]}})
    };
    let projected_downward = |path: &str| json!({"projected": {"sources": [{"downwardAPI": {"items": [{"path": path, "fieldRef": {"fieldPath": "metadata.name"}}]}}]}});
    let downward =
        |path: &str| json!({"downwardAPI": {"items": [{"path": path, "fieldRef": {"fieldPath": "metadata.name"}}]}});
    let v = "spec.volumes[0]";
    let cases: Vec<(Value, Option<String>)> = vec![
        (token("token"), None),
        (token("a/b/token"), None),
        (token("..token"), Some(format!("{v}.projected.path: Invalid value: \"..token\": must not start with '..'"))),
        (token("a..b"), None),
        (token("/token"), Some(format!("{v}.projected.path: Invalid value: \"/token\": must be a relative path"))),
        (token("../token"), Some(format!("{v}.projected.path: Invalid value: \"../token\": must not contain '..'"))),
        (token("a/../token"), Some(format!("{v}.projected.path: Invalid value: \"a/../token\": must not contain '..'"))),
        // Upstream's quirk: a bare `..` is an element and a prefix, both reported.
        (
            token(".."),
            Some(format!(
                "[{v}.projected.path: Invalid value: \"..\": must not contain '..', {v}.projected.path: Invalid value: \"..\": must not start with '..']"
            )),
        ),
        (
            token("/a/../b"),
            Some(format!(
                "[{v}.projected.path: Invalid value: \"/a/../b\": must be a relative path, {v}.projected.path: Invalid value: \"/a/../b\": must not contain '..']"
            )),
        ),
        (token(""), Some(format!("{v}.projected.path: Required value"))),
        (secret_item("ok"), None),
        (secret_item("/etc/passwd"), Some(format!("{v}.secret.items[0].path: Invalid value: \"/etc/passwd\": must be a relative path"))),
        (secret_item(""), Some(format!("{v}.secret.items[0].path: Required value"))),
        (config_item("../x"), Some(format!("{v}.configMap.items[0].path: Invalid value: \"../x\": must not contain '..'"))),
        (
            projected_secret("..x"),
            Some(format!("{v}.projected.sources[0].secret.items[0].path: Invalid value: \"..x\": must not start with '..'")),
        ),
        (
            projected_config("/x"),
            Some(format!("{v}.projected.sources[1].configMap.items[0].path: Invalid value: \"/x\": must be a relative path")),
        ),
        (projected_downward("name"), None),
        (
            projected_downward("a/../name"),
            Some(format!("{v}.projected.sources[0].downwardAPI.path: Invalid value: \"a/../name\": must not contain '..'")),
        ),
        (downward("/name"), Some(format!("{v}.downwardAPI.path: Invalid value: \"/name\": must be a relative path"))),
    ];
    for (i, (mut volume, want)) in cases.into_iter().enumerate() {
        volume["name"] = json!("vol");
        let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": format!("p{i}")},
            "spec": {"serviceAccountName": "default", "containers": [nginx()], "volumes": [volume]}});
        let r = post(&mut c, PODS, &body.to_string());
        match want {
            None => assert_eq!(r.code, 201, "{volume}: {}", r.body),
            Some(want) => {
                let message = failure(&r, 422, "Invalid");
                assert_eq!(message, format!("Pod \"p{i}\" is invalid: {want}"), "{volume}");
            }
        }
    }
}

/// Two projected files at one path conflict, reported at the projected
/// volume with the second source's name; a key and a mode are checked.
#[test]
fn projected_items_conflict_and_keys_are_required() {
    let mut c = cluster();
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "dup"},
        "spec": {"containers": [nginx()], "volumes": [{"name": "vol", "projected": {"sources": [
            {"secret": {"name": "one", "items": [{"key": "a", "path": "same"}]}},
            {"configMap": {"name": "two", "items": [{"key": "", "path": "same", "mode": 512}]}}]}}]}});
    let message = failure(&post(&mut c, PODS, &body.to_string()), 422, "Invalid");
    assert_eq!(
        message,
        "Pod \"dup\" is invalid: [spec.volumes[0].projected.sources[1].configMap.items[0].key: Required value, \
         spec.volumes[0].projected.sources[1].configMap.items[0].mode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive, \
         spec.volumes[0].projected: Invalid value: \"two\": conflicting duplicate paths]"
    );
}
