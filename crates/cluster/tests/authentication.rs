//! Token authentication: the forged-token battery. Every bad token gets the
//! same 401 the real API server gives, and the audit log records the
//! precise reason.

mod common;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use saplay_cluster::{Cluster, ClusterConfig, Credential, Request, Time};
use serde_json::json;

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// Asserts the token is refused with a 401 whose audit reason is `why`.
fn refused(c: &mut Cluster, token: &str, why: &str) {
    let r = get_as(c, token, "/version");
    assert_eq!(r.code, 401, "{why}");
    assert_eq!(r.body["message"], "Unauthorized");
    assert_eq!(r.body["reason"], "Unauthorized");
    let event = last_audit(c);
    assert_eq!(event.authentication, why);
    assert_eq!(event.decision, saplay_cluster::audit::Decision::Unauthenticated);
}

#[test]
fn a_valid_token_becomes_the_service_account_user() {
    let mut c = cluster();
    let sa = service_account(&mut c, "app");
    let t = token(&mut c, "app");
    let review = c.handle(
        &Request::post(
            "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            r#"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"#,
        )
        .with_credential(Credential::BearerToken(t.clone())),
    );
    assert_eq!(review.code, 201, "{}", review.body);
    let info = &review.body["status"]["userInfo"];
    assert_eq!(info["username"], "system:serviceaccount:default:app");
    assert_eq!(info["uid"], sa["metadata"]["uid"]);
    assert_eq!(
        info["groups"],
        json!(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
    );
    let jti = claims(&t)["jti"].as_str().unwrap_or_default().to_string();
    assert_eq!(info["extra"]["authentication.kubernetes.io/credential-id"], json!([format!("JTI={jti}")]));
    assert_eq!(last_audit(&c).credential_id, Some(format!("JTI={jti}")));
}

#[test]
fn forged_and_broken_tokens() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let good = token(&mut c, "app");
    let parts: Vec<&str> = good.split('.').collect();
    let (header, payload, signature) = (parts[0], parts[1], parts[2]);

    refused(
        &mut c,
        &format!("{}.{payload}.", b64(r#"{"alg":"none"}"#)),
        r#"square/go-jose: unexpected signature algorithm "none"; expected ["ES256"]"#,
    );
    // Algorithm confusion: HS256 "signed" with the public key as secret.
    let hs =
        format!("{}.{payload}.{signature}", b64(&format!(r#"{{"alg":"HS256","kid":"{}"}}"#, c.token_signer().kid())));
    refused(&mut c, &hs, r#"square/go-jose: unexpected signature algorithm "HS256"; expected ["ES256"]"#);
    refused(
        &mut c,
        &format!("{}.{payload}.{signature}", b64(r#"{"alg":"ES256","kid":"someone-else"}"#)),
        "invalid signature, no keys found",
    );
    let mut claims_value = claims(&good);
    claims_value["sub"] = json!("system:serviceaccount:kube-system:admin");
    refused(
        &mut c,
        &format!("{header}.{}.{signature}", b64(&claims_value.to_string())),
        "square/go-jose: error in cryptographic primitive",
    );
    refused(
        &mut c,
        &format!("{header}.{payload}"),
        "not a JWT: square/go-jose: compact JWS format must have three parts",
    );
    refused(&mut c, "not-a-token", "not a JWT: square/go-jose: compact JWS format must have three parts");
    let foreign =
        format!("{}.{}.{signature}", b64(r#"{"alg":"ES256"}"#), b64(r#"{"iss":"https://accounts.example.com"}"#));
    refused(&mut c, &foreign, r#"no authenticator accepts tokens from issuer "https://accounts.example.com""#);
}

#[test]
fn expiry_with_one_minute_of_leeway() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let t = token(&mut c, "app");
    c.advance_seconds(3600 + 60);
    assert_eq!(get_as(&mut c, &t, "/version").code, 200, "exp + 60 s is still accepted");
    c.advance_seconds(1);
    refused(&mut c, &t, "service account token has expired");
}

#[test]
fn not_yet_valid() {
    // Same seed, same signing key: a token minted two hours "later" is
    // presented to a cluster whose clock is two hours behind.
    let later = ClusterConfig { seed: 0, start: Time::from_unix_seconds(1_735_689_600 + 7200) };
    let mut future = Cluster::new(later);
    service_account(&mut future, "app");
    let t = token(&mut future, "app");
    let mut c = cluster();
    service_account(&mut c, "app");
    refused(&mut c, &t, "service account token is not valid yet");
}

#[test]
fn wrong_audience() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let r = token_request(&mut c, "app", json!({"audiences": ["vault"]}));
    let t = r.body["status"]["token"].as_str().unwrap_or_default().to_string();
    refused(
        &mut c,
        &t,
        r#"token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]"#,
    );
}

#[test]
fn service_account_deleted_or_recreated() {
    let mut c = cluster();
    let old = service_account(&mut c, "app");
    let t = token(&mut c, "app");
    delete(&mut c, &format!("{SA}/app"));
    refused(&mut c, &t, r#"serviceaccount "app" not found"#);
    let new = service_account(&mut c, "app");
    refused(
        &mut c,
        &t,
        &format!(
            "service account UID ({}) does not match claim ({})",
            new["metadata"]["uid"].as_str().unwrap_or_default(),
            old["metadata"]["uid"].as_str().unwrap_or_default()
        ),
    );
}

#[test]
fn bound_pod_or_secret_deleted() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"serviceAccountName":"app","containers":[{"name":"c","image":"nginx"}]}}"#,
    );
    create(&mut c, SECRETS, r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"anchor"}}"#);
    let to_pod =
        token_request(&mut c, "app", json!({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web"}}));
    let to_secret = token_request(
        &mut c,
        "app",
        json!({"boundObjectRef": {"kind": "Secret", "apiVersion": "v1", "name": "anchor"}}),
    );
    let (to_pod, to_secret) = (
        to_pod.body["status"]["token"].as_str().unwrap_or_default().to_string(),
        to_secret.body["status"]["token"].as_str().unwrap_or_default().to_string(),
    );
    assert_eq!(get_as(&mut c, &to_pod, "/version").code, 200);
    assert_eq!(get_as(&mut c, &to_secret, "/version").code, 200);
    delete(&mut c, &format!("{PODS}/web"));
    delete(&mut c, &format!("{SECRETS}/anchor"));
    // The pod is Terminating for its 30 s grace period; its tokens work on.
    c.advance_seconds(29);
    assert_eq!(get_as(&mut c, &to_pod, "/version").code, 200);
    c.advance_seconds(1);
    refused(&mut c, &to_pod, "service account token has been invalidated");
    refused(&mut c, &to_secret, "service account token has been invalidated");
    // Recreated under the same name: a different object.
    create(&mut c, SECRETS, r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"anchor"}}"#);
    let event_reason = {
        get_as(&mut c, &to_secret, "/version");
        last_audit(&c).authentication
    };
    assert!(event_reason.starts_with("secret UID ("), "{event_reason}");
    assert!(event_reason.contains(") does not match service account secret ref claim ("));
}

#[test]
fn legacy_token_whose_secret_changed_or_was_marked_invalid() {
    let mut c = cluster();
    service_account(&mut c, "robot");
    create(
        &mut c,
        SECRETS,
        r#"{"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/service-account-token","metadata":{"name":"robot-token","annotations":{"kubernetes.io/service-account.name":"robot"}}}"#,
    );
    let secret = get(&mut c, &format!("{SECRETS}/robot-token")).body;
    let t = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(secret["data"]["token"].as_str().unwrap_or_default())
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(get_as(&mut c, &t, "/version").code, 200);
    let path = format!("{SECRETS}/robot-token");
    let marked = c.handle(&Request::patch(
        &path,
        "application/merge-patch+json",
        r#"{"metadata":{"labels":{"kubernetes.io/legacy-token-invalid-since":"2025-01-01"}}}"#,
    ));
    assert_eq!(marked.code, 200);
    refused(&mut c, &t, "the token in secret default/robot-token for service account default/robot has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token");
    c.handle(&Request::patch(
        &path,
        "application/merge-patch+json",
        r#"{"metadata":{"labels":{"kubernetes.io/legacy-token-invalid-since":null}},"data":{"token":"b3RoZXI="}}"#,
    ));
    refused(&mut c, &t, "Token does not match server's copy");
    delete(&mut c, &path);
    refused(&mut c, &t, "Token has been invalidated");
}

#[test]
fn the_audit_log_never_holds_tokens() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let t = token(&mut c, "app");
    get_as(&mut c, &t, "/api/v1/namespaces/default/pods");
    let dump = format!("{:?}", c.audit_log().events().collect::<Vec<_>>());
    assert!(!dump.contains(&t));
    assert!(!dump.contains(t.split('.').nth(2).unwrap_or("x")));
}
