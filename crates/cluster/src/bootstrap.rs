//! The bootstrap RBAC policy kube-apiserver creates at start-up.
//!
//! The data is upstream's v1.32 default policy (see `data/README.md`),
//! turned by `build.rs` into a line format (described there) that
//! [`policy`] and [`controller_policy`] decode straight into the typed
//! objects. Start-up once parsed
//! the YAML, then JSON with serde; this decoder is a few dozen lines of
//! code where serde's was 30 KB of wasm compiled before a first visit's
//! first answer. The tests below check that it gives exactly what the
//! strict decoder any request body goes through gives for the same data.

use std::str::Split;

use k8s_openapi::api::rbac::v1::{AggregationRule, ClusterRole, ClusterRoleBinding, PolicyRule, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::object::Object;

const POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/policy.txt"));
const CONTROLLER_POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/controller-policy.txt"));

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
    let metadata = |name| ObjectMeta { name: Some(name), ..ObjectMeta::default() };
    match tag {
        "R" => objects
            .push(Object::ClusterRole(ClusterRole { metadata: metadata(next(&mut fields)), ..Default::default() })),
        "B" => objects.push(Object::ClusterRoleBinding(ClusterRoleBinding {
            metadata: metadata(next(&mut fields)),
            ..Default::default()
        })),
        _ => {
            let Some(object) = objects.last_mut() else { return };
            match (tag, object) {
                ("l" | "a", object) => {
                    let meta = object.metadata_mut();
                    let map = if tag == "l" { &mut meta.labels } else { &mut meta.annotations };
                    let key = next(&mut fields);
                    map.get_or_insert_with(Default::default).insert(key, next(&mut fields));
                }
                ("P", Object::ClusterRole(role)) => role.rules = Some(Vec::new()),
                ("p", Object::ClusterRole(role)) => role.rules.get_or_insert_with(Vec::new).push(PolicyRule::default()),
                ("g" | "r" | "v" | "n" | "u", Object::ClusterRole(role)) => {
                    let Some(rule) = role.rules.as_mut().and_then(|rules| rules.last_mut()) else { return };
                    let items: Vec<String> = fields.map(str::to_string).collect();
                    match tag {
                        "g" => rule.api_groups = Some(items),
                        "r" => rule.resources = Some(items),
                        "v" => rule.verbs = items,
                        "n" => rule.resource_names = Some(items),
                        _ => rule.non_resource_urls = Some(items),
                    }
                }
                ("A", Object::ClusterRole(role)) => {
                    role.aggregation_rule = Some(AggregationRule { cluster_role_selectors: Some(Vec::new()) });
                }
                ("s" | "m", Object::ClusterRole(role)) => {
                    let Some(selectors) =
                        role.aggregation_rule.as_mut().and_then(|a| a.cluster_role_selectors.as_mut())
                    else {
                        return;
                    };
                    if tag == "s" {
                        selectors.push(LabelSelector::default());
                    } else if let Some(selector) = selectors.last_mut() {
                        let key = next(&mut fields);
                        selector.match_labels.get_or_insert_with(Default::default).insert(key, next(&mut fields));
                    }
                }
                ("f", Object::ClusterRoleBinding(binding)) => {
                    let api_group = next(&mut fields);
                    let kind = next(&mut fields);
                    binding.role_ref = RoleRef { api_group, kind, name: next(&mut fields) };
                }
                ("S", Object::ClusterRoleBinding(binding)) => {
                    let kind = next(&mut fields);
                    let subject = Subject { kind, name: next(&mut fields), ..Subject::default() };
                    binding.subjects.get_or_insert_with(Vec::new).push(subject);
                }
                ("sg" | "sn", Object::ClusterRoleBinding(binding)) => {
                    if let Some(subject) = binding.subjects.as_mut().and_then(|s| s.last_mut()) {
                        let value = Some(next(&mut fields));
                        if tag == "sg" {
                            subject.api_group = value;
                        } else {
                            subject.namespace = value;
                        }
                    }
                }
                _ => {}
            }
        }
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
}
