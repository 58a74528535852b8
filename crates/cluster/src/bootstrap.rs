//! The bootstrap RBAC policy kube-apiserver creates at start-up.
//!
//! The data is upstream's v1.32 default policy (see `data/README.md`),
//! turned from YAML into JSON by `build.rs` (parsing YAML was the slowest
//! part of starting a cluster in the browser), embedded, and decoded
//! straight into the typed objects: no JSON value tree and no unknown-field
//! walk at start-up (the test below checks that the strict decoder any
//! request body goes through accepts every object and finds no unknown
//! field).

use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::object::Object;

const CLUSTER_ROLES: &str = include_str!(concat!(env!("OUT_DIR"), "/cluster-roles.json"));
const CLUSTER_ROLE_BINDINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/cluster-role-bindings.json"));

/// A `List`'s items (its other fields are not needed).
#[derive(Deserialize)]
struct List<T> {
    items: Vec<T>,
}

fn items<T: DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str::<List<T>>(text).map(|list| list.items).unwrap_or_default()
}

/// The bootstrap ClusterRoles and ClusterRoleBindings.
pub fn policy() -> Vec<Object> {
    let roles = items::<ClusterRole>(CLUSTER_ROLES).into_iter().map(Object::ClusterRole);
    let bindings = items::<ClusterRoleBinding>(CLUSTER_ROLE_BINDINGS).into_iter().map(Object::ClusterRoleBinding);
    roles.chain(bindings).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// The policy's two `List`s, as JSON values.
    fn lists() -> impl Iterator<Item = Value> {
        [CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS].into_iter().filter_map(|text| serde_json::from_str(text).ok())
    }

    #[test]
    fn all_bootstrap_objects_decode_strictly() {
        let mut strict = Vec::new();
        assert_eq!(lists().count(), 2);
        for list in lists() {
            for item in list["items"].as_array().cloned().unwrap_or_default() {
                let kind = item["kind"].as_str().unwrap_or_default().to_string();
                let (object, unknown) = Object::from_value_strict(&kind, item).unwrap_or_else(|e| panic!("{e}"));
                assert!(unknown.is_empty(), "{unknown:?}");
                strict.push(object);
            }
        }
        assert_eq!(policy(), strict, "the start-up decoder gives what the strict one gives");
        let names: Vec<String> = policy().iter().map(|o| o.name().to_string()).collect();
        for expected in
            ["cluster-admin", "admin", "edit", "view", "system:basic-user", "system:service-account-issuer-discovery"]
        {
            assert!(names.iter().any(|n| n == expected), "{expected}");
        }
    }
}
