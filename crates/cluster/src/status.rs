//! API errors as Kubernetes `Status` objects.
//!
//! Each constructor mirrors one of apimachinery's `errors.New*` helpers, with
//! the same HTTP code, reason and message text, so kubectl-style front ends
//! can print them exactly as kubectl does.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Status, StatusCause, StatusDetails};

use crate::resource::ResourceInfo;
use crate::validation::FieldError;

/// A failed API request: a `Status` with `status: Failure`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ApiError(pub Box<Status>);

/// The reasons the simulated API server answers with (`metav1.StatusReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReason {
    /// 400.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 409, the name is taken.
    AlreadyExists,
    /// 409, a precondition such as resourceVersion failed.
    Conflict,
    /// 415.
    UnsupportedMediaType,
    /// 422.
    Invalid,
    /// 500.
    InternalError,
}

impl StatusReason {
    /// The reason as written in the Status object.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "BadRequest",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "NotFound",
            Self::MethodNotAllowed => "MethodNotAllowed",
            Self::AlreadyExists => "AlreadyExists",
            Self::Conflict => "Conflict",
            Self::UnsupportedMediaType => "UnsupportedMediaType",
            Self::Invalid => "Invalid",
            Self::InternalError => "InternalError",
        }
    }

    /// The HTTP status code that goes with the reason.
    pub fn code(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::AlreadyExists | Self::Conflict => 409,
            Self::UnsupportedMediaType => 415,
            Self::Invalid => 422,
            Self::InternalError => 500,
        }
    }
}

fn details(group: &str, kind: &str, name: &str) -> StatusDetails {
    StatusDetails {
        group: (!group.is_empty()).then(|| group.to_string()),
        kind: (!kind.is_empty()).then(|| kind.to_string()),
        name: (!name.is_empty()).then(|| name.to_string()),
        ..StatusDetails::default()
    }
}

impl ApiError {
    /// A failure with this reason and message and no details.
    pub fn new(reason: StatusReason, message: impl Into<String>) -> Self {
        Self(Box::new(Status {
            status: Some("Failure".to_string()),
            message: Some(message.into()),
            reason: Some(reason.as_str().to_string()),
            code: Some(i32::from(reason.code())),
            ..Status::default()
        }))
    }

    fn with_details(mut self, details: StatusDetails) -> Self {
        self.0.details = Some(details);
        self
    }

    /// `serviceaccounts "x" not found`.
    pub fn not_found(resource: &ResourceInfo, name: &str) -> Self {
        Self::new(StatusReason::NotFound, format!("{} {name:?} not found", resource.group_resource()))
            .with_details(details(resource.group, resource.plural, name))
    }

    /// `serviceaccounts "x" already exists`.
    pub fn already_exists(resource: &ResourceInfo, name: &str) -> Self {
        Self::new(StatusReason::AlreadyExists, format!("{} {name:?} already exists", resource.group_resource()))
            .with_details(details(resource.group, resource.plural, name))
    }

    /// `pods "x" is forbidden: <why>`.
    pub fn forbidden(resource: &ResourceInfo, name: &str, why: &str) -> Self {
        let message = if name.is_empty() {
            format!("{} is forbidden: {why}", resource.group_resource())
        } else {
            format!("{} {name:?} is forbidden: {why}", resource.group_resource())
        };
        Self::new(StatusReason::Forbidden, message).with_details(details(resource.group, resource.plural, name))
    }

    /// `Operation cannot be fulfilled on serviceaccounts "x": <why>`.
    pub fn conflict(resource: &ResourceInfo, name: &str, why: &str) -> Self {
        Self::new(
            StatusReason::Conflict,
            format!("Operation cannot be fulfilled on {} {name:?}: {why}", resource.group_resource()),
        )
        .with_details(details(resource.group, resource.plural, name))
    }

    /// 415: the body's media type is none of `accepted`.
    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        Self::new(
            StatusReason::UnsupportedMediaType,
            format!(
                "the body of the request was in an unknown format - accepted media types include: {}",
                accepted.join(", ")
            ),
        )
    }

    /// 400 with a free-form message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusReason::BadRequest, message)
    }

    /// `<verb> is not supported on resources of kind "<resource>"`.
    pub fn method_not_supported(resource: &ResourceInfo, verb: &str) -> Self {
        Self::new(
            StatusReason::MethodNotAllowed,
            format!("{verb} is not supported on resources of kind {:?}", resource.group_resource()),
        )
        .with_details(details(resource.group, resource.plural, ""))
    }

    /// 404 for a path the server does not serve.
    pub fn path_not_found() -> Self {
        Self::new(StatusReason::NotFound, "the server could not find the requested resource")
            .with_details(StatusDetails::default())
    }

    /// `ServiceAccount "x" is invalid: <field errors>` (`Role.rbac.authorization.k8s.io "x"` for a grouped kind).
    pub fn invalid(resource: &ResourceInfo, name: &str, errors: &[FieldError]) -> Self {
        // The message names the group kind (`Deployment.apps`), as
        // `schema.GroupKind` prints.
        let qualified = if resource.group.is_empty() {
            resource.kind.to_string()
        } else {
            format!("{}.{}", resource.kind, resource.group)
        };
        Self::invalid_kind(&qualified, resource.group, resource.kind, name, errors)
    }

    /// An Invalid status whose message names `qualified_kind` (e.g.
    /// `TokenRequest.authentication.k8s.io`).
    pub fn invalid_kind(qualified_kind: &str, group: &str, kind: &str, name: &str, errors: &[FieldError]) -> Self {
        let joined = match errors {
            [one] => one.to_string(),
            many => format!("[{}]", many.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
        };
        let causes = errors
            .iter()
            .map(|e| StatusCause {
                reason: Some(e.cause_reason().to_string()),
                message: Some(e.body()),
                field: Some(e.field.clone()),
            })
            .collect();
        let mut d = details(group, kind, name);
        d.causes = Some(causes);
        Self::new(StatusReason::Invalid, format!("{qualified_kind} {name:?} is invalid: {joined}")).with_details(d)
    }

    /// The Status message.
    pub fn message(&self) -> &str {
        self.0.message.as_deref().unwrap_or_default()
    }

    /// The Status reason, e.g. `NotFound`.
    pub fn reason(&self) -> &str {
        self.0.reason.as_deref().unwrap_or_default()
    }

    /// The HTTP status code.
    pub fn code(&self) -> u16 {
        self.0.code.and_then(|c| u16::try_from(c).ok()).unwrap_or(500)
    }

    /// The field errors of an Invalid status.
    pub fn causes(&self) -> &[StatusCause] {
        self.0.details.as_ref().and_then(|d| d.causes.as_deref()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::lookup;

    #[test]
    fn messages_match_apimachinery() {
        let (Some(sa), Some(role)) = (lookup("sa"), lookup("role")) else { panic!() };
        assert_eq!(ApiError::not_found(sa, "nosuch").message(), r#"serviceaccounts "nosuch" not found"#);
        assert_eq!(ApiError::not_found(sa, "nosuch").code(), 404);
        assert_eq!(
            ApiError::already_exists(role, "pod-reader").message(),
            r#"roles.rbac.authorization.k8s.io "pod-reader" already exists"#
        );
        assert_eq!(
            ApiError::conflict(
                sa,
                "a",
                "the object has been modified; please apply your changes to the latest version and try again"
            )
            .message(),
            r#"Operation cannot be fulfilled on serviceaccounts "a": the object has been modified; please apply your changes to the latest version and try again"#
        );
    }
}
