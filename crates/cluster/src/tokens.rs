//! Issuing service-account tokens: the TokenRequest API and legacy tokens.
//!
//! Follows `pkg/registry/core/serviceaccount/storage/token.go` and
//! `pkg/serviceaccount/claims.go`: defaults (3600 s, the API audiences),
//! limits (600 s to 2^32 s), binding to a Pod, Secret or Node, and the
//! "extended" kubelet token (3607 s requested, one year in `exp`, with
//! `warnafter`).

use k8s_openapi::api::authentication::v1::{BoundObjectReference, TokenRequest, TokenRequestStatus};
use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{json, Map, Value};

use crate::api::Response;
use crate::decode::strict_from_value;
use crate::object::Object;
use crate::resource::{self, RESOURCES};
use crate::status::{ApiError, StatusReason};
use crate::store::Key;
use crate::validation::FieldError;
use crate::Cluster;

/// The issuer of bound tokens (kubeadm's default for `cluster.local`).
pub const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";
/// The issuer of legacy Secret-based tokens.
pub const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";
/// The API audiences (`--api-audiences` defaults to the issuer).
pub const API_AUDIENCES: [&str; 1] = [ISSUER];
/// Default `spec.expirationSeconds` of a TokenRequest.
pub const DEFAULT_EXPIRATION_SECONDS: i64 = 3600;
/// The lifetime the kubelet asks for, which the server extends.
pub const KUBELET_EXPIRATION_SECONDS: i64 = 3607;
/// What an extended kubelet token really lasts: one year.
pub const EXTENDED_EXPIRATION_SECONDS: i64 = 24 * 365 * 60 * 60;

/// What a token is bound to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binding {
    /// The pod (name, uid).
    pub pod: Option<(String, String)>,
    /// The secret (name, uid).
    pub secret: Option<(String, String)>,
    /// The node (name, uid; uid may be empty).
    pub node: Option<(String, String)>,
}

/// The claims of a bound token, kept as data so the JWT can be signed
/// when someone first reads it. ECDSA signing here is deterministic
/// (RFC 6979), so signing later gives the very same token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundClaims {
    /// Service account namespace.
    pub namespace: String,
    /// Service account name.
    pub service_account: String,
    /// Service account UID.
    pub service_account_uid: String,
    /// Audiences.
    pub audiences: Vec<String>,
    /// What it is bound to.
    pub binding: Binding,
    /// `iat` and `nbf`, Unix seconds.
    pub issued_at: i64,
    /// `exp`, Unix seconds.
    pub expires: i64,
    /// `kubernetes.io.warnafter`, for an extended kubelet token.
    pub warn_after: Option<i64>,
    /// `jti`.
    pub jti: String,
    /// The lifetime asked for (the TokenRequest status reports it).
    pub expiration_seconds: i64,
}

impl BoundClaims {
    /// The JWT claims, keys sorted as go-jose writes them.
    pub fn to_json(&self) -> Value {
        let reference = |(n, u): &(String, String)| {
            let mut m = Map::new();
            m.insert("name".to_string(), json!(n));
            if !u.is_empty() {
                m.insert("uid".to_string(), json!(u));
            }
            Value::Object(m)
        };
        let mut k8s = Map::new();
        k8s.insert("namespace".to_string(), json!(self.namespace));
        k8s.insert(
            "serviceaccount".to_string(),
            json!({"name": self.service_account, "uid": self.service_account_uid}),
        );
        if let Some(pod) = &self.binding.pod {
            k8s.insert("pod".to_string(), reference(pod));
        }
        if let Some(secret) = &self.binding.secret {
            k8s.insert("secret".to_string(), reference(secret));
        }
        if let Some(node) = &self.binding.node {
            k8s.insert("node".to_string(), reference(node));
        }
        if let Some(warn_after) = self.warn_after {
            k8s.insert("warnafter".to_string(), json!(warn_after));
        }
        json!({
            "aud": self.audiences,
            "exp": self.expires,
            "iat": self.issued_at,
            "iss": ISSUER,
            "jti": self.jti,
            "kubernetes.io": Value::Object(k8s),
            "nbf": self.issued_at,
            "sub": crate::authn::service_account_username(&self.namespace, &self.service_account),
        })
    }

    /// What the TokenRequest status calls the expiration: issue time plus
    /// the requested seconds (not the extended `exp`).
    pub fn status_expiration(&self) -> i64 {
        self.issued_at + self.expiration_seconds
    }
}

impl Cluster {
    /// Decides a bound token's claims for `sa` (drawing its `jti` from the
    /// RNG); sign them with [`Cluster::sign_bound`].
    pub(crate) fn bound_claims(
        &mut self,
        sa: &ServiceAccount,
        audiences: &[String],
        expiration_seconds: i64,
        binding: &Binding,
    ) -> BoundClaims {
        let mut claims = BoundClaims {
            namespace: sa.metadata.namespace.clone().unwrap_or_default(),
            service_account: sa.metadata.name.clone().unwrap_or_default(),
            service_account_uid: sa.metadata.uid.clone().unwrap_or_default(),
            audiences: audiences.to_vec(),
            binding: binding.clone(),
            issued_at: 0,
            expires: 0,
            warn_after: None,
            jti: String::new(),
            expiration_seconds,
        };
        self.reissue(&mut claims);
        claims
    }

    /// Gives `claims` a new `jti` and a lifetime starting now, keeping who
    /// and what they are for (the kubelet's refresh asks for the same token
    /// again). A pod-bound token asked for with the kubelet's default 3607 s
    /// for the API server's audiences gets the extended lifetime.
    pub(crate) fn reissue(&mut self, claims: &mut BoundClaims) {
        let now = self.now.unix_seconds();
        let extended = claims.binding.pod.is_some()
            && claims.expiration_seconds == KUBELET_EXPIRATION_SECONDS
            && claims.audiences.iter().all(|a| API_AUDIENCES.contains(&a.as_str()));
        let lifetime = if extended { EXTENDED_EXPIRATION_SECONDS } else { claims.expiration_seconds };
        claims.issued_at = now;
        claims.expires = now + lifetime;
        claims.warn_after = extended.then_some(now + KUBELET_EXPIRATION_SECONDS);
        claims.jti = self.rng.uuid();
    }

    /// Notes an issued token in the timeline and schedules the moment it
    /// stops authenticating (exp plus the one-minute leeway).
    pub(crate) fn record_issued_token(&mut self, claims: &BoundClaims, how: &str) {
        let subject = format!("serviceaccount {}/{}", claims.namespace, claims.service_account);
        self.timeline.push(crate::timeline::TimelineEvent {
            time: self.now,
            kind: crate::timeline::TimelineKind::TokenIssued,
            subject: subject.clone(),
            detail: format!(
                "{how} issued token JTI={} for audiences {:?}, valid for {} s",
                claims.jti,
                claims.audiences,
                claims.expires - claims.issued_at
            ),
        });
        let expiry = crate::time::Time::from_unix_seconds(claims.expires + crate::authn::LEEWAY_SECONDS + 1);
        self.deadlines.schedule(expiry, crate::clock::Deadline::TokenExpiry { subject, jti: claims.jti.clone() });
    }

    /// Signs bound claims into a JWT.
    pub fn sign_bound(&self, claims: &BoundClaims) -> String {
        self.signer.sign(&claims.to_json())
    }

    /// The legacy token the token controller writes into a Secret.
    pub(crate) fn legacy_token(&self, namespace: &str, secret_name: &str, sa: &ServiceAccount) -> String {
        let name = sa.metadata.name.clone().unwrap_or_default();
        let claims = json!({
            "iss": LEGACY_ISSUER,
            "kubernetes.io/serviceaccount/namespace": namespace,
            "kubernetes.io/serviceaccount/secret.name": secret_name,
            "kubernetes.io/serviceaccount/service-account.name": name,
            "kubernetes.io/serviceaccount/service-account.uid": sa.metadata.uid.clone().unwrap_or_default(),
            "sub": crate::authn::service_account_username(namespace, &name),
        });
        self.signer.sign(&claims)
    }

    /// `POST .../serviceaccounts/{name}/token`.
    pub(crate) fn create_token(
        &mut self,
        namespace: &str,
        sa_name: &str,
        body: Option<&str>,
        dry_run: bool,
    ) -> Result<(Response, String), ApiError> {
        let invalid = |errors: &[FieldError]| {
            ApiError::invalid_kind(
                "TokenRequest.authentication.k8s.io",
                "authentication.k8s.io",
                "TokenRequest",
                "",
                errors,
            )
        };
        let mut value: Value = match body.map(str::trim).filter(|b| !b.is_empty()) {
            Some(text) => serde_json::from_str(text)
                .or_else(|_| crate::decode::parse_manifests(text).map(|mut d| d.pop().unwrap_or(Value::Null)))
                .map_err(|e| ApiError::bad_request(format!("error decoding TokenRequest: {e}")))?,
            None => json!({}),
        };
        if let Some(map) = value.as_object_mut() {
            map.entry("apiVersion").or_insert_with(|| json!("authentication.k8s.io/v1"));
            map.entry("kind").or_insert_with(|| json!("TokenRequest"));
            map.entry("spec").or_insert_with(|| json!({}));
        }
        let (mut request, _) = strict_from_value::<TokenRequest>(value).map_err(|e| {
            ApiError::bad_request(format!(
                "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: {}",
                crate::strategy::describe_decode_error(
                    resource::by_plural("", "serviceaccounts").unwrap_or(&RESOURCES[0]),
                    &e
                )
            ))
        })?;
        if let Some(name) = request.metadata.name.as_deref().filter(|n| !n.is_empty() && *n != sa_name) {
            return Err(invalid(&[FieldError::invalid(
                "metadata.name",
                name,
                "must match the service account name if specified",
            )]));
        }
        if let Some(ns) = request.metadata.namespace.as_deref().filter(|n| !n.is_empty() && *n != namespace) {
            return Err(invalid(&[FieldError::invalid(
                "metadata.namespace",
                ns,
                "must match the service account namespace if specified",
            )]));
        }
        let sa_resource = resource::by_plural("", "serviceaccounts").ok_or_else(ApiError::path_not_found)?;
        let sa = self
            .service_account(namespace, sa_name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(sa_resource, sa_name))?;
        if request.spec.audiences.is_empty() {
            request.spec.audiences = API_AUDIENCES.iter().map(|s| s.to_string()).collect();
        }
        let seconds = *request.spec.expiration_seconds.get_or_insert(DEFAULT_EXPIRATION_SECONDS);
        if seconds < 600 {
            return Err(invalid(&[FieldError::invalid(
                "spec.expirationSeconds",
                seconds,
                "may not specify a duration less than 10 minutes",
            )]));
        }
        if seconds > 1 << 32 {
            return Err(invalid(&[FieldError::invalid(
                "spec.expirationSeconds",
                seconds,
                "may not specify a duration larger than 2^32 seconds",
            )]));
        }
        let binding = match &request.spec.bound_object_ref {
            Some(reference) => self.resolve_binding(namespace, sa_name, reference)?,
            None => Binding::default(),
        };
        let claims = self.bound_claims(&sa, &request.spec.audiences, seconds, &binding);
        let token = self.sign_bound(&claims);
        self.record_issued_token(&claims, "TokenRequest");
        request.metadata = ObjectMeta {
            name: Some(sa_name.to_string()),
            namespace: Some(namespace.to_string()),
            creation_timestamp: Some(self.now.to_k8s()),
            ..ObjectMeta::default()
        };
        let expiration = self.now.plus_millis(seconds * 1000).to_k8s();
        request.status = Some(TokenRequestStatus {
            token: if dry_run { String::new() } else { token },
            expiration_timestamp: expiration,
        });
        let mut body = serde_json::to_value(&request).unwrap_or(Value::Null);
        // Go's TokenRequestSpec writes boundObjectRef even when it is nil.
        if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
            spec.entry("boundObjectRef").or_insert(Value::Null);
        }
        Ok((Response::ok(201, body), format!("JTI={}", claims.jti)))
    }

    /// Checks `spec.boundObjectRef` and gathers the claims it adds.
    fn resolve_binding(
        &self,
        namespace: &str,
        sa_name: &str,
        reference: &BoundObjectReference,
    ) -> Result<Binding, ApiError> {
        let kind = reference.kind.as_deref().unwrap_or_default();
        let api_version = reference.api_version.as_deref().unwrap_or_default();
        let name = reference.name.as_deref().unwrap_or_default();
        let plural = match (kind, api_version) {
            ("Pod", "v1") => "pods",
            ("Secret", "v1") => "secrets",
            ("Node", "v1") => "nodes",
            _ => {
                let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
                return Err(ApiError::bad_request(format!(
                    "cannot bind token to object of type {group}/{version}, Kind={kind}"
                )));
            }
        };
        let r = resource::by_plural("", plural).ok_or_else(ApiError::path_not_found)?;
        let object = self
            .store
            .get(&Key::new(r, if r.namespaced { namespace } else { "" }, name))
            .ok_or_else(|| ApiError::not_found(r, name))?;
        let uid = object.metadata().uid.clone().unwrap_or_default();
        if let Some(wanted) = reference.uid.as_deref().filter(|u| !u.is_empty()) {
            if wanted != uid {
                return Err(ApiError::new(
                    StatusReason::Conflict,
                    format!(
                        "Operation cannot be fulfilled on {kind} {name:?}: the UID in the bound object reference ({wanted}) does not match the UID in record. The object might have been deleted and then recreated"
                    ),
                ));
            }
        }
        let mut binding = Binding::default();
        match object {
            Object::Pod(pod) => {
                let spec = pod.spec.clone().unwrap_or_default();
                if spec.service_account_name.as_deref() != Some(sa_name) {
                    return Err(ApiError::bad_request(format!(
                        "cannot bind token for serviceaccount {sa_name:?} to pod running with different serviceaccount name."
                    )));
                }
                binding.pod = Some((name.to_string(), uid));
                binding.node = spec.node_name.map(|node| {
                    let node_uid = self.node_uid(&node);
                    (node, node_uid)
                });
            }
            Object::Secret(_) => binding.secret = Some((name.to_string(), uid)),
            Object::Node(_) => binding.node = Some((name.to_string(), uid)),
            _ => {}
        }
        Ok(binding)
    }

    /// The UID of node `name`, or `""` if there is no such Node.
    pub(crate) fn node_uid(&self, name: &str) -> String {
        resource::by_plural("", "nodes")
            .and_then(|r| self.store.get(&Key::new(r, "", name)))
            .and_then(|n| n.metadata().uid.clone())
            .unwrap_or_default()
    }
}
