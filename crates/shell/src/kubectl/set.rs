//! `kubectl set serviceaccount|sa` and `kubectl set image`: change the pod
//! spec of a pod or of a workload's pod template with a strategic merge
//! patch, as kubectl v1.32 does, and say `serviceaccount updated` or
//! `image updated`. The controllers then roll out new pods.

use saplay_cluster::api::Request;
use saplay_cluster::resource::ResourceInfo;
use serde_json::{json, Value};

use super::output::Format;
use super::patch::{check_output, dry_run, namespace_for, print_outcome, targets, DryRun};
use super::{api_error, Args, Kubectl};

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
    output: &Format,
    operation: &str,
    failure: &str,
) -> Result<(), String> {
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    if dry == DryRun::Client {
        let mut local = object.clone();
        merge(&mut local, &patch);
        print_outcome(k, r, &local, output, &format!("{operation}{}", dry.suffix()));
        return Ok(());
    }
    let ns = namespace_for(k, r);
    let path = format!("{}?fieldManager=kubectl-set{}", r.object_path(ns.as_deref(), name), dry.query());
    let response = k.send(Request::patch(path, "application/strategic-merge-patch+json", patch.to_string()));
    if !response.is_success() {
        return Err(format!(
            "error: {failure}{}\n",
            api_error(&response, None).trim_end().trim_start_matches("error: ")
        ));
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

/// Reads the objects `words` name.
fn objects(k: &mut Kubectl<'_>, words: &[String]) -> Result<Vec<(&'static ResourceInfo, Value)>, String> {
    let mut found = Vec::new();
    for (r, name) in targets(words)? {
        let ns = namespace_for(k, r);
        let response = k.send(Request::get(r.object_path(ns.as_deref(), &name)));
        if !response.is_success() {
            return Err(api_error(&response, None));
        }
        found.push((r, response.body));
    }
    Ok(found)
}

/// `kubectl set serviceaccount (TYPE NAME | TYPE/NAME) SERVICE_ACCOUNT`.
fn service_account(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let Some((account, resources)) = rest.split_last() else {
        return Err("error: serviceaccount is required\n".to_string());
    };
    let dry = dry_run(k, args)?;
    let output = check_output(args)?;
    let found = objects(k, resources)?;
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
    if rest.is_empty() {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".to_string());
    }
    let dry = dry_run(k, args)?;
    let output = check_output(args)?;
    let found = objects(k, rest)?;
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
    let (updates, resources): (Vec<&String>, Vec<&String>) = rest.iter().partition(|w| w.contains('='));
    let resources: Vec<String> = resources.into_iter().cloned().collect();
    if resources.is_empty() {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".to_string());
    }
    targets(&resources)?;
    if updates.is_empty() {
        return Err("error: at least one image update is required\n".to_string());
    }
    let mut images: Vec<(String, String)> = Vec::new();
    for update in updates {
        let (container, image) = update.split_once('=').unwrap_or((update.as_str(), ""));
        if container.is_empty() || image.is_empty() {
            return Err(format!("error: invalid image {update}\n"));
        }
        images.push((container.to_string(), image.to_string()));
    }
    let dry = dry_run(k, args)?;
    let output = check_output(args)?;
    let found = objects(k, &resources)?;
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
        let patch_for_dry = if dry == DryRun::Client { full_images(&object, path, &images) } else { patch };
        if let Err(e) = send_patch(k, r, &object, patch_for_dry, dry, &output, "image updated", "") {
            errors.push_str(&e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
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
