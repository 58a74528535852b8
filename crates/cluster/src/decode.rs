//! Turning text into API objects: YAML/JSON manifests, strict decoding.
//!
//! [`parse_manifests`] reads one or more YAML documents (JSON is YAML) into
//! JSON values, reporting syntax errors with line and column.
//! [`strict_from_value`] decodes a value into a typed object while recording
//! every field the type does not have, so callers can refuse them as the API
//! server's strict field validation does (`unknown field "spec.x"`).

use serde::de::DeserializeOwned;
use serde::de::DeserializeSeed;
use serde::{Deserialize, Serialize};
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
/// (or one JSON value). Empty documents are skipped. Plain scalars are read
/// as YAML 1.1, as kubectl's go-yaml reads them (see [`Yaml11`]).
pub fn parse_manifests(text: &str) -> Result<Vec<Value>, DecodeError> {
    let mut documents = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        let value = Yaml11 { source: text }.deserialize(document).map_err(|e| {
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

/// Builds JSON values from YAML as go-yaml v2 (YAML 1.1) resolves plain
/// scalars, where the YAML 1.2 parser leaves strings: `yes`/`no`/`on`/`off`/
/// `y`/`n` are booleans and `0644` (octal), `1_000` and `09` are numbers.
/// A scalar is plain when the text just before it is not a quote; the parser
/// lends out the scalar's own bytes of `source` for every one-line scalar,
/// and only those can hold such a value (others stay strings).
#[derive(Clone, Copy)]
struct Yaml11<'s> {
    source: &'s str,
}

impl<'s> Yaml11<'s> {
    /// Whether `scalar` (a slice of the source) was written without quotes.
    fn is_plain(self, scalar: &str) -> bool {
        let base = self.source.as_ptr() as usize;
        let at = scalar.as_ptr() as usize;
        if at < base || at + scalar.len() > base + self.source.len() {
            return false;
        }
        let start = at - base;
        if start > 0 && matches!(self.source.as_bytes()[start - 1], b'"' | b'\'') {
            return false;
        }
        // An explicit string tag (`!!str 0644`) keeps the scalar a string.
        let before = self.source[..start].trim_end_matches([' ', '\t']);
        !(before.ends_with("!!str") || before.ends_with("!<tag:yaml.org,2002:str>"))
    }
}

/// go-yaml v2's reading of a plain scalar that YAML 1.2 leaves a string.
fn yaml11_scalar(s: &str) -> Option<Value> {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Some(Value::Bool(true)),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Some(Value::Bool(false)),
        _ => {}
    }
    if !s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    let plain = s.replace('_', "");
    let (negative, digits) = match plain.as_bytes().first() {
        Some(b'-') => (true, &plain[1..]),
        Some(b'+') => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    // Go's strconv.ParseInt with base 0: 0x, 0o, 0b and a leading 0 (octal).
    let (radix, body) = match digits.get(..2) {
        Some("0x" | "0X") => (16, &digits[2..]),
        Some("0o" | "0O") => (8, &digits[2..]),
        Some("0b" | "0B") => (2, &digits[2..]),
        _ if digits.len() > 1 && digits.starts_with('0') => (8, &digits[1..]),
        _ => (10, digits),
    };
    if !body.is_empty() && body.chars().all(|c| c.is_digit(radix)) {
        if let Ok(n) = u64::from_str_radix(body, radix) {
            if negative {
                if let Some(n) = i64::try_from(n).ok().map(|n| -n) {
                    return Some(Value::from(n));
                }
            } else {
                return Some(Value::from(n));
            }
        }
    }
    // `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (digits, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            whole.chars().all(|c| c.is_ascii_digit())
                && fraction.chars().all(|c| c.is_ascii_digit())
                && (!whole.is_empty() || !fraction.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()));
    if mantissa_ok && exponent_ok {
        return plain.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number);
    }
    None
}

impl<'de> serde::de::DeserializeSeed<'de> for Yaml11<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Yaml11<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value, E> {
        if self.is_plain(v) {
            if let Some(value) = yaml11_scalar(v) {
                return Ok(value);
            }
        }
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(KeyString)? {
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key, as text whatever its YAML type (as serde_json's own
/// value reads keys).
struct KeyString;

impl<'de> serde::de::DeserializeSeed<'de> for KeyString {
    type Value = String;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        String::deserialize(deserializer)
    }
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
/// have (in the value's key order, which is sorted) alongside it.
///
/// The value is decoded with `T`'s plain `Deserialize` impl on
/// `serde_json::Value`, the one instantiation every kind shares (wrapping
/// the deserializer to track paths and ignored keys would instantiate each
/// kind's decoder again per wrapper: about a megabyte of wasm). The paths
/// are found afterwards instead: unknown fields are the keys of `value`
/// that `T` does not give back when serialised again, and the place of a
/// type error is searched for by decoding pruned copies (only on failure).
#[inline(never)]
pub fn strict_from_value<T: DeserializeOwned + Serialize>(mut value: Value) -> Result<(T, Vec<String>), DecodeError> {
    quantities_as_strings(&mut value, "");
    match T::deserialize(value.clone()) {
        Ok(object) => {
            let mut unknown = Vec::new();
            // Serialising these types cannot fail: they hold only strings,
            // numbers, maps and lists.
            if let Ok(known) = serde_json::to_value(&object) {
                unknown_fields(&value, &known, &mut String::new(), &mut unknown);
            }
            Ok((object, unknown))
        }
        Err(error) => {
            let message = error.to_string();
            let mut path = Vec::new();
            locate_error::<T>(&value, &message, &mut path);
            Err(DecodeError::Type { path: render_path(&path), message })
        }
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

/// Appends to `out` the path of every key of `given` that `known` (the same
/// object decoded and serialised again) lacks. A key whose value is `null`
/// counts as known: the types drop an absent optional field and a null one
/// alike (see docs/KNOWN-DIFFERENCES.md).
fn unknown_fields(given: &Value, known: &Value, at: &mut String, out: &mut Vec<String>) {
    match (given, known) {
        (Value::Object(given), Value::Object(known)) => {
            for (key, value) in given {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
                match known.get(key) {
                    Some(back) => unknown_fields(value, back, at, out),
                    None if value.is_null() => {}
                    None => out.push(at.clone()),
                }
                at.truncate(len);
            }
        }
        (Value::Array(given), Value::Array(known)) => {
            for (index, (value, back)) in given.iter().zip(known).enumerate() {
                let len = at.len();
                at.push_str(&format!("[{index}]"));
                unknown_fields(value, back, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// One step of a path into a value: a map key or a list index.
#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `spec.containers[0].imagee`, as upstream's decoder names a field.
fn render_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// The value at `path` inside `root`, to change.
fn at_path<'v>(root: &'v mut Value, path: &[Segment]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |value, segment| match (segment, value) {
        (Segment::Key(key), Value::Object(map)) => map.get_mut(key),
        (Segment::Index(index), Value::Array(items)) => items.get_mut(*index),
        _ => None,
    })
}

/// Whether decoding `value` with the node at `path` replaced by `node`
/// fails with the same `message`.
fn fails_alike<T: DeserializeOwned>(value: &Value, path: &[Segment], node: Value, message: &str) -> bool {
    let mut copy = value.clone();
    match at_path(&mut copy, path) {
        Some(slot) => *slot = node,
        None => return false,
    }
    T::deserialize(copy).err().is_some_and(|e| e.to_string() == message)
}

/// Narrows `path` (starting at the root) down to the node whose decoding
/// fails with `message`. Serde stops at the first error, visiting keys and
/// items in order, so the culprit is the first key (or item) such that
/// keeping the node's entries only up to it still fails the same way;
/// keeping none that still fails means the node itself is wrong (a list
/// where a map belongs, a missing required field).
fn locate_error<T: DeserializeOwned>(value: &Value, message: &str, path: &mut Vec<Segment>) {
    // Bounded by the value's depth: each round descends one level.
    loop {
        let mut probe = value.clone();
        let Some(node) = at_path(&mut probe, path).map(|n| n.take()) else { return };
        let next = match node {
            Value::Object(map) => {
                if fails_alike::<T>(value, path, Value::Object(Default::default()), message) {
                    return;
                }
                let mut kept = serde_json::Map::new();
                let mut found = None;
                for (key, entry) in map {
                    kept.insert(key.clone(), entry);
                    if fails_alike::<T>(value, path, Value::Object(kept.clone()), message) {
                        found = Some(Segment::Key(key));
                        break;
                    }
                }
                found
            }
            Value::Array(items) => {
                if fails_alike::<T>(value, path, Value::Array(Vec::new()), message) {
                    return;
                }
                let mut found = None;
                for index in 0..items.len() {
                    let kept = items.get(..=index).map(<[Value]>::to_vec).unwrap_or_default();
                    if fails_alike::<T>(value, path, Value::Array(kept), message) {
                        found = Some(Segment::Index(index));
                        break;
                    }
                }
                found
            }
            _ => None,
        };
        match next {
            Some(segment) => path.push(segment),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_are_read_as_yaml_1_1() {
        // What go-yaml v2 (kubectl, the API server's YAML) makes of them.
        for (text, want) in [
            ("yes", serde_json::json!(true)),
            ("No", serde_json::json!(false)),
            ("on", serde_json::json!(true)),
            ("OFF", serde_json::json!(false)),
            ("y", serde_json::json!(true)),
            ("n", serde_json::json!(false)),
            ("0644", serde_json::json!(420)),
            ("0400", serde_json::json!(256)),
            ("1_000", serde_json::json!(1000)),
            ("09", serde_json::json!(9.0)),
            ("-012", serde_json::json!(-10)),
        ] {
            assert_eq!(yaml11_scalar(text), Some(want), "{text}");
        }
        for text in ["nginx", "1.27-alpine", "12:30", "0x", "yess", "0644a", "", "v1", "-", "."] {
            assert_eq!(yaml11_scalar(text), None, "{text}");
        }
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let docs = parse_manifests(
            "a: 0644\nb: \"0644\"\nc: '0644'\nd: yes\ne: \"yes\"\nf: [on, 'on', \"on\"]\ng: {h: no}\ni: |\n  yes\n",
        );
        assert_eq!(
            docs.ok().and_then(|d| d.into_iter().next()).unwrap_or_default(),
            serde_json::json!({"a": 420, "b": "0644", "c": "0644", "d": true, "e": "yes", "f": [true, "on", "on"], "g": {"h": false}, "i": "yes\n"})
        );
    }

    #[test]
    fn an_explicit_string_tag_keeps_a_string() {
        let docs = parse_manifests("a: !!str 0644\nb: !!str  yes\nc: [!!str on, on]\nd: 0644\n");
        assert_eq!(
            docs.ok().and_then(|d| d.into_iter().next()).unwrap_or_default(),
            serde_json::json!({"a": "0644", "b": "yes", "c": ["on", true], "d": 420})
        );
    }
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
    fn wrong_types_name_the_field() {
        let value = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"},
            "automountServiceAccountToken": "no"});
        match strict_from_value::<ServiceAccount>(value) {
            Err(DecodeError::Type { path, .. }) => assert_eq!(path, "automountServiceAccountToken"),
            other => panic!("expected a type error, got {other:?}"),
        }
    }

    fn type_error_path<T: DeserializeOwned + Serialize + std::fmt::Debug>(value: Value) -> (String, String) {
        match strict_from_value::<T>(value) {
            Err(DecodeError::Type { path, message }) => (path, message),
            other => panic!("expected a type error, got {other:?}"),
        }
    }

    #[test]
    fn type_errors_deep_in_lists_and_maps_name_their_place() {
        let pod = |containers: Value| {
            serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {"containers": containers}})
        };
        let cases = [
            (
                pod(serde_json::json!([{"name": "a", "image": "x"},
                    {"name": "b", "image": "y", "ports": [{"containerPort": 80}, {"containerPort": "http"}]}])),
                "spec.containers[1].ports[1].containerPort",
                "expected i32",
            ),
            (
                serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": "x"}),
                "spec",
                "invalid type: string",
            ),
            (pod(serde_json::json!({"name": "a"})), "spec.containers", "invalid type: map, expected a sequence"),
            (
                serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b", "c": 1}}}),
                "metadata.labels.c",
                "invalid type: integer `1`, expected a string",
            ),
        ];
        for (value, want_path, want_message) in cases {
            let (path, message) = type_error_path::<Pod>(value);
            assert_eq!(path, want_path);
            assert!(message.contains(want_message), "{message}");
        }
    }

    #[test]
    fn null_fields_are_not_unknown() {
        // `kubectl create --dry-run=client -o yaml` writes this, and learners apply it.
        let value = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": "a", "creationTimestamp": null}});
        let (_, unknown) = strict_from_value::<ServiceAccount>(value).unwrap_or_else(|e| panic!("{e}"));
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn unknown_fields_inside_known_maps_and_lists_of_maps() {
        let value = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "x", "env": [{"name": "A", "valu": "1"}]}],
                "volumes": [{"name": "v", "projected": {"sources": [{"serviceAccountToken": {"path": "t", "audiences": ["x"]}}]}}]}});
        let (_, unknown) = strict_from_value::<Pod>(value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            unknown,
            vec![
                "spec.containers[0].env[0].valu",
                "spec.volumes[0].projected.sources[0].serviceAccountToken.audiences"
            ]
        );
    }

    #[test]
    fn numeric_quantities_are_read() {
        let value = serde_json::json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": 1, "memory": "1Gi"}}}]}});
        let (pod, _) = strict_from_value::<Pod>(value).unwrap_or_else(|e| panic!("{e}"));
        let limits =
            pod.spec.and_then(|s| s.containers.first().and_then(|c| c.resources.clone())).and_then(|r| r.limits);
        assert_eq!(limits.and_then(|l| l.get("cpu").map(|q| q.0.clone())).as_deref(), Some("1"));
    }
}
