//! Label and field selectors, as `list` requests take them.
//!
//! The grammar is apimachinery's: comma-separated requirements, each
//! `key`, `!key`, `key=value`, `key==value`, `key!=value`,
//! `key in (a,b)` or `key notin (a,b)` for labels; `field=value`,
//! `field==value`, `field!=value` for fields.

use std::collections::BTreeMap;

use crate::object::Object;
use crate::resource::ResourceInfo;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Exists,
    DoesNotExist,
    Equals(String),
    NotEquals(String),
    In(Vec<String>),
    NotIn(Vec<String>),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector(Vec<(String, Op)>);

/// Splits on commas that are not inside parentheses.
fn split_requirements(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn check_key(key: &str) -> Result<(), String> {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!("unable to parse requirement: invalid label key {key:?}"))
    }
}

impl LabelSelector {
    /// Parses a selector string (`app=web,tier!=db`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut requirements = Vec::new();
        if s.trim().is_empty() {
            return Ok(Self(requirements));
        }
        for part in split_requirements(s) {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!("found '', expected: !, identifier, or 'end of string' in {s:?}"));
            }
            let requirement = if let Some(key) = part.strip_prefix('!') {
                (key.trim().to_string(), Op::DoesNotExist)
            } else if let Some((key, value)) = part.split_once("!=") {
                (key.trim().to_string(), Op::NotEquals(value.trim().to_string()))
            } else if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (key.trim().to_string(), Op::Equals(value.trim().to_string()))
            } else if let Some((key, set)) = split_set(part, " notin ") {
                (key, Op::NotIn(set?))
            } else if let Some((key, set)) = split_set(part, " in ") {
                (key, Op::In(set?))
            } else {
                (part.to_string(), Op::Exists)
            };
            check_key(&requirement.0)?;
            requirements.push(requirement);
        }
        Ok(Self(requirements))
    }

    /// Whether an object with `labels` matches.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k));
        self.0.iter().all(|(key, op)| match op {
            Op::Exists => get(key).is_some(),
            Op::DoesNotExist => get(key).is_none(),
            Op::Equals(v) => get(key) == Some(v),
            Op::NotEquals(v) => get(key) != Some(v),
            Op::In(set) => get(key).is_some_and(|v| set.contains(v)),
            Op::NotIn(set) => get(key).is_none_or(|v| !set.contains(v)),
        })
    }
}

/// `key in (a, b)` → (`key`, [`a`, `b`]).
fn split_set(part: &str, op: &str) -> Option<(String, Result<Vec<String>, String>)> {
    let (key, rest) = part.split_once(op)?;
    let rest = rest.trim();
    let set = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map(|inner| inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
        .ok_or_else(|| format!("found '{rest}', expected: '('"));
    Some((key.trim().to_string(), set))
}

/// A parsed field selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

/// Fields each kind can be selected on (besides `metadata.name` and
/// `metadata.namespace`).
fn selectable_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        "Secret" => &["type"],
        "Event" => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        "ReplicaSet" | "Job" => &["status.replicas", "status.successful"],
        "Namespace" => &["status.phase"],
        _ => &[],
    }
}

impl FieldSelector {
    /// Parses `metadata.name=x,status.phase!=Running` for `resource`.
    pub fn parse(resource: &ResourceInfo, s: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        if s.trim().is_empty() {
            return Ok(Self(terms));
        }
        for part in s.split(',') {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (f, true, v)
            } else {
                return Err(format!("invalid selector: '{s}'; can't understand '{part}'"));
            };
            let field = field.trim();
            if !matches!(field, "metadata.name" | "metadata.namespace")
                && !selectable_fields(resource.kind).contains(&field)
            {
                return Err(format!("field label not supported: {field}"));
            }
            terms.push((field.to_string(), equal, value.trim().to_string()));
        }
        Ok(Self(terms))
    }

    /// Whether `object` matches.
    pub fn matches(&self, object: &Object) -> bool {
        self.0.iter().all(|(field, equal, value)| (field_value(object, field) == *value) == *equal)
    }
}

/// The value of a selectable field.
fn field_value(object: &Object, field: &str) -> String {
    match (object, field) {
        (_, "metadata.name") => object.name().to_string(),
        (_, "metadata.namespace") => object.namespace().to_string(),
        (Object::Secret(s), "type") => s.type_.clone().unwrap_or_default(),
        (Object::Event(e), _) => {
            let o = &e.involved_object;
            match field {
                "involvedObject.kind" => o.kind.clone(),
                "involvedObject.namespace" => o.namespace.clone(),
                "involvedObject.name" => o.name.clone(),
                "involvedObject.uid" => o.uid.clone(),
                "involvedObject.apiVersion" => o.api_version.clone(),
                "involvedObject.resourceVersion" => o.resource_version.clone(),
                "involvedObject.fieldPath" => o.field_path.clone(),
                "reason" => e.reason.clone(),
                "reportingComponent" => e.reporting_component.clone(),
                "source" => e.source.as_ref().and_then(|s| s.component.clone()),
                "type" => e.type_.clone(),
                _ => None,
            }
            .unwrap_or_default()
        }
        (Object::ReplicaSet(rs), "status.replicas") => {
            rs.status.as_ref().map(|s| s.replicas).unwrap_or_default().to_string()
        }
        (Object::Job(j), "status.successful") => {
            j.status.as_ref().and_then(|s| s.succeeded).unwrap_or_default().to_string()
        }
        (Object::Namespace(n), "status.phase") => n.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default(),
        (Object::Pod(p), _) => {
            let spec = p.spec.as_ref();
            let status = p.status.as_ref();
            match field {
                "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
                "spec.restartPolicy" => spec.and_then(|s| s.restart_policy.clone()),
                "spec.schedulerName" => spec.and_then(|s| s.scheduler_name.clone()),
                "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
                "spec.hostNetwork" => Some(spec.and_then(|s| s.host_network).unwrap_or(false).to_string()),
                "status.phase" => status.and_then(|s| s.phase.clone()),
                "status.podIP" => status.and_then(|s| s.pod_ip.clone()),
                "status.nominatedNodeName" => status.and_then(|s| s.nominated_node_name.clone()),
                _ => None,
            }
            .unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Whether `labels` match a `metav1.LabelSelector` (matchLabels and
/// matchExpressions), as used by aggregation rules and workloads. An empty
/// selector matches everything.
pub fn matches_label_selector(
    selector: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let get = |k: &str| labels.and_then(|l| l.get(k));
    let labels_ok = selector.match_labels.iter().flatten().all(|(k, v)| get(k) == Some(v));
    let expressions_ok = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" => get(&e.key).is_some_and(|v| values.contains(v)),
            "NotIn" => get(&e.key).is_none_or(|v| !values.contains(v)),
            "Exists" => get(&e.key).is_some(),
            "DoesNotExist" => get(&e.key).is_none(),
            _ => false,
        }
    });
    labels_ok && expressions_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn label_selector_table() {
        let web = labels(&[("app", "web"), ("tier", "front")]);
        // (selector, matches `web`)
        let rows = [
            ("", true),
            ("app", true),
            ("!app", false),
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app=db", false),
            ("app in (web, db)", true),
            ("app notin (web)", false),
            ("missing notin (x)", true),
            ("app=web,tier=front", true),
            ("app=web,tier=back", false),
            ("app in (db),tier=front", false),
        ];
        for (selector, want) in rows {
            let parsed = LabelSelector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e}"));
            assert_eq!(parsed.matches(Some(&web)), want, "{selector}");
        }
        assert!(LabelSelector::parse("app in web").is_err());
        assert!(LabelSelector::parse("bad key!").is_err());
    }
}
