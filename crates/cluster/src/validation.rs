//! Field errors and the API's validation rules for names and metadata.
//!
//! [`FieldError`] renders exactly as apimachinery's `field.Error`
//! (`metadata.name: Invalid value: "Bad_Name": <detail>`). The name checks
//! return upstream's detail strings; per-kind rules live with the kind.

use std::fmt;

use serde_json::Value;

/// What is wrong with a field (`field.ErrorType`).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldErrorType {
    /// The value is not acceptable; holds the value.
    Invalid(Value),
    /// Like `Invalid`, for a value already rendered the way Go prints it
    /// (a struct such as `rbac.RoleRef{...}`).
    InvalidRendered(String),
    /// A required value is missing.
    Required,
    /// The field may not be set (here).
    Forbidden,
    /// The value is not one of the supported values.
    NotSupported {
        /// The value given.
        value: Value,
        /// The values that are supported.
        supported: Vec<String>,
    },
    /// The value duplicates another.
    Duplicate(Value),
    /// Like `Duplicate`, for a value already rendered the way Go prints it
    /// (a struct such as `core.ServicePort{...}`).
    DuplicateRendered(String),
    /// The value refers to something that does not exist.
    NotFound(Value),
    /// The value is longer than the limit, in bytes.
    TooLong(usize),
}

/// One validation failure on one field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The field path, e.g. `metadata.name` or `spec.containers[0].image`.
    pub field: String,
    /// What kind of failure.
    pub kind: FieldErrorType,
    /// Extra explanation (may be empty).
    pub detail: String,
}

/// Renders a value as Go's `%#v`-ish printing in field errors: strings
/// quoted, numbers and booleans bare, a list of strings as a `[]string`.
fn render(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let strings: Vec<String> = items.iter().filter_map(Value::as_str).map(str::to_string).collect();
            go_string_slice(Some(&strings))
        }
        other => other.to_string(),
    }
}

/// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`, `[]string(nil)`.
pub(crate) fn go_string_slice(values: Option<&[String]>) -> String {
    match values {
        None => "[]string(nil)".to_string(),
        Some(values) => {
            let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            format!("[]string{{{}}}", quoted.join(", "))
        }
    }
}

impl FieldError {
    /// `field: Invalid value: <value>: <detail>`.
    pub fn invalid(field: impl Into<String>, value: impl Into<Value>, detail: impl Into<String>) -> Self {
        Self { field: field.into(), kind: FieldErrorType::Invalid(value.into()), detail: detail.into() }
    }

    /// `field: Required value[: detail]`.
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { field: field.into(), kind: FieldErrorType::Required, detail: detail.into() }
    }

    /// `field: Forbidden[: detail]`.
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { field: field.into(), kind: FieldErrorType::Forbidden, detail: detail.into() }
    }

    /// `field: Unsupported value: "v": supported values: "a", "b"`.
    pub fn not_supported(field: impl Into<String>, value: impl Into<Value>, supported: &[&str]) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorType::NotSupported {
                value: value.into(),
                supported: supported.iter().map(|s| s.to_string()).collect(),
            },
            detail: String::new(),
        }
    }

    /// `field: Duplicate value: <value>`.
    pub fn duplicate(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self { field: field.into(), kind: FieldErrorType::Duplicate(value.into()), detail: String::new() }
    }

    /// `field: Not found: <value>`.
    pub fn not_found(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self { field: field.into(), kind: FieldErrorType::NotFound(value.into()), detail: String::new() }
    }

    /// The `StatusCause` reason, e.g. `FieldValueInvalid`.
    pub fn cause_reason(&self) -> &'static str {
        match self.kind {
            FieldErrorType::Invalid(_) | FieldErrorType::InvalidRendered(_) => "FieldValueInvalid",
            FieldErrorType::Required => "FieldValueRequired",
            FieldErrorType::Forbidden => "FieldValueForbidden",
            FieldErrorType::NotSupported { .. } => "FieldValueNotSupported",
            FieldErrorType::Duplicate(_) | FieldErrorType::DuplicateRendered(_) => "FieldValueDuplicate",
            FieldErrorType::NotFound(_) => "FieldValueNotFound",
            FieldErrorType::TooLong(_) => "FieldValueTooLong",
        }
    }

    /// The error without its field: `Invalid value: "x": detail`.
    pub fn body(&self) -> String {
        let head = match &self.kind {
            FieldErrorType::Invalid(v) => format!("Invalid value: {}", render(v)),
            FieldErrorType::InvalidRendered(v) => format!("Invalid value: {v}"),
            FieldErrorType::Required => "Required value".to_string(),
            FieldErrorType::Forbidden => "Forbidden".to_string(),
            FieldErrorType::NotSupported { value, supported } => {
                let quoted: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
                format!("Unsupported value: {}: supported values: {}", render(value), quoted.join(", "))
            }
            FieldErrorType::Duplicate(v) => format!("Duplicate value: {}", render(v)),
            FieldErrorType::DuplicateRendered(v) => format!("Duplicate value: {v}"),
            FieldErrorType::NotFound(v) => format!("Not found: {}", render(v)),
            FieldErrorType::TooLong(max) => format!("Too long: may not be more than {max} bytes"),
        };
        if self.detail.is_empty() {
            head
        } else {
            format!("{head}: {}", self.detail)
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// Matches `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn matches_label(s: &str) -> bool {
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => alnum(first) && alnum(last) && bytes.iter().all(|&c| alnum(c) || c == b'-'),
        _ => false,
    }
}

const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// `IsDNS1035Label`: `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errors.push(format!("must be no more than {DNS1123_LABEL_MAX} characters"));
    }
    if !(matches_label(value) && value.starts_with(|c: char| c.is_ascii_lowercase())) {
        errors.push(DNS1035_LABEL_MSG.to_string());
    }
    errors
}

/// Matches the DNS-1123 subdomain regex (labels joined by dots).
fn matches_subdomain(s: &str) -> bool {
    s.split('.').all(matches_label)
}

/// `IsDNS1123Label`: the detail strings for a bad label (empty when fine).
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errors.push(format!("must be no more than {DNS1123_LABEL_MAX} characters"));
    }
    if !matches_label(value) {
        if matches_subdomain(value) {
            errors.push("must not contain dots".to_string());
        } else {
            errors.push(DNS1123_LABEL_MSG.to_string());
        }
    }
    errors
}

/// `IsDNS1123Subdomain`: the detail strings for a bad subdomain.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errors.push(format!("must be no more than {DNS1123_SUBDOMAIN_MAX} characters"));
    }
    if !matches_subdomain(value) {
        errors.push(DNS1123_SUBDOMAIN_MSG.to_string());
    }
    errors
}

/// `IsValidPathSegmentName`: RBAC object names.
pub fn is_path_segment_name(value: &str) -> Vec<String> {
    if value == "." || value == ".." {
        return vec![format!("may not be '{value}'")];
    }
    let mut errors = Vec::new();
    for bad in ["/", "%"] {
        if value.contains(bad) {
            errors.push(format!("may not contain '{bad}'"));
        }
    }
    errors
}

/// Which rule a kind's names follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// DNS-1123 label (namespaces).
    Dns1123Label,
    /// DNS-1035 label (Services: a name that starts with a letter, as it
    /// becomes a DNS name and environment variables).
    Dns1035Label,
    /// DNS-1123 subdomain (most core kinds).
    Dns1123Subdomain,
    /// A path segment (RBAC kinds).
    PathSegment,
}

impl NameRule {
    /// The rule for a kind's `metadata.name`.
    pub fn for_kind(kind: &str) -> Self {
        match kind {
            "Namespace" => Self::Dns1123Label,
            "Service" => Self::Dns1035Label,
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => Self::PathSegment,
            _ => Self::Dns1123Subdomain,
        }
    }

    /// Detail strings for a name that breaks the rule.
    pub fn check(self, name: &str) -> Vec<String> {
        match self {
            Self::Dns1123Label => is_dns1123_label(name),
            Self::Dns1035Label => is_dns1035_label(name),
            Self::Dns1123Subdomain => is_dns1123_subdomain(name),
            Self::PathSegment => is_path_segment_name(name),
        }
    }
}

/// Validates `metadata.name` under `rule`, as `ValidateObjectMeta` does.
pub fn validate_name(name: &str, rule: NameRule) -> Vec<FieldError> {
    if name.is_empty() {
        return vec![FieldError::required("metadata.name", "name or generateName is required")];
    }
    rule.check(name).into_iter().map(|detail| FieldError::invalid("metadata.name", name, detail)).collect()
}

const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/// Matches `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` (non-empty).
fn matches_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `IsQualifiedName`: label and annotation keys (`prefix/name`).
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let (prefix, name) = match value.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, value),
    };
    if name.contains('/') {
        errors.push(format!("a qualified name {QUALIFIED_NAME_MSG_SHORT}"));
        return errors;
    }
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            errors.push("prefix part must be non-empty".to_string());
        } else {
            errors.extend(is_dns1123_subdomain(prefix).into_iter().map(|e| format!("prefix part {e}")));
        }
    }
    if name.is_empty() {
        errors.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errors.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !matches_name_part(name) {
        errors.push(QUALIFIED_NAME_MSG.to_string());
    }
    errors
}

const QUALIFIED_NAME_MSG_SHORT: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

/// `IsValidLabelValue`.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !matches_name_part(value) {
        errors.push(LABEL_VALUE_MSG.to_string());
    }
    errors
}

/// `ValidateLabels`: every key a qualified name, every value a label
/// value, the errors on `field` (`metadata.labels`, `spec.selector`).
pub fn validate_labels(labels: &std::collections::BTreeMap<String, String>, field: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (key, value) in labels {
        for detail in is_qualified_name(key) {
            errors.push(FieldError::invalid(field, key.clone(), detail));
        }
        for detail in is_valid_label_value(value) {
            errors.push(FieldError::invalid(field, value.clone(), detail));
        }
    }
    errors
}

/// Validates `metadata.labels` and the keys of `metadata.annotations`.
pub fn validate_labels_and_annotations(
    labels: Option<&std::collections::BTreeMap<String, String>>,
    annotations: Option<&std::collections::BTreeMap<String, String>>,
) -> Vec<FieldError> {
    let mut errors = labels.map(|labels| validate_labels(labels, "metadata.labels")).unwrap_or_default();
    let mut total = 0;
    for (key, value) in annotations.into_iter().flatten() {
        for detail in is_qualified_name(&key.to_ascii_lowercase()) {
            errors.push(FieldError::invalid("metadata.annotations", key.clone(), detail));
        }
        total += key.len() + value.len();
    }
    const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errors.push(FieldError {
            field: "metadata.annotations".to_string(),
            kind: FieldErrorType::TooLong(TOTAL_ANNOTATION_SIZE_LIMIT),
            detail: String::new(),
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules_per_kind() {
        // (kind, name, expected detail or "" for valid)
        let rows = [
            ("ServiceAccount", "build-robot", ""),
            ("ServiceAccount", "my.sa", ""),
            ("ServiceAccount", "Bad_Name", DNS1123_SUBDOMAIN_MSG),
            ("ServiceAccount", "-lead", DNS1123_SUBDOMAIN_MSG),
            ("ServiceAccount", "a..b", DNS1123_SUBDOMAIN_MSG),
            ("Pod", "web-1", ""),
            ("Namespace", "team-a", ""),
            ("Service", "web-1", ""),
            ("Service", "1web", DNS1035_LABEL_MSG),
            ("Service", "my.svc", DNS1035_LABEL_MSG),
            ("Service", "Web", DNS1035_LABEL_MSG),
            ("Namespace", "my.ns", "must not contain dots"),
            ("Namespace", "Team", DNS1123_LABEL_MSG),
            ("Role", "pod-reader", ""),
            ("Role", "Pod_Reader:all", ""),
            ("Role", "..", "may not be '..'"),
            ("ClusterRole", "a/b", "may not contain '/'"),
            ("RoleBinding", "50%", "may not contain '%'"),
        ];
        for (kind, name, want) in rows {
            let got = NameRule::for_kind(kind).check(name);
            if want.is_empty() {
                assert!(got.is_empty(), "{kind} {name}: {got:?}");
            } else {
                assert_eq!(got, vec![want.to_string()], "{kind} {name}");
            }
        }
    }

    #[test]
    fn label_keys_and_values() {
        assert!(is_qualified_name("app.kubernetes.io/name").is_empty());
        assert!(is_qualified_name("team").is_empty());
        assert_eq!(is_qualified_name("bad key"), vec![QUALIFIED_NAME_MSG.to_string()]);
        assert_eq!(is_qualified_name("Example.com/x")[0], format!("prefix part {DNS1123_SUBDOMAIN_MSG}"));
        assert!(is_valid_label_value("").is_empty());
        assert_eq!(is_valid_label_value("bad value!"), vec![LABEL_VALUE_MSG.to_string()]);
        let labels: std::collections::BTreeMap<String, String> = [("app".to_string(), "-x".to_string())].into();
        assert_eq!(
            validate_labels_and_annotations(Some(&labels), None)[0].to_string(),
            format!("metadata.labels: Invalid value: \"-x\": {LABEL_VALUE_MSG}")
        );
    }

    #[test]
    fn too_long_names() {
        assert_eq!(is_dns1123_label(&"a".repeat(64)), vec!["must be no more than 63 characters"]);
        assert!(is_dns1123_subdomain(&"a".repeat(253)).is_empty());
        assert_eq!(is_dns1123_subdomain(&"a".repeat(254)), vec!["must be no more than 253 characters"]);
    }

    #[test]
    fn field_errors_render_like_apimachinery() {
        let e = validate_name("Bad_Name", NameRule::Dns1123Subdomain);
        assert_eq!(e[0].to_string(), format!("metadata.name: Invalid value: \"Bad_Name\": {DNS1123_SUBDOMAIN_MSG}"));
        assert_eq!(
            validate_name("", NameRule::PathSegment)[0].to_string(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert_eq!(FieldError::invalid("spec.x", 5, "bad").to_string(), "spec.x: Invalid value: 5: bad");
        assert_eq!(
            FieldError::not_supported("type", "X", &["A", "B"]).to_string(),
            r#"type: Unsupported value: "X": supported values: "A", "B""#
        );
    }
}
