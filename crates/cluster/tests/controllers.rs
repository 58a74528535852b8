//! Controllers reacting to changes: default service accounts, the root CA
//! ConfigMap, legacy token Secrets, namespace deletion, aggregation.

mod common;
use common::*;
use saplay_cluster::Request;
use serde_json::json;

#[test]
fn a_new_namespace_gets_its_default_service_account_and_ca() {
    let mut c = cluster();
    create(&mut c, NAMESPACES, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n");
    assert_eq!(get(&mut c, "/api/v1/namespaces/team-a/serviceaccounts/default").code, 200);
    let cm = get(&mut c, "/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt");
    assert_eq!(cm.body["data"]["ca.crt"], c.ca_pem());
}

#[test]
fn deleting_the_default_service_account_recreates_it_with_a_new_uid() {
    let mut c = cluster();
    let before = get(&mut c, &format!("{SA}/default")).body;
    assert_eq!(delete(&mut c, &format!("{SA}/default")).code, 200);
    let after = get(&mut c, &format!("{SA}/default"));
    assert_eq!(after.code, 200);
    assert_ne!(after.body["metadata"]["uid"], before["metadata"]["uid"]);
}

#[test]
fn the_root_ca_configmap_is_restored() {
    let mut c = cluster();
    let path = format!("{CONFIGMAPS}/kube-root-ca.crt");
    delete(&mut c, &path);
    assert_eq!(get(&mut c, &path).body["data"]["ca.crt"], c.ca_pem());
    let tampered = c.handle(&Request::patch(
        &path,
        "application/merge-patch+json",
        r#"{"data":{"ca.crt":"junk"},"metadata":{"labels":{"mine":"yes"}}}"#,
    ));
    assert_eq!(tampered.code, 200);
    let now = get(&mut c, &path).body;
    assert_eq!(now["data"]["ca.crt"], c.ca_pem());
    assert_eq!(now["metadata"]["labels"]["mine"], "yes", "other labels are kept");
}

#[test]
fn legacy_token_secret_without_its_service_account_is_deleted() {
    let mut c = cluster();
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": "secret-sa-sample", "annotations": {"kubernetes.io/service-account.name": "sa-name"}}});
    assert_eq!(post(&mut c, SECRETS, &secret.to_string()).code, 201);
    assert_eq!(get(&mut c, &format!("{SECRETS}/secret-sa-sample")).code, 404);
}

#[test]
fn legacy_token_secret_is_filled_and_dies_with_its_service_account() {
    let mut c = cluster();
    let sa = create(&mut c, SA, r#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"build-robot"}}"#);
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": "build-robot-secret", "annotations": {"kubernetes.io/service-account.name": "build-robot"}}});
    create(&mut c, SECRETS, &secret.to_string());
    let stored = get(&mut c, &format!("{SECRETS}/build-robot-secret")).body;
    assert_eq!(stored["metadata"]["annotations"]["kubernetes.io/service-account.uid"], sa["metadata"]["uid"]);
    assert_eq!(stored["data"]["namespace"], "ZGVmYXVsdA==", "base64 of default");
    assert!(stored["data"]["ca.crt"].as_str().is_some_and(|s| !s.is_empty()));
    delete(&mut c, &format!("{SA}/build-robot"));
    assert_eq!(get(&mut c, &format!("{SECRETS}/build-robot-secret")).code, 404);
}

#[test]
fn token_secret_without_the_annotation_is_invalid() {
    let mut c = cluster();
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token", "metadata": {"name": "s"}});
    let r = post(&mut c, SECRETS, &secret.to_string());
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"Secret "s" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value"#
    );
}

/// `ValidateSecret` for Docker config secrets: the key must be there and
/// hold a JSON object (or null), in Go's words; stringData counts too.
#[test]
fn docker_config_secrets_need_a_json_object() {
    let redacted = "Invalid value: \"<secret contents redacted>\"";
    let cases = [
        ("kubernetes.io/dockerconfigjson", json!({"data": {".dockerconfigjson": "eyJhdXRocyI6e319"}}), None),
        ("kubernetes.io/dockerconfigjson", json!({"stringData": {".dockerconfigjson": "null"}}), None),
        ("kubernetes.io/dockercfg", json!({"data": {".dockercfg": "e30="}}), None),
        ("Opaque", json!({"data": {".dockerconfigjson": "W10="}}), None),
        ("kubernetes.io/dockerconfigjson", json!({}), Some("data[.dockerconfigjson]: Required value".to_string())),
        (
            "kubernetes.io/dockerconfigjson",
            json!({"data": {"config.json": "e30="}}),
            Some("data[.dockerconfigjson]: Required value".to_string()),
        ),
        ("kubernetes.io/dockercfg", json!({"data": {".dockerconfigjson": "e30="}}), Some("data[.dockercfg]: Required value".to_string())),
        (
            "kubernetes.io/dockerconfigjson",
            json!({"data": {".dockerconfigjson": "eyJhdXRocyI6"}}),
            Some(format!("data[.dockerconfigjson]: {redacted}: unexpected end of JSON input")),
        ),
        (
            "kubernetes.io/dockerconfigjson",
            json!({"stringData": {".dockerconfigjson": "{auths}"}}),
            Some(format!(
                "data[.dockerconfigjson]: {redacted}: invalid character 'a' looking for beginning of object key string"
            )),
        ),
        (
            "kubernetes.io/dockerconfigjson",
            json!({"data": {".dockerconfigjson": "W10="}}),
            Some(format!(
                "data[.dockerconfigjson]: {redacted}: json: cannot unmarshal array into Go value of type map[string]interface {{}}"
            )),
        ),
    ];
    for (type_, mut secret, want) in cases {
        let mut c = cluster();
        secret["apiVersion"] = json!("v1");
        secret["kind"] = json!("Secret");
        secret["type"] = json!(type_);
        secret["metadata"] = json!({"name": "regcred"});
        let r = post(&mut c, SECRETS, &secret.to_string());
        match &want {
            None => assert_eq!(r.code, 201, "{secret}: {:?}", r.body),
            Some(want) => {
                assert_eq!(failure(&r, 422, "Invalid"), format!("Secret \"regcred\" is invalid: {want}"), "{secret}")
            }
        }
    }
}

#[test]
fn deleting_a_namespace_deletes_its_content() {
    let mut c = cluster();
    create(&mut c, NAMESPACES, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n");
    create(
        &mut c,
        "/api/v1/namespaces/team-a/serviceaccounts",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n",
    );
    create(
        &mut c,
        "/api/v1/namespaces/team-a/pods",
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"#,
    );
    let r = delete(&mut c, "/api/v1/namespaces/team-a");
    assert_eq!(r.body["status"]["phase"], "Terminating");
    assert_eq!(get(&mut c, "/api/v1/namespaces/team-a").code, 404);
    for path in ["serviceaccounts", "pods", "configmaps"] {
        let list = get(&mut c, &format!("/api/v1/namespaces/team-a/{path}"));
        assert_eq!(list.body["items"].as_array().map(Vec::len), Some(0), "{path}");
    }
}

#[test]
fn a_labelled_cluster_role_is_aggregated_into_edit_and_admin() {
    let mut c = cluster();
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "custom:aggregate-to-edit:endpoints", "labels": {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}},
        "rules": [{"apiGroups": [""], "resources": ["widgets"], "verbs": ["get"]}]});
    create(&mut c, &format!("{RBAC}/clusterroles"), &role.to_string());
    let has_widgets = |c: &mut saplay_cluster::Cluster, name: &str| {
        get(c, &format!("{RBAC}/clusterroles/{name}")).body["rules"]
            .as_array()
            .is_some_and(|rules| rules.iter().any(|r| r["resources"] == json!(["widgets"])))
    };
    assert!(has_widgets(&mut c, "edit"));
    assert!(has_widgets(&mut c, "admin"));
    assert!(!has_widgets(&mut c, "view"));
    delete(&mut c, &format!("{RBAC}/clusterroles/custom:aggregate-to-edit:endpoints"));
    assert!(!has_widgets(&mut c, "edit"));
    assert!(!has_widgets(&mut c, "admin"));
}
