//! `kubectl label` and `kubectl annotate`: `KEY=VALUE` adds or changes,
//! `KEY-` removes; changing an existing value needs `--overwrite`. The
//! change is sent as a JSON merge patch of `metadata.labels` or
//! `metadata.annotations`, as kubectl does.

use std::collections::BTreeMap;

use saplay_cluster::api::Request;
use serde_json::{json, Map, Value};

use super::patch::{
    dry_run, fetch_selected, later_output, print_outcome, select_or_files, DryRun, Selection, Selectors,
};
use super::{api_error, Args, Kubectl};

/// Which map the command changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum What {
    /// `kubectl label`.
    Labels,
    /// `kubectl annotate`.
    Annotations,
}

impl What {
    fn field(self) -> &'static str {
        match self {
            What::Labels => "labels",
            What::Annotations => "annotations",
        }
    }

    fn command(self) -> &'static str {
        match self {
            What::Labels => "label",
            What::Annotations => "annotate",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            What::Labels => "label",
            What::Annotations => "annotation",
        }
    }
}

/// The changes asked for: new values and keys to remove.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Changes {
    /// `KEY=VALUE` arguments.
    pub set: BTreeMap<String, String>,
    /// `KEY-` arguments, in order.
    pub remove: Vec<String>,
}

/// Whether an argument is a change rather than a resource.
/// (kubectl's `GetResourcesAndPairs`: `=x` and `-` are resources.)
fn is_change(arg: &str) -> bool {
    (arg.contains('=') && !arg.starts_with('=')) || (arg.ends_with('-') && arg != "-")
}

/// Apimachinery's label value check; the reasons as it words them.
pub(super) fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    let bytes = value.as_bytes();
    let alnum = |b: &u8| b.is_ascii_alphanumeric();
    let valid = value.is_empty()
        || (bytes.first().is_some_and(alnum)
            && bytes.last().is_some_and(alnum)
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')));
    if !valid {
        errors.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    errors
}

/// Parses the change arguments as kubectl does (`parseLabels`, or
/// `ParsePairs` for annotations).
pub(super) fn parse_changes(specs: &[String], what: What) -> Result<Changes, String> {
    if what == What::Annotations {
        return parse_annotations(specs);
    }
    let mut changes = Changes::default();
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            let [key, value] = parts.as_slice() else {
                return Err(format!("error: invalid label spec: {spec}\n"));
            };
            let errors = label_value_errors(value);
            if !errors.is_empty() {
                return Err(format!(
                    "error: invalid label value: {}: {}\n",
                    super::cli::go_quote(spec),
                    errors.join(";")
                ));
            }
            changes.set.insert(key.to_string(), value.to_string());
        } else if let Some(key) = spec.strip_suffix('-') {
            changes.remove.push(key.to_string());
        } else {
            return Err(format!("error: unknown label spec: {spec}\n"));
        }
    }
    if changes.remove.iter().any(|k| changes.set.contains_key(k)) {
        return Err("error: can not both modify and remove a label in the same command\n".to_string());
    }
    Ok(changes)
}

/// kubectl's `ParsePairs` for annotations: invalid specs are collected.
fn parse_annotations(specs: &[String]) -> Result<Changes, String> {
    let mut changes = Changes::default();
    let mut invalid = Vec::new();
    for spec in specs {
        match spec.split_once('=') {
            Some((key, value)) if !key.is_empty() => {
                changes.set.insert(key.to_string(), value.to_string());
            }
            _ => match spec.strip_suffix('-') {
                Some(key) if !key.is_empty() => changes.remove.push(key.to_string()),
                _ => invalid.push(spec.as_str()),
            },
        }
    }
    if !invalid.is_empty() {
        return Err(format!("error: invalid annotation format: {}\n", invalid.join(", ")));
    }
    Ok(changes)
}

/// Annotate's last check (after Validate's others): a key both set and
/// removed is refused.
fn check_both(changes: &Changes) -> Result<(), String> {
    let both: Vec<&str> = changes.remove.iter().filter(|k| changes.set.contains_key(*k)).map(String::as_str).collect();
    if both.is_empty() {
        return Ok(());
    }
    Err(format!(
        "error: can not both modify and remove the following annotation(s) in the same command: {}\n",
        both.join(", ")
    ))
}

/// The `--overwrite` check: every key that already exists is refused
/// (labels even when the value is the same), worded per command.
fn overwrite_error(what: What, current: &Map<String, Value>, set: &BTreeMap<String, String>) -> Option<String> {
    let found: Vec<(&String, &str)> =
        set.keys().filter_map(|key| Some((key, current.get(key)?.as_str().unwrap_or_default()))).collect();
    match (what, found.as_slice()) {
        (_, []) => None,
        (What::Labels, [(key, old)]) => {
            Some(format!("error: '{key}' already has a value ({old}), and --overwrite is false\n"))
        }
        (What::Labels, many) => {
            let each: Vec<String> = many
                .iter()
                .map(|(key, old)| format!("'{key}' already has a value ({old}), and --overwrite is false"))
                .collect();
            Some(format!("error: [{}]\n", each.join(", ")))
        }
        (What::Annotations, many) => {
            let each: Vec<String> =
                many.iter().map(|(key, old)| format!("'{key}' already has a value ({old})")).collect();
            Some(format!(
                "error: --overwrite is false but found the following declared annotation(s): {}\n",
                each.join("; ")
            ))
        }
    }
}

/// `kubectl label` / `kubectl annotate`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args, what: What) -> Result<(), String> {
    let noun = what.noun();
    // kubectl's order: Complete (the dry run; annotate's printer; the
    // arguments and their changes; label's --list with --output), then
    // Validate, then the resource builder.
    let dry_run = dry_run(k, args)?;
    // Annotate makes its printer here; label for each object, after
    // changing it.
    let output = later_output(k, args);
    if what == What::Annotations {
        output.clone()?;
    }
    let split = args.positional.iter().position(|a| is_change(a)).unwrap_or(args.positional.len());
    let (resources, specs) = args.positional.split_at(split);
    if let Some(stray) = specs.iter().find(|s| !is_change(s)) {
        return Err(format!("error: all resources must be specified before {noun} changes: {stray}\n"));
    }
    let changes = parse_changes(specs, what)?;
    let list = args.is_set(&["list"]);
    if list && what == What::Labels && args.value(&["o", "output"]).is_some_and(|o| !o.is_empty()) {
        return Err("error: --list and --output may not be specified together\n".to_string());
    }
    let all = args.is_set(&["all"]);
    let given = |flag: &[&str]| args.value(flag).is_some_and(|s| !s.is_empty());
    if all && given(&["l", "selector"]) {
        return Err("error: cannot set --all and --selector at the same time\n".to_string());
    }
    if all && given(&["field-selector"]) {
        return Err("error: cannot set --all and --field-selector at the same time\n".to_string());
    }
    let files = !args.values(&["f", "filename"]).is_empty();
    if args.is_set(&["local"]) {
        let file = if what == What::Labels { "pod" } else { "rsrc" };
        if dry_run == DryRun::Server {
            return Err(
                "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n".to_string()
            );
        }
        if !resources.is_empty() {
            return Err(format!("error: can only use local files by -f {file}.yaml or --filename={file}.json when --local=true is set\n"));
        }
        if !files {
            return Err(format!(
                "error: one or more files must be specified as -f {file}.yaml or --filename={file}.json\n"
            ));
        }
    } else if resources.is_empty() && !files {
        return Err(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n".to_string()
        );
    }
    if changes.set.is_empty() && changes.remove.is_empty() && !list {
        return Err(format!("error: at least one {noun} update is required\n"));
    }
    if what == What::Annotations {
        check_both(&changes)?;
    }
    let local = args.is_set(&["local"]);
    let selectors = Selectors::from_args(args);
    let selection = select_or_files(k, args, resources, selectors)?;
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    let objects = match &selection {
        // --local changes the files' own objects.
        Selection::Files(found) if local => {
            found.iter().map(|o| o.clone().map(|o| (o.r, o.object))).collect::<Vec<_>>()
        }
        _ => fetch_selected(k, &selection, selectors, all_namespaces),
    };
    if matches!(selection, Selection::Listed(_)) && objects.is_empty() {
        return Err(format!("error: no objects passed to {}\n", what.command()));
    }
    // kubectl's "single item implied": one object named, not selected.
    let one = match &selection {
        Selection::Named(pairs) => pairs.len() == 1,
        Selection::Files(found) => found.len() == 1,
        Selection::Listed(_) => false,
    };
    // A resource version is a precondition on one object only; kubectl
    // sends it in the patch, so the server refuses a stale one.
    let resource_version = args.value(&["resource-version"]).filter(|v| !v.is_empty());
    if !one && resource_version.is_some() {
        return Err("error: --resource-version may only be used with a single resource\n".to_string());
    }
    let overwrite = args.is_set(&["overwrite"]);
    let mut errors = String::new();
    for found in objects {
        let (r, object) = match found {
            Ok(pair) => pair,
            Err(e) => {
                errors.push_str(&e);
                continue;
            }
        };
        let current: Map<String, Value> = object["metadata"][what.field()].as_object().cloned().unwrap_or_default();
        if !overwrite {
            if let Some(e) = overwrite_error(what, &current, &changes.set) {
                errors.push_str(&e);
                continue;
            }
        }
        let mut updated = current.clone();
        let mut patch = Map::new();
        for key in &changes.remove {
            if what == What::Labels && !current.contains_key(key) && dry_run != DryRun::Client && !list && !local {
                k.print(&format!("label {} not found.\n", super::cli::go_quote(key)));
            }
            if updated.remove(key).is_some() {
                patch.insert(key.clone(), Value::Null);
            }
        }
        for (key, value) in &changes.set {
            if current.get(key).and_then(Value::as_str) != Some(value) {
                patch.insert(key.clone(), json!(value));
            }
            updated.insert(key.clone(), json!(value));
        }
        if list {
            if !one {
                let group = if r.group.is_empty() { String::new() } else { r.group.to_string() };
                k.print(&format!(
                    "Listing {}s for {}.{group}/{}:\n",
                    noun,
                    r.kind,
                    object["metadata"]["name"].as_str().unwrap_or_default()
                ));
            }
            let indent = if one { "" } else { " " };
            for (key, value) in &updated {
                k.print(&format!("{indent}{key}={}\n", value.as_str().unwrap_or_default()));
            }
            continue;
        }
        let verb = change_message(what, &current, &updated, overwrite);
        let mut new_object = object.clone();
        if let Some(meta) = new_object.get_mut("metadata").and_then(Value::as_object_mut) {
            // Go drops an empty map (omitempty).
            if updated.is_empty() {
                meta.remove(what.field());
            } else {
                meta.insert(what.field().to_string(), Value::Object(updated));
            }
        }
        if dry_run == DryRun::Client || local {
            match &output {
                Ok(output) => print_outcome(k, r, &new_object, output, &format!("{verb}{}", dry_run.suffix())),
                Err(e) => errors.push_str(e),
            }
            continue;
        }
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let namespace = object["metadata"]["namespace"].as_str().map(str::to_string);
        let mut body = json!({"metadata": {what.field(): patch}});
        if let Some(version) = resource_version {
            body["metadata"]["resourceVersion"] = json!(version);
        }
        let path = format!(
            "{}?fieldManager=kubectl-{}{}",
            r.object_path(namespace.as_deref(), &name),
            match what {
                What::Labels => "label",
                What::Annotations => "annotate",
            },
            dry_run.query()
        );
        let response = k.send(Request::patch(path, "application/merge-patch+json", body.to_string()));
        if !response.is_success() {
            errors.push_str(&api_error(&response, None));
            continue;
        }
        // kubectl label prints its own copy of the changed object; annotate
        // prints the server's answer.
        let shown = if what == What::Labels { &new_object } else { &response.body };
        match &output {
            Ok(output) => print_outcome(k, r, shown, output, &format!("{verb}{}", dry_run.suffix())),
            Err(e) => errors.push_str(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// kubectl's message: `labeled`, `unlabeled` (the object got smaller
/// without --overwrite), `not labeled` (nothing changed); `annotated`.
fn change_message(what: What, old: &Map<String, Value>, new: &Map<String, Value>, overwrite: bool) -> String {
    if what == What::Annotations {
        return "annotated".to_string();
    }
    if old == new {
        return "not labeled".to_string();
    }
    let size = |m: &Map<String, Value>| Value::Object(m.clone()).to_string().len();
    if !overwrite && size(new) < size(old) {
        "unlabeled".to_string()
    } else {
        "labeled".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn changes_parse_as_kubectl_does() {
        let c = parse_changes(&strings(&["a=1", "b-", "c="]), What::Labels).unwrap_or_default();
        assert_eq!(c.set.get("a").map(String::as_str), Some("1"));
        assert_eq!(c.set.get("c").map(String::as_str), Some(""));
        assert_eq!(c.remove, ["b"]);
        assert_eq!(parse_changes(&strings(&["a=b=c"]), What::Labels), Err("error: invalid label spec: a=b=c\n".into()));
        let annotations = parse_changes(&strings(&["a=b=c"]), What::Annotations).unwrap_or_default();
        assert_eq!(annotations.set.get("a").map(String::as_str), Some("b=c"));
        assert!(parse_changes(&strings(&["a=1", "a-"]), What::Labels).is_err());
        assert_eq!(
            parse_changes(&strings(&["=x", "y", "-"]), What::Annotations),
            Err("error: invalid annotation format: =x, y, -\n".into())
        );
        let both = parse_changes(&strings(&["a=1", "a-", "b=2", "b-"]), What::Annotations).unwrap_or_default();
        assert_eq!(
            check_both(&both),
            Err("error: can not both modify and remove the following annotation(s) in the same command: a, b\n".into())
        );
        assert!(is_change("a=") && is_change("a-") && !is_change("=a") && !is_change("-") && !is_change("sa"));
        assert!(parse_changes(&strings(&["k=bad value"]), What::Labels).is_err());
    }

    #[test]
    fn label_values_follow_apimachinery() {
        assert!(label_value_errors("").is_empty());
        assert!(label_value_errors("a.b_c-9").is_empty());
        assert_eq!(label_value_errors("-a").len(), 1);
        assert_eq!(label_value_errors(&"x".repeat(64)).len(), 1);
        assert_eq!(label_value_errors(&format!("-{}", "x".repeat(64))).len(), 2);
        assert_eq!(label_value_errors("ünï").len(), 1);
    }

    #[test]
    fn messages_follow_the_size_rule() {
        let map = |pairs: &[(&str, &str)]| -> Map<String, Value> {
            pairs.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()
        };
        let old = map(&[("a", "1")]);
        assert_eq!(change_message(What::Labels, &old, &old, false), "not labeled");
        assert_eq!(change_message(What::Labels, &old, &map(&[]), false), "unlabeled");
        assert_eq!(change_message(What::Labels, &old, &map(&[]), true), "labeled");
        assert_eq!(change_message(What::Labels, &old, &map(&[("a", "1"), ("b", "2")]), false), "labeled");
        assert_eq!(change_message(What::Annotations, &old, &old, false), "annotated");
    }
}
