//! TokenRequest, the tokens in pods and legacy Secret tokens: claims,
//! defaults, limits and binding, checked against an independent JWT
//! implementation.

mod common;
use common::*;
use jsonwebtoken::{decode, jwk::Jwk, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

/// Verifies `token` with the jsonwebtoken crate against the cluster's
/// published JWKS, under `validation`.
fn decode_with_jwks(c: &mut saplay_cluster::Cluster, token: &str, mut validation: Validation) -> Value {
    let jwks = get(c, "/openid/v1/jwks").body;
    let jwk: Jwk = serde_json::from_value(jwks["keys"][0].clone()).unwrap_or_else(|e| panic!("{e}"));
    let key = DecodingKey::from_jwk(&jwk).unwrap_or_else(|e| panic!("{e}"));
    // The cluster's clock is not the machine's: times are checked by the
    // cluster's own tests.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims.clear();
    decode::<Value>(token, &key, &validation).unwrap_or_else(|e| panic!("jsonwebtoken rejects our token: {e}")).claims
}

fn verify_with_jwks(c: &mut saplay_cluster::Cluster, token: &str, audience: &str) -> Value {
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[ISSUER]);
    decode_with_jwks(c, token, validation)
}

#[test]
fn kubectl_create_token_defaults_and_claims() {
    let mut c = cluster();
    let sa = service_account(&mut c, "dashboard-sa");
    let r = token_request(&mut c, "dashboard-sa", json!({}));
    assert_eq!(r.code, 201);
    assert_eq!(r.body["spec"]["expirationSeconds"], 3600);
    assert_eq!(r.body["spec"]["audiences"], json!([ISSUER]));
    assert_eq!(r.body["status"]["expirationTimestamp"], "2025-01-01T01:00:00Z");
    let token = r.body["status"]["token"].as_str().unwrap_or_default();
    assert!(token.starts_with("eyJhbGciOiJFUzI1NiIsImtpZCI6"));
    let claims = verify_with_jwks(&mut c, token, ISSUER);
    let jti = claims["jti"].as_str().unwrap_or_default().to_string();
    assert_eq!(jti.len(), 36);
    assert_eq!(
        claims,
        json!({
            "aud": [ISSUER], "exp": 1_735_693_200, "iat": 1_735_689_600, "nbf": 1_735_689_600, "iss": ISSUER, "jti": jti,
            "kubernetes.io": {"namespace": "default", "serviceaccount": {"name": "dashboard-sa", "uid": sa["metadata"]["uid"]}},
            "sub": "system:serviceaccount:default:dashboard-sa",
        })
    );
    // go-jose writes keys sorted at every level.
    let payload = String::from_utf8(base64_decode(token.split('.').nth(1).unwrap_or_default())).unwrap_or_default();
    assert!(
        payload.starts_with(r#"{"aud":["#)
            && payload.contains(r#""kubernetes.io":{"namespace":"default","serviceaccount":{"name""#),
        "{payload}"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap_or_default()
}

#[test]
fn durations_and_audiences() {
    let mut c = cluster();
    service_account(&mut c, "sa");
    let r = token_request(&mut c, "sa", json!({"expirationSeconds": 7200, "audiences": ["vault", "api"]}));
    let t = claims(r.body["status"]["token"].as_str().unwrap_or_default());
    assert_eq!(t["exp"].as_i64().unwrap_or(0) - t["iat"].as_i64().unwrap_or(0), 7200);
    assert_eq!(t["aud"], json!(["vault", "api"]));
    let short = token_request(&mut c, "sa", json!({"expirationSeconds": 300}));
    assert_eq!(
        failure(&short, 422, "Invalid"),
        r#"TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes"#
    );
    let long = token_request(&mut c, "sa", json!({"expirationSeconds": 5_000_000_000_i64}));
    assert!(failure(&long, 422, "Invalid").ends_with("may not specify a duration larger than 2^32 seconds"));
    let missing = token_request(&mut c, "nosuch", json!({}));
    assert_eq!(failure(&missing, 404, "NotFound"), r#"serviceaccounts "nosuch" not found"#);
}

#[test]
fn binding_to_a_pod_secret_or_node() {
    let mut c = cluster();
    service_account(&mut c, "build-robot");
    let pod = create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"serviceAccountName":"build-robot","containers":[{"name":"c","image":"nginx"}]}}"#,
    );
    let r = token_request(
        &mut c,
        "build-robot",
        json!({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web"}}),
    );
    let t = claims(r.body["status"]["token"].as_str().unwrap_or_default());
    assert_eq!(t["kubernetes.io"]["pod"], json!({"name": "web", "uid": pod["metadata"]["uid"]}));
    assert_eq!(t["kubernetes.io"]["node"]["name"], "node-1");
    assert!(t["kubernetes.io"].get("warnafter").is_none(), "only 3607 s pod tokens are extended");

    let other =
        token_request(&mut c, "default", json!({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web"}}));
    assert_eq!(
        failure(&other, 400, "BadRequest"),
        r#"cannot bind token for serviceaccount "default" to pod running with different serviceaccount name."#
    );
    let stale = token_request(
        &mut c,
        "build-robot",
        json!({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web", "uid": "old"}}),
    );
    assert_eq!(
        failure(&stale, 409, "Conflict"),
        r#"Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated"#
    );
    let gone = token_request(
        &mut c,
        "build-robot",
        json!({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "nosuch"}}),
    );
    assert_eq!(failure(&gone, 404, "NotFound"), r#"pods "nosuch" not found"#);
    let cm = token_request(
        &mut c,
        "build-robot",
        json!({"boundObjectRef": {"kind": "ConfigMap", "apiVersion": "v1", "name": "x"}}),
    );
    assert_eq!(failure(&cm, 400, "BadRequest"), "cannot bind token to object of type /v1, Kind=ConfigMap");
    let node = token_request(
        &mut c,
        "build-robot",
        json!({"boundObjectRef": {"kind": "Node", "apiVersion": "v1", "name": "node-1"}}),
    );
    let t = claims(node.body["status"]["token"].as_str().unwrap_or_default());
    assert!(t["kubernetes.io"]["node"]["uid"].is_string());
    assert!(t["kubernetes.io"].get("pod").is_none());
}

#[test]
fn the_mounted_token_is_the_extended_kubelet_token() {
    let mut c = cluster();
    let pod = create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"#,
    );
    let mounts = c.container_mounts("default", "web", None).unwrap_or_else(|e| panic!("{e}"));
    let token = mounts.read_file("/var/run/secrets/kubernetes.io/serviceaccount/token").unwrap_or_default();
    let t = verify_with_jwks(&mut c, &token, ISSUER);
    let iat = t["iat"].as_i64().unwrap_or(0);
    assert_eq!(t["exp"].as_i64().unwrap_or(0) - iat, 31_536_000, "one year");
    assert_eq!(t["kubernetes.io"]["warnafter"].as_i64(), Some(iat + 3607));
    assert_eq!(t["kubernetes.io"]["pod"]["uid"], pod["metadata"]["uid"]);
    assert_eq!(t["sub"], "system:serviceaccount:default:default");
    let info = &mounts.mounts[0].2.tokens[0];
    assert_eq!(info.expiration_timestamp().unix_seconds() - iat, 3607, "the status still says 3607 s");
    // The token authenticates as the pod's service account.
    let r = get_as(&mut c, &token, "/version");
    assert_eq!(r.code, 200);
    assert_eq!(last_audit(&c).user, "system:serviceaccount:default:default");
}

#[test]
fn projected_tokens_with_their_own_audience_are_not_extended() {
    let mut c = cluster();
    let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"vault"},"spec":{"containers":[{"name":"c","image":"nginx","volumeMounts":[{"name":"vault-token","mountPath":"/var/run/secrets/tokens"}]}],"volumes":[{"name":"vault-token","projected":{"sources":[{"serviceAccountToken":{"path":"vault-token","expirationSeconds":7200,"audience":"vault"}}]}}]}}"#;
    create(&mut c, PODS, pod);
    let mounts = c.container_mounts("default", "vault", None).unwrap_or_else(|e| panic!("{e}"));
    let token = mounts.read_file("/var/run/secrets/tokens/vault-token").unwrap_or_default();
    let t = verify_with_jwks(&mut c, &token, "vault");
    assert_eq!(t["exp"].as_i64().unwrap_or(0) - t["iat"].as_i64().unwrap_or(0), 7200);
    assert!(t["kubernetes.io"].get("warnafter").is_none());
    // Not for the API server.
    assert_eq!(get_as(&mut c, &token, "/version").code, 401);
}

#[test]
fn legacy_token_secrets() {
    let mut c = cluster();
    let sa = service_account(&mut c, "build-robot");
    create(
        &mut c,
        SECRETS,
        r#"{"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/service-account-token","metadata":{"name":"build-robot-secret","annotations":{"kubernetes.io/service-account.name":"build-robot"}}}"#,
    );
    let secret = get(&mut c, &format!("{SECRETS}/build-robot-secret")).body;
    let token = String::from_utf8(base64_std(secret["data"]["token"].as_str().unwrap_or_default())).unwrap_or_default();
    let t = verify_with_legacy(&mut c, &token);
    assert_eq!(
        t,
        json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": "default",
            "kubernetes.io/serviceaccount/secret.name": "build-robot-secret",
            "kubernetes.io/serviceaccount/service-account.name": "build-robot",
            "kubernetes.io/serviceaccount/service-account.uid": sa["metadata"]["uid"],
            "sub": "system:serviceaccount:default:build-robot",
        })
    );
    // Legacy tokens never expire, and their use is tracked on the Secret.
    c.advance_seconds(10 * 365 * 24 * 3600);
    assert_eq!(get_as(&mut c, &token, "/version").code, 200);
    let secret = get(&mut c, &format!("{SECRETS}/build-robot-secret")).body;
    assert_eq!(secret["metadata"]["labels"]["kubernetes.io/legacy-token-last-used"], "2034-12-30");
}

fn base64_std(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap_or_default()
}

fn verify_with_legacy(c: &mut saplay_cluster::Cluster, token: &str) -> Value {
    // Legacy tokens have no audience.
    let mut validation = Validation::new(Algorithm::ES256);
    validation.validate_aud = false;
    decode_with_jwks(c, token, validation)
}

#[test]
fn oidc_discovery_documents() {
    let mut c = cluster();
    let config = get(&mut c, "/.well-known/openid-configuration").body;
    assert_eq!(config["issuer"], ISSUER);
    assert_eq!(config["jwks_uri"], "https://172.18.0.2:6443/openid/v1/jwks");
    assert_eq!(config["id_token_signing_alg_values_supported"], json!(["ES256"]));
    let jwks = get(&mut c, "/openid/v1/jwks").body;
    assert_eq!(jwks["keys"][0]["kty"], "EC");
    assert_eq!(jwks["keys"][0]["kid"], c.token_signer().kid());
    // Service accounts may read them (system:service-account-issuer-discovery).
    let t = token(&mut c, "default");
    assert_eq!(get_as(&mut c, &t, "/openid/v1/jwks").code, 200);
}
