//! Authentication: who is making a request.
//!
//! The admin's client certificate is kubeadm's `admin.conf` one since
//! v1.29: `CN=kubernetes-admin`, `O=kubeadm:cluster-admins`. That group is
//! not privileged: the admin's access comes through RBAC, from the
//! `kubeadm:cluster-admins` ClusterRoleBinding to `cluster-admin` that
//! kubeadm creates (`controllers.rs`). Only `super-admin.conf`, which kind
//! keeps on the control-plane node, is in `system:masters`.
//! A bearer token is checked as kube-apiserver's service-account
//! authenticator checks it (`pkg/serviceaccount/jwt.go`, `claims.go`,
//! `legacy.go`): issuer, signature, audience, then the bound or legacy
//! validator. The client only ever learns `401 Unauthorized`; the precise
//! reason is kept for the audit log and the learner's "why".

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api::Credential;
use crate::jwt::decode_unverified;
use crate::object::Object;
use crate::store::Key;
use crate::strategy::SERVICE_ACCOUNT_TOKEN_TYPE;
use crate::time::Time;
use crate::tokens::{API_AUDIENCES, ISSUER, LEGACY_ISSUER};
use crate::Cluster;

/// Group whose members may do anything, before any authorizer is asked.
pub const SYSTEM_MASTERS: &str = "system:masters";
/// The user of kubeadm's `admin.conf`, the learner's kubectl.
pub const ADMIN_USERNAME: &str = "kubernetes-admin";
/// The group of kubeadm's `admin.conf` certificate, and the name of the
/// ClusterRoleBinding that binds it to `cluster-admin`
/// (`ClusterAdminsGroupAndClusterRoleBinding`).
pub const KUBEADM_CLUSTER_ADMINS: &str = "kubeadm:cluster-admins";
/// Added to every authenticated user.
pub const SYSTEM_AUTHENTICATED: &str = "system:authenticated";
/// go-jose's default leeway for time claims.
pub const LEEWAY_SECONDS: i64 = 60;
/// Label recording the last day a legacy token was used.
pub const LAST_USED_LABEL: &str = "kubernetes.io/legacy-token-last-used";
/// Label that makes a legacy token invalid.
pub const INVALID_SINCE_LABEL: &str = "kubernetes.io/legacy-token-invalid-since";

/// Who made a request (`user.Info`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInfo {
    /// e.g. `kubernetes-admin` or `system:serviceaccount:default:build-robot`.
    pub username: String,
    /// The user's UID (a service account's UID), if any.
    pub uid: String,
    /// e.g. `system:serviceaccounts`, `system:authenticated`.
    pub groups: Vec<String>,
    /// Extra attributes (`authentication.kubernetes.io/pod-name`, …).
    pub extra: BTreeMap<String, Vec<String>>,
}

impl UserInfo {
    /// The learner's kubectl user: `kubernetes-admin` in
    /// `kubeadm:cluster-admins` (the certificate's organization) and
    /// `system:authenticated`, as `kubectl auth whoami` shows on kind.
    pub fn admin() -> Self {
        Self {
            username: ADMIN_USERNAME.to_string(),
            groups: vec![KUBEADM_CLUSTER_ADMINS.to_string(), SYSTEM_AUTHENTICATED.to_string()],
            ..Self::default()
        }
    }

    /// The anonymous user.
    pub fn anonymous() -> Self {
        Self {
            username: "system:anonymous".to_string(),
            groups: vec!["system:unauthenticated".to_string()],
            ..Self::default()
        }
    }

    /// A service account's user info (without extras).
    pub fn service_account(namespace: &str, name: &str, uid: &str) -> Self {
        Self {
            username: service_account_username(namespace, name),
            uid: uid.to_string(),
            groups: vec![
                "system:serviceaccounts".to_string(),
                format!("system:serviceaccounts:{namespace}"),
                SYSTEM_AUTHENTICATED.to_string(),
            ],
            extra: BTreeMap::new(),
        }
    }

    /// The user an impersonated request runs as (`--as`, `--as-group`,
    /// `--as-uid`), once the impersonation is allowed: a service-account
    /// username without groups gets the service-account groups, and every
    /// user but `system:anonymous` is in `system:authenticated`.
    pub fn impersonated(username: &str, groups: &[String], uid: &str) -> Self {
        let mut groups = groups.to_vec();
        if groups.is_empty() {
            if let Some((namespace, _)) = split_service_account_username(username) {
                groups = vec!["system:serviceaccounts".to_string(), format!("system:serviceaccounts:{namespace}")];
            }
        }
        if username != "system:anonymous" && !groups.iter().any(|g| g == SYSTEM_AUTHENTICATED) {
            groups.push(SYSTEM_AUTHENTICATED.to_string());
        }
        Self { username: username.to_string(), uid: uid.to_string(), groups, extra: BTreeMap::new() }
    }

    /// Whether the user is in `group`.
    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }
}

/// `system:serviceaccount:<namespace>:<name>`.
pub fn service_account_username(namespace: &str, name: &str) -> String {
    format!("system:serviceaccount:{namespace}:{name}")
}

/// `SplitUsername`: the namespace and name of a service-account username.
pub fn split_service_account_username(username: &str) -> Option<(String, String)> {
    let rest = username.strip_prefix("system:serviceaccount:")?;
    let (namespace, name) = rest.split_once(':')?;
    let valid = !name.contains(':')
        && crate::validation::is_dns1123_label(namespace).is_empty()
        && crate::validation::is_dns1123_subdomain(name).is_empty();
    valid.then(|| (namespace.to_string(), name.to_string()))
}

/// A successful authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// Who.
    pub user: UserInfo,
    /// How, in words (for the audit log and the "why").
    pub how: String,
    /// `Warning:` headers for the response.
    pub warnings: Vec<String>,
    /// The token's credential id (`JTI=…`), never the token itself.
    pub credential_id: Option<String>,
    /// A legacy token Secret whose last-used label should be refreshed.
    pub legacy_secret: Option<Key>,
}

impl Authenticated {
    fn plain(user: UserInfo, how: &str) -> Self {
        Self { user, how: how.to_string(), warnings: Vec::new(), credential_id: None, legacy_secret: None }
    }
}

fn claim_str<'a>(claims: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = claims;
    for key in path {
        v = v.get(key)?;
    }
    v.as_str()
}

fn quote_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" "))
}

impl Cluster {
    /// Authenticates a credential; `Err` holds the server-side reason of a
    /// 401.
    pub fn authenticate(&self, credential: &Credential) -> Result<Authenticated, String> {
        match credential {
            Credential::AdminCertificate => {
                let how = format!("client certificate CN={ADMIN_USERNAME}, O={KUBEADM_CLUSTER_ADMINS}");
                Ok(Authenticated::plain(UserInfo::admin(), &how))
            }
            Credential::Anonymous => Ok(Authenticated::plain(UserInfo::anonymous(), "no credentials: anonymous")),
            Credential::BearerToken(token) => {
                let api: Vec<String> = API_AUDIENCES.iter().map(|s| s.to_string()).collect();
                self.authenticate_token(token.trim(), &api).map(|(a, _)| a)
            }
        }
    }

    /// The service-account token authenticator, for a request that accepts
    /// `targets` as audiences; also returns the audiences that matched.
    pub fn authenticate_token(&self, token: &str, targets: &[String]) -> Result<(Authenticated, Vec<String>), String> {
        // Pre-check: an unverified look at the issuer decides whether this
        // authenticator handles the token at all.
        let (_, unverified) = decode_unverified(token).map_err(|e| format!("not a JWT: {e}"))?;
        let issuer = claim_str(&unverified, &["iss"]).unwrap_or_default();
        if issuer != ISSUER && issuer != LEGACY_ISSUER {
            return Err(format!("no authenticator accepts tokens from issuer {issuer:?}"));
        }
        let (_, claims) = self.signer.verify(token).map_err(|e| e.to_string())?;
        // Audiences: a token without `aud` is a legacy token and gets the API
        // audiences implicitly.
        let audiences: Vec<String> = match claims.get("aud") {
            None => API_AUDIENCES.iter().map(|s| s.to_string()).collect(),
            Some(Value::String(a)) => vec![a.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
            Some(_) => Vec::new(),
        };
        let matched: Vec<String> = targets.iter().filter(|t| audiences.contains(t)).cloned().collect();
        if matched.is_empty() {
            return Err(format!(
                "token audiences {} is invalid for the target audiences {}",
                quote_list(&audiences),
                quote_list(targets)
            ));
        }
        let authenticated =
            if issuer == LEGACY_ISSUER { self.validate_legacy(token, &claims) } else { self.validate_bound(&claims) }?;
        Ok((authenticated, matched))
    }

    fn is_gone(&self, deletion: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>) -> bool {
        deletion.is_some_and(|t| Time::from_k8s(t).unix_seconds() < self.now.unix_seconds() - LEEWAY_SECONDS)
    }

    /// The bound-token validator (`validator.Validate`).
    fn validate_bound(&self, claims: &Value) -> Result<Authenticated, String> {
        let now = self.now.unix_seconds();
        let number = |k: &str| claims.get(k).and_then(Value::as_i64);
        if number("exp").is_some_and(|exp| now > exp + LEEWAY_SECONDS) {
            return Err("service account token has expired".to_string());
        }
        if number("nbf").is_some_and(|nbf| now < nbf - LEEWAY_SECONDS) {
            return Err("service account token is not valid yet".to_string());
        }
        if number("iat").is_some_and(|iat| now < iat - LEEWAY_SECONDS) {
            return Err("service account token is issued in the future".to_string());
        }
        let k8s = claims.get("kubernetes.io").ok_or("token could not be validated: kubernetes.io claim is missing")?;
        let namespace = claim_str(k8s, &["namespace"]).unwrap_or_default();
        let sa_name = claim_str(k8s, &["serviceaccount", "name"]).unwrap_or_default();
        let sa_uid = claim_str(k8s, &["serviceaccount", "uid"]).unwrap_or_default();
        let sa =
            self.service_account(namespace, sa_name).ok_or_else(|| format!("serviceaccount {sa_name:?} not found"))?;
        let actual_uid = sa.metadata.uid.as_deref().unwrap_or_default();
        if actual_uid != sa_uid {
            return Err(format!("service account UID ({actual_uid}) does not match claim ({sa_uid})"));
        }
        if self.is_gone(sa.metadata.deletion_timestamp.as_ref()) {
            return Err(format!("service account {namespace}/{sa_name} has been deleted"));
        }
        let mut user = UserInfo::service_account(namespace, sa_name, sa_uid);
        // Bound objects.
        let bound = |kind: &str| -> Option<(String, String)> {
            let obj = k8s.get(kind)?;
            Some((claim_str(obj, &["name"])?.to_string(), claim_str(obj, &["uid"]).unwrap_or_default().to_string()))
        };
        if let Some((name, uid)) = bound("secret") {
            self.check_bound_object("secrets", namespace, &name, &uid, "secret")?;
        }
        let pod = bound("pod");
        if let Some((name, uid)) = &pod {
            self.check_bound_object("pods", namespace, name, uid, "pod")?;
            user.extra.insert("authentication.kubernetes.io/pod-name".to_string(), vec![name.clone()]);
            user.extra.insert("authentication.kubernetes.io/pod-uid".to_string(), vec![uid.clone()]);
        }
        if let Some((name, uid)) = bound("node") {
            // For pod-bound tokens the node claim is informational.
            if pod.is_none() {
                self.check_bound_object("nodes", "", &name, &uid, "node")?;
            }
            user.extra.insert("authentication.kubernetes.io/node-name".to_string(), vec![name]);
            if !uid.is_empty() {
                user.extra.insert("authentication.kubernetes.io/node-uid".to_string(), vec![uid]);
            }
        }
        let credential_id = claim_str(claims, &["jti"]).map(|jti| format!("JTI={jti}"));
        if let Some(id) = &credential_id {
            user.extra.insert("authentication.kubernetes.io/credential-id".to_string(), vec![id.clone()]);
        }
        let mut how = format!("service account token of {}", user.username);
        if let Some(warn_after) = k8s.get("warnafter").and_then(Value::as_i64) {
            if now > warn_after {
                how.push_str(&format!(
                    "; stale token (authentication.k8s.io/stale-token): subject: {}, seconds after warning threshold: {}",
                    user.username,
                    now - warn_after
                ));
            }
        }
        Ok(Authenticated { user, how, warnings: Vec::new(), credential_id, legacy_secret: None })
    }

    fn check_bound_object(
        &self,
        plural: &str,
        namespace: &str,
        name: &str,
        uid: &str,
        what: &str,
    ) -> Result<(), String> {
        let r = crate::resource::by_plural_name(plural).ok_or("unknown resource")?;
        let object = self
            .store
            .get(&Key::new(r, namespace, name))
            .ok_or_else(|| "service account token has been invalidated".to_string())?;
        let actual = object.metadata().uid.as_deref().unwrap_or_default();
        if actual != uid {
            let claim = if what == "secret" {
                "service account secret ref claim"
            } else {
                &format!("service account {what} ref claim")
            };
            return Err(format!("{what} UID ({actual}) does not match {claim} ({uid})"));
        }
        if self.is_gone(object.metadata().deletion_timestamp.as_ref()) {
            return Err("service account token has been invalidated".to_string());
        }
        Ok(())
    }

    /// The legacy-token validator (`legacyValidator.Validate`).
    fn validate_legacy(&self, token: &str, claims: &Value) -> Result<Authenticated, String> {
        let get = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let sub = get("sub");
        let namespace = get("kubernetes.io/serviceaccount/namespace");
        let secret_name = get("kubernetes.io/serviceaccount/secret.name");
        let sa_name = get("kubernetes.io/serviceaccount/service-account.name");
        let sa_uid = get("kubernetes.io/serviceaccount/service-account.uid");
        for (value, missing) in [
            (&sub, "sub claim is missing"),
            (&namespace, "namespace claim is missing"),
            (&secret_name, "secretName claim is missing"),
            (&sa_name, "serviceAccountName claim is missing"),
            (&sa_uid, "serviceAccountUID claim is missing"),
        ] {
            if value.is_empty() {
                return Err(missing.to_string());
            }
        }
        if split_service_account_username(&sub) != Some((namespace.clone(), sa_name.clone())) {
            return Err("sub claim is invalid".to_string());
        }
        let secrets = crate::resource::by_plural_name("secrets").ok_or("unknown resource")?;
        let key = Key::new(secrets, &namespace, &secret_name);
        let Some(Object::Secret(secret)) = self.store.get(&key) else {
            return Err("Token has been invalidated".to_string());
        };
        if secret.metadata.deletion_timestamp.is_some() || secret.type_.as_deref() != Some(SERVICE_ACCOUNT_TOKEN_TYPE) {
            return Err("Token has been invalidated".to_string());
        }
        let stored = secret.data.as_ref().and_then(|d| d.get("token")).map(|b| b.0.as_slice()).unwrap_or_default();
        if !constant_time_eq(stored, token.as_bytes()) {
            return Err("Token does not match server's copy".to_string());
        }
        let sa = self
            .service_account(&namespace, &sa_name)
            .ok_or_else(|| format!("serviceaccount {sa_name:?} not found"))?;
        if sa.metadata.deletion_timestamp.is_some() {
            return Err(format!("ServiceAccount {namespace}/{sa_name} has been deleted"));
        }
        let actual = sa.metadata.uid.as_deref().unwrap_or_default();
        if actual != sa_uid {
            return Err(format!("ServiceAccount UID ({actual}) does not match claim ({sa_uid})"));
        }
        if secret.metadata.labels.as_ref().is_some_and(|l| l.contains_key(INVALID_SINCE_LABEL)) {
            return Err(format!(
                "the token in secret {namespace}/{secret_name} for service account {namespace}/{sa_name} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '{INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this token"
            ));
        }
        let autogenerated = sa.secrets.iter().flatten().any(|r| r.name.as_deref() == Some(secret_name.as_str()));
        let mut warnings = Vec::new();
        if autogenerated {
            warnings.push("Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.".to_string());
        }
        Ok(Authenticated {
            user: UserInfo::service_account(&namespace, &sa_name, &sa_uid),
            how: format!("legacy token from secret {namespace}/{secret_name}"),
            warnings,
            credential_id: None,
            legacy_secret: Some(key),
        })
    }

    /// Marks a legacy token Secret as used today (the tracking label).
    #[inline(never)]
    pub(crate) fn record_legacy_token_use(&mut self, key: &Key) {
        let Some(Object::Secret(mut secret)) = self.store.get(key).cloned() else { return };
        let today = self.now.to_k8s().0.format("%Y-%m-%d").to_string();
        let tomorrow = self.now.plus_millis(86_400_000).to_k8s().0.format("%Y-%m-%d").to_string();
        let labels = secret.metadata.labels.get_or_insert_with(Default::default);
        if labels.get(LAST_USED_LABEL).is_some_and(|d| *d == today || *d == tomorrow) {
            return;
        }
        labels.insert(LAST_USED_LABEL.to_string(), today);
        self.system_update(Object::Secret(secret));
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
