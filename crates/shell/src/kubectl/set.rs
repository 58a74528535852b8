//! `kubectl set serviceaccount|sa` and `kubectl set image`: change the pod
//! spec of a pod or of a workload's pod template with a strategic merge
//! patch, as kubectl v1.32 does, and say `serviceaccount updated` or
//! `image updated`. The controllers then roll out new pods.

use saplay_cluster::api::Request;
use saplay_cluster::resource::ResourceInfo;
use serde_json::{json, Value};

use super::output::Format;
use super::patch::{
    check_output, dry_run, fetch_selected, namespace_for, print_outcome, select_or_files, DryRun, Selection, Selectors,
};
use super::{Args, Kubectl};

/// `kubectl set SUBCOMMAND …`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some((sub, rest)) = args.positional.split_first() else {
        k.print(&super::help::render("set"));
        return Ok(());
    };
    match sub.as_str() {
        "serviceaccount" | "sa" => service_account(k, args, rest),
        "image" => image(k, args, rest),
        "subject" => subject(k, args, rest),
        other => Err(format!("error: unknown command {other:?}\nSee 'kubectl set -h' for help and examples\n")),
    }
}

/// Where the pod spec sits in an object of `kind`, as a patch path.
/// Where `r`'s pod spec is, or kubectl's error for a kind that has none
/// (appended to `errors`).
fn pod_spec_path_or_error(r: &ResourceInfo, name: &str, errors: &mut String) -> Option<&'static [&'static str]> {
    let path = pod_spec_path(r.kind);
    if path.is_none() {
        errors.push_str(&format!(
            "error: {} the object is not a pod or does not have a pod template: {}\n",
            object_name(r, name),
            go_type(r)
        ));
    }
    path
}

fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Pod" => Some(&["spec"]),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicationController" => {
            Some(&["spec", "template", "spec"])
        }
        _ => None,
    }
}

/// `{"spec":{"template":{"spec": inner}}}` for the kind's path.
fn wrap(path: &[&str], inner: Value) -> Value {
    path.iter().rev().fold(inner, |acc, key| json!({ *key: acc }))
}

fn pod_spec<'v>(object: &'v Value, path: &[&str]) -> &'v Value {
    path.iter().fold(object, |v, key| &v[*key])
}

/// The Go type kubectl names for an object without a pod template.
fn go_type(r: &ResourceInfo) -> String {
    let package = match r.group {
        "" => "v1".to_string(),
        "rbac.authorization.k8s.io" => "v1".to_string(),
        group => format!("{}v1", group.split('.').next().unwrap_or(group)),
    };
    format!("*{package}.{}", r.kind)
}

/// `resource/name` as kubectl's `info.ObjectName()` gives it.
fn object_name(r: &ResourceInfo, name: &str) -> String {
    format!("{}/{name}", r.group_resource())
}

/// Sends one patch (or, for a client dry run, patches a copy locally and
/// prints it) and reports `operation`.
#[allow(clippy::too_many_arguments)]
fn send_patch(
    k: &mut Kubectl<'_>,
    r: &ResourceInfo,
    object: &Value,
    patch: Value,
    dry: DryRun,
    local: bool,
    output: &Format,
    operation: &str,
    failure: &str,
) -> Result<(), String> {
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    // --local is a client dry run without its "(dry run)".
    if dry == DryRun::Client || local {
        let mut local = object.clone();
        merge(&mut local, &patch);
        print_outcome(k, r, &local, output, &format!("{operation}{}", dry.suffix()));
        return Ok(());
    }
    let ns = object["metadata"]["namespace"].as_str().map(str::to_string).or_else(|| namespace_for(k, r));
    let path = format!("{}?fieldManager=kubectl-set{}", r.object_path(ns.as_deref(), name), dry.query());
    let response = k.send(Request::patch(path, "application/strategic-merge-patch+json", patch.to_string()));
    if !response.is_success() {
        return Err(format!("error: {failure}{}\n", super::wrapped_error(&response)));
    }
    print_outcome(k, r, &response.body, output, &format!("{operation}{}", dry.suffix()));
    Ok(())
}

/// A JSON merge of `patch` into `target` (enough for the patches built
/// here, whose lists are whole).
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (key, value) in p {
                merge(t.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// kubectl's LocalResourceError: `--local` reads objects from files only.
const LOCAL_RESOURCES: &str = "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n";

/// The builder's error when nothing names an object.
const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";

/// Reads the objects `words` select, as the set commands' resource
/// builder does in Complete: `TYPE NAME…`, `TYPE/NAME…`, or a lone `TYPE`
/// with `--all` or `-l`. Any object that cannot be read fails the command
/// (after all were tried), as the builder's `Infos` does.
fn objects(k: &mut Kubectl<'_>, args: &Args, words: &[String]) -> Result<Vec<(&'static ResourceInfo, Value)>, String> {
    let files = !args.values(&["f", "filename"]).is_empty();
    if !files && (args.is_set(&["local"]) || words.is_empty()) {
        return Err(NO_RESOURCES.to_string());
    }
    let selectors = Selectors { fields: None, ..Selectors::from_args(args) };
    let selection = select_or_files(k, args, words, selectors)?;
    let results = match &selection {
        // --local changes the files' own objects.
        Selection::Files(objects) if args.is_set(&["local"]) => {
            objects.iter().map(|o| o.clone().map(|o| (o.r, o.object))).collect()
        }
        _ => fetch_selected(k, &selection, selectors, false),
    };
    let mut found = Vec::new();
    let mut errors = String::new();
    for result in results {
        match result {
            Ok(pair) => found.push(pair),
            Err(e) => errors.push_str(&e),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// `--local` with `--dry-run=server`, refused.
fn check_local_dry_run(args: &Args, dry: DryRun) -> Result<(), String> {
    if args.is_set(&["local"]) && dry == DryRun::Server {
        return Err("error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n".to_string());
    }
    Ok(())
}

/// `kubectl set serviceaccount (TYPE NAME | TYPE/NAME) SERVICE_ACCOUNT`.
fn service_account(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    // kubectl's order: the dry run, the printer, the arguments, then the
    // resource builder.
    let dry = dry_run(k, args)?;
    let output = check_output(k, args)?;
    check_local_dry_run(args, dry)?;
    let Some((account, resources)) = rest.split_last() else {
        return Err("error: serviceaccount is required\n".to_string());
    };
    let found = objects(k, args, resources)?;
    let local = args.is_set(&["local"]);
    let mut errors = String::new();
    for (r, object) in found {
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let Some(path) = pod_spec_path_or_error(r, &name, &mut errors) else { continue };
        let patch = wrap(path, json!({"serviceAccountName": account}));
        if let Err(e) = send_patch(
            k,
            r,
            &object,
            patch,
            dry,
            local,
            &output,
            "serviceaccount updated",
            "failed to patch ServiceAccountName ",
        ) {
            errors.push_str(&e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `kubectl set subject (TYPE NAME | TYPE/NAME) --user=… --group=…
/// --serviceaccount=NS:NAME…`: adds the subjects a RoleBinding or
/// ClusterRoleBinding does not have yet (users, groups, then service
/// accounts, each sorted), as kubectl's set_subject.go does.
fn subject(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let dry = dry_run(k, args)?;
    let output = check_output(k, args)?;
    if args.is_set(&["local"]) && !rest.is_empty() {
        return Err(LOCAL_RESOURCES.to_string());
    }
    let found = objects(k, args, rest)?;
    let local = args.is_set(&["local"]);
    let sorted = |flag: &str| -> Vec<String> {
        let set: std::collections::BTreeSet<String> = args.values(&[flag]).into_iter().map(str::to_string).collect();
        set.into_iter().collect()
    };
    let (users, groups, accounts) = (sorted("user"), sorted("group"), sorted("serviceaccount"));
    if users.is_empty() && groups.is_empty() && accounts.is_empty() {
        return Err("error: you must specify at least one value of user, group or serviceaccount\n".to_string());
    }
    for account in &accounts {
        let parts: Vec<&str> = account.split(':').collect();
        if parts.len() != 2 || parts[1].is_empty() {
            return Err("error: serviceaccount must be <namespace>:<name>\n".to_string());
        }
        if parts[0].is_empty() && found.iter().any(|(r, _)| r.kind == "ClusterRoleBinding") {
            return Err("error: serviceaccount must be <namespace>:<name>, namespace must be specified\n".to_string());
        }
    }
    let namespace = k.namespace();
    let rbac = "rbac.authorization.k8s.io";
    let mut wanted: Vec<Value> = Vec::new();
    wanted.extend(users.iter().map(|u| json!({"apiGroup": rbac, "kind": "User", "name": u})));
    wanted.extend(groups.iter().map(|g| json!({"apiGroup": rbac, "kind": "Group", "name": g})));
    for account in &accounts {
        let (ns, name) = account.split_once(':').unwrap_or_default();
        let ns = if ns.is_empty() { namespace.as_str() } else { ns };
        wanted.push(json!({"kind": "ServiceAccount", "name": name, "namespace": ns}));
    }
    // Subjects are equal when all four fields are (missing is empty).
    let same = |a: &Value, b: &Value| {
        ["apiGroup", "kind", "name", "namespace"]
            .iter()
            .all(|f| a[*f].as_str().unwrap_or("") == b[*f].as_str().unwrap_or(""))
    };
    let mut errors = String::new();
    for (r, object) in found {
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
        if !matches!(r.kind, "RoleBinding" | "ClusterRoleBinding") {
            errors.push_str(&format!(
                "error: {} setting subjects is only supported for RoleBinding/ClusterRoleBinding\n",
                object_name(r, &name)
            ));
            continue;
        }
        let existing: Vec<Value> = object["subjects"].as_array().cloned().unwrap_or_default();
        let mut updated = existing.clone();
        for subject in &wanted {
            if !existing.iter().any(|e| same(e, subject)) {
                updated.push(subject.clone());
            }
        }
        // Nothing to add: kubectl sends nothing and says nothing.
        if updated.len() == existing.len() {
            continue;
        }
        if let Err(e) = send_patch(
            k,
            r,
            &object,
            json!({"subjects": updated}),
            dry,
            local,
            &output,
            "subject updated",
            "failed to patch subjects to rolebinding: ",
        ) {
            errors.push_str(&e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE…` (`*`
/// for every container).
fn image(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    // kubectl's order: Complete (the dry run, the printer, the arguments,
    // the objects), then Validate.
    let dry = dry_run(k, args)?;
    let output = check_output(k, args)?;
    let (resources, images) = resources_and_images(rest)?;
    if args.is_set(&["local"]) && !resources.is_empty() {
        return Err(LOCAL_RESOURCES.to_string());
    }
    let found = objects(k, args, &resources)?;
    let local = args.is_set(&["local"]);
    let mut invalid = String::new();
    if args.is_set(&["all"]) && args.value(&["l", "selector"]).is_some_and(|s| !s.is_empty()) {
        invalid.push_str("error: cannot set --all and --selector at the same time\n");
    }
    if images.is_empty() {
        invalid.push_str("error: at least one image update is required\n");
    } else if images.len() > 1 && images.iter().any(|(container, _)| container == "*") {
        invalid.push_str(
            "error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n",
        );
    }
    check_local_dry_run(args, dry).unwrap_or_else(|e| invalid.push_str(&e));
    if !invalid.is_empty() {
        return Err(invalid);
    }
    let mut errors = String::new();
    for (r, object) in found {
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let Some(path) = pod_spec_path_or_error(r, &name, &mut errors) else { continue };
        let spec = pod_spec(&object, path);
        let mut patch_spec = serde_json::Map::new();
        let mut missing = Vec::new();
        for (container, image) in &images {
            let mut found_one = false;
            for list in ["initContainers", "containers"] {
                let mut changed: Vec<Value> = Vec::new();
                for c in spec[list].as_array().into_iter().flatten() {
                    if c["name"] == container.as_str() || container == "*" {
                        found_one = true;
                        if c["image"] != image.as_str() {
                            changed.push(json!({"name": c["name"], "image": image}));
                        }
                    }
                }
                if !changed.is_empty() {
                    let entry = patch_spec.entry(list.to_string()).or_insert_with(|| json!([]));
                    if let Some(items) = entry.as_array_mut() {
                        items.extend(changed);
                    }
                }
            }
            if !found_one {
                missing.push(format!("unable to find container named {container:?}"));
            }
        }
        if !missing.is_empty() {
            errors.push_str(&format!("error: {} {}\n", object_name(r, &name), missing.join(", ")));
            continue;
        }
        // Nothing changes: kubectl sends nothing and says nothing.
        if patch_spec.is_empty() {
            continue;
        }
        let patch = wrap(path, Value::Object(patch_spec));
        let patch_for_dry = if dry == DryRun::Client || local { full_images(&object, path, &images) } else { patch };
        if let Err(e) = send_patch(
            k,
            r,
            &object,
            patch_for_dry,
            dry,
            local,
            &output,
            "image updated",
            "failed to patch image update to pod template: ",
        ) {
            errors.push_str(&e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `CONTAINER=IMAGE` pairs, in order.
type Images = Vec<(String, String)>;

/// kubectl's `GetResourcesAndPairs` then `ParsePairs` for `set image`:
/// resources come first, then `CONTAINER=IMAGE` pairs (a later pair for
/// the same container wins); `KEY-` is not a pair here.
fn resources_and_images(words: &[String]) -> Result<(Vec<String>, Images), String> {
    let is_pair = |w: &str| (w.contains('=') && !w.starts_with('=')) || (w.ends_with('-') && w != "-");
    let split = words.iter().position(|w| is_pair(w)).unwrap_or(words.len());
    let (resources, pairs) = words.split_at(split);
    if let Some(stray) = pairs.iter().find(|w| !is_pair(w)) {
        return Err(format!("error: all resources must be specified before image changes: {stray}\n"));
    }
    let mut images: Images = Vec::new();
    let mut invalid: Vec<&str> = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((container, image)) if !container.is_empty() => {
                images.retain(|(c, _)| c != container);
                images.push((container.to_string(), image.to_string()));
            }
            _ => invalid.push(pair),
        }
    }
    if !invalid.is_empty() {
        return Err(format!("error: invalid image format: {}\n", invalid.join(", ")));
    }
    Ok((resources.to_vec(), images))
}

/// The object's whole container lists with the new images (for a local
/// dry run, where a merge would replace the lists).
fn full_images(object: &Value, path: &[&str], images: &[(String, String)]) -> Value {
    let spec = pod_spec(object, path);
    let mut inner = serde_json::Map::new();
    for list in ["initContainers", "containers"] {
        let Some(containers) = spec[list].as_array() else { continue };
        let updated: Vec<Value> = containers
            .iter()
            .map(|c| {
                let mut c = c.clone();
                for (container, image) in images {
                    if c["name"] == container.as_str() || container == "*" {
                        c["image"] = json!(image);
                    }
                }
                c
            })
            .collect();
        inner.insert(list.to_string(), Value::Array(updated));
    }
    wrap(path, Value::Object(inner))
}
