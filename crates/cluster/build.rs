//! Turns the bootstrap RBAC policy (`data/*.yaml`, upstream's form) into
//! what the crate embeds, at build time:
//!
//! - `policy.txt`, the form `src/bootstrap.rs` decodes when a cluster
//!   starts: one line per field, tab-separated, read by a loop of a few
//!   dozen lines. Parsing the YAML was once the slowest part of starting a
//!   cluster in a browser; decoding JSON with serde after that still cost
//!   30 KB of wasm compiled before the first answer, and twice the time.
//! - `cluster-roles.json`, `cluster-role-bindings.json`,
//!   `controller-roles.json` and `controller-role-bindings.json`, compact
//!   JSON that only the tests read, to check that the decoder gives what
//!   the API's strict decoder gives.
//! - `controller-policy.txt`, the controllers' roles and bindings
//!   (`system:controller:*`) in the same line format: start-up gives them
//!   UIDs from a side stream of the seed, so they are kept apart.
//! - `namespace-policy.txt`, the Roles and RoleBindings of kube-system and
//!   kube-public, kept apart for the same reason (another side stream),
//!   and their JSON (`namespace-roles.json`,
//!   `namespace-role-bindings.json`) for the tests.
//!
//! The line format (a tag, then fields, each after a tab):
//!
//! | line | means |
//! |---|---|
//! | `R name` / `B name` | a new ClusterRole / ClusterRoleBinding |
//! | `R name namespace` / `B name namespace` | a new Role / RoleBinding in `namespace` |
//! | `l key value` / `a key value` | a label / an annotation of it |
//! | `P` | the role has rules (none: `rules` is null) |
//! | `p` | a new rule |
//! | `g`, `r`, `v`, `n`, `u` + items | the rule's apiGroups, resources, verbs, resourceNames, nonResourceURLs |
//! | `A` | the role has an aggregationRule |
//! | `s` | a new clusterRoleSelector |
//! | `m key value` | one of its matchLabels |
//! | `f apiGroup kind name` | the binding's roleRef |
//! | `S kind name` | a new subject |
//! | `sg apiGroup` / `sn namespace` | the subject's apiGroup / namespace |
//!
//! Anything else in the data (another field, an empty map, a tab or a
//! newline in a string) fails the build, so the format cannot silently
//! drop what upstream adds.

use std::error::Error;
use std::path::PathBuf;

use serde_json::{Map, Value};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    for (output, sources) in [
        ("policy.txt", [("cluster-roles", "ClusterRole"), ("cluster-role-bindings", "ClusterRoleBinding")]),
        (
            "controller-policy.txt",
            [("controller-roles", "ClusterRole"), ("controller-role-bindings", "ClusterRoleBinding")],
        ),
        ("namespace-policy.txt", [("namespace-roles", "Role"), ("namespace-role-bindings", "RoleBinding")]),
    ] {
        let mut policy = String::new();
        for (name, kind) in sources {
            let source = format!("data/{name}.yaml");
            println!("cargo::rerun-if-changed={source}");
            let text = std::fs::read_to_string(&source)?;
            let value: Value = serde_yaml::from_str(&text)?;
            std::fs::write(out.join(format!("{name}.json")), serde_json::to_string(&value)?)?;
            let items = value.get("items").and_then(Value::as_array).ok_or(format!("{source}: no items"))?;
            for item in items {
                let item = item.as_object().ok_or(format!("{source}: an item is not a map"))?;
                encode(&mut policy, kind, item).map_err(|e| format!("{source}: {e}"))?;
            }
        }
        std::fs::write(out.join(output), policy)?;
    }
    Ok(())
}

/// One line: `tag`, then each field after a tab.
fn line(out: &mut String, tag: &str, fields: &[&str]) -> Result<()> {
    out.push_str(tag);
    for field in fields {
        if field.contains(['\t', '\n']) {
            return Err(format!("{field:?} holds a tab or a newline").into());
        }
        out.push('\t');
        out.push_str(field);
    }
    out.push('\n');
    Ok(())
}

fn string<'a>(value: &'a Value, what: &str) -> Result<&'a str> {
    value.as_str().ok_or_else(|| format!("{what} is not a string").into())
}

fn map<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    value.as_object().ok_or_else(|| format!("{what} is not a map").into())
}

fn list<'a>(value: &'a Value, what: &str) -> Result<&'a Vec<Value>> {
    value.as_array().ok_or_else(|| format!("{what} is not a list").into())
}

/// Fails on a field of `fields` that is not in `known`.
fn only(fields: &Map<String, Value>, known: &[&str], what: &str) -> Result<()> {
    match fields.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(format!("{what}: field {unknown:?} is not encoded").into()),
        None => Ok(()),
    }
}

/// `tag key value` for each entry of a non-empty string map.
fn pairs(out: &mut String, tag: &str, value: &Value, what: &str) -> Result<()> {
    let entries = map(value, what)?;
    if entries.is_empty() {
        return Err(format!("{what} is empty (the format has no empty map)").into());
    }
    for (key, value) in entries {
        line(out, tag, &[key, string(value, what)?])?;
    }
    Ok(())
}

fn encode(out: &mut String, kind: &str, item: &Map<String, Value>) -> Result<()> {
    if item.get("kind").and_then(Value::as_str) != Some(kind) {
        return Err(format!("an item is not a {kind}").into());
    }
    let meta = map(item.get("metadata").ok_or("an item has no metadata")?, "metadata")?;
    let namespaced = matches!(kind, "Role" | "RoleBinding");
    let fields: &[&str] = if namespaced {
        &["name", "namespace", "labels", "annotations", "creationTimestamp"]
    } else {
        &["name", "labels", "annotations", "creationTimestamp"]
    };
    only(meta, fields, "metadata")?;
    let name = string(meta.get("name").ok_or("an item has no name")?, "metadata.name")?;
    if !meta.get("creationTimestamp").is_none_or(Value::is_null) {
        return Err(format!("{name}: creationTimestamp is set").into());
    }
    let is_role = matches!(kind, "ClusterRole" | "Role");
    let tag = if is_role { "R" } else { "B" };
    if namespaced {
        let namespace = string(meta.get("namespace").ok_or(format!("{name}: no namespace"))?, "metadata.namespace")?;
        if namespace.is_empty() {
            return Err(format!("{name}: the namespace is empty").into());
        }
        line(out, tag, &[name, namespace])?;
    } else {
        line(out, tag, &[name])?;
    }
    if let Some(labels) = meta.get("labels") {
        pairs(out, "l", labels, "labels")?;
    }
    if let Some(annotations) = meta.get("annotations") {
        pairs(out, "a", annotations, "annotations")?;
    }
    if is_role {
        let fields: &[&str] = if namespaced {
            &["apiVersion", "kind", "metadata", "rules"]
        } else {
            &["apiVersion", "kind", "metadata", "rules", "aggregationRule"]
        };
        only(item, fields, name)?;
        if let Some(rules) = item.get("rules").filter(|r| !r.is_null()) {
            line(out, "P", &[])?;
            for rule in list(rules, "rules")? {
                let rule = map(rule, "a rule")?;
                only(rule, &["apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"], "a rule")?;
                line(out, "p", &[])?;
                for (field, tag) in [
                    ("apiGroups", "g"),
                    ("resources", "r"),
                    ("verbs", "v"),
                    ("resourceNames", "n"),
                    ("nonResourceURLs", "u"),
                ] {
                    if let Some(items) = rule.get(field).filter(|v| !v.is_null()) {
                        let items = list(items, field)?.iter().map(|v| string(v, field)).collect::<Result<Vec<_>>>()?;
                        line(out, tag, &items)?;
                    }
                }
            }
        }
        if let Some(rule) = item.get("aggregationRule").filter(|r| !r.is_null()) {
            let rule = map(rule, "aggregationRule")?;
            only(rule, &["clusterRoleSelectors"], "aggregationRule")?;
            line(out, "A", &[])?;
            for selector in list(rule.get("clusterRoleSelectors").ok_or("no clusterRoleSelectors")?, "selectors")? {
                let selector = map(selector, "a selector")?;
                only(selector, &["matchLabels"], "a selector")?;
                line(out, "s", &[])?;
                pairs(out, "m", selector.get("matchLabels").ok_or("a selector without matchLabels")?, "matchLabels")?;
            }
        }
    } else {
        only(item, &["apiVersion", "kind", "metadata", "roleRef", "subjects"], name)?;
        let role_ref = map(item.get("roleRef").ok_or("no roleRef")?, "roleRef")?;
        only(role_ref, &["apiGroup", "kind", "name"], "roleRef")?;
        let field = |f: &str| role_ref.get(f).ok_or(format!("roleRef.{f} missing")).map(|v| string(v, "roleRef"));
        line(out, "f", &[field("apiGroup")??, field("kind")??, field("name")??])?;
        let subjects = match item.get("subjects").filter(|v| !v.is_null()) {
            Some(subjects) => list(subjects, "subjects")?.as_slice(),
            None => &[],
        };
        if subjects.is_empty() && item.get("subjects").is_some_and(|v| !v.is_null()) {
            return Err(format!("{name}: subjects is empty (the format has no empty list of subjects)").into());
        }
        for subject in subjects {
            let subject = map(subject, "a subject")?;
            only(subject, &["apiGroup", "kind", "name", "namespace"], "a subject")?;
            let kind = string(subject.get("kind").ok_or("a subject without kind")?, "kind")?;
            line(out, "S", &[kind, string(subject.get("name").ok_or("a subject without name")?, "name")?])?;
            for (field, tag) in [("apiGroup", "sg"), ("namespace", "sn")] {
                if let Some(value) = subject.get(field) {
                    line(out, tag, &[string(value, field)?])?;
                }
            }
        }
    }
    Ok(())
}
