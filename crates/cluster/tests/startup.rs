//! What a brand-new cluster holds: node, namespaces, default service
//! accounts, the root CA ConfigMaps and the bootstrap RBAC policy.

mod common;
use common::*;
use serde_json::Value;

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
    assert_eq!(names(&bindings.body).len(), 12);
    let ca = get(&mut c, &format!("{RBAC}/clusterrolebindings/cluster-admin"));
    assert_eq!(ca.body["subjects"][0]["name"], "system:masters");
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
