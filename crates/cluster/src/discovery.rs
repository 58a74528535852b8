//! Non-resource paths: `/version` and API discovery.
//!
//! `/api`, `/api/v1`, `/apis` and `/apis/<group>/<version>` answer with the
//! same documents kube-apiserver serves, built from the resource registry.

use serde_json::{json, Value};

use crate::api::{Method, Response};
use crate::resource::{ResourceInfo, RESOURCES};
use crate::status::ApiError;
use crate::Cluster;

/// The version the simulated server reports.
pub const GIT_VERSION: &str = "v1.32.0";

fn resource_entry(r: &ResourceInfo) -> Value {
    let mut entry = json!({
        "name": r.plural,
        "singularName": r.singular,
        "namespaced": r.namespaced,
        "kind": r.kind,
        "verbs": r.verbs,
    });
    if !r.short_names.is_empty() {
        entry["shortNames"] = json!(r.short_names);
    }
    if crate::resource::ALL_CATEGORY.contains(&r.plural) {
        entry["categories"] = json!(["all"]);
    }
    entry
}

fn resource_list(group_version: &str, resources: Vec<Value>) -> Value {
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})
}

fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&str> = RESOURCES.iter().map(|r| r.group).filter(|g| !g.is_empty()).collect();
    groups.dedup();
    groups
}

fn group_entry(group: &str) -> Value {
    let gv = json!({"groupVersion": format!("{group}/v1"), "version": "v1"});
    json!({"name": group, "versions": [gv.clone()], "preferredVersion": gv})
}

/// Serves a non-resource path.
#[inline(never)]
pub fn serve(cluster: &Cluster, method: Method, path: &str) -> Result<Response, ApiError> {
    if method != Method::Get {
        return Err(ApiError::path_not_found());
    }
    let trimmed = path.trim_end_matches('/');
    let body = match trimmed {
        "/version" => json!({
            "major": "1",
            "minor": "32",
            "gitVersion": GIT_VERSION,
            "gitCommit": "0000000000000000000000000000000000000000",
            "gitTreeState": "clean",
            "buildDate": "2024-12-11T00:00:00Z",
            "goVersion": "go1.23.3",
            "compiler": "gc",
            "platform": "linux/amd64",
        }),
        "/.well-known/openid-configuration" => json!({
            "issuer": crate::tokens::ISSUER,
            "jwks_uri": format!("https://{}:6443/openid/v1/jwks", cluster.api_server_ip()),
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [crate::jwt::ALGORITHM],
        }),
        "/openid/v1/jwks" => json!({"keys": [cluster.token_signer().jwk()]}),
        "/api" => json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": format!("{}:6443", cluster.api_server_ip())}],
        }),
        "/api/v1" => {
            let core: Vec<Value> = RESOURCES.iter().filter(|r| r.group.is_empty()).map(resource_entry).collect();
            resource_list("v1", core)
        }
        "/apis" => json!({
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": groups().into_iter().map(group_entry).collect::<Vec<_>>(),
        }),
        _ => {
            let rest = trimmed.strip_prefix("/apis/").ok_or_else(ApiError::path_not_found)?;
            match rest.split_once('/') {
                None if groups().contains(&rest) => {
                    let mut doc = group_entry(rest);
                    doc["kind"] = json!("APIGroup");
                    doc["apiVersion"] = json!("v1");
                    doc
                }
                Some((group, "v1")) if groups().contains(&group) => {
                    let entries = RESOURCES.iter().filter(|r| r.group == group).map(resource_entry).collect();
                    resource_list(&format!("{group}/v1"), entries)
                }
                _ => return Err(ApiError::path_not_found()),
            }
        }
    };
    Ok(Response::ok(200, body))
}
