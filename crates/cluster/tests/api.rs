//! Requests through the API surface: create, get, list, update, patch,
//! delete, and the errors kube-apiserver gives for each.

mod common;
use common::*;
use saplay_cluster::Request;

const BUILD_ROBOT: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\n";

#[test]
fn create_get_and_already_exists() {
    let mut c = cluster();
    let created = create(&mut c, SA, BUILD_ROBOT);
    assert_eq!(created["metadata"]["namespace"], "default");
    assert_eq!(created["metadata"]["creationTimestamp"], "2025-01-01T00:00:00Z");
    assert_eq!(created["metadata"]["uid"].as_str().map(str::len), Some(36));
    assert!(created["metadata"]["resourceVersion"].is_string());
    assert_eq!(get(&mut c, &format!("{SA}/build-robot")).body, created);
    let again = post(&mut c, SA, BUILD_ROBOT);
    assert_eq!(failure(&again, 409, "AlreadyExists"), r#"serviceaccounts "build-robot" already exists"#);
    assert_eq!(again.body["details"]["kind"], "serviceaccounts");
}

#[test]
fn not_found_messages_name_the_group_resource() {
    let mut c = cluster();
    assert_eq!(
        failure(&get(&mut c, &format!("{SA}/nosuch")), 404, "NotFound"),
        r#"serviceaccounts "nosuch" not found"#
    );
    assert_eq!(
        failure(&get(&mut c, &format!("{RBAC}/namespaces/default/rolebindings/nosuch")), 404, "NotFound"),
        r#"rolebindings.rbac.authorization.k8s.io "nosuch" not found"#
    );
    assert_eq!(
        failure(&delete(&mut c, &format!("{SA}/nosuch")), 404, "NotFound"),
        r#"serviceaccounts "nosuch" not found"#
    );
}

#[test]
fn create_in_a_missing_namespace() {
    let mut c = cluster();
    let r = post(&mut c, "/api/v1/namespaces/development/serviceaccounts", BUILD_ROBOT);
    assert_eq!(failure(&r, 404, "NotFound"), r#"namespaces "development" not found"#);
}

#[test]
fn namespace_in_body_must_match_the_path() {
    let mut c = cluster();
    let body = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  namespace: kube-system\n";
    let r = post(&mut c, SA, body);
    assert_eq!(
        failure(&r, 400, "BadRequest"),
        "the namespace of the provided object does not match the namespace sent on the request"
    );
    // Cluster-scoped objects lose a namespace they should not have.
    let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\n  namespace: default\nrules: []\n";
    let created = create(&mut c, &format!("{RBAC}/clusterroles"), role);
    assert!(created["metadata"].get("namespace").is_none());
}

#[test]
fn strict_field_validation() {
    let mut c = cluster();
    let body = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dashboard-sa\n  automountServiceAccountToken: false\n";
    let strict = c.handle(&Request::post(format!("{SA}?fieldValidation=Strict"), body));
    assert_eq!(
        failure(&strict, 400, "BadRequest"),
        r#"ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "metadata.automountServiceAccountToken""#
    );
    let two = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    imagee: nginx\n    image: nginx\n  serviceAccountNamee: x\n";
    let strict = c.handle(&Request::post(format!("{PODS}?fieldValidation=Strict"), two));
    assert!(failure(&strict, 400, "BadRequest").ends_with(
        r#"strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.serviceAccountNamee""#
    ));
    // Without fieldValidation the server warns and drops the field.
    let warned = post(&mut c, SA, body);
    assert_eq!(warned.code, 201);
    assert_eq!(warned.warnings, vec![r#"unknown field "metadata.automountServiceAccountToken""#]);
    assert!(warned.body.get("automountServiceAccountToken").is_none());
    let ignored =
        c.handle(&Request::post("/api/v1/namespaces/kube-system/serviceaccounts?fieldValidation=Ignore", body));
    assert!(ignored.warnings.is_empty());
    let bad = c.handle(&Request::post(format!("{SA}?fieldValidation=Loud"), body));
    assert_eq!(
        failure(&bad, 400, "BadRequest"),
        r#"fieldValidation must be one of "Ignore", "Warn", or "Strict", got "Loud""#
    );
}

#[test]
fn wrong_types_are_reported_as_go_would() {
    let mut c = cluster();
    let body = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysecretname\n  annotations:\n  - kubernetes.io/service-account.name: myserviceaccount\ntype: kubernetes.io/service-account-token\n";
    let r = post(&mut c, SECRETS, body);
    assert_eq!(
        failure(&r, 400, "BadRequest"),
        r#"Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string"#
    );
}

#[test]
fn invalid_names_per_kind() {
    let mut c = cluster();
    let r = post(&mut c, SA, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: Bad_Name\n");
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#
    );
    assert_eq!(r.body["details"]["causes"][0]["field"], "metadata.name");
    assert_eq!(r.body["details"]["causes"][0]["reason"], "FieldValueInvalid");
    let r = post(&mut c, NAMESPACES, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: my.ns\n");
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"Namespace "my.ns" is invalid: metadata.name: Invalid value: "my.ns": must not contain dots"#
    );
    let r = post(&mut c, SA, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {}\n");
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"ServiceAccount "" is invalid: metadata.name: Required value: name or generateName is required"#
    );
}

#[test]
fn generate_name_appends_five_characters() {
    let mut c = cluster();
    let created = create(&mut c, SA, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  generateName: robot-\n");
    let name = created["metadata"]["name"].as_str().unwrap_or_default();
    assert_eq!(name.len(), "robot-".len() + 5, "{name}");
    assert!(name.starts_with("robot-"));
}

#[test]
fn update_checks_resource_version_and_keeps_identity() {
    let mut c = cluster();
    let created = create(&mut c, SA, BUILD_ROBOT);
    let mut changed = created.clone();
    changed["automountServiceAccountToken"] = false.into();
    changed["metadata"]["uid"] = "forged".into();
    let r = put(&mut c, &format!("{SA}/build-robot"), &changed.to_string());
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(r.body["automountServiceAccountToken"], false);
    assert_eq!(r.body["metadata"]["uid"], created["metadata"]["uid"]);
    assert_ne!(r.body["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"]);
    // The old resourceVersion is now stale.
    let stale = put(&mut c, &format!("{SA}/build-robot"), &created.to_string());
    assert_eq!(
        failure(&stale, 409, "Conflict"),
        r#"Operation cannot be fulfilled on serviceaccounts "build-robot": the object has been modified; please apply your changes to the latest version and try again"#
    );
    // An update that changes nothing keeps the resourceVersion.
    let same = put(&mut c, &format!("{SA}/build-robot"), &r.body.to_string());
    assert_eq!(same.body["metadata"]["resourceVersion"], r.body["metadata"]["resourceVersion"]);
    let renamed = put(&mut c, &format!("{SA}/other"), &r.body.to_string());
    assert_eq!(
        failure(&renamed, 400, "BadRequest"),
        "the name of the object (build-robot) does not match the name on the URL (other)"
    );
}

#[test]
fn patches_of_each_type() {
    let mut c = cluster();
    create(&mut c, SA, BUILD_ROBOT);
    let path = format!("{SA}/build-robot");
    let merge =
        c.handle(&Request::patch(&path, "application/merge-patch+json", r#"{"metadata":{"labels":{"team":"ci"}}}"#));
    assert_eq!(merge.body["metadata"]["labels"]["team"], "ci");
    let json = c.handle(&Request::patch(
        &path,
        "application/json-patch+json",
        r#"[{"op":"add","path":"/imagePullSecrets","value":[{"name":"regcred"}]}]"#,
    ));
    assert_eq!(json.body["imagePullSecrets"][0]["name"], "regcred");
    let strategic = c.handle(&Request::patch(
        &path,
        "application/strategic-merge-patch+json",
        r#"{"secrets":[{"name":"a"}],"metadata":{"labels":{"team":null}}}"#,
    ));
    assert_eq!(strategic.body["secrets"][0]["name"], "a");
    assert!(strategic.body["metadata"].get("labels").is_none_or(|l| l.get("team").is_none()));
    let unknown = c.handle(&Request::patch(&path, "application/merge-patch+json", r#"{"spec":{"x":1}}"#));
    assert_eq!(unknown.warnings, vec![r#"unknown field "spec""#]);
    let missing = c.handle(&Request::patch(format!("{SA}/nosuch"), "application/merge-patch+json", "{}"));
    assert_eq!(failure(&missing, 404, "NotFound"), r#"serviceaccounts "nosuch" not found"#);
    let media = c.handle(&Request::patch(&path, "text/plain", "{}"));
    failure(&media, 415, "UnsupportedMediaType");
}

#[test]
fn list_with_label_and_field_selectors() {
    let mut c = cluster();
    create(&mut c, SA, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels: {app: web}\n");
    create(&mut c, SA, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n  labels: {app: db}\n");
    let web = get(&mut c, &format!("{SA}?labelSelector=app%3Dweb"));
    assert_eq!(web.body["items"].as_array().map(Vec::len), Some(1));
    let by_name = get(&mut c, &format!("{SA}?fieldSelector=metadata.name%3Db"));
    assert_eq!(by_name.body["items"][0]["metadata"]["name"], "b");
    let all = get(&mut c, "/api/v1/serviceaccounts");
    let all = all.body["items"].as_array().map(Vec::len);
    assert_eq!(all, Some(39), "4 defaults + kube-controller-manager's 33 in kube-system + a + b");
    let bad = get(&mut c, &format!("{SA}?fieldSelector=spec.x%3D1"));
    assert_eq!(failure(&bad, 400, "BadRequest"), "field label not supported: spec.x");
}

#[test]
fn delete_answers_with_a_success_status() {
    let mut c = cluster();
    create(&mut c, SA, BUILD_ROBOT);
    let r = delete(&mut c, &format!("{SA}/build-robot"));
    assert_eq!(r.code, 200);
    assert_eq!(r.body["status"], "Success");
    assert_eq!(r.body["details"]["name"], "build-robot");
    assert_eq!(get(&mut c, &format!("{SA}/build-robot")).code, 404);
}

#[test]
fn dry_run_stores_nothing() {
    let mut c = cluster();
    let r = c.handle(&Request::post(format!("{SA}?dryRun=All"), BUILD_ROBOT));
    assert_eq!(r.code, 201);
    assert_eq!(get(&mut c, &format!("{SA}/build-robot")).code, 404);
}

#[test]
fn unknown_resources_and_bad_scopes_are_404() {
    let mut c = cluster();
    assert_eq!(get(&mut c, "/api/v1/namespaces/default/widgets").code, 404);
    assert_eq!(get(&mut c, "/api/v1/namespaces/default/nodes/node-1").code, 404);
    assert_eq!(get(&mut c, "/api/v1/serviceaccounts/default").code, 404);
    let body = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n";
    let mismatch = post(&mut c, SA, body);
    assert_eq!(
        failure(&mismatch, 400, "BadRequest"),
        "the kind in the data (Role) does not match the expected kind (ServiceAccount)"
    );
}

#[test]
fn anonymous_requests_are_forbidden_with_upstream_wording() {
    let mut c = cluster();
    let r = c.handle(&Request::get(SA).with_credential(saplay_cluster::Credential::Anonymous));
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"serviceaccounts is forbidden: User "system:anonymous" cannot list resource "serviceaccounts" in API group "" in the namespace "default""#
    );
}

#[test]
fn garbage_bodies_are_bad_requests_not_panics() {
    let mut c = cluster();
    for body in
        ["", "{", "- a\n- b", "42", "null", "apiVersion: [", "\u{0}\u{1}", "kind: ServiceAccount\n---\nkind: Pod\n"]
    {
        let r = post(&mut c, SA, body);
        assert!((400..500).contains(&r.code), "{body:?} gave {}", r.code);
    }
}

#[test]
fn methods_on_the_wrong_path_are_not_allowed() {
    let mut c = cluster();
    let r = post(&mut c, &format!("{SA}/named"), BUILD_ROBOT);
    assert_eq!(failure(&r, 405, "MethodNotAllowed"), "the server does not allow this method on the requested resource");
    let r = put(&mut c, SA, BUILD_ROBOT);
    assert_eq!(r.code, 405);
}

#[test]
fn bad_labels_are_invalid() {
    let mut c = cluster();
    let r = post(
        &mut c,
        SA,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels:\n    app: \"bad value!\"\n",
    );
    assert!(failure(&r, 422, "Invalid").starts_with(r#"ServiceAccount "a" is invalid: metadata.labels: Invalid value: "bad value!": a valid label must be an empty string"#));
}
