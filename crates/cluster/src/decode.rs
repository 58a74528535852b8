//! Turning text into API objects: YAML/JSON manifests, strict decoding.
//!
//! [`parse_manifests`] reads one or more YAML documents (JSON is YAML) into
//! JSON values, reporting syntax errors with line and column.
//! [`strict_from_value`] decodes a value into a typed object while recording
//! every field the type does not have, so callers can refuse them as the API
//! server's strict field validation does (`unknown field "spec.x"`).

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// Why text or a value could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The text is not valid YAML or JSON.
    #[error("{message}")]
    Syntax {
        /// 1-based line of the error, when known.
        line: Option<usize>,
        /// 1-based column of the error, when known.
        column: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// A field holds a value of the wrong type.
    #[error("{path}: {message}")]
    Type {
        /// Where, e.g. `spec.containers[0].ports[0].containerPort`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The kind is not one the cluster has.
    #[error("no kind {0:?} is registered")]
    UnknownKind(String),
}

/// Parses a manifest file: one or more YAML documents separated by `---`
/// (or one JSON value). Empty documents are skipped.
pub fn parse_manifests(text: &str) -> Result<Vec<Value>, DecodeError> {
    let mut documents = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        let value = Value::deserialize(document).map_err(|e| {
            let location = e.location();
            DecodeError::Syntax {
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
                message: e.to_string(),
            }
        })?;
        if !value.is_null() {
            documents.push(value);
        }
    }
    Ok(documents)
}

/// Replaces every `kind: List` (any `apiVersion`) by its items, as kubectl
/// does with the objects of a manifest file; other values pass through.
pub fn expand_lists(documents: Vec<Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for document in documents {
        let is_list = document.get("kind").and_then(Value::as_str).is_some_and(|k| k == "List" || k.ends_with("List"))
            && document.get("items").is_some_and(Value::is_array);
        match (is_list, document) {
            (true, Value::Object(mut map)) => {
                if let Some(Value::Array(items)) = map.remove("items") {
                    out.extend(expand_lists(items));
                }
            }
            (_, other) => out.push(other),
        }
    }
    out
}

/// Decodes `value` as a `T`, returning the paths of the fields `T` does not
/// have (in document order) alongside it.
pub fn strict_from_value<T: DeserializeOwned>(mut value: Value) -> Result<(T, Vec<String>), DecodeError> {
    quantities_as_strings(&mut value, "");
    let mut unknown = Vec::new();
    let result = {
        let mut record = |path: serde_ignored::Path<'_>| unknown.push(field_path(&path));
        let deserializer = serde_ignored::Deserializer::new(value, &mut record);
        serde_path_to_error::deserialize::<_, T>(deserializer)
    };
    match result {
        Ok(object) => Ok((object, unknown)),
        Err(e) => Err(DecodeError::Type { path: e.path().to_string(), message: e.into_inner().to_string() }),
    }
}

/// A `resource.Quantity` reads a JSON number as well as a string
/// (`cpu: 1`); k8s-openapi's `Quantity` takes strings only, so numbers in
/// resource lists (and `sizeLimit`) become their decimal text first.
fn quantities_as_strings(value: &mut Value, key: &str) {
    const RESOURCE_LISTS: &[&str] = &["limits", "requests", "capacity", "allocatable", "hard", "used"];
    match value {
        Value::Object(map) if RESOURCE_LISTS.contains(&key) => {
            for v in map.values_mut() {
                if let Value::Number(n) = v {
                    *v = Value::String(n.to_string());
                }
            }
        }
        Value::Number(n) if key == "sizeLimit" => *value = Value::String(n.to_string()),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                quantities_as_strings(v, k);
            }
        }
        Value::Array(items) => {
            for item in items {
                quantities_as_strings(item, key);
            }
        }
        _ => {}
    }
}

/// `spec.containers[0].imagee`, as upstream's strict decoder names a field.
fn field_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_path(parent)),
        Path::Map { parent, key } => {
            let parent = field_path(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => field_path(parent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Pod, ServiceAccount};

    #[test]
    fn multi_document_yaml_skips_empty_documents() {
        let docs =
            parse_manifests("---\napiVersion: v1\nkind: ServiceAccount\n---\n---\nkind: Pod\n").unwrap_or_default();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["kind"], "Pod");
    }

    #[test]
    fn lists_are_expanded() {
        let docs = parse_manifests("apiVersion: v1\nkind: List\nitems:\n- kind: ServiceAccount\n- kind: List\n  items:\n  - kind: Pod\n---\nkind: Secret\n");
        let kinds: Vec<String> = expand_lists(docs.unwrap_or_default())
            .iter()
            .map(|d| d["kind"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(kinds, ["ServiceAccount", "Pod", "Secret"]);
    }

    #[test]
    fn json_is_accepted() {
        let docs = parse_manifests(r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}"#);
        assert_eq!(docs.map(|d| d.len()), Ok(1));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse_manifests("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n bad: [\n");
        match err {
            Err(DecodeError::Syntax { line, column, .. }) => {
                assert_eq!(line, Some(5));
                assert!(column.is_some());
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_are_reported_with_their_paths() {
        let value = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labelz": {"a": "b"}, "labels": {"any": "key"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}, {"name": "d", "imagee": "x"}]},
        });
        let (_, unknown) = strict_from_value::<Pod>(value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unknown, vec!["metadata.labelz", "spec.containers[1].imagee"]);
    }

    #[test]
    fn numeric_quantities_are_read() {
        let value = serde_json::json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": 1, "memory": "1Gi"}}}]}});
        let (pod, _) = strict_from_value::<Pod>(value).unwrap_or_else(|e| panic!("{e}"));
        let limits =
            pod.spec.and_then(|s| s.containers.first().and_then(|c| c.resources.clone())).and_then(|r| r.limits);
        assert_eq!(limits.and_then(|l| l.get("cpu").map(|q| q.0.clone())).as_deref(), Some("1"));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let value = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"},
            "automountServiceAccountToken": "no"});
        match strict_from_value::<ServiceAccount>(value) {
            Err(DecodeError::Type { path, .. }) => assert_eq!(path, "automountServiceAccountToken"),
            other => panic!("expected a type error, got {other:?}"),
        }
    }
}
