//! The Roles and RoleBindings kube-apiserver v1.32 creates at start-up in
//! kube-system and kube-public (upstream's `namespace_policy.go`): a fresh
//! cluster holds exactly those, with upstream's rules and subjects, and
//! RBAC authorizes through them in their namespace and nowhere else.

mod common;
use common::*;
use saplay_cluster::authn::UserInfo;
use saplay_cluster::rbac::Attributes;
use serde_json::{json, Value};

/// `(namespace, name, rules)`, a rule being `(apiGroups, resources,
/// resourceNames, verbs)`, in the order the API lists them.
type RoleRow = (
    &'static str,
    &'static str,
    &'static [(&'static [&'static str], &'static str, &'static str, &'static [&'static str])],
);

const EVENTS: (&[&str], &str, &str, &[&str]) = (&["", "events.k8s.io"], "events", "", &["create", "patch", "update"]);
const LEADER_LOCKING: [(&[&str], &str, &str, &[&str]); 2] = [
    (&["coordination.k8s.io"], "leases", "", &["create", "get", "list", "update", "watch"]),
    (&["coordination.k8s.io"], "leasecandidates", "", &["create", "get", "list", "update", "watch"]),
];

const ROLES: [RoleRow; 7] = [
    (
        "kube-public",
        "system:controller:bootstrap-signer",
        &[
            (&[""], "configmaps", "", &["get", "list", "watch"]),
            (&[""], "configmaps", "cluster-info", &["update"]),
            EVENTS,
        ],
    ),
    (
        "kube-system",
        "extension-apiserver-authentication-reader",
        &[(&[""], "configmaps", "extension-apiserver-authentication", &["get", "list", "watch"])],
    ),
    (
        "kube-system",
        "system::leader-locking-kube-controller-manager",
        &[
            (&[""], "configmaps", "", &["watch"]),
            (&[""], "configmaps", "kube-controller-manager", &["get", "update"]),
            LEADER_LOCKING[0],
            LEADER_LOCKING[1],
        ],
    ),
    (
        "kube-system",
        "system::leader-locking-kube-scheduler",
        &[
            (&[""], "configmaps", "", &["watch"]),
            (&[""], "configmaps", "kube-scheduler", &["get", "update"]),
            LEADER_LOCKING[0],
            LEADER_LOCKING[1],
        ],
    ),
    ("kube-system", "system:controller:bootstrap-signer", &[(&[""], "secrets", "", &["get", "list", "watch"])]),
    (
        "kube-system",
        "system:controller:cloud-provider",
        &[(&[""], "configmaps", "", &["create", "get", "list", "watch"])],
    ),
    (
        "kube-system",
        "system:controller:token-cleaner",
        &[(&[""], "secrets", "", &["delete", "get", "list", "watch"]), EVENTS],
    ),
];

/// `(namespace, name, Role, subjects)`, a subject being `(kind, name)`:
/// Users with `apiGroup: rbac.authorization.k8s.io`, ServiceAccounts of
/// kube-system.
type BindingRow = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const BINDINGS: [BindingRow; 7] = [
    (
        "kube-public",
        "system:controller:bootstrap-signer",
        "system:controller:bootstrap-signer",
        &[("ServiceAccount", "bootstrap-signer")],
    ),
    (
        "kube-system",
        "system::extension-apiserver-authentication-reader",
        "extension-apiserver-authentication-reader",
        &[("User", "system:kube-controller-manager"), ("User", "system:kube-scheduler")],
    ),
    (
        "kube-system",
        "system::leader-locking-kube-controller-manager",
        "system::leader-locking-kube-controller-manager",
        &[
            ("User", "system:kube-controller-manager"),
            ("ServiceAccount", "kube-controller-manager"),
            ("ServiceAccount", "leader-election-controller"),
        ],
    ),
    (
        "kube-system",
        "system::leader-locking-kube-scheduler",
        "system::leader-locking-kube-scheduler",
        &[("User", "system:kube-scheduler"), ("ServiceAccount", "kube-scheduler")],
    ),
    (
        "kube-system",
        "system:controller:bootstrap-signer",
        "system:controller:bootstrap-signer",
        &[("ServiceAccount", "bootstrap-signer")],
    ),
    (
        "kube-system",
        "system:controller:cloud-provider",
        "system:controller:cloud-provider",
        &[("ServiceAccount", "cloud-provider")],
    ),
    (
        "kube-system",
        "system:controller:token-cleaner",
        "system:controller:token-cleaner",
        &[("ServiceAccount", "token-cleaner")],
    ),
];

fn items(c: &mut saplay_cluster::Cluster, path: &str) -> Vec<Value> {
    let list = get(c, path);
    assert_eq!(list.code, 200, "{}", list.body);
    list.body["items"].as_array().cloned().unwrap_or_default()
}

fn key(item: &Value) -> (String, String) {
    let meta = &item["metadata"];
    (meta["namespace"].as_str().unwrap_or_default().to_string(), meta["name"].as_str().unwrap_or_default().to_string())
}

/// Upstream's bootstrap metadata: the label, the autoupdate annotation,
/// and what the API server gives every object.
fn assert_bootstrap_metadata(item: &Value) {
    let meta = &item["metadata"];
    assert_eq!(meta["labels"], json!({"kubernetes.io/bootstrapping": "rbac-defaults"}), "{meta}");
    assert_eq!(meta["annotations"], json!({"rbac.authorization.kubernetes.io/autoupdate": "true"}), "{meta}");
    assert!(meta["uid"].is_string() && meta["creationTimestamp"].is_string() && meta["resourceVersion"].is_string());
}

#[test]
fn a_fresh_cluster_has_exactly_the_bootstrap_roles() {
    let mut c = cluster();
    let roles = items(&mut c, &format!("{RBAC}/roles"));
    let keys: Vec<_> = roles.iter().map(key).collect();
    let expected: Vec<_> = ROLES.iter().map(|(ns, name, _)| (ns.to_string(), name.to_string())).collect();
    assert_eq!(keys, expected, "all namespaces, by namespace then name");
    for (role, (namespace, name, rules)) in roles.iter().zip(ROLES) {
        assert_bootstrap_metadata(role);
        let expected: Vec<Value> = rules
            .iter()
            .map(|(groups, resource, resource_name, verbs)| {
                let mut rule = json!({"apiGroups": groups, "resources": [resource], "verbs": verbs});
                if !resource_name.is_empty() {
                    rule["resourceNames"] = json!([resource_name]);
                }
                rule
            })
            .collect();
        assert_eq!(role["rules"], json!(expected), "{namespace}/{name}");
        let one = get(&mut c, &format!("{RBAC}/namespaces/{namespace}/roles/{name}"));
        assert_eq!(one.body["kind"], "Role");
        assert_eq!(one.body["rules"], role["rules"]);
    }
    assert!(items(&mut c, &format!("{RBAC}/namespaces/default/roles")).is_empty());
}

#[test]
fn a_fresh_cluster_has_exactly_the_bootstrap_role_bindings() {
    let mut c = cluster();
    let bindings = items(&mut c, &format!("{RBAC}/rolebindings"));
    let keys: Vec<_> = bindings.iter().map(key).collect();
    let expected: Vec<_> = BINDINGS.iter().map(|(ns, name, _, _)| (ns.to_string(), name.to_string())).collect();
    assert_eq!(keys, expected, "all namespaces, by namespace then name");
    for (binding, (namespace, name, role, subjects)) in bindings.iter().zip(BINDINGS) {
        assert_bootstrap_metadata(binding);
        assert_eq!(
            binding["roleRef"],
            json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role}),
            "{namespace}/{name}"
        );
        let expected: Vec<Value> = subjects
            .iter()
            .map(|(kind, name)| match *kind {
                "User" => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": name}),
                _ => json!({"kind": kind, "name": name, "namespace": "kube-system"}),
            })
            .collect();
        assert_eq!(binding["subjects"], json!(expected), "{namespace}/{name}");
    }
    assert!(items(&mut c, &format!("{RBAC}/namespaces/default/rolebindings")).is_empty());
}

/// Each bootstrap object has its own UID, drawn apart from the main
/// stream: the same seed gives the same UIDs, and the objects made after
/// them (the default ServiceAccount's) keep theirs.
#[test]
fn the_bootstrap_roles_have_their_own_uids() {
    let (mut a, mut b) = (cluster(), cluster());
    let uids = |c: &mut saplay_cluster::Cluster| {
        let mut uids = Vec::new();
        for plural in ["roles", "rolebindings"] {
            for item in items(c, &format!("{RBAC}/{plural}")) {
                uids.push(item["metadata"]["uid"].as_str().unwrap_or_default().to_string());
            }
        }
        uids
    };
    let (ua, ub) = (uids(&mut a), uids(&mut b));
    assert_eq!(ua, ub);
    let mut distinct = ua.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 14);
    let default = get(&mut a, &format!("{SA}/default")).body;
    assert!(!ua.iter().any(|u| default["metadata"]["uid"] == u.as_str()));
}

const KCM: &str = "system:kube-controller-manager";
const SCHEDULER: &str = "system:kube-scheduler";
const SIGNER: &str = "system:controller:bootstrap-signer";
const CLEANER: &str = "system:controller:token-cleaner";
const AUTH_READER: &str = "system::extension-apiserver-authentication-reader";
const KCM_LOCK: &str = "system::leader-locking-kube-controller-manager";
const SCHEDULER_LOCK: &str = "system::leader-locking-kube-scheduler";

/// `(user, request, namespace, allowed by)`: `sa:<name>` is ServiceAccount
/// `kube-system/<name>`; the request is `verb resource[.group][/name]`, as
/// `kubectl auth can-i` takes it; the RoleBinding that allows it, or `""`
/// when RBAC denies.
const CASES: [(&str, &str, &str, &str); 20] = [
    // The bootstrap signer reads the token Secrets of kube-system only…
    ("sa:bootstrap-signer", "get secrets", "kube-system", SIGNER),
    ("sa:bootstrap-signer", "list secrets", "kube-system", SIGNER),
    ("sa:bootstrap-signer", "delete secrets", "kube-system", ""),
    ("sa:bootstrap-signer", "get secrets", "kube-public", ""),
    ("sa:bootstrap-signer", "get secrets", "default", ""),
    // …and signs kube-public's cluster-info ConfigMap, no other.
    ("sa:bootstrap-signer", "update configmaps/cluster-info", "kube-public", SIGNER),
    ("sa:bootstrap-signer", "update configmaps/other", "kube-public", ""),
    ("sa:bootstrap-signer", "watch configmaps", "kube-public", SIGNER),
    ("sa:bootstrap-signer", "get configmaps", "kube-system", ""),
    // The token cleaner deletes expired bootstrap tokens, in kube-system.
    ("sa:token-cleaner", "delete secrets", "kube-system", CLEANER),
    ("sa:token-cleaner", "create events.events.k8s.io", "kube-system", CLEANER),
    ("sa:token-cleaner", "delete secrets", "default", ""),
    ("sa:token-cleaner", "create secrets", "kube-system", ""),
    // The components' users: delegated authentication, leader election.
    (SCHEDULER, "get configmaps/extension-apiserver-authentication", "kube-system", AUTH_READER),
    (KCM, "create leasecandidates.coordination.k8s.io", "kube-system", KCM_LOCK),
    (KCM, "update configmaps/kube-scheduler", "kube-system", ""),
    (SCHEDULER, "update configmaps/kube-scheduler", "kube-system", SCHEDULER_LOCK),
    (SCHEDULER, "update configmaps/kube-scheduler", "default", ""),
    ("sa:leader-election-controller", "update leases.coordination.k8s.io", "kube-system", KCM_LOCK),
    ("sa:cloud-provider", "create configmaps", "kube-system", "system:controller:cloud-provider"),
];

#[test]
fn rbac_authorizes_through_the_bootstrap_role_bindings() {
    let c = cluster();
    for (who, request, namespace, allowed_by) in CASES {
        let user = match who.strip_prefix("sa:") {
            Some(account) => UserInfo::service_account("kube-system", account, ""),
            None => UserInfo::impersonated(who, &["system:authenticated".to_string()], ""),
        };
        let (verb, target) = request.split_once(' ').unwrap_or((request, ""));
        let (resource, name) = target.split_once('/').unwrap_or((target, ""));
        let (resource, group) = resource.split_once('.').unwrap_or((resource, ""));
        let attrs = Attributes {
            verb: verb.to_string(),
            resource_request: true,
            api_group: group.to_string(),
            resource: resource.to_string(),
            name: name.to_string(),
            namespace: namespace.to_string(),
            ..Attributes::default()
        };
        let answer = c.access_check(&user, &attrs);
        let case = format!("{who} {request} in {namespace}: {answer:?}");
        assert_eq!(answer.allowed, !allowed_by.is_empty(), "{case}");
        if answer.allowed {
            let role = allowed_by.replace("system::extension-apiserver-", "extension-apiserver-");
            let prefix = format!("RBAC: allowed by RoleBinding \"{allowed_by}/{namespace}\" of Role \"{role}\" to ");
            assert!(answer.reason.starts_with(&prefix), "{case}");
        }
    }
}

/// The bootstrap Roles can be changed and deleted like any other (the real
/// API server puts them back only when it restarts).
#[test]
fn the_admin_may_delete_a_bootstrap_role() {
    let mut c = cluster();
    let path = format!("{RBAC}/namespaces/kube-system/roles/system:controller:token-cleaner");
    assert_eq!(delete(&mut c, &path).code, 200);
    assert_eq!(get(&mut c, &path).code, 404);
    let user = UserInfo::service_account("kube-system", "token-cleaner", "");
    let attrs = Attributes {
        verb: "delete".to_string(),
        resource_request: true,
        resource: "secrets".to_string(),
        namespace: "kube-system".to_string(),
        ..Attributes::default()
    };
    let answer = c.access_check(&user, &attrs);
    assert!(!answer.allowed, "{answer:?}");
}
