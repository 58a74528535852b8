//! What a brand-new cluster holds: node, namespaces, default service
//! accounts, the root CA ConfigMaps, the bootstrap RBAC policy (with the
//! controllers' roles and bindings), kubeadm's `kubeadm:cluster-admins`
//! binding and kube-controller-manager's service accounts; and who the
//! learner's admin is.

mod common;
use common::*;
use saplay_cluster::authn::UserInfo;
use saplay_cluster::rbac::Attributes;
use serde_json::{json, Value};

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn system_namespaces_each_have_a_default_service_account_and_the_ca() {
    let mut c = cluster();
    let ns = get(&mut c, NAMESPACES);
    assert_eq!(names(&ns.body), ["default", "kube-node-lease", "kube-public", "kube-system"]);
    assert_eq!(ns.body["kind"], "NamespaceList");
    assert!(ns.body["items"][0].get("kind").is_none(), "list items carry no kind");
    for namespace in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let n = get(&mut c, &format!("{NAMESPACES}/{namespace}"));
        assert_eq!(n.body["status"]["phase"], "Active");
        assert_eq!(n.body["metadata"]["labels"]["kubernetes.io/metadata.name"], namespace);
        let sa = get(&mut c, &format!("{NAMESPACES}/{namespace}/serviceaccounts/default"));
        assert_eq!(sa.code, 200);
        assert!(sa.body.get("secrets").is_none(), "new service accounts have no token secrets");
        let cm = get(&mut c, &format!("{NAMESPACES}/{namespace}/configmaps/kube-root-ca.crt"));
        assert_eq!(cm.code, 200);
        assert_eq!(cm.body["data"]["ca.crt"], c.ca_pem());
        assert!(cm.body["metadata"]["annotations"]["kubernetes.io/description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Contains a CA bundle")));
    }
}

#[test]
fn one_ready_node() {
    let mut c = cluster();
    let nodes = get(&mut c, "/api/v1/nodes");
    assert_eq!(names(&nodes.body), ["node-1"]);
    let ready = &nodes.body["items"][0]["status"]["conditions"][3];
    assert_eq!((ready["type"].as_str(), ready["status"].as_str()), (Some("Ready"), Some("True")));
}

#[test]
fn bootstrap_policy_is_loaded_and_aggregated() {
    let mut c = cluster();
    let roles = get(&mut c, &format!("{RBAC}/clusterroles"));
    let role_names = names(&roles.body);
    for expected in ["admin", "cluster-admin", "edit", "view", "system:basic-user", "system:node"] {
        assert!(role_names.iter().any(|n| n == expected), "{expected}");
    }
    let view = get(&mut c, &format!("{RBAC}/clusterroles/view"));
    let rules = view.body["rules"].as_array().cloned().unwrap_or_default();
    assert!(
        rules.iter().any(|r| r["resources"].as_array().is_some_and(|res| res.iter().any(|x| x == "pods"))),
        "view aggregates the pod rules of system:aggregate-to-view"
    );
    // admin aggregates edit, which aggregates view.
    let admin = get(&mut c, &format!("{RBAC}/clusterroles/admin"));
    assert!(admin.body["rules"].as_array().map(Vec::len).unwrap_or(0) > rules.len());
    let bindings = get(&mut c, &format!("{RBAC}/clusterrolebindings"));
    // The API server's twelve and its 33 controller bindings, then
    // kubeadm's kubeadm:cluster-admins.
    assert_eq!(names(&bindings.body).len(), 46);
    let ca = get(&mut c, &format!("{RBAC}/clusterrolebindings/cluster-admin"));
    assert_eq!(ca.body["subjects"][0]["name"], "system:masters");
}

/// Since kubeadm v1.29, `admin.conf` (what kind hands the user) holds a
/// certificate `CN=kubernetes-admin, O=kubeadm:cluster-admins`, and kubeadm
/// binds that group to `cluster-admin`: the admin's access is RBAC's, not
/// the `system:masters` bypass (kept for `super-admin.conf` and anyone else
/// in that group).
#[test]
fn the_admin_is_kubeadms_cluster_admin_through_rbac() {
    let mut c = cluster();
    let review = post(
        &mut c,
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        r#"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"#,
    );
    assert_eq!(review.code, 201, "{}", review.body);
    let info = &review.body["status"]["userInfo"];
    assert_eq!(info["username"], "kubernetes-admin");
    assert_eq!(info["groups"], json!(["kubeadm:cluster-admins", "system:authenticated"]));
    let audit = c.audit_log().events().last().cloned().unwrap_or_else(|| panic!("no audit entry"));
    assert_eq!(audit.authentication, "client certificate CN=kubernetes-admin, O=kubeadm:cluster-admins");

    // The binding as `kubeadm init` makes it: no labels, no annotations.
    let binding = get(&mut c, &format!("{RBAC}/clusterrolebindings/kubeadm:cluster-admins")).body;
    assert_eq!(
        binding["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"})
    );
    assert_eq!(
        binding["subjects"],
        json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "kubeadm:cluster-admins"}])
    );
    assert!(binding["metadata"].get("labels").is_none() && binding["metadata"].get("annotations").is_none());
    assert!(binding["metadata"]["uid"].is_string() && binding["metadata"]["creationTimestamp"].is_string());

    // RBAC allows the admin, through that binding.
    let nodes = Attributes {
        verb: "delete".to_string(),
        resource_request: true,
        resource: "nodes".to_string(),
        ..Attributes::default()
    };
    let answer = c.access_check(&UserInfo::admin(), &nodes);
    assert!(answer.allowed);
    let by = r#"RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins""#;
    assert_eq!(answer.reason, by);
    assert_eq!(answer.why, [by.trim_start_matches("RBAC: ")]);
    get(&mut c, "/api/v1/nodes");
    let audit = c.audit_log().events().last().cloned().unwrap_or_else(|| panic!("no audit entry"));
    assert_eq!(audit.authorization, by.trim_start_matches("RBAC: "));
    let who = c.who_can(&nodes);
    let admins = who.iter().find(|w| w.subject.name == "kubeadm:cluster-admins").unwrap_or_else(|| panic!("{who:?}"));
    assert_eq!(
        (admins.binding_name.as_str(), admins.role_ref.name.as_str()),
        ("kubeadm:cluster-admins", "cluster-admin")
    );

    // Anyone in system:masters still bypasses RBAC.
    let jane = UserInfo::impersonated("jane", &["system:masters".to_string()], "");
    assert_eq!(c.access_check(&jane, &nodes).why, ["jane is in group system:masters, which may do anything"]);

    // Without the binding the admin is an ordinary user, as on a real cluster.
    assert_eq!(delete(&mut c, &format!("{RBAC}/clusterrolebindings/kubeadm:cluster-admins")).code, 200);
    assert!(!c.access_check(&UserInfo::admin(), &nodes).allowed);
    let message = failure(&get(&mut c, "/api/v1/nodes"), 403, "Forbidden");
    assert_eq!(
        message,
        r#"nodes is forbidden: User "kubernetes-admin" cannot list resource "nodes" in API group "" at the cluster scope"#
    );
    assert!(c.access_check(&jane, &nodes).allowed);
}

/// kube-apiserver's controller roles, each bound to its ServiceAccount in
/// kube-system, and the accounts kube-controller-manager makes for the
/// controllers that run (kubeadm's flags: `--use-service-account-credentials`,
/// `--controllers=*,bootstrapsigner,tokencleaner`, no cloud provider).
#[test]
fn controller_roles_bindings_and_service_accounts() {
    let mut c = cluster();
    let roles = names(&get(&mut c, &format!("{RBAC}/clusterroles")).body);
    let controller_roles: Vec<_> = roles.iter().filter(|n| n.starts_with("system:controller:")).collect();
    assert_eq!(controller_roles.len(), 33);
    // Gated by DynamicResourceAllocation, off in v1.32.
    assert!(!roles.iter().any(|n| n == "system:controller:resource-claim-controller"));
    // The bootstrap signer's and token cleaner's are Roles in kube-system.
    let token_cleaner = get(&mut c, &format!("{RBAC}/clusterroles/system:controller:token-cleaner"));
    assert_eq!(token_cleaner.code, 404);

    let job = get(&mut c, &format!("{RBAC}/clusterrolebindings/system:controller:job-controller")).body;
    assert_eq!(
        job["subjects"],
        json!([{"kind": "ServiceAccount", "name": "job-controller", "namespace": "kube-system"}])
    );
    assert_eq!(job["metadata"]["labels"]["kubernetes.io/bootstrapping"], "rbac-defaults");

    let accounts = names(&get(&mut c, "/api/v1/namespaces/kube-system/serviceaccounts").body);
    assert_eq!(accounts.len(), 34, "{accounts:?}");
    for name in ["default", "job-controller", "bootstrap-signer", "token-cleaner", "node-controller"] {
        assert!(accounts.iter().any(|a| a == name), "{name}");
    }
    for cloud in ["route-controller", "service-controller"] {
        assert!(!accounts.iter().any(|a| a == cloud), "{cloud} runs only with a cloud provider");
    }
    let sa = get(&mut c, "/api/v1/namespaces/kube-system/serviceaccounts/job-controller").body;
    assert!(sa.get("secrets").is_none(), "no token Secret");
    let default = get(&mut c, "/api/v1/namespaces/kube-system/serviceaccounts/default").body;
    assert_eq!(sa["metadata"]["creationTimestamp"], default["metadata"]["creationTimestamp"]);
    assert_ne!(sa["metadata"]["uid"], default["metadata"]["uid"]);

    let job_controller = UserInfo::impersonated("system:serviceaccount:kube-system:job-controller", &[], "");
    let create_pods = Attributes {
        verb: "create".to_string(),
        resource_request: true,
        resource: "pods".to_string(),
        namespace: "default".to_string(),
        ..Attributes::default()
    };
    let answer = c.access_check(&job_controller, &create_pods);
    assert!(answer.allowed, "{answer:?}");
}

#[test]
fn same_seed_same_cluster() {
    let (mut a, mut b) = (cluster(), cluster());
    let pa = get(&mut a, &format!("{SA}/default")).body;
    let pb = get(&mut b, &format!("{SA}/default")).body;
    assert_eq!(pa, pb);
    assert_eq!(a.ca_pem(), b.ca_pem());
}

#[test]
fn discovery_and_version() {
    let mut c = cluster();
    let v = get(&mut c, "/version");
    assert_eq!((v.body["major"].as_str(), v.body["minor"].as_str()), (Some("1"), Some("32")));
    let core = get(&mut c, "/api/v1");
    assert_eq!(core.body["kind"], "APIResourceList");
    let sa = core.body["resources"].as_array().into_iter().flatten().find(|r| r["name"] == "serviceaccounts").cloned();
    assert_eq!(sa.map(|s| s["shortNames"].clone()), Some(serde_json::json!(["sa"])));
    let groups = get(&mut c, "/apis");
    assert_eq!(groups.body["groups"][0]["name"], "apps");
    let rbac = get(&mut c, RBAC);
    assert_eq!(rbac.body["groupVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(get(&mut c, "/apis/apps/v1").code, 200);
    assert_eq!(get(&mut c, "/apis/autoscaling/v1").code, 404);
    assert_eq!(get(&mut c, "/nonsense").code, 404);
}
