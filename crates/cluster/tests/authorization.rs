//! The RBAC authorizer: rule matching as upstream's tables, subject
//! matching, binding scope, reasons and forbidden messages, escalation
//! prevention, impersonation and the review APIs.

mod common;
use common::*;
use k8s_openapi::api::rbac::v1::PolicyRule;
use saplay_cluster::api::Impersonation;
use saplay_cluster::authn::UserInfo;
use saplay_cluster::rbac::{compact_rules, compact_string, rule_allows, uncovered_rules, Attributes};
use saplay_cluster::{Credential, Request};
use serde_json::json;

fn rule(groups: &[&str], resources: &[&str], names: &[&str], verbs: &[&str]) -> PolicyRule {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    PolicyRule {
        api_groups: Some(v(groups)),
        resources: Some(v(resources)),
        resource_names: (!names.is_empty()).then(|| v(names)),
        verbs: v(verbs),
        non_resource_urls: None,
    }
}

fn url_rule(urls: &[&str], verbs: &[&str]) -> PolicyRule {
    PolicyRule {
        non_resource_urls: Some(urls.iter().map(|s| s.to_string()).collect()),
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        ..PolicyRule::default()
    }
}

fn request(verb: &str, group: &str, resource: &str, sub: &str, name: &str) -> Attributes {
    Attributes {
        verb: verb.into(),
        resource_request: true,
        api_group: group.into(),
        resource: resource.into(),
        subresource: sub.into(),
        name: name.into(),
        namespace: "default".into(),
        path: String::new(),
    }
}

#[test]
fn rule_matching_table() {
    // (rule, request, allowed)
    let rows: Vec<(PolicyRule, Attributes, bool)> = vec![
        (rule(&[""], &["pods"], &[], &["get"]), request("get", "", "pods", "", "p"), true),
        (rule(&[""], &["pods"], &[], &["get"]), request("GET", "", "pods", "", "p"), false),
        (rule(&[""], &["pods"], &[], &["*"]), request("delete", "", "pods", "", "p"), true),
        (rule(&["apps"], &["pods"], &[], &["get"]), request("get", "", "pods", "", "p"), false),
        (rule(&["*"], &["deployments"], &[], &["get"]), request("get", "apps", "deployments", "", "d"), true),
        (rule(&[""], &["pods"], &[], &["get"]), request("get", "", "pods", "log", "p"), false),
        (rule(&[""], &["pods/log"], &[], &["get"]), request("get", "", "pods", "log", "p"), true),
        (rule(&[""], &["*"], &[], &["get"]), request("get", "", "pods", "exec", "p"), true),
        (rule(&[""], &["pods/*"], &[], &["get"]), request("get", "", "pods", "log", "p"), false),
        (rule(&["*"], &["*/scale"], &[], &["patch"]), request("patch", "apps", "deployments", "scale", "d"), true),
        (rule(&["*"], &["*/scale"], &[], &["patch"]), request("patch", "apps", "deployments", "", "d"), false),
        (rule(&[""], &["secrets"], &["db"], &["get"]), request("get", "", "secrets", "", "db"), true),
        (rule(&[""], &["secrets"], &["db"], &["get"]), request("get", "", "secrets", "", "other"), false),
        (rule(&[""], &["secrets"], &["db"], &["list"]), request("list", "", "secrets", "", ""), false),
        (rule(&[""], &["secrets"], &["db"], &["create"]), request("create", "", "secrets", "", ""), false),
        (
            rule(&[""], &["serviceaccounts/token"], &[], &["create"]),
            request("create", "", "serviceaccounts", "token", "sa"),
            true,
        ),
    ];
    for (i, (r, attrs, want)) in rows.iter().enumerate() {
        assert_eq!(rule_allows(attrs, r), *want, "row {i}: {r:?} vs {attrs:?}");
    }
    let path = |p: &str| Attributes { verb: "get".into(), path: p.into(), ..Attributes::default() };
    let urls: Vec<(PolicyRule, &str, bool)> = vec![
        (url_rule(&["/healthz/*"], &["get"]), "/healthz/etcd", true),
        (url_rule(&["/healthz/*"], &["get"]), "/healthz/", true),
        (url_rule(&["/healthz/*"], &["get"]), "/healthz", false),
        (url_rule(&["*"], &["get"]), "/metrics", true),
        (url_rule(&["/version"], &["get"]), "/version", true),
        (url_rule(&["/version"], &["post"]), "/version", false),
    ];
    for (r, p, want) in urls {
        assert_eq!(rule_allows(&path(p), &r), want, "{p}");
    }
    // Resource rules never allow paths and vice versa.
    assert!(!rule_allows(&path("/api"), &rule(&["*"], &["*"], &[], &["*"])));
}

const POD_READER: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","watch","list"]}]}"#;

fn bind(
    c: &mut saplay_cluster::Cluster,
    ns: &str,
    name: &str,
    role_kind: &str,
    role: &str,
    subjects: serde_json::Value,
) {
    let body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role}, "subjects": subjects});
    create(c, &format!("{RBAC}/namespaces/{ns}/rolebindings"), &body.to_string());
}

#[test]
fn a_fresh_service_account_may_do_almost_nothing() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let t = token(&mut c, "app");
    let r = get_as(&mut c, &t, PODS);
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"pods is forbidden: User "system:serviceaccount:default:app" cannot list resource "pods" in API group "" in the namespace "default""#
    );
    let r = get_as(&mut c, &t, &format!("{SA}/app"));
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"serviceaccounts "app" is forbidden: User "system:serviceaccount:default:app" cannot get resource "serviceaccounts" in API group "" in the namespace "default""#
    );
    let r = get_as(&mut c, &t, "/api/v1/nodes");
    assert!(
        failure(&r, 403, "Forbidden").ends_with(r#"cannot list resource "nodes" in API group "" at the cluster scope"#)
    );
    let r = get_as(&mut c, &t, "/metrics");
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"forbidden: User "system:serviceaccount:default:app" cannot get path "/metrics""#
    );
    assert_eq!(get_as(&mut c, &t, "/version").code, 200, "system:public-info-viewer");
    assert_eq!(get_as(&mut c, &t, "/api").code, 200, "system:discovery");
}

#[test]
fn a_role_binding_grants_in_its_namespace_only() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(&mut c, &format!("{RBAC}/namespaces/default/roles"), POD_READER);
    bind(&mut c, "default", "read-pods", "Role", "pod-reader", json!([{"kind": "ServiceAccount", "name": "app"}]));
    let t = token(&mut c, "app");
    assert_eq!(get_as(&mut c, &t, PODS).code, 200);
    assert_eq!(
        last_audit(&c).authorization,
        r#"allowed by RoleBinding "read-pods/default" of Role "pod-reader" to ServiceAccount "app/default""#
    );
    assert_eq!(get_as(&mut c, &t, "/api/v1/namespaces/kube-system/pods").code, 403);
    assert_eq!(get_as(&mut c, &t, "/api/v1/pods").code, 403, "all namespaces is cluster scope");
    assert_eq!(get_as(&mut c, &t, "/api/v1/namespaces/default/pods/x/log").code, 403, "pods does not grant pods/log");
}

#[test]
fn a_missing_role_is_named_in_the_reason() {
    let mut c = cluster();
    service_account(&mut c, "app");
    bind(&mut c, "default", "read-pods", "Role", "pod-reader", json!([{"kind": "ServiceAccount", "name": "app"}]));
    let t = token(&mut c, "app");
    let r = get_as(&mut c, &t, PODS);
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"pods is forbidden: User "system:serviceaccount:default:app" cannot list resource "pods" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "pod-reader" not found"#
    );
}

#[test]
fn missing_roles_are_a_reason_not_an_evaluation_error() {
    let mut c = cluster();
    service_account(&mut c, "dave");
    let sa = json!([{"kind": "ServiceAccount", "name": "dave"}]);
    let sar = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": {
        "user": "system:serviceaccount:default:dave", "groups": ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
        "resourceAttributes": {"namespace": "default", "verb": "get", "resource": "pods"}}});
    // (binding added before the review, the reason it gives)
    let cases = [
        (("rb", "Role", "nope"), Some(r#"RBAC: role.rbac.authorization.k8s.io "nope" not found"#)),
        // The same message twice is told once.
        (("rb-again", "Role", "nope"), Some(r#"RBAC: role.rbac.authorization.k8s.io "nope" not found"#)),
        (
            ("rb2", "ClusterRole", "gone"),
            Some(
                r#"RBAC: [role.rbac.authorization.k8s.io "nope" not found, clusterrole.rbac.authorization.k8s.io "gone" not found]"#,
            ),
        ),
    ];
    for ((name, kind, role), reason) in cases {
        bind(&mut c, "default", name, kind, role, sa.clone());
        let r = post(&mut c, "/apis/authorization.k8s.io/v1/subjectaccessreviews", &sar.to_string());
        assert_eq!(r.body["status"]["allowed"], false, "{name}");
        assert_eq!(r.body["status"]["reason"].as_str(), reason, "{name}");
        assert!(r.body["status"].get("evaluationError").is_none(), "{name}: {}", r.body);
    }
}

#[test]
fn rules_reviews_are_complete_despite_missing_roles() {
    let mut c = cluster();
    service_account(&mut c, "dave");
    let sa = json!([{"kind": "ServiceAccount", "name": "dave"}]);
    let t = token(&mut c, "dave");
    let review = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {"namespace": "default"}});
    // (binding added before the review, the evaluationError)
    let cases = [
        (None, None),
        (Some(("rb", "Role", "nope")), Some(r#"role.rbac.authorization.k8s.io "nope" not found"#)),
        (Some(("rb-again", "Role", "nope")), Some(r#"role.rbac.authorization.k8s.io "nope" not found"#)),
        (
            Some(("rb2", "ClusterRole", "gone")),
            Some(
                r#"[role.rbac.authorization.k8s.io "nope" not found, clusterrole.rbac.authorization.k8s.io "gone" not found]"#,
            ),
        ),
    ];
    for (binding, error) in cases {
        if let Some((name, kind, role)) = binding {
            bind(&mut c, "default", name, kind, role, sa.clone());
        }
        let r = c.handle(
            &Request::post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", review.to_string())
                .with_credential(Credential::BearerToken(t.clone())),
        );
        assert_eq!(r.code, 201, "{}", r.body);
        assert_eq!(r.body["status"]["incomplete"], false, "{binding:?}");
        assert_eq!(r.body["status"]["evaluationError"].as_str(), error, "{binding:?}");
        assert!(r.body["status"]["resourceRules"].as_array().is_some_and(|a| !a.is_empty()), "{binding:?}");
    }
}

#[test]
fn subjects_match_as_upstream() {
    let mut c = cluster();
    create(&mut c, NAMESPACES, r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}"#);
    create(
        &mut c,
        "/api/v1/namespaces/other/serviceaccounts",
        r#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"app"}}"#,
    );
    // A RoleBinding in default may name a service account of another namespace.
    bind(
        &mut c,
        "default",
        "cross",
        "ClusterRole",
        "view",
        json!([{"kind": "ServiceAccount", "name": "app", "namespace": "other"}]),
    );
    let r = post(&mut c, "/api/v1/namespaces/other/serviceaccounts/app/token", "{}");
    let t = r.body["status"]["token"].as_str().unwrap_or_default().to_string();
    assert_eq!(get_as(&mut c, &t, PODS).code, 200);
    assert_eq!(get_as(&mut c, &t, "/api/v1/namespaces/other/pods").code, 403);
    // A Group subject: all service accounts of a namespace.
    bind(
        &mut c,
        "default",
        "all-sas",
        "ClusterRole",
        "view",
        json!([{"kind": "Group", "name": "system:serviceaccounts:default", "apiGroup": "rbac.authorization.k8s.io"}]),
    );
    let t = token(&mut c, "default");
    assert_eq!(get_as(&mut c, &t, &format!("{SA}/default")).code, 200);
    // User "*" is not a wildcard.
    let star = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "star"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "User", "name": "*", "apiGroup": "rbac.authorization.k8s.io"}]});
    create(&mut c, &format!("{RBAC}/clusterrolebindings"), &star.to_string());
    assert_eq!(get_as(&mut c, &t, "/api/v1/nodes").code, 403);
}

#[test]
fn escalation_is_prevented() {
    let mut c = cluster();
    service_account(&mut c, "deployer");
    // deployer may manage roles and bindings in default, and read pods.
    let manager = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"rbac-manager"},"rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"],"verbs":["create","get"]},{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}"#;
    create(&mut c, &format!("{RBAC}/namespaces/default/roles"), manager);
    bind(
        &mut c,
        "default",
        "deployer-rbac",
        "Role",
        "rbac-manager",
        json!([{"kind": "ServiceAccount", "name": "deployer"}]),
    );
    let t = token(&mut c, "deployer");
    let as_deployer = |c: &mut saplay_cluster::Cluster, path: &str, body: &str| {
        c.handle(&Request::post(path, body).with_credential(Credential::BearerToken(t.clone())))
    };
    let ok = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"pods-only"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#;
    assert_eq!(as_deployer(&mut c, &format!("{RBAC}/namespaces/default/roles"), ok).code, 201);
    let greedy = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"secrets"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","list"]}]}"#;
    let r = as_deployer(&mut c, &format!("{RBAC}/namespaces/default/roles"), greedy);
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        "roles.rbac.authorization.k8s.io \"secrets\" is forbidden: user \"system:serviceaccount:default:deployer\" (groups=[\"system:serviceaccounts\" \"system:serviceaccounts:default\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}"
    );
    // Binding cluster-admin is refused too; binding what one holds is fine.
    let bind_admin = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "grab"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "ServiceAccount", "name": "deployer"}]});
    assert_eq!(
        as_deployer(&mut c, &format!("{RBAC}/namespaces/default/rolebindings"), &bind_admin.to_string()).code,
        403
    );
    let bind_ok = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "fine"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pods-only"},
        "subjects": [{"kind": "ServiceAccount", "name": "default"}]});
    assert_eq!(as_deployer(&mut c, &format!("{RBAC}/namespaces/default/rolebindings"), &bind_ok.to_string()).code, 201);
}

#[test]
fn missing_rights_are_compacted_like_upstream() {
    // (owner rules, requested rules, the lines of the message in order)
    let cases: Vec<(Vec<PolicyRule>, Vec<PolicyRule>, Vec<&str>)> = vec![
        (
            vec![],
            vec![rule(&[""], &["pods", "secrets"], &[], &["get", "list", "watch"])],
            vec![
                r#"{APIGroups:[""], Resources:["pods"], Verbs:["get" "list" "watch"]}"#,
                r#"{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "watch"]}"#,
            ],
        ),
        // Verbs keep the order they were asked in; lines are sorted.
        (
            vec![rule(&[""], &["pods"], &[], &["list"])],
            vec![
                rule(&["apps"], &["deployments"], &[], &["update", "get"]),
                rule(&[""], &["pods"], &[], &["patch", "list", "get"]),
            ],
            vec![
                r#"{APIGroups:[""], Resources:["pods"], Verbs:["patch" "get"]}"#,
                r#"{APIGroups:["apps"], Resources:["deployments"], Verbs:["update" "get"]}"#,
            ],
        ),
        // One resource name is still simple; each name is its own line.
        (
            vec![],
            vec![rule(&[""], &["configmaps"], &["a", "b"], &["get", "list"])],
            vec![
                r#"{APIGroups:[""], Resources:["configmaps"], ResourceNames:["a"], Verbs:["get" "list"]}"#,
                r#"{APIGroups:[""], Resources:["configmaps"], ResourceNames:["b"], Verbs:["get" "list"]}"#,
            ],
        ),
        // A name-less rule and a named one are not merged.
        (
            vec![],
            vec![rule(&[""], &["secrets"], &[], &["get"]), rule(&[""], &["secrets"], &["x"], &["delete"])],
            vec![
                r#"{APIGroups:[""], Resources:["secrets"], ResourceNames:["x"], Verbs:["delete"]}"#,
                r#"{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}"#,
            ],
        ),
        // Non-resource URLs are never merged; identical lines appear once.
        (
            vec![],
            vec![url_rule(&["/metrics", "/healthz"], &["get", "post"]), url_rule(&["/metrics"], &["get"])],
            vec![
                r#"{NonResourceURLs:["/healthz"], Verbs:["get"]}"#,
                r#"{NonResourceURLs:["/healthz"], Verbs:["post"]}"#,
                r#"{NonResourceURLs:["/metrics"], Verbs:["get"]}"#,
                r#"{NonResourceURLs:["/metrics"], Verbs:["post"]}"#,
            ],
        ),
        // A permission asked twice is missing twice, and merged twice.
        (
            vec![],
            vec![rule(&[""], &["pods"], &[], &["get"]), rule(&[""], &["pods"], &[], &["get", "list"])],
            vec![r#"{APIGroups:[""], Resources:["pods"], Verbs:["get" "get" "list"]}"#],
        ),
    ];
    for (owner, requested, want) in cases {
        let lines: std::collections::BTreeSet<String> =
            compact_rules(&uncovered_rules(&owner, &requested)).iter().map(compact_string).collect();
        assert_eq!(lines.into_iter().collect::<Vec<_>>(), want, "{requested:?}");
    }
}

#[test]
fn escalation_message_tells_resolution_errors() {
    let mut c = cluster();
    service_account(&mut c, "mk");
    let maker = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"maker"},"rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"],"verbs":["create"]}]}"#;
    create(&mut c, &format!("{RBAC}/namespaces/default/roles"), maker);
    let sa = json!([{"kind": "ServiceAccount", "name": "mk"}]);
    bind(&mut c, "default", "maker", "Role", "maker", sa.clone());
    let t = token(&mut c, "mk");
    let greedy = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}"#;
    let head = "roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"system:serviceaccount:default:mk\" (groups=[\"system:serviceaccounts\" \"system:serviceaccounts:default\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}";
    let try_create = |c: &mut saplay_cluster::Cluster| {
        let r = c.handle(
            &Request::post(format!("{RBAC}/namespaces/default/roles"), greedy)
                .with_credential(Credential::BearerToken(t.clone())),
        );
        failure(&r, 403, "Forbidden")
    };
    assert_eq!(try_create(&mut c), head);
    // One broken binding: the resolver's error, in a list.
    bind(&mut c, "default", "broken", "Role", "nope", sa.clone());
    assert_eq!(
        try_create(&mut c),
        format!("{head}; resolution errors: [role.rbac.authorization.k8s.io \"nope\" not found]")
    );
    // Two: the resolver's aggregate, itself in brackets, in the list.
    bind(&mut c, "default", "broken2", "ClusterRole", "gone", sa);
    assert_eq!(
        try_create(&mut c),
        format!("{head}; resolution errors: [[role.rbac.authorization.k8s.io \"nope\" not found, clusterrole.rbac.authorization.k8s.io \"gone\" not found]]")
    );
}

#[test]
fn impersonation_is_authorized_like_upstream() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let as_app = Impersonation { user: "system:serviceaccount:default:app".into(), ..Impersonation::default() };
    let r = c.handle(&Request::get(PODS).with_impersonation(as_app.clone()));
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"pods is forbidden: User "system:serviceaccount:default:app" cannot list resource "pods" in API group "" in the namespace "default""#
    );
    let event = last_audit(&c);
    assert_eq!(event.impersonated_by.as_deref(), Some("kubernetes-admin"));
    assert_eq!(event.groups, ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]);
    // A service account without the impersonate verb cannot impersonate.
    let t = token(&mut c, "app");
    let bob = Impersonation { user: "bob".into(), ..Impersonation::default() };
    let r = c.handle(&Request::get(PODS).with_credential(Credential::BearerToken(t)).with_impersonation(bob));
    assert_eq!(
        failure(&r, 403, "Forbidden"),
        r#"users "bob" is forbidden: User "system:serviceaccount:default:app" cannot impersonate resource "users" in API group "" at the cluster scope"#
    );
}

#[test]
fn access_reviews() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(&mut c, &format!("{RBAC}/namespaces/default/roles"), POD_READER);
    bind(&mut c, "default", "read-pods", "Role", "pod-reader", json!([{"kind": "ServiceAccount", "name": "app"}]));
    let sar = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": {
        "user": "system:serviceaccount:default:app", "groups": ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
        "resourceAttributes": {"namespace": "default", "verb": "list", "resource": "pods"}}});
    let r = post(&mut c, "/apis/authorization.k8s.io/v1/subjectaccessreviews", &sar.to_string());
    assert_eq!(r.code, 201, "{}", r.body);
    assert_eq!(r.body["status"]["allowed"], true);
    assert_eq!(
        r.body["status"]["reason"],
        r#"RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to ServiceAccount "app/default""#
    );
    let mut denied = sar.clone();
    denied["spec"]["resourceAttributes"]["verb"] = json!("delete");
    let r = post(&mut c, "/apis/authorization.k8s.io/v1/subjectaccessreviews", &denied.to_string());
    assert_eq!(r.body["status"]["allowed"], false);
    let bad = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": {"resourceAttributes": {"verb": "get"}}});
    let r = post(&mut c, "/apis/authorization.k8s.io/v1/subjectaccessreviews", &bad.to_string());
    assert_eq!(
        failure(&r, 422, "Invalid"),
        r#"SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified"#
    );
    // The service account asks about itself.
    let t = token(&mut c, "app");
    let ssar = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes": {"namespace": "default", "verb": "get", "resource": "pods"}}});
    let r = c.handle(
        &Request::post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", ssar.to_string())
            .with_credential(Credential::BearerToken(t.clone())),
    );
    assert_eq!(r.body["status"]["allowed"], true);
    let rules = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {"namespace": "default"}});
    let r = c.handle(
        &Request::post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", rules.to_string())
            .with_credential(Credential::BearerToken(t.clone())),
    );
    let resource_rules = r.body["status"]["resourceRules"].as_array().cloned().unwrap_or_default();
    assert!(resource_rules.iter().any(|r| r["resources"] == json!(["pods"])));
    let urls: usize = r.body["status"]["nonResourceRules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|rule| rule["nonResourceURLs"].as_array().map(Vec::len).unwrap_or(0))
        .sum();
    assert_eq!(urls, 20, "the 20 URL rows `kubectl auth can-i --list` shows a fresh service account");
    let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": t}});
    let r = post(&mut c, "/apis/authentication.k8s.io/v1/tokenreviews", &review.to_string());
    assert_eq!(r.body["status"]["authenticated"], true);
    assert_eq!(r.body["status"]["user"]["username"], "system:serviceaccount:default:app");
    let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "garbage"}});
    let r = post(&mut c, "/apis/authentication.k8s.io/v1/tokenreviews", &review.to_string());
    assert_eq!(r.body["status"]["authenticated"], false);
    assert!(r.body["status"]["error"].as_str().is_some_and(|e| e.starts_with("[invalid bearer token, ")));
    // A review without a token (absent or empty) is refused before any
    // authenticator is asked: 400 BadRequest, not an unauthenticated status.
    for spec in [json!({}), json!({"token": ""}), json!({"token": "", "audiences": ["api"]})] {
        let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": spec});
        let r = post(&mut c, "/apis/authentication.k8s.io/v1/tokenreviews", &review.to_string());
        assert_eq!(r.code, 400, "{spec}: {}", r.body);
        assert_eq!(r.body["kind"], "Status");
        assert_eq!(r.body["status"], "Failure");
        assert_eq!(r.body["reason"], "BadRequest");
        assert_eq!(r.body["message"], "token is required for TokenReview in authentication");
    }
    let r = post(
        &mut c,
        "/apis/authentication.k8s.io/v1/tokenreviews",
        r#"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview"}"#,
    );
    assert_eq!(r.code, 400, "no spec at all: {}", r.body);
    // Reviews cannot be read back.
    assert_eq!(get(&mut c, "/apis/authorization.k8s.io/v1/subjectaccessreviews").code, 405);
}

#[test]
fn masters_are_allowed_before_rbac() {
    let c = cluster();
    let decision =
        saplay_cluster::rbac::authorize(c.store(), &UserInfo::admin(), &request("delete", "", "nodes", "", "node-1"));
    assert!(decision.allowed);
}

#[test]
fn exec_needs_create_on_pods_exec() {
    let mut c = cluster();
    service_account(&mut c, "runner");
    create(
        &mut c,
        "/api/v1/namespaces/default/pods",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n",
    );
    let token = token(&mut c, "runner");
    let exec = |c: &mut saplay_cluster::Cluster, pod: &str| {
        c.handle(
            &Request::post(format!("/api/v1/namespaces/default/pods/{pod}/exec?command=ls"), "")
                .with_credential(Credential::BearerToken(token.clone())),
        )
    };
    let message = failure(&exec(&mut c, "web"), 403, "Forbidden");
    assert_eq!(
        message,
        "pods \"web\" is forbidden: User \"system:serviceaccount:default:runner\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"default\""
    );
    create(
        &mut c,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
        "kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: exec\nrules:\n- apiGroups: [\"\"]\n  resources: [pods/exec]\n  verbs: [create]\n",
    );
    create(
        &mut c,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
        "kind: RoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: exec\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: exec\nsubjects:\n- kind: ServiceAccount\n  name: runner\n  namespace: default\n",
    );
    assert_eq!(exec(&mut c, "web").code, 200);
    failure(&exec(&mut c, "nosuch"), 404, "NotFound");
    // Only `create` opens a stream.
    let r = get_as(&mut c, &token, "/api/v1/namespaces/default/pods/web/exec");
    assert_ne!(r.code, 200);
}
