//! Validation of Roles and bindings, with the corpus's common mistakes.

mod common;
use common::*;

fn rb(ns_path: &str, body: &str) -> (u16, String) {
    let mut c = cluster();
    let r = post(&mut c, &format!("{RBAC}{ns_path}"), body);
    (r.code, r.body["message"].as_str().unwrap_or_default().to_string())
}

#[test]
fn binding_mistakes_from_the_corpus() {
    let rows = [
        (
            "/namespaces/default/rolebindings",
            include_str!("../../../tests/corpus/mistakes/rolebinding-sa-subject-with-rbac-apigroup.yaml"),
            r#"RoleBinding.rbac.authorization.k8s.io "default-sa-view" is invalid: subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: """#,
        ),
        (
            "/clusterrolebindings",
            include_str!("../../../tests/corpus/mistakes/clusterrolebinding-sa-subject-without-namespace.yaml"),
            r#"ClusterRoleBinding.rbac.authorization.k8s.io "view-demo-binding" is invalid: subjects[0].namespace: Required value"#,
        ),
        (
            "/clusterrolebindings",
            include_str!("../../../tests/corpus/mistakes/clusterrolebinding-roleref-role.yaml"),
            r#"ClusterRoleBinding.rbac.authorization.k8s.io "spinnaker-role-binding" is invalid: roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole""#,
        ),
    ];
    for (path, yaml, want) in rows {
        assert_eq!(rb(path, yaml), (422, want.to_string()), "{path}");
    }
}
