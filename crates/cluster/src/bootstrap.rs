//! The bootstrap RBAC policy kube-apiserver creates at start-up.
//!
//! The data is upstream's v1.32 default policy (see `data/README.md`),
//! turned from YAML into JSON by `build.rs` (parsing YAML was the slowest
//! part of starting a cluster in the browser), embedded, and decoded with
//! the same strict decoder as any request body.

use serde_json::Value;

use crate::object::Object;

const CLUSTER_ROLES: &str = include_str!(concat!(env!("OUT_DIR"), "/cluster-roles.json"));
const CLUSTER_ROLE_BINDINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/cluster-role-bindings.json"));

/// The policy's two `List`s, as JSON values.
fn lists() -> impl Iterator<Item = Value> {
    [CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS].into_iter().filter_map(|text| serde_json::from_str(text).ok())
}

/// The bootstrap ClusterRoles and ClusterRoleBindings.
pub fn policy() -> Vec<Object> {
    lists()
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
        assert_eq!(lists().count(), 2);
        for list in lists() {
            for item in list["items"].as_array().cloned().unwrap_or_default() {
                let kind = item["kind"].as_str().unwrap_or_default().to_string();
                let (_, unknown) = Object::from_value_strict(&kind, item).unwrap_or_else(|e| panic!("{e}"));
                assert!(unknown.is_empty(), "{unknown:?}");
                total += 1;
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
