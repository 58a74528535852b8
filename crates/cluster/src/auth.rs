//! Authentication and authorization: the first two stages of every request.
//!
//! Authentication turns a [`Credential`] into a [`UserInfo`]; authorization
//! decides whether that user may do what the request asks and says why.
//! Today the admin's client certificate (group `system:masters`) is the
//! only identity that is allowed anything; service-account tokens and the
//! RBAC authorizer plug in here.

use crate::api::{Credential, ResourceRequest};
use crate::status::{ApiError, StatusReason};

/// Group whose members may do anything, before any authorizer is asked.
pub const SYSTEM_MASTERS: &str = "system:masters";

/// Who made a request (`user.Info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// e.g. `kubernetes-admin` or `system:serviceaccount:default:build-robot`.
    pub username: String,
    /// e.g. `system:serviceaccounts`, `system:authenticated`.
    pub groups: Vec<String>,
}

impl UserInfo {
    /// The learner's kubectl user.
    pub fn admin() -> Self {
        Self {
            username: "kubernetes-admin".to_string(),
            groups: vec![
                SYSTEM_MASTERS.to_string(),
                "system:authenticated".to_string(),
            ],
        }
    }

    /// The anonymous user.
    pub fn anonymous() -> Self {
        Self {
            username: "system:anonymous".to_string(),
            groups: vec!["system:unauthenticated".to_string()],
        }
    }
}

/// Authenticates a credential.
pub fn authenticate(credential: &Credential) -> Result<UserInfo, ApiError> {
    match credential {
        Credential::AdminCertificate => Ok(UserInfo::admin()),
        Credential::Anonymous => Ok(UserInfo::anonymous()),
        // Token authentication arrives with service-account tokens.
        Credential::BearerToken(_) => {
            Err(ApiError::new(StatusReason::Unauthorized, "Unauthorized"))
        }
    }
}

/// The authorizer's answer and its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Why, in words.
    pub reason: String,
}

/// Decides a resource request.
pub fn authorize(user: &UserInfo, request: &ResourceRequest) -> Decision {
    if user.groups.iter().any(|g| g == SYSTEM_MASTERS) {
        return Decision {
            allowed: true,
            reason: format!("{SYSTEM_MASTERS} may do anything"),
        };
    }
    let _ = request;
    Decision {
        allowed: false,
        reason: "no RBAC policy matched".to_string(),
    }
}

/// The 403 for a denied resource request, worded as kube-apiserver words it.
pub fn forbidden(user: &UserInfo, request: &ResourceRequest) -> ApiError {
    let resource = match &request.subresource {
        Some(sub) => format!("{}/{sub}", request.resource),
        None => request.resource.clone(),
    };
    let qualified = if request.api_group.is_empty() {
        request.resource.clone()
    } else {
        format!("{}.{}", request.resource, request.api_group)
    };
    let scope = match &request.namespace {
        Some(ns) => format!(" in the namespace \"{ns}\""),
        None => " at the cluster scope".to_string(),
    };
    let subject = match &request.name {
        Some(name) => format!("{qualified} {name:?} is forbidden"),
        None => format!("{qualified} is forbidden"),
    };
    ApiError::new(
        StatusReason::Forbidden,
        format!(
            "{subject}: User {:?} cannot {} resource {resource:?} in API group {:?}{scope}",
            user.username,
            request.verb.as_str(),
            request.api_group
        ),
    )
}
