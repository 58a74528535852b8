//! The bootstrap RBAC policy kube-apiserver creates at start-up.
//!
//! The data is upstream's v1.32 default policy (see `data/README.md`),
//! turned by `build.rs` into a line format (described there) that
//! [`policy`], [`controller_policy`] and [`namespace_policy`] decode
//! straight into the typed objects. Start-up once parsed
//! the YAML, then JSON with serde; this decoder is a few dozen lines of
//! code where serde's was 30 KB of wasm compiled before a first visit's
//! first answer. The tests below check that it gives exactly what the
//! strict decoder any request body goes through gives for the same data.

use std::str::Split;

use k8s_openapi::api::rbac::v1::{
    AggregationRule, ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::object::Object;

const POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/policy.txt"));
const CONTROLLER_POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/controller-policy.txt"));
const NAMESPACE_POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/namespace-policy.txt"));

/// The bootstrap ClusterRoles, then the ClusterRoleBindings
/// (`cluster-roles.yaml`, `cluster-role-bindings.yaml`).
pub fn policy() -> Vec<Object> {
    decode_all(POLICY)
}

/// The controllers' ClusterRoles `system:controller:<name>`, then their
/// ClusterRoleBindings to ServiceAccount `kube-system/<name>`
/// (`controller-roles.yaml`, `controller-role-bindings.yaml`).
pub fn controller_policy() -> Vec<Object> {
    decode_all(CONTROLLER_POLICY)
}

/// The Roles kube-apiserver creates in kube-system and kube-public, then
/// their RoleBindings (`namespace-roles.yaml`,
/// `namespace-role-bindings.yaml`), in the data's order: by namespace,
/// then name.
pub fn namespace_policy() -> Vec<Object> {
    decode_all(NAMESPACE_POLICY)
}

/// The objects `text`, in the line format, describes.
fn decode_all(text: &str) -> Vec<Object> {
    let mut objects = Vec::new();
    for line in text.lines() {
        let mut fields = line.split('\t');
        let tag = fields.next().unwrap_or_default();
        decode(&mut objects, tag, fields);
    }
    objects
}

fn next(fields: &mut Split<'_, char>) -> String {
    fields.next().unwrap_or_default().to_string()
}

/// Applies one line (`tag` and its `fields`) to the objects decoded so far.
fn decode(objects: &mut Vec<Object>, tag: &str, mut fields: Split<'_, char>) {
    if let "R" | "B" = tag {
        let name = next(&mut fields);
        // A namespace after the name makes it a Role or RoleBinding.
        let namespace = fields.next().map(str::to_string);
        let metadata = ObjectMeta { name: Some(name), namespace: namespace.clone(), ..ObjectMeta::default() };
        objects.push(match (tag, namespace) {
            ("R", None) => Object::ClusterRole(ClusterRole { metadata, ..Default::default() }),
            ("R", Some(_)) => Object::Role(Role { metadata, ..Default::default() }),
            (_, None) => Object::ClusterRoleBinding(ClusterRoleBinding { metadata, ..Default::default() }),
            (_, Some(_)) => Object::RoleBinding(RoleBinding { metadata, ..Default::default() }),
        });
        return;
    }
    let Some(object) = objects.last_mut() else { return };
    match tag {
        "l" | "a" => {
            let meta = object.metadata_mut();
            let map = if tag == "l" { &mut meta.labels } else { &mut meta.annotations };
            let key = next(&mut fields);
            map.get_or_insert_with(Default::default).insert(key, next(&mut fields));
        }
        "P" => {
            if let Some(rules) = rules_of(object) {
                *rules = Some(Vec::new());
            }
        }
        "p" => {
            if let Some(rules) = rules_of(object) {
                rules.get_or_insert_with(Vec::new).push(PolicyRule::default());
            }
        }
        "g" | "r" | "v" | "n" | "u" => {
            let Some(rule) = rules_of(object).and_then(|rules| rules.as_mut()).and_then(|rules| rules.last_mut())
            else {
                return;
            };
            let items: Vec<String> = fields.map(str::to_string).collect();
            match tag {
                "g" => rule.api_groups = Some(items),
                "r" => rule.resources = Some(items),
                "v" => rule.verbs = items,
                "n" => rule.resource_names = Some(items),
                _ => rule.non_resource_urls = Some(items),
            }
        }
        "A" => {
            if let Object::ClusterRole(role) = object {
                role.aggregation_rule = Some(AggregationRule { cluster_role_selectors: Some(Vec::new()) });
            }
        }
        "s" | "m" => {
            let Object::ClusterRole(role) = object else { return };
            let Some(selectors) = role.aggregation_rule.as_mut().and_then(|a| a.cluster_role_selectors.as_mut()) else {
                return;
            };
            if tag == "s" {
                selectors.push(LabelSelector::default());
            } else if let Some(selector) = selectors.last_mut() {
                let key = next(&mut fields);
                selector.match_labels.get_or_insert_with(Default::default).insert(key, next(&mut fields));
            }
        }
        "f" => {
            if let Some((role_ref, _)) = binding_of(object) {
                let api_group = next(&mut fields);
                let kind = next(&mut fields);
                *role_ref = RoleRef { api_group, kind, name: next(&mut fields) };
            }
        }
        "S" => {
            if let Some((_, subjects)) = binding_of(object) {
                let kind = next(&mut fields);
                let subject = Subject { kind, name: next(&mut fields), ..Subject::default() };
                subjects.get_or_insert_with(Vec::new).push(subject);
            }
        }
        "sg" | "sn" => {
            let Some(subject) = binding_of(object).and_then(|(_, s)| s.as_mut()).and_then(|s| s.last_mut()) else {
                return;
            };
            let value = Some(next(&mut fields));
            if tag == "sg" {
                subject.api_group = value;
            } else {
                subject.namespace = value;
            }
        }
        _ => {}
    }
}

/// The rules of a ClusterRole or a Role.
fn rules_of(object: &mut Object) -> Option<&mut Option<Vec<PolicyRule>>> {
    match object {
        Object::ClusterRole(role) => Some(&mut role.rules),
        Object::Role(role) => Some(&mut role.rules),
        _ => None,
    }
}

/// The roleRef and subjects of a ClusterRoleBinding or a RoleBinding.
fn binding_of(object: &mut Object) -> Option<(&mut RoleRef, &mut Option<Vec<Subject>>)> {
    match object {
        Object::ClusterRoleBinding(binding) => Some((&mut binding.role_ref, &mut binding.subjects)),
        Object::RoleBinding(binding) => Some((&mut binding.role_ref, &mut binding.subjects)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// The same policy as JSON (`build.rs` writes both from the YAML).
    const CLUSTER_ROLES: &str = include_str!(concat!(env!("OUT_DIR"), "/cluster-roles.json"));
    const CLUSTER_ROLE_BINDINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/cluster-role-bindings.json"));
    const CONTROLLER_ROLES: &str = include_str!(concat!(env!("OUT_DIR"), "/controller-roles.json"));
    const CONTROLLER_ROLE_BINDINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/controller-role-bindings.json"));
    const NAMESPACE_ROLES: &str = include_str!(concat!(env!("OUT_DIR"), "/namespace-roles.json"));
    const NAMESPACE_ROLE_BINDINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/namespace-role-bindings.json"));

    /// The objects of `lists` (JSON `List`s), through the API's strict decoder.
    fn strict(lists: &[&str]) -> Vec<Object> {
        let mut strict = Vec::new();
        for text in lists {
            let list: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
            for item in list["items"].as_array().cloned().unwrap_or_default() {
                let kind = item["kind"].as_str().unwrap_or_default().to_string();
                let (object, unknown) = Object::from_value_strict(&kind, item).unwrap_or_else(|e| panic!("{e}"));
                assert!(unknown.is_empty(), "{unknown:?}");
                strict.push(object);
            }
        }
        strict
    }

    #[test]
    fn all_bootstrap_objects_decode_strictly() {
        let strict = strict(&[CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS]);
        assert_eq!(strict.len(), policy().len());
        assert_eq!(policy(), strict, "the start-up decoder gives what the strict one gives");
        let names: Vec<String> = policy().iter().map(|o| o.name().to_string()).collect();
        for expected in
            ["cluster-admin", "admin", "edit", "view", "system:basic-user", "system:service-account-issuer-discovery"]
        {
            assert!(names.iter().any(|n| n == expected), "{expected}");
        }
    }

    #[test]
    fn all_controller_objects_decode_strictly() {
        let strict = strict(&[CONTROLLER_ROLES, CONTROLLER_ROLE_BINDINGS]);
        assert_eq!(controller_policy(), strict, "the start-up decoder gives what the strict one gives");
        assert_eq!(strict.len(), 2 * 33);
        for object in &strict {
            assert!(object.name().starts_with("system:controller:"), "{}", object.name());
        }
        for object in controller_policy() {
            if let Object::ClusterRoleBinding(binding) = object {
                let Some([subject]) = binding.subjects.as_deref() else { panic!("{:?}", binding.subjects) };
                assert_eq!(subject.kind, "ServiceAccount");
                assert_eq!(subject.namespace.as_deref(), Some("kube-system"));
                assert_eq!(binding.role_ref.name, format!("system:controller:{}", subject.name));
            }
        }
    }

    #[test]
    fn all_namespace_objects_decode_strictly() {
        let strict = strict(&[NAMESPACE_ROLES, NAMESPACE_ROLE_BINDINGS]);
        assert_eq!(namespace_policy(), strict, "the start-up decoder gives what the strict one gives");
        let keys: Vec<(&str, &str, &str)> = strict
            .iter()
            .map(|o| (o.kind(), o.metadata().namespace.as_deref().unwrap_or_default(), o.name()))
            .collect();
        assert_eq!(
            keys,
            [
                ("Role", "kube-public", "system:controller:bootstrap-signer"),
                ("Role", "kube-system", "extension-apiserver-authentication-reader"),
                ("Role", "kube-system", "system::leader-locking-kube-controller-manager"),
                ("Role", "kube-system", "system::leader-locking-kube-scheduler"),
                ("Role", "kube-system", "system:controller:bootstrap-signer"),
                ("Role", "kube-system", "system:controller:cloud-provider"),
                ("Role", "kube-system", "system:controller:token-cleaner"),
                ("RoleBinding", "kube-public", "system:controller:bootstrap-signer"),
                ("RoleBinding", "kube-system", "system::extension-apiserver-authentication-reader"),
                ("RoleBinding", "kube-system", "system::leader-locking-kube-controller-manager"),
                ("RoleBinding", "kube-system", "system::leader-locking-kube-scheduler"),
                ("RoleBinding", "kube-system", "system:controller:bootstrap-signer"),
                ("RoleBinding", "kube-system", "system:controller:cloud-provider"),
                ("RoleBinding", "kube-system", "system:controller:token-cleaner"),
            ]
        );
    }

    /// Lines the data never holds (a tag before any object, a rule line
    /// on a binding, a subject on a role, an unknown tag) change nothing
    /// and do not panic.
    #[test]
    fn stray_lines_are_ignored() {
        let text =
            "p\nS\tUser\tx\nR\tr\tns\nS\tUser\tx\nf\ta\tb\tc\nA\ns\nm\tk\tv\nq\t\t\nB\tb\tns\nP\np\nv\tget\nsg\tx\n\n";
        let objects = decode_all(text);
        let role = Object::Role(Role {
            metadata: ObjectMeta { name: Some("r".into()), namespace: Some("ns".into()), ..ObjectMeta::default() },
            ..Role::default()
        });
        let binding = Object::RoleBinding(RoleBinding {
            metadata: ObjectMeta { name: Some("b".into()), namespace: Some("ns".into()), ..ObjectMeta::default() },
            ..RoleBinding::default()
        });
        assert_eq!(objects, [role, binding]);
    }
}
