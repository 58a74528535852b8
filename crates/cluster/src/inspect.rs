//! Read-only views for the UI's inspectors: a token inspector, a pod's
//! mounted tokens, access checks and the audit log's filters.
//!
//! Everything here takes `&self`: nothing is stored, no audit entry is
//! written and no clock moves. Verdicts come from the same code the API
//! server runs (the authenticator in `authn.rs`, the authorizer in
//! `rbac.rs`), so what an inspector says is what a request would meet.
//! Any input, including garbage pasted by a learner, gives an answer,
//! never a panic.

use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};
use serde_json::Value;

use crate::api::Credential;
use crate::audit::{AuditEvent, Decision};
use crate::authn::UserInfo;
use crate::jwt::{decode_unverified, JwsError};
use crate::object::Object;
use crate::rbac::{self, Attributes};
use crate::status::ApiError;
use crate::store::Key;
use crate::time::Time;
use crate::tokens::{ISSUER, LEGACY_ISSUER};
use crate::Cluster;

/// What checking the token's signature against the cluster's key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// Signed by the cluster's current service-account key.
    Valid,
    /// The key is ours but the signature does not verify (tampered).
    Invalid,
    /// The header's `kid` names no key in the cluster's JWKS.
    UnknownKey(String),
    /// The header's `alg` is not ES256 (`none`, `HS256`, …).
    UnsupportedAlgorithm(String),
    /// Not checked: the text is not a JWT.
    NotChecked,
}

/// Which kind of service-account token it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bound token (TokenRequest API, projected volume): issuer
    /// `https://kubernetes.default.svc.cluster.local`, with `exp` and the
    /// `kubernetes.io` claim.
    Bound,
    /// A legacy token stored in a `kubernetes.io/service-account-token`
    /// Secret: issuer `kubernetes/serviceaccount`, no expiry.
    LegacySecret,
    /// Neither (another issuer, or not a JWT).
    Unknown,
}

/// The inspector's verdict: what the API server would do with the token now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenStatus {
    /// Accepted: requests with it authenticate.
    Valid,
    /// Past `exp` (plus 60 s of leeway).
    Expired,
    /// Before `nbf` or `iat` (minus 60 s of leeway).
    NotYetValid,
    /// The signature, algorithm or key id is wrong.
    BadSignature,
    /// Issued by someone else: no authenticator takes it.
    WrongIssuer,
    /// None of its audiences is the API server's.
    WrongAudience,
    /// The object the token is bound to is missing, being deleted or has
    /// another UID: `kind` is `pod`, `secret` or `node`.
    BoundObjectGone {
        /// `pod`, `secret` or `node`.
        kind: String,
        /// The object's name from the claim.
        name: String,
    },
    /// The service account is missing, deleted, or was recreated (UID).
    ServiceAccountGone,
    /// The legacy token's Secret is gone or holds another token.
    LegacySecretGone,
    /// The legacy token's Secret carries
    /// `kubernetes.io/legacy-token-invalid-since`.
    LegacyInvalidated,
    /// Not three base64url JSON parts.
    NotAJwt,
    /// Refused for another reason (claims missing or malformed).
    Rejected,
}

/// A claim and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNote {
    /// The claim's path, e.g. `kubernetes.io.pod.name`.
    pub claim: String,
    /// Its value as compact JSON.
    pub value: String,
    /// One sentence for learners.
    pub meaning: String,
}

/// Everything the token inspector shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenInspection {
    /// The decoded JOSE header, if the text is a JWT.
    pub header: Option<Value>,
    /// The decoded claims, if the text is a JWT.
    pub claims: Option<Value>,
    /// Why it could not be decoded, if it is not a JWT.
    pub parse_error: Option<String>,
    /// The signature check.
    pub signature: SignatureCheck,
    /// Bound or legacy.
    pub kind: TokenKind,
    /// `iat`.
    pub issued_at: Option<Time>,
    /// `nbf`.
    pub not_before: Option<Time>,
    /// `exp`.
    pub expires: Option<Time>,
    /// `kubernetes.io.warnafter` (kubelet tokens with extended expiry).
    pub warn_after: Option<Time>,
    /// The cluster's clock.
    pub now: Time,
    /// The verdict.
    pub status: TokenStatus,
    /// The verdict in a sentence for learners.
    pub why: String,
    /// The authenticator's own reason text when it refuses (what the audit
    /// log would record), `None` when it accepts.
    pub authenticator_reason: Option<String>,
    /// The username the token authenticates as, when valid.
    pub username: Option<String>,
    /// One note per claim present, in the token's order of importance.
    pub claims_explained: Vec<ClaimNote>,
}

/// One projected service-account token in a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountedTokenInfo {
    /// The pod volume's name (e.g. `kube-api-access-x7k2p`).
    pub volume: String,
    /// (container, mount path) for each container mounting the volume.
    pub mount_paths: Vec<(String, String)>,
    /// The file's path inside the volume (usually `token`).
    pub path: String,
    /// The token as a container reads it.
    pub token: String,
    /// `iat` of the current token.
    pub issued_at: Time,
    /// `exp` of the current token.
    pub expires: Time,
    /// `expirationSeconds` the kubelet requested.
    pub expiration_seconds: i64,
    /// The token's audiences.
    pub audiences: Vec<String>,
    /// When the token manager starts wanting a new token (80 % of the
    /// lifetime or 24 h, whichever comes first, minus jitter).
    pub refresh_threshold: Time,
    /// When the kubelet will actually write a new one (the next 60 s sync
    /// after the threshold), if it holds the volume.
    pub next_refresh: Option<Time>,
    /// The timestamped directory `..data` points to now.
    pub data_dir: String,
}

/// The answer to "may this user do that?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessAnswer {
    /// Whether the authorizer allows it.
    pub allowed: bool,
    /// The authorizer's reason (`RBAC: allowed by …`), often empty on a
    /// denial.
    pub reason: String,
    /// The trace: bindings looked at, the one that allowed, or why none did.
    pub why: Vec<String>,
    /// Roles that bindings refer to but that do not exist.
    pub evaluation_errors: Vec<String>,
}

/// A subject that may make a request, and what grants it.
#[derive(Debug, Clone, PartialEq)]
pub struct WhoCan {
    /// The binding's subject (User, Group or ServiceAccount).
    pub subject: Subject,
    /// `ClusterRoleBinding` or `RoleBinding`.
    pub binding_kind: String,
    /// The binding's name.
    pub binding_name: String,
    /// The binding's namespace (`""` for a ClusterRoleBinding).
    pub binding_namespace: String,
    /// The role the binding refers to.
    pub role_ref: RoleRef,
}

/// Which audit entries to keep; `None` keeps all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exact username.
    pub user: Option<String>,
    /// Exact verb.
    pub verb: Option<String>,
    /// Resource, with or without `/subresource`.
    pub resource: Option<String>,
    /// Allowed, forbidden or unauthorized.
    pub decision: Option<Decision>,
}

impl AuditFilter {
    /// Whether `event` passes the filter.
    pub fn matches(&self, event: &AuditEvent) -> bool {
        let resource_ok = self
            .resource
            .as_deref()
            .is_none_or(|r| event.resource == r || event.resource.split_once('/').is_some_and(|(base, _)| base == r));
        self.user.as_deref().is_none_or(|u| event.user == u)
            && self.verb.as_deref().is_none_or(|v| event.verb == v)
            && resource_ok
            && self.decision.is_none_or(|d| event.decision == d)
    }
}

fn seconds(claims: &Value, path: &[&str]) -> Option<Time> {
    let mut v = claims;
    for key in path {
        v = v.get(key)?;
    }
    v.as_i64().map(Time::from_unix_seconds)
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// What a claim means, in a sentence; `None` for claims we do not know.
fn claim_meaning(path: &str) -> Option<&'static str> {
    Some(match path {
        "iss" => "The issuer: who signed the token; the API server only accepts its own issuer.",
        "sub" => "The subject: the service account the token stands for, as system:serviceaccount:NAMESPACE:NAME.",
        "aud" => "The audiences: who the token is meant for; a receiver must refuse a token not meant for it.",
        "exp" => "Expiry: after this instant (plus 60 s of leeway) the token is refused.",
        "iat" => "Issued at: when the token was minted.",
        "nbf" => "Not before: the token is refused before this instant (minus 60 s of leeway).",
        "jti" => "A unique id for this token; the audit log records it as the credential id, never the token.",
        "kubernetes.io.namespace" => "The namespace of the service account.",
        "kubernetes.io.serviceaccount.name" => "The service account's name.",
        "kubernetes.io.serviceaccount.uid" => {
            "The service account's UID: if the account is deleted and recreated, the UID differs and the token dies."
        }
        "kubernetes.io.pod.name" => "The pod the token is bound to: deleting the pod invalidates the token.",
        "kubernetes.io.pod.uid" => "The bound pod's UID: a new pod with the same name does not revive the token.",
        "kubernetes.io.secret.name" => "The Secret the token is bound to: deleting it invalidates the token.",
        "kubernetes.io.secret.uid" => "The bound Secret's UID.",
        "kubernetes.io.node.name" => "The node the token was issued for (the pod's node, or a node-bound token).",
        "kubernetes.io.node.uid" => "The node's UID.",
        "kubernetes.io.warnafter" => {
            "Warn after: the kubelet's token lives longer than asked; used after this instant, the API server logs it as stale."
        }
        "kubernetes.io/serviceaccount/namespace" => "Legacy token: the namespace of the service account.",
        "kubernetes.io/serviceaccount/secret.name" => {
            "Legacy token: the Secret holding this token; delete the Secret to revoke it."
        }
        "kubernetes.io/serviceaccount/service-account.name" => "Legacy token: the service account's name.",
        "kubernetes.io/serviceaccount/service-account.uid" => "Legacy token: the service account's UID.",
        _ => return None,
    })
}

fn explain_claims(claims: &Value) -> Vec<ClaimNote> {
    let mut notes = Vec::new();
    let Some(map) = claims.as_object() else { return notes };
    let mut walk = |path: String, value: &Value| {
        let meaning = claim_meaning(&path).unwrap_or("A claim the API server does not use.");
        notes.push(ClaimNote { claim: path, value: compact(value), meaning: meaning.to_string() });
    };
    for (key, value) in map {
        match (key.as_str(), value.as_object()) {
            ("kubernetes.io", Some(k8s)) => {
                for (k, v) in k8s {
                    match v.as_object() {
                        Some(inner) if matches!(k.as_str(), "serviceaccount" | "pod" | "secret" | "node") => {
                            for (ik, iv) in inner {
                                walk(format!("kubernetes.io.{k}.{ik}"), iv);
                            }
                        }
                        _ => walk(format!("kubernetes.io.{k}"), v),
                    }
                }
            }
            _ => walk(key.clone(), value),
        }
    }
    notes
}

impl Cluster {
    /// Decodes, verifies and judges a token as the API server would right
    /// now, without recording anything.
    pub fn inspect_token(&self, token: &str) -> TokenInspection {
        let token = token.trim();
        let decoded = decode_unverified(token);
        let (header, claims, parse_error) = match decoded {
            Ok((h, c)) => (Some(h), Some(c), None),
            Err(e) => (None, None, Some(e.to_string())),
        };
        let signature = match (&header, self.signer.verify(token)) {
            (None, _) => SignatureCheck::NotChecked,
            (_, Ok(_)) => SignatureCheck::Valid,
            (_, Err(JwsError::Algorithm(alg))) => SignatureCheck::UnsupportedAlgorithm(alg),
            (Some(h), Err(JwsError::UnknownKey)) => {
                SignatureCheck::UnknownKey(h.get("kid").and_then(Value::as_str).unwrap_or_default().to_string())
            }
            (_, Err(_)) => SignatureCheck::Invalid,
        };
        let empty = Value::Null;
        let c = claims.as_ref().unwrap_or(&empty);
        let kind = match c.get("iss").and_then(Value::as_str) {
            Some(ISSUER) => TokenKind::Bound,
            Some(LEGACY_ISSUER) => TokenKind::LegacySecret,
            _ => TokenKind::Unknown,
        };
        // The verdict is the authenticator's own.
        let verdict = self.authenticate(&Credential::BearerToken(token.to_string()));
        let (status, why, authenticator_reason, username) = match verdict {
            Ok(a) => {
                let why = format!("The API server accepts this token: requests with it run as {}.", a.user.username);
                (TokenStatus::Valid, why, None, Some(a.user.username))
            }
            Err(reason) => {
                let (status, why) = self.classify_refusal(&reason, c);
                (status, why, Some(reason), None)
            }
        };
        TokenInspection {
            header,
            issued_at: seconds(c, &["iat"]),
            not_before: seconds(c, &["nbf"]),
            expires: seconds(c, &["exp"]),
            warn_after: seconds(c, &["kubernetes.io", "warnafter"]),
            claims_explained: explain_claims(c),
            claims,
            parse_error,
            signature,
            kind,
            now: self.now,
            status,
            why,
            authenticator_reason,
            username,
        }
    }

    /// Sorts the authenticator's refusal text into a status and a sentence.
    fn classify_refusal(&self, reason: &str, claims: &Value) -> (TokenStatus, String) {
        let has = |s: &str| reason.contains(s);
        let text = |s: &str| s.to_string();
        if reason.starts_with("not a JWT") {
            return (TokenStatus::NotAJwt, text("This is not a JWT: a token is three base64url parts (header, claims, signature) separated by dots."));
        }
        if has("no authenticator accepts tokens from issuer") {
            return (
                TokenStatus::WrongIssuer,
                text("The token was issued by someone else: this API server only accepts tokens with its own issuer."),
            );
        }
        if has("go-jose") || has("no keys found") {
            return (TokenStatus::BadSignature, text("The signature does not match the cluster's signing key: the token was altered or signed elsewhere."));
        }
        if has("token audiences") {
            return (
                TokenStatus::WrongAudience,
                text("The token is meant for another audience, not for the API server."),
            );
        }
        if has("has expired") {
            return (
                TokenStatus::Expired,
                text("The token has expired: its exp (plus 60 s of leeway) is in the past."),
            );
        }
        if has("not valid yet") || has("issued in the future") {
            return (TokenStatus::NotYetValid, text("The token is not valid yet: its nbf or iat lies in the future."));
        }
        if has("has been marked invalid") {
            return (TokenStatus::LegacyInvalidated, text("The token's Secret carries the kubernetes.io/legacy-token-invalid-since label: the cleaner has invalidated this unused legacy token."));
        }
        if has("Token has been invalidated") || has("does not match server's copy") {
            return (TokenStatus::LegacySecretGone, text("The Secret holding this legacy token is gone (or holds another token): deleting the Secret revokes it."));
        }
        if has("serviceaccount")
            || has("service account UID")
            || has("ServiceAccount")
            || has("service account ") && has("has been deleted")
        {
            return (TokenStatus::ServiceAccountGone, text("The service account is gone, or was deleted and recreated with a new UID: its old tokens die with it."));
        }
        if has("service account token has been invalidated") || has("ref claim") {
            let k8s = claims.get("kubernetes.io");
            for kind in ["secret", "pod", "node"] {
                let Some(name) = k8s.and_then(|k| k.get(kind)).and_then(|o| o.get("name")).and_then(Value::as_str)
                else {
                    continue;
                };
                let uid = k8s.and_then(|k| k.get(kind)).and_then(|o| o.get("uid")).and_then(Value::as_str);
                if !self.bound_object_alive(kind, claims, name, uid.unwrap_or_default()) {
                    let why = format!(
                        "The {kind} {name} this token is bound to is gone (or was replaced by one with a new UID): the token died with it."
                    );
                    return (TokenStatus::BoundObjectGone { kind: kind.to_string(), name: name.to_string() }, why);
                }
            }
            return (
                TokenStatus::BoundObjectGone { kind: String::new(), name: String::new() },
                text("The object this token is bound to is gone: the token died with it."),
            );
        }
        (TokenStatus::Rejected, format!("The API server refuses this token: {reason}."))
    }

    /// Whether a bound object still exists with the claimed UID (only to
    /// name the culprit; the verdict is the authenticator's).
    fn bound_object_alive(&self, kind: &str, claims: &Value, name: &str, uid: &str) -> bool {
        let (plural, namespace) = match kind {
            "pod" => ("pods", claims.pointer("/kubernetes.io/namespace").and_then(Value::as_str).unwrap_or_default()),
            "secret" => {
                ("secrets", claims.pointer("/kubernetes.io/namespace").and_then(Value::as_str).unwrap_or_default())
            }
            _ => ("nodes", ""),
        };
        let Some(r) = crate::resource::by_plural_name(plural) else { return false };
        self.store.get(&Key::new(r, namespace, name)).is_some_and(|o| {
            o.metadata().uid.as_deref().unwrap_or_default() == uid && o.metadata().deletion_timestamp.is_none()
        })
    }

    /// The projected service-account tokens of pod `namespace/pod`, as the
    /// kubelet holds them now.
    pub fn mounted_tokens(&self, namespace: &str, pod: &str) -> Result<Vec<MountedTokenInfo>, ApiError> {
        let pods = crate::resource::by_plural_name("pods").ok_or_else(ApiError::path_not_found)?;
        let Some(Object::Pod(p)) = self.store.get(&Key::new(pods, namespace, pod)) else {
            return Err(ApiError::not_found(pods, pod));
        };
        let uid = p.metadata.uid.clone().unwrap_or_default();
        let spec = p.spec.clone().unwrap_or_default();
        let mut out = Vec::new();
        for volume in spec.volumes.iter().flatten() {
            let Some(contents) = self.volumes.id_of(&uid, &volume.name).and_then(|id| self.volumes.get(id)) else {
                continue;
            };
            let mount_paths: Vec<(String, String)> = spec
                .init_containers
                .iter()
                .flatten()
                .chain(spec.containers.iter())
                .flat_map(|c| {
                    c.volume_mounts
                        .iter()
                        .flatten()
                        .filter(|m| m.name == volume.name)
                        .map(|m| (c.name.clone(), m.mount_path.clone()))
                })
                .collect();
            for t in &contents.tokens {
                out.push(MountedTokenInfo {
                    volume: volume.name.clone(),
                    mount_paths: mount_paths.clone(),
                    path: t.path.clone(),
                    token: self.sign_bound(&t.claims),
                    issued_at: t.issued_at(),
                    expires: t.expires(),
                    expiration_seconds: t.claims.expiration_seconds,
                    audiences: t.claims.audiences.clone(),
                    refresh_threshold: t.refresh_threshold(),
                    next_refresh: contents.refresh_at,
                    data_dir: contents.data_dir(),
                });
            }
        }
        Ok(out)
    }

    /// Whether `user` may make the request `attrs`, with the authorizer's
    /// trace (`system:masters` first, then RBAC), as the API server decides.
    pub fn access_check(&self, user: &UserInfo, attrs: &Attributes) -> AccessAnswer {
        let d = rbac::explain(&self.store, user, attrs);
        AccessAnswer { allowed: d.allowed, reason: d.reason, why: d.why, evaluation_errors: d.evaluation_errors }
    }

    /// `resources × verbs`: whether `user` may do each verb on each
    /// `(group, resource)` in `namespace` (`""` for cluster scope).
    pub fn access_matrix(
        &self,
        user: &UserInfo,
        namespace: &str,
        resources: &[(&str, &str)],
        verbs: &[&str],
    ) -> Vec<Vec<bool>> {
        // One pass over the user's bindings gathers the rules; each cell is
        // then a rule scan.
        let masters = user.in_group(crate::authn::SYSTEM_MASTERS);
        let mut rules: Vec<&PolicyRule> = Vec::new();
        if !masters {
            rbac::visit_rules_for(&self.store, user, namespace, |_, r| {
                if let Ok(r) = r {
                    rules.extend(r.iter());
                }
                false
            });
        }
        resources
            .iter()
            .map(|(group, resource)| {
                let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
                verbs
                    .iter()
                    .map(|verb| {
                        let attrs = Attributes {
                            verb: verb.to_string(),
                            resource_request: true,
                            api_group: group.to_string(),
                            resource: resource.to_string(),
                            subresource: subresource.to_string(),
                            namespace: namespace.to_string(),
                            ..Attributes::default()
                        };
                        masters || rules.iter().any(|rule| rbac::rule_allows(&attrs, rule))
                    })
                    .collect()
            })
            .collect()
    }

    /// The subjects of bindings whose role allows `attrs`: every
    /// ClusterRoleBinding, plus the RoleBindings of `attrs.namespace`.
    /// Members of `system:masters` may do anything and are listed first,
    /// with no binding. The learner's admin is not among them: it is listed
    /// as Group `kubeadm:cluster-admins`, through its ClusterRoleBinding.
    pub fn who_can(&self, attrs: &Attributes) -> Vec<WhoCan> {
        let mut out = vec![WhoCan {
            subject: Subject {
                kind: "Group".to_string(),
                name: crate::authn::SYSTEM_MASTERS.to_string(),
                api_group: Some("rbac.authorization.k8s.io".to_string()),
                namespace: None,
            },
            binding_kind: String::new(),
            binding_name: String::new(),
            binding_namespace: String::new(),
            role_ref: RoleRef::default(),
        }];
        let mut consider = |kind: &str, name: &str, ns: &str, role_ref: &RoleRef, subjects: &[Subject]| {
            let allows = rbac::role_rules(&self.store, role_ref, ns)
                .is_ok_and(|rules| rules.iter().any(|rule| rbac::rule_allows(attrs, rule)));
            if allows {
                for s in subjects {
                    let mut subject = s.clone();
                    if subject.kind == "ServiceAccount" && subject.namespace.as_deref().is_none_or(str::is_empty) {
                        subject.namespace = Some(ns.to_string());
                    }
                    out.push(WhoCan {
                        subject,
                        binding_kind: kind.to_string(),
                        binding_name: name.to_string(),
                        binding_namespace: ns.to_string(),
                        role_ref: role_ref.clone(),
                    });
                }
            }
        };
        if let Some(r) = crate::resource::by_plural_name("clusterrolebindings") {
            for o in self.store.list(r, None) {
                if let Object::ClusterRoleBinding(b) = o {
                    let name = b.metadata.name.as_deref().unwrap_or_default();
                    consider("ClusterRoleBinding", name, "", &b.role_ref, b.subjects.as_deref().unwrap_or_default());
                }
            }
        }
        if !attrs.namespace.is_empty() {
            if let Some(r) = crate::resource::by_plural_name("rolebindings") {
                for o in self.store.list(r, Some(&attrs.namespace)) {
                    if let Object::RoleBinding(b) = o {
                        let name = b.metadata.name.as_deref().unwrap_or_default();
                        let subjects = b.subjects.as_deref().unwrap_or_default();
                        consider("RoleBinding", name, &attrs.namespace, &b.role_ref, subjects);
                    }
                }
            }
        }
        out
    }

    /// The user a token of service account `namespace/name` authenticates
    /// as (`system:serviceaccount:NS:NAME`, its groups, its UID if the
    /// account exists).
    pub fn service_account_user(&self, namespace: &str, name: &str) -> UserInfo {
        let uid = self.service_account(namespace, name).and_then(|sa| sa.metadata.uid.clone()).unwrap_or_default();
        UserInfo::service_account(namespace, name, &uid)
    }

    /// The audit entries passing `filter`, oldest first.
    pub fn audit_events<'a>(&'a self, filter: &'a AuditFilter) -> impl Iterator<Item = &'a AuditEvent> + 'a {
        self.audit.events().filter(move |e| filter.matches(e))
    }
}
