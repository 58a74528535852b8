//! The bootstrap RBAC policy kube-apiserver creates at start-up.
//!
//! The data is upstream's v1.32 default policy (see `data/README.md`),
//! embedded at build time and decoded with the same strict decoder as any
//! request body.

use serde_json::Value;

use crate::decode::parse_manifests;
use crate::object::Object;

const CLUSTER_ROLES: &str = include_str!("../data/cluster-roles.yaml");
const CLUSTER_ROLE_BINDINGS: &str = include_str!("../data/cluster-role-bindings.yaml");

/// The bootstrap ClusterRoles and ClusterRoleBindings.
pub fn policy() -> Vec<Object> {
    [CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS]
        .into_iter()
        .flat_map(|text| parse_manifests(text).unwrap_or_default())
        .flat_map(|list| match list.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        })
        .filter_map(|item| {
            let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
            Object::from_value_strict(&kind, item).ok().map(|(object, _)| object)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_bootstrap_objects_decode_strictly() {
        let mut total = 0;
        for text in [CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS] {
            for list in parse_manifests(text).unwrap_or_default() {
                for item in list["items"].as_array().cloned().unwrap_or_default() {
                    let kind = item["kind"].as_str().unwrap_or_default().to_string();
                    let (_, unknown) = Object::from_value_strict(&kind, item).unwrap_or_else(|e| panic!("{e}"));
                    assert!(unknown.is_empty(), "{unknown:?}");
                    total += 1;
                }
            }
        }
        assert_eq!(total, policy().len());
        let names: Vec<String> = policy().iter().map(|o| o.name().to_string()).collect();
        for expected in
            ["cluster-admin", "admin", "edit", "view", "system:basic-user", "system:service-account-issuer-discovery"]
        {
            assert!(names.iter().any(|n| n == expected), "{expected}");
        }
    }
}
