//! Controllers reacting to changes: default service accounts, the root CA
//! ConfigMap, legacy token Secrets, namespace deletion, aggregation.

mod common;
use base64::Engine;
use common::*;
use saplay_cluster::{Request, Time};
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

/// kube-apiserver's tracking ConfigMap: `since` is the day the cluster
/// started tracking legacy token use.
#[test]
fn the_api_server_records_when_legacy_token_tracking_began() {
    let mut c = cluster();
    let cm =
        get(&mut c, "/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking");
    assert_eq!(cm.code, 200);
    assert_eq!(cm.body["data"], json!({"since": "2025-01-01"}));
    assert_eq!(c.next_deadline(), None, "no legacy token, nothing for the cleaner to do");
}

fn legacy_token_for(c: &mut saplay_cluster::Cluster, sa: &str, secret: &str, listed: bool) {
    create(c, SA, &json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": sa}}).to_string());
    let body = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": secret, "annotations": {"kubernetes.io/service-account.name": sa}}});
    create(c, SECRETS, &body.to_string());
    if listed {
        let patch = json!({"secrets": [{"name": secret}]}).to_string();
        let r = c.handle(&Request::patch(format!("{SA}/{sa}"), "application/merge-patch+json", patch));
        assert_eq!(r.code, 200, "{}", r.body);
    }
}

fn labels(c: &mut saplay_cluster::Cluster, secret: &str) -> serde_json::Value {
    get(c, &format!("{SECRETS}/{secret}")).body["metadata"]["labels"].clone()
}

const DAY: i64 = 86_400;
const START: i64 = 1_735_689_600; // 2025-01-01T00:00:00Z

/// The legacy token cleaner: a token Secret listed in its ServiceAccount's
/// `secrets`, unused for a year and named by no pod, is labelled invalid at
/// the first daily sync after tracking has run a whole year (from the day
/// after `since`), then deleted a year and a day after the label's date,
/// which drops it from the ServiceAccount's list.
#[test]
fn the_legacy_token_cleaner_labels_then_deletes_unused_auto_generated_tokens() {
    let mut c = cluster();
    legacy_token_for(&mut c, "old", "old-token", true);
    // Not listed in its account's `secrets`: not auto-generated, kept.
    legacy_token_for(&mut c, "manual", "manual-token", false);
    // Listed but named by a pod: kept while the pod is there.
    legacy_token_for(&mut c, "mounted", "mounted-token", true);
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "user"},
        "spec": {"serviceAccountName": "mounted", "automountServiceAccountToken": false, "containers": [{"name": "c", "image": "nginx",
            "env": [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "mounted-token", "key": "token"}}}]}]}});
    create(&mut c, PODS, &pod.to_string());
    // Used half a year in: judged from its last-used date instead.
    legacy_token_for(&mut c, "used", "used-token", true);

    let first_sync = Time::from_unix_seconds(START + 366 * DAY);
    assert_eq!(c.next_deadline(), Some(first_sync), "2026-01-02: 2025-01-02 plus 365 days");
    c.advance_seconds(182 * DAY);
    let token = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(get(&mut c, &format!("{SECRETS}/used-token")).body["data"]["token"].as_str().unwrap_or_default())
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(get_as(&mut c, &token, "/version").code, 200);
    assert_eq!(labels(&mut c, "used-token"), json!({"kubernetes.io/legacy-token-last-used": "2025-07-02"}));

    c.advance_to(first_sync);
    assert_eq!(c.now(), first_sync);
    assert_eq!(labels(&mut c, "old-token"), json!({"kubernetes.io/legacy-token-invalid-since": "2026-01-02"}));
    assert_eq!(labels(&mut c, "manual-token"), serde_json::Value::Null);
    assert_eq!(labels(&mut c, "mounted-token"), serde_json::Value::Null);
    assert_eq!(labels(&mut c, "used-token"), json!({"kubernetes.io/legacy-token-last-used": "2025-07-02"}));

    // The used token: last used 2025-07-02, so from 2026-07-03 on.
    let used_sync = Time::from_unix_seconds(START + (182 + 366) * DAY);
    assert_eq!(c.next_deadline(), Some(used_sync));
    // Deleting the pod frees the mounted token at the next daily sync.
    delete(&mut c, &format!("{PODS}/user?gracePeriodSeconds=0"));
    c.advance_seconds(60);
    assert_eq!(c.next_deadline(), Some(first_sync.plus_millis(DAY * 1000)));
    c.advance_seconds(DAY);
    assert_eq!(labels(&mut c, "mounted-token"), json!({"kubernetes.io/legacy-token-invalid-since": "2026-01-03"}));

    c.advance_to(used_sync);
    assert_eq!(
        labels(&mut c, "used-token"),
        json!({"kubernetes.io/legacy-token-last-used": "2025-07-02", "kubernetes.io/legacy-token-invalid-since": "2026-07-03"})
    );
    assert_eq!(get_as(&mut c, &token, "/version").code, 401, "a labelled token no longer authenticates");

    // Deleted once labelled a whole period before the day a period ago:
    // 2026-01-02 + 1 day + 365 days = 2027-01-03.
    let delete_sync = Time::from_unix_seconds(START + (366 + 366) * DAY);
    assert_eq!(c.next_deadline(), Some(delete_sync));
    c.advance_to(delete_sync);
    assert_eq!(get(&mut c, &format!("{SECRETS}/old-token")).code, 404);
    assert_eq!(get(&mut c, &format!("{SA}/old")).body["secrets"], serde_json::Value::Null);
    assert_eq!(get(&mut c, &format!("{SECRETS}/manual-token")).code, 200);
    assert_eq!(get(&mut c, &format!("{SECRETS}/mounted-token")).code, 200);
    c.advance_seconds(DAY);
    assert_eq!(get(&mut c, &format!("{SECRETS}/mounted-token")).code, 404);
}
