//! PATCH bodies: JSON merge patch, JSON patch and strategic merge patch.
//!
//! Merge patch (RFC 7386) and JSON patch (RFC 6902) come from the
//! `json-patch` crate. Strategic merge patch is Kubernetes' own: lists that
//! upstream tags `patchStrategy: merge` are merged item by item on their
//! merge key (containers by `name`, volumeMounts by `mountPath`, …) instead
//! of being replaced, and `$patch` directives delete or replace items.

use serde_json::{Map, Value};

use crate::resource::ResourceInfo;
use crate::status::{ApiError, StatusReason};

/// The kinds of PATCH, chosen by `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/json-patch+json`.
    Json,
    /// `application/merge-patch+json`.
    Merge,
    /// `application/strategic-merge-patch+json`.
    Strategic,
}

impl PatchType {
    /// The patch type for a body's media type ([`Request::media_type`]).
    ///
    /// [`Request::media_type`]: crate::api::Request::media_type
    pub fn from_media_type(media: Option<&str>) -> Result<Self, ApiError> {
        match media.unwrap_or_default() {
            "application/json-patch+json" => Ok(Self::Json),
            "application/merge-patch+json" => Ok(Self::Merge),
            "application/strategic-merge-patch+json" => Ok(Self::Strategic),
            _ => Err(ApiError::unsupported_media_type(&[
                "application/json-patch+json",
                "application/merge-patch+json",
                "application/strategic-merge-patch+json",
            ])),
        }
    }
}

/// Applies `body` to `current`.
pub fn apply(
    patch_type: PatchType,
    resource: &ResourceInfo,
    mut current: Value,
    body: &str,
) -> Result<Value, ApiError> {
    // The API server checks the body's JSON syntax first; a strategic merge
    // patch reports Go's words as they are, the other two types with
    // "error decoding patch: " before them.
    if let Some(message) = crate::gojson::syntax_error(body) {
        return Err(ApiError::bad_request(match patch_type {
            PatchType::Strategic => message,
            PatchType::Merge | PatchType::Json => format!("error decoding patch: {message}"),
        }));
    }
    let patch: Value =
        serde_json::from_str(body).map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
    match patch_type {
        PatchType::Merge => {
            if !patch.is_object() {
                return Err(ApiError::bad_request("error decoding patch: a merge patch must be a JSON object"));
            }
            json_patch::merge(&mut current, &patch);
        }
        PatchType::Json => {
            let operations: json_patch::Patch = serde_json::from_value(patch)
                .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
            json_patch::patch(&mut current, &operations.0).map_err(|e| {
                ApiError::new(
                    StatusReason::Invalid,
                    format!("the server rejected our request due to an error in our request: {e}"),
                )
            })?;
        }
        PatchType::Strategic => {
            let Value::Object(patch) = patch else {
                return Err(ApiError::bad_request(
                    "error decoding patch: a strategic merge patch must be a JSON object",
                ));
            };
            current = strategic_merge(current, patch, resource.kind, "");
        }
    }
    Ok(current)
}

/// The merge key of a list field tagged `patchStrategy: merge` upstream:
/// `field` of the object at `parent` (a dotted path; an item of a merged
/// list is `…field[]`) in a `kind`. kubectl apply's three-way patch reads
/// it too.
pub fn merge_key(kind: &str, parent: &str, field: &str) -> Option<&'static str> {
    // A Service's ports merge on their port number (a container's on
    // `containerPort`).
    if kind == "Service" && parent == "spec" && field == "ports" {
        return Some("port");
    }
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets"
        | "env"
        | "secrets" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ports" => Some("containerPort"),
        "ownerReferences" => Some("uid"),
        "conditions" => Some("type"),
        "hostAliases" => Some("ip"),
        _ => None,
    }
}

/// Merges `patch` into `current`, the object at `path` of a `kind`,
/// strategically.
fn strategic_merge(current: Value, patch: Map<String, Value>, kind: &str, path: &str) -> Value {
    let mut map = match current {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if patch.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replaced = patch;
        replaced.remove("$patch");
        return Value::Object(replaced);
    }
    for (key, value) in patch {
        if key.starts_with('$') {
            // $setElementOrder/…, $retainKeys, $deleteFromPrimitiveList/…:
            // ordering and pruning hints; the merged result already holds
            // what the patch sets.
            if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
                if let (Some(Value::Array(items)), Value::Array(remove)) = (map.get_mut(field), &value) {
                    items.retain(|i| !remove.contains(i));
                }
            }
            continue;
        }
        match value {
            Value::Null => {
                map.remove(&key);
            }
            Value::Object(sub) => {
                let existing = map.remove(&key).unwrap_or(Value::Null);
                let merged = strategic_merge(existing, sub, kind, &child_path(path, &key));
                map.insert(key, merged);
            }
            Value::Array(items) => {
                let merged = match (merge_key(kind, path, &key), map.remove(&key)) {
                    (Some(merge_key), Some(Value::Array(existing))) => {
                        merge_list(existing, items, merge_key, kind, &child_path(path, &format!("{key}[]")))
                    }
                    _ => Value::Array(items.into_iter().filter(|i| !is_delete_directive(i)).collect()),
                };
                map.insert(key, merged);
            }
            other => {
                map.insert(key, other);
            }
        }
    }
    Value::Object(map)
}

fn is_delete_directive(item: &Value) -> bool {
    item.get("$patch").and_then(Value::as_str) == Some("delete")
}

/// `path.key` (`key` at the top), the paths [`merge_key`] takes.
pub fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn merge_list(mut existing: Vec<Value>, patch: Vec<Value>, merge_key: &str, kind: &str, path: &str) -> Value {
    for item in patch {
        let key = item.get(merge_key).cloned();
        let position = key.as_ref().and_then(|k| existing.iter().position(|e| e.get(merge_key) == Some(k)));
        match (position, item) {
            (Some(i), item) if is_delete_directive(&item) => {
                existing.remove(i);
            }
            (None, item) if is_delete_directive(&item) => {}
            (Some(i), Value::Object(sub)) => {
                let old = std::mem::take(&mut existing[i]);
                existing[i] = strategic_merge(old, sub, kind, path);
            }
            (_, item) => existing.push(item),
        }
    }
    Value::Array(existing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sa() -> &'static ResourceInfo {
        crate::resource::lookup("sa").unwrap_or(&crate::resource::RESOURCES[0])
    }

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let pod = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let patch = r#"{"spec": {"containers": [{"name": "b", "image": "z"}, {"name": "c", "image": "w"}]}}"#;
        let got = apply(PatchType::Strategic, sa(), pod, patch).unwrap_or_default();
        assert_eq!(
            got["spec"]["containers"],
            json!([{"name": "a", "image": "x"}, {"name": "b", "image": "z"}, {"name": "c", "image": "w"}])
        );
    }

    #[test]
    fn strategic_merge_merges_service_ports_by_port() {
        let services = crate::resource::lookup("services").unwrap_or(&crate::resource::RESOURCES[0]);
        let service = json!({"spec": {"ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}});
        let patch = r#"{"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}}"#;
        let got = apply(PatchType::Strategic, services, service, patch).unwrap_or_default();
        assert_eq!(
            got["spec"]["ports"],
            json!([{"port": 80, "nodePort": 30080, "protocol": "TCP", "targetPort": 8080}, {"port": 443}])
        );
    }

    #[test]
    fn strategic_merge_directives() {
        let pod =
            json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"volumes": [{"name": "v"}, {"name": "w"}]}});
        let patch = r#"{"metadata": {"labels": {"a": null}}, "spec": {"volumes": [{"name": "v", "$patch": "delete"}], "$setElementOrder/volumes": [{"name": "w"}]}}"#;
        let got = apply(PatchType::Strategic, sa(), pod, patch).unwrap_or_default();
        assert_eq!(got, json!({"metadata": {"labels": {"b": "2"}}, "spec": {"volumes": [{"name": "w"}]}}));
    }

    #[test]
    fn merge_patch_replaces_lists() {
        let sa_value = json!({"secrets": [{"name": "a"}], "automountServiceAccountToken": true});
        let got = apply(
            PatchType::Merge,
            sa(),
            sa_value,
            r#"{"secrets": [{"name": "b"}], "automountServiceAccountToken": null}"#,
        );
        assert_eq!(got.unwrap_or_default(), json!({"secrets": [{"name": "b"}]}));
    }

    #[test]
    fn json_patch_operations_and_errors() {
        let doc = json!({"metadata": {"labels": {}}});
        let got =
            apply(PatchType::Json, sa(), doc.clone(), r#"[{"op": "add", "path": "/metadata/labels/x", "value": "1"}]"#);
        assert_eq!(got.unwrap_or_default(), json!({"metadata": {"labels": {"x": "1"}}}));
        assert!(apply(PatchType::Json, sa(), doc, r#"[{"op": "remove", "path": "/nope"}]"#).is_err());
        assert_eq!(PatchType::from_media_type(Some("text/plain")).map_err(|e| e.code()), Err(415));
        let with_charset = crate::api::Request::patch("/", "application/merge-patch+json; charset=utf-8", "{}");
        assert_eq!(PatchType::from_media_type(with_charset.media_type()).ok(), Some(PatchType::Merge));
    }
}
