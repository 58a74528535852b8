//! The review APIs: objects one creates to ask the API server a question.
//!
//! TokenReview ("who is this token?"), SelfSubjectReview ("who am I?"),
//! SubjectAccessReview and LocalSubjectAccessReview ("may this user do
//! that?"), SelfSubjectAccessReview ("may I?") and SelfSubjectRulesReview
//! ("what may I do here?"). They are answered at once and never stored.

use k8s_openapi::api::authentication::v1::{
    SelfSubjectReview, SelfSubjectReviewStatus, TokenReview, TokenReviewStatus, UserInfo as ApiUserInfo,
};
use k8s_openapi::api::authorization::v1::{
    LocalSubjectAccessReview, NonResourceAttributes, NonResourceRule, ResourceAttributes, ResourceRule,
    SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview, SubjectAccessReviewStatus,
    SubjectRulesReviewStatus,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::api::{ResourceRequest, Response};
use crate::authn::UserInfo;
use crate::decode::strict_from_value;
use crate::rbac::{self, Attributes};
use crate::resource::ResourceInfo;
use crate::status::ApiError;
use crate::tokens::API_AUDIENCES;
use crate::validation::FieldError;
use crate::Cluster;

fn decode<T: DeserializeOwned + serde::Serialize>(resource: &ResourceInfo, body: Option<&str>) -> Result<T, ApiError> {
    let text = body.unwrap_or_default();
    let mut value: Value = serde_json::from_str(text)
        .or_else(|_| crate::decode::parse_manifests(text).map(|mut d| d.pop().unwrap_or(Value::Null)))
        .map_err(|e| ApiError::bad_request(format!("error decoding {}: {e}", resource.kind)))?;
    if let Some(map) = value.as_object_mut() {
        map.entry("apiVersion").or_insert_with(|| json!(resource.api_version()));
        map.entry("kind").or_insert_with(|| json!(resource.kind));
        // Every review but SelfSubjectReview has a (required) spec.
        if resource.kind != "SelfSubjectReview" {
            map.entry("spec").or_insert_with(|| json!({}));
        }
    }
    let cannot = |why: String| {
        ApiError::bad_request(format!("{0} in version \"v1\" cannot be handled as a {0}: {why}", resource.kind))
    };
    let (object, unknown) = strict_from_value::<T>(value).map_err(|e| cannot(e.to_string()))?;
    if !unknown.is_empty() {
        let fields: Vec<String> = unknown.iter().map(|f| format!("unknown field {f:?}")).collect();
        return Err(cannot(format!("strict decoding error: {}", fields.join(", "))));
    }
    Ok(object)
}

fn created<T: Serialize>(object: &T) -> Response {
    answer(serde_json::to_value(object).unwrap_or(Value::Null))
}

/// A review is never stored: its metadata has a zero creation time, which
/// the API server writes as `"creationTimestamp": null`.
fn answer(mut value: Value) -> Response {
    if let Some(meta) = value.as_object_mut().map(|o| o.entry("metadata").or_insert_with(|| json!({}))) {
        if let Some(meta) = meta.as_object_mut() {
            meta.entry("creationTimestamp").or_insert(Value::Null);
        }
    }
    Response::ok(201, value)
}

fn api_user(user: &UserInfo) -> ApiUserInfo {
    ApiUserInfo {
        username: Some(user.username.clone()),
        uid: (!user.uid.is_empty()).then(|| user.uid.clone()),
        groups: Some(user.groups.clone()),
        extra: (!user.extra.is_empty()).then(|| user.extra.clone()),
    }
}

fn invalid(resource: &ResourceInfo, errors: &[FieldError]) -> ApiError {
    ApiError::invalid_kind(&format!("{}.{}", resource.kind, resource.group), resource.group, resource.kind, "", errors)
}

/// The authorizer attributes of a review's resource or non-resource part.
fn review_attributes(
    resource: &ResourceInfo,
    resource_attributes: Option<&ResourceAttributes>,
    non_resource: Option<&NonResourceAttributes>,
) -> Result<Attributes, ApiError> {
    match (resource_attributes, non_resource) {
        (Some(r), None) => Ok(Attributes {
            verb: r.verb.clone().unwrap_or_default(),
            resource_request: true,
            api_group: r.group.clone().unwrap_or_default(),
            resource: r.resource.clone().unwrap_or_default(),
            subresource: r.subresource.clone().unwrap_or_default(),
            name: r.name.clone().unwrap_or_default(),
            namespace: r.namespace.clone().unwrap_or_default(),
            path: String::new(),
        }),
        (None, Some(n)) => Ok(Attributes {
            verb: n.verb.clone().unwrap_or_default(),
            resource_request: false,
            path: n.path.clone().unwrap_or_default(),
            ..Attributes::default()
        }),
        _ => Err(invalid(
            resource,
            &[FieldError::invalid(
                "spec.resourceAttributes",
                "",
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            )],
        )),
    }
}

fn access_status(cluster: &Cluster, user: &UserInfo, attrs: &Attributes) -> SubjectAccessReviewStatus {
    let decision = rbac::authorize(&cluster.store, user, attrs);
    SubjectAccessReviewStatus {
        allowed: decision.allowed,
        denied: None,
        reason: (!decision.reason.is_empty()).then_some(decision.reason),
        // RBAC answers resolution errors in `reason` and returns no error.
        evaluation_error: None,
    }
}

/// Answers a create on a review resource.
#[inline(never)]
pub fn serve(
    cluster: &mut Cluster,
    requester: &UserInfo,
    resource: &ResourceInfo,
    info: &ResourceRequest,
    body: Option<&str>,
) -> Result<Response, ApiError> {
    match resource.kind {
        "TokenReview" => {
            let mut review: TokenReview = decode(resource, body)?;
            // The registry refuses a review without a token before it asks
            // any authenticator (tokenreview storage's Create).
            if review.spec.token.as_deref().unwrap_or_default().is_empty() {
                return Err(ApiError::bad_request("token is required for TokenReview in authentication"));
            }
            let targets: Vec<String> = match review.spec.audiences.clone().filter(|a| !a.is_empty()) {
                Some(a) => a,
                None => API_AUDIENCES.iter().map(|s| s.to_string()).collect(),
            };
            let token = review.spec.token.clone().unwrap_or_default();
            review.status = Some(match cluster.authenticate_token(&token, &targets) {
                Ok((authenticated, audiences)) => TokenReviewStatus {
                    authenticated: Some(true),
                    user: Some(api_user(&authenticated.user)),
                    audiences: Some(audiences),
                    error: None,
                },
                Err(why) => TokenReviewStatus {
                    authenticated: Some(false),
                    error: Some(format!("[invalid bearer token, {why}]")),
                    ..TokenReviewStatus::default()
                },
            });
            Ok(created(&review))
        }
        "SelfSubjectReview" => {
            let mut review: SelfSubjectReview = decode(resource, body)?;
            review.status = Some(SelfSubjectReviewStatus { user_info: Some(api_user(requester)) });
            Ok(created(&review))
        }
        "SubjectAccessReview" | "LocalSubjectAccessReview" => {
            let local = resource.kind == "LocalSubjectAccessReview";
            let mut spec_status = if local {
                let review: LocalSubjectAccessReview = decode(resource, body)?;
                (serde_json::to_value(&review).unwrap_or(Value::Null), review.spec)
            } else {
                let review: SubjectAccessReview = decode(resource, body)?;
                (serde_json::to_value(&review).unwrap_or(Value::Null), review.spec)
            };
            let spec = &mut spec_status.1;
            if spec.user.as_deref().unwrap_or_default().is_empty() && spec.groups.as_ref().is_none_or(Vec::is_empty) {
                return Err(invalid(
                    resource,
                    &[FieldError::invalid("spec.user", "", "at least one of user or group must be specified")],
                ));
            }
            if local {
                let namespace = info.namespace.clone().unwrap_or_default();
                if let Some(r) = &mut spec.resource_attributes {
                    match r.namespace.as_deref() {
                        None | Some("") => r.namespace = Some(namespace.clone()),
                        Some(ns) if ns == namespace => {}
                        Some(ns) => {
                            return Err(invalid(
                                resource,
                                &[FieldError::invalid(
                                    "spec.resourceAttributes.namespace",
                                    ns,
                                    "must match metadata.namespace",
                                )],
                            ))
                        }
                    }
                }
            }
            let attrs =
                review_attributes(resource, spec.resource_attributes.as_ref(), spec.non_resource_attributes.as_ref())?;
            let subject = UserInfo {
                username: spec.user.clone().unwrap_or_default(),
                uid: spec.uid.clone().unwrap_or_default(),
                groups: spec.groups.clone().unwrap_or_default(),
                extra: spec.extra.clone().unwrap_or_default(),
            };
            let status = access_status(cluster, &subject, &attrs);
            let mut value = spec_status.0;
            value["spec"] = serde_json::to_value(&*spec).unwrap_or(Value::Null);
            value["status"] = serde_json::to_value(&status).unwrap_or(Value::Null);
            if local {
                value["metadata"]["namespace"] = json!(info.namespace.clone().unwrap_or_default());
            }
            Ok(answer(value))
        }
        "SelfSubjectAccessReview" => {
            let mut review: SelfSubjectAccessReview = decode(resource, body)?;
            let attrs = review_attributes(
                resource,
                review.spec.resource_attributes.as_ref(),
                review.spec.non_resource_attributes.as_ref(),
            )?;
            review.status = Some(access_status(cluster, requester, &attrs));
            Ok(created(&review))
        }
        "SelfSubjectRulesReview" => {
            let mut review: SelfSubjectRulesReview = decode(resource, body)?;
            let namespace = review.spec.namespace.clone().unwrap_or_default();
            if namespace.is_empty() {
                return Err(invalid(resource, &[FieldError::required("spec.namespace", "")]));
            }
            review.status = Some(rules_review_status(cluster, requester, &namespace));
            Ok(created(&review))
        }
        _ => Err(ApiError::path_not_found()),
    }
}

/// What `requester` may do in `namespace`, as SelfSubjectRulesReview says.
pub fn rules_review_status(cluster: &Cluster, requester: &UserInfo, namespace: &str) -> SubjectRulesReviewStatus {
    // Only RBAC's rules: the privileged-group authorizer is not rule-based,
    // so a `system:masters` member sees the rules it has through the
    // `cluster-admin` binding, and the admin those of
    // `kubeadm:cluster-admins`.
    let (rules, errors) = rbac::rules_for(&cluster.store, requester, namespace);
    let mut resource_rules = Vec::new();
    let mut non_resource_rules = Vec::new();
    for rule in rules {
        if rule.non_resource_urls.as_ref().is_some_and(|u| !u.is_empty()) {
            non_resource_rules
                .push(NonResourceRule { non_resource_urls: rule.non_resource_urls.clone(), verbs: rule.verbs.clone() });
        } else {
            resource_rules.push(ResourceRule {
                api_groups: rule.api_groups.clone(),
                resource_names: rule.resource_names.clone(),
                resources: rule.resources.clone(),
                verbs: rule.verbs.clone(),
            });
        }
    }
    SubjectRulesReviewStatus {
        // RBAC's `RulesFor` reports its errors but never `incomplete`.
        evaluation_error: (!errors.is_empty()).then(|| rbac::aggregate_message(&errors)),
        incomplete: false,
        non_resource_rules,
        resource_rules,
    }
}
