//! The inspectors' read-only APIs: the token inspector agrees with the
//! authenticator, pods' mounted tokens, access checks, who-can and audit
//! filters; none of them changes the cluster or its audit log.

mod common;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;
use saplay_cluster::audit::Decision;
use saplay_cluster::authn::UserInfo;
use saplay_cluster::inspect::{AuditFilter, SignatureCheck, TokenKind, TokenStatus};
use saplay_cluster::rbac::Attributes;
use saplay_cluster::{Cluster, Request};
use serde_json::json;

const POD: &str = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"serviceAccountName":"app","containers":[{"name":"c","image":"nginx"},{"name":"side","image":"busybox","volumeMounts":[]}]}}"#;

fn legacy_token(c: &mut Cluster, sa: &str, secret: &str) -> String {
    create(
        c,
        SECRETS,
        &format!(
            r#"{{"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/service-account-token","metadata":{{"name":"{secret}","annotations":{{"kubernetes.io/service-account.name":"{sa}"}}}}}}"#
        ),
    );
    let s = get(c, &format!("{SECRETS}/{secret}")).body;
    String::from_utf8(STANDARD.decode(s["data"]["token"].as_str().unwrap_or_default()).unwrap_or_default())
        .unwrap_or_default()
}

fn pod_token(c: &mut Cluster) -> String {
    let r = token_request(c, "app", json!({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web"}}));
    assert_eq!(r.code, 201, "{}", r.body);
    r.body["status"]["token"].as_str().unwrap_or_default().to_string()
}

/// Inspects, then authenticates for real; both must agree. Inspection must
/// leave the audit log alone.
fn agree(c: &mut Cluster, token: &str, expected: &TokenStatus) {
    let entries = c.audit_log().events().count();
    let revision = c.store().revision();
    let inspection = c.inspect_token(token);
    assert_eq!(c.audit_log().events().count(), entries, "inspection wrote an audit entry");
    assert_eq!(c.store().revision(), revision, "inspection changed the store");
    assert_eq!(&inspection.status, expected, "{inspection:?}");
    assert!(!inspection.why.is_empty());
    let code = get_as(c, token, "/version").code;
    assert_eq!(code == 200, inspection.status == TokenStatus::Valid, "{token}: {code} vs {:?}", inspection.status);
    if code != 200 {
        assert_eq!(inspection.authenticator_reason.as_deref(), Some(last_audit(c).authentication.as_str()));
    }
}

#[test]
fn the_inspector_agrees_with_the_authenticator() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(&mut c, PODS, POD);
    let fresh = token(&mut c, "app");
    agree(&mut c, &fresh, &TokenStatus::Valid);
    let bound = pod_token(&mut c);
    agree(&mut c, &bound, &TokenStatus::Valid);
    let legacy = legacy_token(&mut c, "app", "app-token");
    agree(&mut c, &legacy, &TokenStatus::Valid);

    // Garbage, tampering, another issuer.
    agree(&mut c, "", &TokenStatus::NotAJwt);
    agree(&mut c, "garbage", &TokenStatus::NotAJwt);
    agree(&mut c, "a.b.c", &TokenStatus::NotAJwt);
    agree(&mut c, "\u{1F600}.\u{0}.", &TokenStatus::NotAJwt);
    let parts: Vec<&str> = fresh.split('.').collect();
    let (header, payload, signature) = (parts[0], parts[1], parts[2]);
    let mut claims = claims(&fresh);
    claims["sub"] = json!("system:serviceaccount:kube-system:admin");
    let tampered = format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(claims.to_string()));
    agree(&mut c, &tampered, &TokenStatus::BadSignature);
    assert_eq!(c.inspect_token(&tampered).signature, SignatureCheck::Invalid);
    let none = format!("{}.{payload}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#));
    agree(&mut c, &none, &TokenStatus::BadSignature);
    assert_eq!(c.inspect_token(&none).signature, SignatureCheck::UnsupportedAlgorithm("none".to_string()));
    let other_kid = format!("{}.{payload}.{signature}", URL_SAFE_NO_PAD.encode(r#"{"alg":"ES256","kid":"nope"}"#));
    agree(&mut c, &other_kid, &TokenStatus::BadSignature);
    assert_eq!(c.inspect_token(&other_kid).signature, SignatureCheck::UnknownKey("nope".to_string()));
    let foreign = format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"ES256"}"#),
        URL_SAFE_NO_PAD.encode(r#"{"iss":"https://accounts.example.com"}"#)
    );
    agree(&mut c, &foreign, &TokenStatus::WrongIssuer);
    assert_eq!(c.inspect_token(&foreign).kind, TokenKind::Unknown);
    let r = token_request(&mut c, "app", json!({"audiences": ["vault"]}));
    let vault = r.body["status"]["token"].as_str().unwrap_or_default().to_string();
    agree(&mut c, &vault, &TokenStatus::WrongAudience);

    // The legacy token's Secret is marked invalid, then deleted.
    let path = format!("{SECRETS}/app-token");
    let mark = r#"{"metadata":{"labels":{"kubernetes.io/legacy-token-invalid-since":"2025-01-01"}}}"#;
    assert_eq!(c.handle(&Request::patch(&path, "application/merge-patch+json", mark)).code, 200);
    agree(&mut c, &legacy, &TokenStatus::LegacyInvalidated);
    assert_eq!(delete(&mut c, &path).code, 200);
    agree(&mut c, &legacy, &TokenStatus::LegacySecretGone);

    // The pod goes (after its grace period and the 60 s leeway).
    assert_eq!(delete(&mut c, &format!("{PODS}/web")).code, 200);
    c.advance_seconds(120);
    agree(&mut c, &bound, &TokenStatus::BoundObjectGone { kind: "pod".to_string(), name: "web".to_string() });

    // A Secret-bound token dies with its Secret.
    create(&mut c, SECRETS, r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"anchor"}}"#);
    let r = token_request(
        &mut c,
        "app",
        json!({"boundObjectRef": {"kind": "Secret", "apiVersion": "v1", "name": "anchor"}}),
    );
    let anchored = r.body["status"]["token"].as_str().unwrap_or_default().to_string();
    agree(&mut c, &anchored, &TokenStatus::Valid);
    assert_eq!(delete(&mut c, &format!("{SECRETS}/anchor")).code, 200);
    agree(&mut c, &anchored, &TokenStatus::BoundObjectGone { kind: "secret".to_string(), name: "anchor".to_string() });

    // Time passes: the one-hour token expires.
    c.advance_seconds(3600);
    agree(&mut c, &fresh, &TokenStatus::Expired);

    // The service account is deleted and recreated: a new UID.
    let t = token(&mut c, "app");
    agree(&mut c, &t, &TokenStatus::Valid);
    assert_eq!(delete(&mut c, &format!("{SA}/app")).code, 200);
    agree(&mut c, &t, &TokenStatus::ServiceAccountGone);
    service_account(&mut c, "app");
    agree(&mut c, &t, &TokenStatus::ServiceAccountGone);
}

#[test]
fn the_inspection_decodes_and_explains() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(&mut c, PODS, POD);
    let t = pod_token(&mut c);
    let i = c.inspect_token(&format!("  {t}\n"));
    assert_eq!(i.kind, TokenKind::Bound);
    assert_eq!(i.signature, SignatureCheck::Valid);
    assert_eq!(i.username.as_deref(), Some("system:serviceaccount:default:app"));
    assert_eq!(i.header.as_ref().and_then(|h| h["alg"].as_str()), Some("ES256"));
    assert_eq!(i.now, c.now());
    let iat = i.issued_at.map(|t| t.unix_seconds()).unwrap_or_default();
    assert_eq!(i.expires.map(|t| t.unix_seconds()), Some(iat + 3600));
    assert_eq!(i.warn_after, None);
    let claims: Vec<&str> = i.claims_explained.iter().map(|n| n.claim.as_str()).collect();
    for claim in ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "kubernetes.io.namespace", "kubernetes.io.pod.name"]
    {
        assert!(claims.contains(&claim), "{claim} missing from {claims:?}");
    }
    assert!(i.claims_explained.iter().all(|n| !n.meaning.is_empty()));

    // The kubelet's token carries warnafter.
    let mounted = c.mounted_tokens("default", "web").unwrap_or_default();
    let kubelet = c.inspect_token(&mounted[0].token);
    assert_eq!(kubelet.warn_after.map(|t| t.unix_seconds() - iat), Some(3607));
    assert!(kubelet.claims_explained.iter().any(|n| n.claim == "kubernetes.io.warnafter"));

    // Legacy claims.
    let legacy = legacy_token(&mut c, "app", "app-token");
    let l = c.inspect_token(&legacy);
    assert_eq!(l.kind, TokenKind::LegacySecret);
    assert_eq!(l.expires, None);
    assert!(l.claims_explained.iter().any(|n| n.claim == "kubernetes.io/serviceaccount/secret.name"));

    // Not a JWT.
    let g = c.inspect_token("eyJ.%%%.x");
    assert_eq!(g.header, None);
    assert!(g.parse_error.is_some());
    assert_eq!(g.signature, SignatureCheck::NotChecked);
    assert!(g.claims_explained.is_empty());
    let huge = c.inspect_token(&format!(
        "{}.{}.x",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"ES256"}"#),
        URL_SAFE_NO_PAD.encode(r#"{"iss":7,"exp":1e400,"kubernetes.io":[1]}"#)
    ));
    assert_ne!(huge.status, TokenStatus::Valid);
}

#[test]
fn mounted_tokens_of_a_pod() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(&mut c, PODS, POD);
    let tokens = c.mounted_tokens("default", "web").unwrap_or_default();
    assert_eq!(tokens.len(), 1);
    let m = &tokens[0];
    assert!(m.volume.starts_with("kube-api-access-"), "{}", m.volume);
    assert_eq!(
        m.mount_paths,
        vec![
            ("c".to_string(), "/var/run/secrets/kubernetes.io/serviceaccount".to_string()),
            ("side".to_string(), "/var/run/secrets/kubernetes.io/serviceaccount".to_string()),
        ]
    );
    assert_eq!(m.path, "token");
    assert_eq!(m.expiration_seconds, 3607);
    assert_eq!(m.audiences, vec!["https://kubernetes.default.svc.cluster.local".to_string()]);
    assert_eq!(m.issued_at, c.now());
    assert_eq!(m.expires.unix_seconds() - m.issued_at.unix_seconds(), 31_536_000);
    // 80 % of 3607 s, minus up to 10 s of jitter; the write is at a sync.
    let threshold = m.refresh_threshold.unix_seconds() - m.issued_at.unix_seconds();
    assert!((2875..=2885).contains(&threshold), "{threshold}");
    let next = m.next_refresh.map(|t| t.unix_seconds()).unwrap_or_default();
    assert!(next >= m.refresh_threshold.unix_seconds() && next < m.refresh_threshold.unix_seconds() + 60);
    assert!(m.data_dir.starts_with("..2025_01_01_00_00_00."), "{}", m.data_dir);
    let mounts = c.container_mounts("default", "web", None).unwrap_or_else(|e| panic!("{e}"));
    let read = mounts.read_file("/var/run/secrets/kubernetes.io/serviceaccount/token").unwrap_or_default();
    assert_eq!(m.token, read);

    // After the refresh: a new token and a new directory.
    c.advance_seconds(next - c.now().unix_seconds());
    let after = c.mounted_tokens("default", "web").unwrap_or_default();
    assert_ne!(after[0].token, m.token);
    assert_ne!(after[0].data_dir, m.data_dir);

    let missing = c.mounted_tokens("default", "nosuch").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(missing.contains("not found"), "{missing}");
    assert!(c.mounted_tokens("", "").is_err());
}

fn attrs(verb: &str, resource: &str, namespace: &str) -> Attributes {
    Attributes {
        verb: verb.to_string(),
        resource_request: true,
        resource: resource.to_string(),
        namespace: namespace.to_string(),
        ..Attributes::default()
    }
}

const ROLE: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}"#;
const BINDING: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"read-pods"},"subjects":[{"kind":"ServiceAccount","name":"app"}],"roleRef":{"kind":"Role","name":"pod-reader","apiGroup":"rbac.authorization.k8s.io"}}"#;

#[test]
fn access_check_matrix_and_who_can() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let ns = format!("{RBAC}/namespaces/default");
    create(&mut c, &format!("{ns}/roles"), ROLE);
    create(&mut c, &format!("{ns}/rolebindings"), BINDING);
    let user = c.service_account_user("default", "app");
    assert_eq!(user.username, "system:serviceaccount:default:app");
    assert!(!user.uid.is_empty());
    assert!(user.in_group("system:serviceaccounts:default"));
    let entries = c.audit_log().events().count();

    let yes = c.access_check(&user, &attrs("list", "pods", "default"));
    assert!(yes.allowed);
    assert_eq!(
        yes.why,
        vec![r#"allowed by RoleBinding "read-pods/default" of Role "pod-reader" to ServiceAccount "app/default""#
            .to_string()]
    );
    let no = c.access_check(&user, &attrs("delete", "pods", "default"));
    assert!(!no.allowed);
    assert!(no.why.iter().any(|w| w.contains("no rule matches")), "{:?}", no.why);
    let elsewhere = c.access_check(&user, &attrs("list", "pods", "kube-system"));
    assert!(!elsewhere.allowed);
    assert!(c.access_check(&UserInfo::admin(), &attrs("delete", "nodes", "")).allowed);

    let matrix =
        c.access_matrix(&user, "default", &[("", "pods"), ("", "secrets"), ("", "pods/log")], &["get", "delete"]);
    assert_eq!(matrix, vec![vec![true, false], vec![false, false], vec![false, false]]);
    // The matrix agrees with the authorizer cell by cell.
    for (i, r) in ["pods", "secrets"].iter().enumerate() {
        for (j, v) in ["get", "delete"].iter().enumerate() {
            assert_eq!(matrix[i][j], c.access_check(&user, &attrs(v, r, "default")).allowed);
        }
    }
    assert_eq!(c.access_matrix(&UserInfo::admin(), "", &[("", "nodes")], &["get"]), vec![vec![true]]);
    assert!(c.access_matrix(&user, "default", &[], &["get"]).is_empty());

    let who = c.who_can(&attrs("get", "pods", "default"));
    assert_eq!(who[0].subject.name, "system:masters");
    let app = who.iter().find(|w| w.subject.name == "app").unwrap_or_else(|| panic!("{who:?}"));
    assert_eq!(app.subject.namespace.as_deref(), Some("default"));
    assert_eq!((app.binding_kind.as_str(), app.binding_name.as_str()), ("RoleBinding", "read-pods"));
    assert_eq!(app.role_ref.name, "pod-reader");
    assert!(!c.who_can(&attrs("get", "pods", "kube-system")).iter().any(|w| w.subject.name == "app"));
    assert_eq!(c.audit_log().events().count(), entries, "access views wrote audit entries");
}

#[test]
fn audit_filters() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let t = token(&mut c, "app");
    get_as(&mut c, &t, "/api/v1/namespaces/default/pods");
    get_as(&mut c, "junk", "/version");
    let forbidden = AuditFilter { decision: Some(Decision::Forbid), ..AuditFilter::default() };
    let f: Vec<_> = c.audit_events(&forbidden).collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].user, "system:serviceaccount:default:app");
    let unauth = AuditFilter { decision: Some(Decision::Unauthenticated), ..AuditFilter::default() };
    assert_eq!(c.audit_events(&unauth).count(), 1);
    let tokens = AuditFilter {
        resource: Some("serviceaccounts".to_string()),
        verb: Some("create".to_string()),
        ..AuditFilter::default()
    };
    assert_eq!(c.audit_events(&tokens).count(), 2, "the account and its token subresource");
    let by_user = AuditFilter { user: Some("kubernetes-admin".to_string()), ..AuditFilter::default() };
    assert!(c.audit_events(&by_user).all(|e| e.user == "kubernetes-admin"));
    assert_eq!(c.audit_events(&AuditFilter::default()).count(), c.audit_log().events().count());
}

#[test]
fn impersonated_users_get_the_groups_the_server_gives_them() {
    let sa = UserInfo::impersonated("system:serviceaccount:dev:app", &[], "");
    assert_eq!(sa.groups, ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]);
    let jane = UserInfo::impersonated("jane", &["devs".to_string()], "");
    assert_eq!(jane.groups, ["devs", "system:authenticated"]);
    assert_eq!(UserInfo::impersonated("system:anonymous", &[], "").groups, Vec::<String>::new());
    // The access check over an impersonated user agrees with the server
    // answering `kubectl auth can-i … --as`.
    let mut c = cluster();
    service_account(&mut c, "app");
    let ns = format!("{RBAC}/namespaces/default");
    create(&mut c, &format!("{ns}/roles"), ROLE);
    create(&mut c, &format!("{ns}/rolebindings"), BINDING);
    let user = UserInfo::impersonated("system:serviceaccount:default:app", &[], "");
    assert!(c.access_check(&user, &attrs("list", "pods", "default")).allowed);
}

#[test]
fn the_listed_subresources_are_served() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(
        &mut c,
        "/api/v1/namespaces/default/pods",
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"serviceAccountName":"app","containers":[{"name":"c","image":"nginx"}]}}"#,
    );
    for (resource, sub, verb) in saplay_cluster::resource::SUBRESOURCES {
        assert_eq!(*verb, "create");
        let name = if *resource == "pods" { "web" } else { "app" };
        let body = r#"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"#;
        let r = post(&mut c, &format!("/api/v1/namespaces/default/{resource}/{name}/{sub}"), body);
        assert!(r.is_success(), "{resource}/{sub}: {:?}", r.body);
    }
}
