//! Helpers shared by the cluster's request-level tests.
#![allow(dead_code, missing_docs)]

use saplay_cluster::{Cluster, ClusterConfig, Request, Response};
use serde_json::Value;

pub fn cluster() -> Cluster {
    Cluster::new(ClusterConfig::default())
}

pub fn get(c: &mut Cluster, path: &str) -> Response {
    c.handle(&Request::get(path))
}

pub fn post(c: &mut Cluster, path: &str, body: &str) -> Response {
    c.handle(&Request::post(path, body))
}

pub fn put(c: &mut Cluster, path: &str, body: &str) -> Response {
    c.handle(&Request::put(path, body))
}

pub fn delete(c: &mut Cluster, path: &str) -> Response {
    c.handle(&Request::delete(path))
}

/// Creates an object from YAML and asserts it was created; returns it.
pub fn create(c: &mut Cluster, path: &str, yaml: &str) -> Value {
    let r = post(c, path, yaml);
    assert_eq!(r.code, 201, "create at {path} failed: {}", r.body);
    r.body
}

/// The message of a failed response, after checking its code and reason.
pub fn failure(r: &Response, code: u16, reason: &str) -> String {
    assert_eq!(r.code, code, "unexpected answer: {}", r.body);
    assert_eq!(r.body["kind"], "Status");
    assert_eq!(r.body["status"], "Failure");
    assert_eq!(r.body["reason"], reason, "{}", r.body);
    r.body["message"].as_str().unwrap_or_default().to_string()
}

pub const SA: &str = "/api/v1/namespaces/default/serviceaccounts";
pub const PODS: &str = "/api/v1/namespaces/default/pods";
pub const SECRETS: &str = "/api/v1/namespaces/default/secrets";
pub const CONFIGMAPS: &str = "/api/v1/namespaces/default/configmaps";
pub const NAMESPACES: &str = "/api/v1/namespaces";
pub const RBAC: &str = "/apis/rbac.authorization.k8s.io/v1";

pub const TOKEN_URL: &str = "/api/v1/namespaces/default/serviceaccounts";

/// Creates service account `name` in `default`.
pub fn service_account(c: &mut Cluster, name: &str) -> Value {
    create(
        c,
        SA,
        &format!("{{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{{\"name\":\"{name}\"}}}}"),
    )
}

/// `kubectl create token NAME` with an optional spec; returns the response.
pub fn token_request(c: &mut Cluster, name: &str, spec: Value) -> Response {
    let body = serde_json::json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec});
    post(c, &format!("{TOKEN_URL}/{name}/token"), &body.to_string())
}

/// A fresh token for service account `name` in `default`.
pub fn token(c: &mut Cluster, name: &str) -> String {
    let r = token_request(c, name, serde_json::json!({}));
    assert_eq!(r.code, 201, "{}", r.body);
    r.body["status"]["token"].as_str().unwrap_or_default().to_string()
}

/// A GET made with a bearer token.
pub fn get_as(c: &mut Cluster, token: &str, path: &str) -> Response {
    c.handle(&Request::get(path).with_credential(saplay_cluster::Credential::BearerToken(token.to_string())))
}

/// The claims of a JWT, unverified.
pub fn claims(token: &str) -> Value {
    saplay_cluster::jwt::decode_unverified(token).map(|(_, c)| c).unwrap_or(Value::Null)
}

/// The newest audit entry's authentication or authorization reason.
pub fn last_audit(c: &Cluster) -> saplay_cluster::audit::AuditEvent {
    c.audit_log().last().cloned().unwrap_or_else(|| panic!("no audit entries"))
}
