//! `kubectl wait`: until objects are deleted, created, have a status
//! condition, or a JSONPath gives a value — as kubectl v1.32 decides each,
//! with its messages.
//!
//! kubectl watches the objects in real time; the playground waits on the
//! simulated clock instead, as `rollout status` does: it checks, then moves
//! time on to the cluster's next deadline (a pod's grace period ending, a
//! token being refreshed, a Job's pod finishing…) and checks again, until
//! the condition holds or `--timeout` (30 s by default) has passed.

use saplay_cluster::api::Request;
use saplay_cluster::resource::ResourceInfo;
use saplay_cluster::time::Time;
use serde_json::Value;

use super::jsonpath::{go_v, JsonPath};
use super::patch::{check_output, namespace_for, print_outcome, resolve, targets};
use super::{api_error, Args, Kubectl};

/// What `--for` asks.
#[derive(Debug)]
enum For {
    /// `delete`: until the object is gone.
    Delete,
    /// `create`: until the object exists.
    Create,
    /// `condition=NAME[=VALUE]`: a `status.conditions` entry of type NAME
    /// with status VALUE (`true` by default), both compared ignoring case.
    Condition { name: String, status: String },
    /// `jsonpath=EXPR[=VALUE]`: EXPR finds one value (equal to VALUE, when
    /// given).
    JsonPath { path: Box<JsonPath>, value: Option<String> },
}

/// A week: what a negative `--timeout` means.
const WEEK_MS: i64 = 168 * 3600 * 1000;

/// Reads `--for` as kubectl's `conditionFuncFor` does.
fn parse_for(condition: &str) -> Result<For, String> {
    if condition.eq_ignore_ascii_case("delete") {
        return Ok(For::Delete);
    }
    if condition.eq_ignore_ascii_case("create") {
        return Ok(For::Create);
    }
    if let Some(rest) = condition.strip_prefix("condition=") {
        let (name, status) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(For::Condition { name: name.to_string(), status: status.to_string() });
    }
    if let Some(rest) = condition.strip_prefix("jsonpath=") {
        let parts = split_jsonpath_input(rest);
        if parts.len() > 2 {
            return Err("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'\n".to_string());
        }
        let expression = super::output::relaxed(&parts[0])?;
        let value = match parts.get(1) {
            None => None,
            Some(v) => {
                let v = v.trim_matches(['\'', '"']);
                if v.is_empty() {
                    return Err("error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3\n".to_string());
                }
                Some(v.to_string())
            }
        };
        if expression.is_empty() {
            return Err("error: jsonpath expression cannot be empty\n".to_string());
        }
        let path = JsonPath::parse(&expression).map_err(|e| format!("error: {e}\n"))?;
        return Ok(For::JsonPath { path: Box::new(path), value });
    }
    Err(format!("error: unrecognized condition: {}\n", super::cli::go_quote(condition)))
}

/// Splits at each single `=`; `==` stays in its part (kubectl's
/// `splitJSONPathInput`, so `[?(@.type=="Ready")]` is not cut). There is
/// always at least one part.
fn split_jsonpath_input(input: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '=' {
            if chars.peek() == Some(&'=') {
                chars.next();
                part.push_str("==");
            } else {
                parts.push(std::mem::take(&mut part));
            }
            continue;
        }
        part.push(c);
    }
    parts.push(part);
    parts
}

/// Whether `object` meets `condition` now (`Err` for kubectl's errors about
/// the JSONPath's result).
fn met(condition: &For, object: &Value) -> Result<bool, String> {
    match condition {
        For::Delete | For::Create => Ok(true),
        For::Condition { name, status } => {
            let Some(conditions) = object["status"]["conditions"].as_array() else { return Ok(false) };
            for c in conditions {
                if !c["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(name)) {
                    continue;
                }
                let Some(current) = c["status"].as_str() else { continue };
                // A condition older than the object's spec does not count.
                if let Some(generation) = object["metadata"]["generation"].as_i64() {
                    let observed =
                        c["observedGeneration"].as_i64().or_else(|| object["status"]["observedGeneration"].as_i64());
                    if observed.is_some_and(|o| o < generation) {
                        return Ok(false);
                    }
                }
                return Ok(current.to_lowercase() == status.to_lowercase());
            }
            Ok(false)
        }
        For::JsonPath { path, value } => {
            let results = path.find_results(object).map_err(|e| format!("error: {e}\n"))?;
            let Some(first) = results.first().filter(|r| !r.is_empty()) else { return Ok(false) };
            if results.len() > 1 {
                return Err("error: given jsonpath expression matches more than one list\n".to_string());
            }
            if first.len() > 1 {
                return Err("error: given jsonpath expression matches more than one value\n".to_string());
            }
            let Some(expected) = value else { return Ok(true) };
            let found = first[0].as_ref();
            if found.is_object() || found.is_array() {
                return Err("error: jsonpath leads to a nested object or list which is not supported\n".to_string());
            }
            Ok(go_v(found).trim() == expected.trim())
        }
    }
}

/// One object to wait for: its type, namespace and name, and the object as
/// first read (`None` when it was not there).
pub(super) struct Target {
    pub r: &'static ResourceInfo,
    pub namespace: Option<String>,
    pub name: String,
    pub object: Option<Value>,
}

/// Why a wait ended before its condition held.
enum Unmet {
    /// An error kubectl reports (a timeout, a failed read).
    Error(String),
    /// The server refused to let the object be read (Forbidden, or a
    /// resource without `get`): `kubectl delete` then stops waiting
    /// without an error.
    Refused(String),
}

impl Unmet {
    fn message(self) -> String {
        match self {
            Unmet::Error(e) | Unmet::Refused(e) => e,
        }
    }
}

/// `kubectl wait`. Out of line, as every command is, so that the
/// dispatcher a first command compiles stays small.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let condition = parse_for(args.value(&["for"]).unwrap_or_default())?;
    let output = check_output(k, args)?;
    let timeout_ms = match args.value(&["timeout"]).map(super::create::go_duration_nanos) {
        None => 30_000,
        Some(Ok(ns)) if ns < 0 => WEEK_MS,
        Some(Ok(ns)) => ns / 1_000_000,
        Some(Err(e)) => return Err(format!("error: {e}\n")),
    };
    let until = k.cluster.now().plus_millis(timeout_ms);
    let deleting = matches!(condition, For::Delete);
    let creating = matches!(condition, For::Create);
    let mut found = find(k, args, deleting || creating)?;
    if creating {
        // kubectl polls until every named object exists, then waits as for
        // any condition (which an existing object meets).
        let mut steps = 0;
        loop {
            if found.iter().all(|f| matches!(f, Ok(t) if t.object.is_some())) {
                break;
            }
            if let Some(Err(e)) = found.iter().find(|f| f.is_err()) {
                return Err(e.clone());
            }
            if !k.advance_toward(until, &mut steps) {
                return Err("error: timed out waiting for the condition\n".to_string());
            }
            found = find(k, args, true)?;
        }
    }
    let mut errors = String::new();
    let mut visited = 0;
    for target in found {
        let target = match target {
            Ok(t) if t.object.is_none() && deleting => continue,
            Ok(t) => t,
            Err(e) => {
                errors.push_str(&e);
                continue;
            }
        };
        visited += 1;
        match wait_for(k, &condition, &target, until, timeout_ms) {
            Ok(object) => print_outcome(k, target.r, &object, &output, "condition met"),
            Err(e) => errors.push_str(&e.message()),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if visited == 0 && !deleting {
        return Err("error: no matching resources found\n".to_string());
    }
    Ok(())
}

/// `kubectl delete`'s wait (`--wait`, on by default): after the deletes,
/// until each deleted object (`object` holding the uid the delete answered
/// with) is gone or replaced by another of the same name, for `--timeout`
/// of simulated time (0, the default, is a week). Moving the clock lets a
/// pod's grace period pass, as it would while kubectl waits. As kubectl,
/// a server that refuses the reads ends the wait without an error.
pub(super) fn until_deleted(k: &mut Kubectl<'_>, args: &Args, deleted: &[Target]) -> Result<(), String> {
    let timeout_ms = match args.value(&["timeout"]).map(super::create::go_duration_nanos) {
        None | Some(Ok(..=0)) => WEEK_MS,
        Some(Ok(ns)) => ns / 1_000_000,
        Some(Err(e)) => return Err(format!("error: {e}\n")),
    };
    let until = k.cluster.now().plus_millis(timeout_ms);
    for target in deleted {
        match wait_for(k, &For::Delete, target, until, timeout_ms) {
            Ok(_) => {}
            Err(Unmet::Refused(_)) => return Ok(()),
            Err(Unmet::Error(e)) => return Err(e),
        }
    }
    Ok(())
}

/// Waits for one object; the object to print once the condition holds.
fn wait_for(
    k: &mut Kubectl<'_>,
    condition: &For,
    target: &Target,
    until: Time,
    timeout_ms: i64,
) -> Result<Value, Unmet> {
    let path = target.r.object_path(target.namespace.as_deref(), &target.name);
    let shown = format!("{}/{}", target.r.plural, target.name);
    let first = target.object.clone().unwrap_or(Value::Null);
    let mut steps = 0;
    loop {
        let response = k.send(Request::get(path.clone()));
        let gone = response.code == 404;
        if matches!(response.code, 403 | 405) {
            return Err(Unmet::Refused(api_error(&response, None)));
        }
        if !response.is_success() && !gone {
            return Err(Unmet::Error(api_error(&response, None)));
        }
        if gone {
            if matches!(condition, For::Delete) {
                return Ok(first);
            }
            return Err(Unmet::Error(api_error(&response, None)));
        }
        let object = response.body;
        let done = match condition {
            // Deleted means gone, or replaced by another of the same name.
            For::Delete => object["metadata"]["uid"] != first["metadata"]["uid"],
            _ => met(condition, &object).map_err(Unmet::Error)?,
        };
        if done {
            return Ok(if matches!(condition, For::Delete) { first } else { object });
        }
        if timeout_ms == 0 {
            return Err(Unmet::Error(format!("error: condition not met for {shown}\n")));
        }
        if !k.advance_toward(until, &mut steps) {
            return Err(Unmet::Error(format!("error: timed out waiting for the condition on {shown}\n")));
        }
    }
}

/// The objects the arguments name (`TYPE NAME…`, `TYPE/NAME…`) or select
/// (`TYPE -l …`, `TYPE --all`, with `-A`). A named object that is not
/// there is an error, or, when `missing_ok`, a target without object.
fn find(k: &mut Kubectl<'_>, args: &Args, missing_ok: bool) -> Result<Vec<Result<Target, String>>, String> {
    let all = args.is_set(&["all"]);
    let selector = args.value(&["l", "selector"]).filter(|s| !s.is_empty());
    let fields = args.value(&["field-selector"]).filter(|s| !s.is_empty());
    let words = &args.positional;
    if args.is_set(&["local"]) && !words.is_empty() {
        // kubectl's LocalResourceError: --local reads objects from files only.
        return Err("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n".to_string());
    }
    if !args.values(&["f", "filename"]).is_empty() {
        let selection = super::patch::select_or_files(k, args, words, super::patch::Selectors::from_args(args))?;
        let super::patch::Selection::Files(objects) = selection else { return Ok(Vec::new()) };
        let mut found = Vec::new();
        for object in objects {
            let super::patch::FileObject { r, namespace, name, .. } = match object {
                Ok(object) => object,
                Err(e) => {
                    found.push(Err(e));
                    continue;
                }
            };
            found.push(read_target(k, r, namespace, name, missing_ok));
        }
        return Ok(found);
    }
    if words.is_empty() {
        return targets(words).map(|_| Vec::new());
    }
    super::patch::check_names(words, super::patch::Selectors::from_args(args))?;
    if (all || selector.is_some() || fields.is_some()) && !words.iter().any(|w| w.contains('/')) && words.len() == 1 {
        let all_namespaces = args.is_set(&["A", "all-namespaces"]);
        let mut found = Vec::new();
        for kind in words[0].split(',') {
            let r = resolve(kind)?;
            let ns = if all_namespaces { None } else { namespace_for(k, r) };
            for item in super::get::list(k, r, ns.as_deref(), selector, fields)? {
                found.push(Ok(Target {
                    r,
                    namespace: item["metadata"]["namespace"].as_str().map(str::to_string),
                    name: item["metadata"]["name"].as_str().unwrap_or_default().to_string(),
                    object: Some(item),
                }));
            }
        }
        return Ok(found);
    }
    let mut found = Vec::new();
    for (r, name) in targets(words)? {
        let namespace = namespace_for(k, r);
        found.push(read_target(k, r, namespace, name, missing_ok));
    }
    Ok(found)
}

/// One named object as read from the server: a target holding it, one
/// without object when it is missing and `missing_ok`, else the error.
fn read_target(
    k: &mut Kubectl<'_>,
    r: &'static ResourceInfo,
    namespace: Option<String>,
    name: String,
    missing_ok: bool,
) -> Result<Target, String> {
    let response = k.send(Request::get(r.object_path(namespace.as_deref(), &name)));
    if response.is_success() {
        Ok(Target { r, namespace, name, object: Some(response.body) })
    } else if response.code == 404 && missing_ok {
        Ok(Target { r, namespace, name, object: None })
    } else {
        Err(api_error(&response, None))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn for_reads_as_kubectl_reads_it() {
        assert!(matches!(parse_for("DELETE"), Ok(For::Delete)));
        assert!(matches!(parse_for("create"), Ok(For::Create)));
        let Ok(For::Condition { name, status }) = parse_for("condition=Ready") else { panic!() };
        assert_eq!((name.as_str(), status.as_str()), ("Ready", "true"));
        let Ok(For::Condition { name, status }) = parse_for("condition=Ready=False") else { panic!() };
        assert_eq!((name.as_str(), status.as_str()), ("Ready", "False"));
        assert_eq!(parse_for("").err().as_deref(), Some("error: unrecognized condition: \"\"\n"));
        assert_eq!(parse_for("ready").err().as_deref(), Some("error: unrecognized condition: \"ready\"\n"));
        assert_eq!(parse_for("jsonpath=").err().as_deref(), Some("error: jsonpath expression cannot be empty\n"));
        assert!(parse_for("jsonpath={.a}=b=c").err().is_some_and(|e| e.contains("jsonpath wait format must be")));
        assert!(parse_for("jsonpath={.a}=''").err().is_some_and(|e| e.contains("has to have a value")));
        assert!(parse_for("jsonpath={.status").err().is_some_and(|e| e.contains("unexpected path string")));
        let Ok(For::JsonPath { value, .. }) = parse_for("jsonpath={.status.phase}='Running'") else { panic!() };
        assert_eq!(value.as_deref(), Some("Running"));
    }

    #[test]
    fn double_equals_stay_in_the_expression() {
        assert_eq!(
            split_jsonpath_input(r#"{.c[?(@.type=="Ready")].status}=True"#),
            [r#"{.c[?(@.type=="Ready")].status}"#, "True"]
        );
        assert_eq!(split_jsonpath_input("a.b.c====d.e.f===g.h.i==="), ["a.b.c====d.e.f==", "g.h.i==", ""]);
    }

    #[test]
    fn conditions_and_values_are_compared_as_kubectl_compares_them() {
        let pod = json!({"metadata": {"generation": 1}, "status": {"phase": "Running", "observedGeneration": 1,
            "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}]}});
        let check = |f: &str| parse_for(f).and_then(|c| met(&c, &pod));
        assert_eq!(check("condition=ready"), Ok(true));
        assert_eq!(check("condition=Ready=false"), Ok(false));
        assert_eq!(check("condition=Initialized"), Ok(false));
        assert_eq!(check("jsonpath={.status.phase}=Running"), Ok(true));
        assert_eq!(check("jsonpath={.status.phase}=running"), Ok(false));
        assert_eq!(check("jsonpath={.status.phase}"), Ok(true));
        assert_eq!(check("jsonpath={.status.missing}"), Ok(false));
        assert_eq!(check("jsonpath={.metadata.generation}=1"), Ok(true));
        assert!(check("jsonpath={.status.conditions[*].type}=Ready").is_err());
        assert!(check("jsonpath={.status}=x").is_err());
        let stale = json!({"metadata": {"generation": 2}, "status": {"observedGeneration": 1,
            "conditions": [{"type": "Available", "status": "True"}]}});
        assert_eq!(parse_for("condition=Available").and_then(|c| met(&c, &stale)), Ok(false));
    }
}
