//! `kubectl scale` and `kubectl rollout status|restart|history|undo`, with
//! kubectl v1.32's requests (the `scale` subresource, the
//! `kubectl.kubernetes.io/restartedAt` template annotation, a JSON patch
//! restoring a ReplicaSet's template) and its status and history texts.
//!
//! `rollout status` waits as kubectl's watch does, but on the simulated
//! clock: it moves time on to the controllers' next deadlines until the
//! rollout is done, fails, or its timeout (ten simulated minutes when none
//! is given) passes.

use saplay_cluster::api::Request;
use saplay_cluster::resource::ResourceInfo;
use serde_json::{json, Value};

use super::output::Format;
use super::patch::{fetch_selected, for_output, json_text, select_or_files, DryRun, Selection, Selectors};
use super::{api_error, Args, Kubectl};

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Annotations `rollout undo` keeps from the Deployment rather than the
/// ReplicaSet (kubectl's annotationsToSkip).
const SKIPPED_ANNOTATIONS: &[&str] = &[
    super::apply::LAST_APPLIED,
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// Without a resource: kubectl's `required resource not specified`.
const NO_RESOURCE: &str = "error: required resource not specified\n";

/// Reads the objects the arguments select as kubectl rollout's resource
/// builder does: `TYPE NAME`, `TYPE/NAME`, or a lone `TYPE` for all of
/// its objects, which `-l` filters. Objects that cannot be read are
/// reported and the others kept; when none can be, the command fails.
fn fetch(k: &mut Kubectl<'_>, args: &Args, words: &[String]) -> Result<Vec<(&'static ResourceInfo, Value)>, String> {
    let selectors = Selectors { all: true, ..Selectors::from_args(args) };
    let selection = select_or_files(k, args, words, selectors)?;
    let mut found = Vec::new();
    let mut errors = String::new();
    for result in fetch_selected(k, &selection, selectors, false) {
        match result {
            Ok(pair) => found.push(pair),
            Err(e) => errors.push_str(&e),
        }
    }
    if found.is_empty() && !errors.is_empty() {
        return Err(errors);
    }
    if !errors.is_empty() {
        k.eprint(&errors);
    }
    Ok(found)
}

fn name_of(object: &Value) -> &str {
    object["metadata"]["name"].as_str().unwrap_or_default()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// `kubectl scale --replicas=N TYPE NAME…`.
#[inline(never)]
pub(super) fn scale(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some(replicas) = args.value(&["replicas"]) else {
        return Err("error: required flag(s) \"replicas\" not set\n".to_string());
    };
    // kubectl's order: the dry run and the printer, then Validate, then
    // the resource builder.
    let dry = super::patch::dry_run(k, args)?;
    let output = super::patch::check_output(k, args)?;
    let replicas: i64 = replicas.parse().unwrap_or(-1);
    if replicas < 0 {
        return Err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n".to_string()
        );
    }
    let current: i64 = args.value(&["current-replicas"]).and_then(|c| c.parse().ok()).unwrap_or(-1);
    if current < -1 {
        return Err("error: The --current-replicas must specify an integer of -1 or greater\n".to_string());
    }
    let files = !args.values(&["f", "filename"]).is_empty();
    if args.positional.is_empty() && !files {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".to_string());
    }
    let selectors = Selectors::from_args(args);
    let selection = select_or_files(k, args, &args.positional, selectors)?;
    // Each object's type, namespace and name.
    let mut targets: Vec<(&'static ResourceInfo, Option<String>, String)> = Vec::new();
    let mut errors = String::new();
    match &selection {
        Selection::Named(named) => {
            for (r, name) in named {
                targets.push((r, super::patch::namespace_for(k, r), name.clone()));
            }
        }
        Selection::Files(objects) => {
            for object in objects {
                match object {
                    Ok(o) => targets.push((o.r, o.namespace.clone(), o.name.clone())),
                    Err(e) => errors.push_str(e),
                }
            }
        }
        Selection::Listed(_) => {
            for found in fetch_selected(k, &selection, selectors, false) {
                match found {
                    Ok((r, object)) => {
                        let ns = object["metadata"]["namespace"].as_str().map(str::to_string);
                        targets.push((r, ns, name_of(&object).to_string()));
                    }
                    Err(e) => errors.push_str(&e),
                }
            }
        }
    }
    let resource_version = args.value(&["resource-version"]).filter(|v| !v.is_empty());
    if resource_version.is_some() && targets.len() > 1 {
        return Err("error: cannot use --resource-version with multiple resources\n".to_string());
    }
    if targets.is_empty() && errors.is_empty() {
        return Err("error: no objects passed to scale\n".to_string());
    }
    for (r, ns, name) in targets {
        let path = format!("{}/scale", r.object_path(ns.as_deref(), &name));
        if current >= 0 || resource_version.is_some() || dry == DryRun::Client {
            let response = k.send(Request::get(path.clone()));
            if !response.is_success() {
                errors.push_str(&api_error(&response, None));
                continue;
            }
            let now = int(&response.body["spec"]["replicas"]);
            if current >= 0 && now != current {
                errors.push_str(&format!("error: Expected replicas to be {current}, was {now}\n"));
                continue;
            }
            let version = response.body["metadata"]["resourceVersion"].as_str().unwrap_or_default();
            if let Some(wanted) = resource_version.filter(|w| *w != version) {
                errors.push_str(&format!("error: Expected resource version to be {wanted}, was {version}\n"));
                continue;
            }
        }
        if dry == DryRun::Client {
            k.print(&format!("{}/{name} scaled{}\n", r.kind_group(), dry.suffix()));
            continue;
        }
        let body = json!({"spec": {"replicas": replicas}}).to_string();
        let url = format!("{path}?{}", dry.query().trim_start_matches('&'));
        let url = url.trim_end_matches('?').to_string();
        let response = k.send(Request::patch(url, "application/merge-patch+json", body));
        if !response.is_success() {
            errors.push_str(&api_error(&response, None));
            continue;
        }
        match output {
            Format::Default => k.print(&format!("{}/{name} scaled{}\n", r.kind_group(), dry.suffix())),
            Format::Name => k.print(&format!("{}/{name}\n", r.kind_group())),
            _ => {
                let object = k.send(Request::get(r.object_path(ns.as_deref(), &name))).body;
                super::patch::print_outcome(k, r, &object, &output, "scaled");
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `kubectl rollout SUBCOMMAND …`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some((sub, rest)) = args.positional.split_first() else {
        k.print(&super::help::render("rollout"));
        return Ok(());
    };
    match sub.as_str() {
        "status" => status(k, args, rest),
        "restart" => restart(k, args, rest),
        "history" => history(k, args, rest),
        "undo" => undo(k, args, rest),
        "pause" => pause_or_resume(k, args, rest, true),
        "resume" => pause_or_resume(k, args, rest, false),
        other => Err(format!("error: unknown command {other:?}\nSee 'kubectl rollout -h' for help and examples\n")),
    }
}

/// Where a rollout stands: kubectl's status viewers. `Ok((text, done))`,
/// or the error that ends the watch.
fn rollout_state(r: &ResourceInfo, o: &Value) -> Result<(String, bool), String> {
    let name = name_of(o);
    let generation = int(&o["metadata"]["generation"]);
    let status = &o["status"];
    let spec = &o["spec"];
    let observed = int(&status["observedGeneration"]);
    match r.kind {
        "Deployment" => {
            if generation > observed {
                return Ok(("Waiting for deployment spec update to be observed...\n".to_string(), false));
            }
            let timed_out = status["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded");
            if timed_out {
                return Err(format!("error: deployment {name:?} exceeded its progress deadline\n"));
            }
            let desired = spec["replicas"].as_i64().unwrap_or(1);
            let updated = int(&status["updatedReplicas"]);
            let total = int(&status["replicas"]);
            let available = int(&status["availableReplicas"]);
            Ok(if updated < desired {
                (format!("Waiting for deployment {name:?} rollout to finish: {updated} out of {desired} new replicas have been updated...\n"), false)
            } else if total > updated {
                (format!("Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n", total - updated), false)
            } else if available < updated {
                (format!("Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available...\n"), false)
            } else {
                (format!("deployment {name:?} successfully rolled out\n"), true)
            })
        }
        "DaemonSet" => {
            if spec["updateStrategy"]["type"] != "RollingUpdate" {
                return Err("error: rollout status is only available for RollingUpdate strategy type\n".to_string());
            }
            if generation > observed {
                return Ok(("Waiting for daemon set spec update to be observed...\n".to_string(), false));
            }
            let desired = int(&status["desiredNumberScheduled"]);
            let updated = int(&status["updatedNumberScheduled"]);
            let available = int(&status["numberAvailable"]);
            Ok(if updated < desired {
                (format!("Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated...\n"), false)
            } else if available < desired {
                (format!("Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available...\n"), false)
            } else {
                (format!("daemon set {name:?} successfully rolled out\n"), true)
            })
        }
        "StatefulSet" => {
            if spec["updateStrategy"]["type"] != "RollingUpdate" {
                return Err("error: rollout status is only available for RollingUpdate strategy type\n".to_string());
            }
            if observed == 0 || generation > observed {
                return Ok(("Waiting for statefulset spec update to be observed...\n".to_string(), false));
            }
            let desired = spec["replicas"].as_i64().unwrap_or(1);
            let ready = int(&status["readyReplicas"]);
            if ready < desired {
                return Ok((format!("Waiting for {} pods to be ready...\n", desired - ready), false));
            }
            let updated = int(&status["updatedReplicas"]);
            if let Some(partition) = spec["updateStrategy"]["rollingUpdate"]["partition"].as_i64() {
                if updated < desired - partition {
                    return Ok((format!("Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n", desired - partition), false));
                }
                return Ok((format!("partitioned roll out complete: {updated} new pods have been updated...\n"), true));
            }
            let update_revision = status["updateRevision"].as_str().unwrap_or_default();
            if update_revision != status["currentRevision"].as_str().unwrap_or_default() {
                return Ok((format!("waiting for statefulset rolling update to complete {updated} pods at revision {update_revision}...\n"), false));
            }
            Ok((
                format!(
                    "statefulset rolling update complete {} pods at revision {update_revision}...\n",
                    int(&status["currentReplicas"])
                ),
                true,
            ))
        }
        _ => Err(format!("error: no status viewer has been implemented for {}\n", group_kind(r))),
    }
}

/// A GroupKind as Go prints it: `Job.batch`, `Pod`.
fn group_kind(r: &ResourceInfo) -> String {
    if r.group.is_empty() {
        r.kind.to_string()
    } else {
        format!("{}.{}", r.kind, r.group)
    }
}

/// `kubectl rollout status TYPE NAME`.
fn status(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    if rest.is_empty() && args.values(&["f", "filename"]).is_empty() {
        return Err(NO_RESOURCE.to_string());
    }
    if let Some(revision) = args.value(&["revision"]).and_then(|r| r.parse::<i64>().ok()).filter(|r| *r < 0) {
        return Err(format!("error: revision must be a positive integer: {revision}\n"));
    }
    let watch = args.value(&["w", "watch"]) != Some("false");
    let timeout = args.value(&["timeout"]).and_then(super::create::parse_go_duration).filter(|t| *t > 0);
    let objects = fetch(k, args, rest)?;
    // kubectl watches one object.
    if objects.len() != 1 {
        return Err(format!(
            "error: rollout status is only supported on individual resources and resource collections - {} resources were found\n",
            objects.len()
        ));
    }
    for (r, object) in objects {
        // Without --timeout kubectl waits for good; the playground waits
        // past a Deployment's progress deadline, or ten minutes.
        let deadline = object["spec"]["progressDeadlineSeconds"].as_i64().filter(|_| r.kind == "Deployment");
        let timeout = timeout.unwrap_or_else(|| deadline.map_or(600_000, |d| (d + 60) * 1000));
        let ns = object["metadata"]["namespace"].as_str().map(str::to_string);
        let path = r.object_path(ns.as_deref(), name_of(&object));
        let until = k.cluster.now().plus_millis(timeout);
        let mut object = object;
        let mut last = String::new();
        let mut steps = 0;
        loop {
            let (text, done) = rollout_state(r, &object)?;
            if text != last {
                k.print(&text);
                last = text;
            }
            if done || !watch {
                break;
            }
            if !k.advance_toward(until, &mut steps) {
                return Err("error: timed out waiting for the condition\n".to_string());
            }
            let response = k.send(Request::get(path.clone()));
            if !response.is_success() {
                return Err(api_error(&response, None));
            }
            object = response.body;
        }
    }
    Ok(())
}

/// `kubectl rollout restart TYPE NAME`: stamps the pod template with
/// `kubectl.kubernetes.io/restartedAt`.
fn restart(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    if rest.is_empty() && args.values(&["f", "filename"]).is_empty() {
        return Err(NO_RESOURCE.to_string());
    }
    // kubectl makes its printer for each object after patching it.
    let output = super::patch::later_output(k, args);
    let objects = fetch(k, args, rest)?;
    let now = k.cluster.now().rfc3339();
    let mut errors = String::new();
    for (r, object) in objects {
        let name = name_of(&object).to_string();
        if !matches!(r.kind, "Deployment" | "DaemonSet" | "StatefulSet") {
            errors.push_str(&format!("error: failed to create patch for {name}: restarting is not supported\n"));
            continue;
        }
        if object["spec"]["template"]["metadata"]["annotations"][RESTARTED_AT] == now.as_str() {
            errors.push_str(&format!("error: failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another\n"));
            continue;
        }
        let patch = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}});
        let ns = object["metadata"]["namespace"].as_str().map(str::to_string);
        let path = format!("{}?fieldManager=kubectl-rollout", r.object_path(ns.as_deref(), &name));
        let response = k.send(Request::patch(path, "application/strategic-merge-patch+json", patch.to_string()));
        if !response.is_success() {
            errors.push_str(&api_error(&response, None));
            continue;
        }
        match &output {
            Ok(output) => super::patch::print_outcome(k, r, &response.body, output, "restarted"),
            Err(e) => errors.push_str(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `kubectl rollout pause|resume RESOURCE`: sets a Deployment's
/// `spec.paused` (the deployment controller then leaves its pods as they
/// are until it is resumed); other kinds cannot be paused.
fn pause_or_resume(k: &mut Kubectl<'_>, args: &Args, rest: &[String], pause: bool) -> Result<(), String> {
    if rest.is_empty() && args.values(&["f", "filename"]).is_empty() {
        return Err(NO_RESOURCE.to_string());
    }
    // kubectl makes its printer for each object after patching it.
    let output = super::patch::later_output(k, args);
    let objects = fetch(k, args, rest)?;
    let (done, doing, already) =
        if pause { ("paused", "pausing", "is already paused") } else { ("resumed", "resuming", "is not paused") };
    let mut errors = String::new();
    for (r, object) in objects {
        let name = name_of(&object).to_string();
        let resource = if r.group.is_empty() { r.plural.to_string() } else { format!("{}.{}", r.plural, r.group) };
        if r.kind != "Deployment" {
            errors.push_str(&format!("error: {resource} {name:?} {doing} is not supported\n"));
            continue;
        }
        if (object["spec"]["paused"] == true) == pause {
            errors.push_str(&format!("error: {resource} {name:?} {already}\n"));
            continue;
        }
        let patch = json!({"spec": {"paused": pause}});
        let ns = object["metadata"]["namespace"].as_str().map(str::to_string);
        let path = format!("{}?fieldManager=kubectl-rollout", r.object_path(ns.as_deref(), &name));
        let response = k.send(Request::patch(path, "application/strategic-merge-patch+json", patch.to_string()));
        if !response.is_success() {
            errors.push_str(&format!("error: failed to patch: {}\n", super::wrapped_error(&response)));
            continue;
        }
        match &output {
            Ok(output) => super::patch::print_outcome(k, r, &response.body, output, done),
            Err(e) => errors.push_str(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The ReplicaSets a Deployment controls, with their revisions.
fn revisions(k: &mut Kubectl<'_>, deployment: &Value) -> Vec<(i64, Value)> {
    let ns = deployment["metadata"]["namespace"].as_str().unwrap_or_default();
    let uid = &deployment["metadata"]["uid"];
    let response = k.send(Request::get(format!("/apis/apps/v1/namespaces/{ns}/replicasets")));
    let mut found: Vec<(i64, Value)> = response.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|rs| {
            rs["metadata"]["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|o| o["uid"] == *uid && o["controller"] == true)
        })
        .filter_map(|rs| {
            let revision = rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"].as_str()?;
            Some((revision.parse().ok()?, rs.clone()))
        })
        .collect();
    found.sort_by_key(|(revision, _)| *revision);
    found
}

fn deployments_only(r: &ResourceInfo, what: &str) -> Result<(), String> {
    match r.kind {
        "Deployment" => Ok(()),
        "DaemonSet" | "StatefulSet" => Err(format!(
            "error: \"kubectl rollout {what}\" works on Deployments only in this playground (DaemonSet and StatefulSet revisions are not kept)\n"
        )),
        _ => Err(format!("error: no {what} viewer has been implemented for {}\n", group_kind(r))
            .replace("no undo viewer", "no rollbacker")),
    }
}

/// `kubectl rollout history deployment/NAME [--revision=N]`.
fn history(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    if rest.is_empty() && args.values(&["f", "filename"]).is_empty() {
        return Err(NO_RESOURCE.to_string());
    }
    let revision: i64 = args.value(&["revision"]).and_then(|r| r.parse().ok()).unwrap_or(0);
    if revision < 0 {
        return Err(format!("error: revision must be a positive integer: {revision}\n"));
    }
    let objects = fetch(k, args, rest)?;
    for (r, deployment) in objects {
        deployments_only(r, "history")?;
        let sets = revisions(k, &deployment);
        let name = name_of(&deployment);
        if revision > 0 {
            let Some((_, rs)) = sets.iter().find(|(n, _)| *n == revision) else {
                return Err("error: unable to find the specified revision\n".to_string());
            };
            let mut template = rs["spec"]["template"].clone();
            let change_cause = rs["metadata"]["annotations"]["kubernetes.io/change-cause"].clone();
            if let Some(cause) = change_cause.as_str() {
                template["metadata"]["annotations"]["kubernetes.io/change-cause"] = json!(cause);
            }
            let text = super::printers::go_tabwriter(&super::describe_workloads::pod_template(&template), 0, 2);
            k.print(&format!("{}/{name} with revision #{revision}\n{text}\n", r.kind_group()));
            continue;
        }
        let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
        for (n, rs) in &sets {
            let cause = rs["metadata"]["annotations"]["kubernetes.io/change-cause"].as_str().unwrap_or("<none>");
            table.push_str(&format!("{n}\t{cause}\n"));
        }
        let table = super::printers::go_tabwriter(&table, 0, 2);
        k.print(&format!("{}/{name} \n{table}\n", r.kind_group()));
    }
    Ok(())
}

/// `kubectl rollout undo deployment/NAME [--to-revision=N]`: puts a
/// ReplicaSet's pod template back into the Deployment.
fn undo(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    if rest.is_empty() && args.values(&["f", "filename"]).is_empty() {
        return Err(NO_RESOURCE.to_string());
    }
    let to: i64 = args.value(&["to-revision"]).and_then(|r| r.parse().ok()).unwrap_or(0);
    let dry = super::patch::dry_run(k, args)?;
    // kubectl makes its printer for each object after rolling it back.
    let output = super::patch::later_output(k, args);
    let objects = fetch(k, args, rest)?;
    for (r, deployment) in objects {
        deployments_only(r, "undo")?;
        let name = name_of(&deployment).to_string();
        let sets = revisions(k, &deployment);
        let chosen = if to > 0 {
            sets.iter()
                .find(|(n, _)| *n == to)
                .map(|(_, rs)| rs.clone())
                .ok_or_else(|| format!("error: unable to find specified revision {to} in history\n"))?
        } else {
            let mut newest = sets.iter().rev();
            newest.next();
            newest
                .next()
                .map(|(_, rs)| rs.clone())
                .ok_or_else(|| format!("error: no rollout history found for deployment {name:?}\n"))?
        };
        if deployment["spec"]["paused"] == true {
            return Err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n".to_string());
        }
        let mut template = chosen["spec"]["template"].clone();
        if let Some(labels) = template["metadata"]["labels"].as_object_mut() {
            labels.remove("pod-template-hash");
        }
        let mut current = deployment["spec"]["template"].clone();
        if let Some(labels) = current["metadata"]["labels"].as_object_mut() {
            labels.remove("pod-template-hash");
        }
        if template == current {
            output.clone()?;
            k.print(&format!(
                "{}/{name} skipped rollback (current template already matches revision {to})\n",
                r.kind_group()
            ));
            continue;
        }
        let mut annotations = serde_json::Map::new();
        for (key, value) in deployment["metadata"]["annotations"].as_object().into_iter().flatten() {
            if SKIPPED_ANNOTATIONS.contains(&key.as_str()) {
                annotations.insert(key.clone(), value.clone());
            }
        }
        for (key, value) in chosen["metadata"]["annotations"].as_object().into_iter().flatten() {
            if !SKIPPED_ANNOTATIONS.contains(&key.as_str()) {
                annotations.insert(key.clone(), value.clone());
            }
        }
        let patch = json!([
            {"op": "replace", "path": "/spec/template", "value": template},
            {"op": "replace", "path": "/metadata/annotations", "value": annotations},
        ]);
        if dry == DryRun::Client {
            output.clone()?;
            k.print(&format!("{}/{name} rolled back{}\n", r.kind_group(), dry.suffix()));
            continue;
        }
        let ns = deployment["metadata"]["namespace"].as_str().map(str::to_string);
        let path = format!("{}{}", r.object_path(ns.as_deref(), &name), dry.query().replacen('&', "?", 1));
        let response = k.send(Request::patch(path, "application/json-patch+json", patch.to_string()));
        if !response.is_success() {
            return Err(format!("error: failed restoring revision {to}: {}\n", super::api_message(&response)));
        }
        match output.clone()? {
            Format::Yaml => k.print(&crate::yaml::to_yaml(&for_output(response.body, r))),
            Format::Json => k.print(&json_text(&for_output(response.body, r))),
            Format::Default => k.print(&format!("{}/{name} rolled back{}\n", r.kind_group(), dry.suffix())),
            _ => k.print(&format!("{}/{name}\n", r.kind_group())),
        }
    }
    Ok(())
}
