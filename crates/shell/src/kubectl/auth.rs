//! `kubectl auth can-i` and `kubectl auth whoami`.

use saplay_cluster::api::Request;
use saplay_cluster::resource;
use serde_json::json;

use super::output::Format;
use super::printers::{go_list, rule_rows, strings, tabwrite};
use super::{api_error, Args, Kubectl};

const KNOWN_RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const KNOWN_PATH_VERBS: &[&str] = &["get", "put", "post", "head", "options", "delete", "patch", "*"];

/// `kubectl auth …`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    match args.positional.split_first() {
        Some((sub, rest)) if sub == "can-i" => can_i(k, args, rest),
        Some((sub, _)) if sub == "whoami" => whoami(k, args),
        Some((sub, _)) => Err(format!(
            "error: unknown command {}\nSee 'kubectl auth -h' for help and examples\n",
            super::jsonpath::go_quote(sub)
        )),
        None => Err(super::help::render("auth")),
    }
}

fn can_i(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let quiet = args.is_set(&["q", "quiet"]);
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    let subresource = args.value(&["subresource"]).unwrap_or_default().to_string();
    if args.is_set(&["list"]) {
        if !rest.is_empty() {
            return Err("error: list option must be specified with no arguments\n".to_string());
        }
        // kubectl's wording, double negative and all.
        if quiet || all_namespaces || !subresource.is_empty() {
            return Err(
                "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n"
                    .to_string(),
            );
        }
        return list(k, args);
    }
    if args.is_set(&["no-headers"]) {
        return Err("error: --no-headers cannot be set without --list specified\n".to_string());
    }
    let [verb, target] = rest else {
        return Err("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n".to_string());
    };
    let namespace = if all_namespaces { String::new() } else { k.namespace() };
    let spec = if target.starts_with('/') {
        if !subresource.is_empty() {
            return Err("error: --subresource can not be used with NonResourceURL\n".to_string());
        }
        if !KNOWN_PATH_VERBS.contains(&verb.as_str()) {
            k.eprint(&format!("Warning: verb '{verb}' is not a known verb\n\n"));
        }
        json!({"nonResourceAttributes": {"verb": verb, "path": target}})
    } else {
        let (kind, name) = target.split_once('/').unwrap_or((target.as_str(), ""));
        if !KNOWN_RESOURCE_VERBS.contains(&verb.as_str()) {
            k.eprint(&format!("Warning: verb '{verb}' is not a known verb\n\n"));
        }
        let (group, plural) = if kind == "*" {
            (String::new(), "*".to_string())
        } else {
            match resource::lookup(kind) {
                Some(r) => {
                    if !r.namespaced && !all_namespaces {
                        let warning = if r.group.is_empty() {
                            format!("Warning: resource '{}' is not namespace scoped\n\n", r.plural)
                        } else {
                            format!(
                                "Warning: resource '{}' is not namespace scoped in group '{}'\n\n",
                                r.plural, r.group
                            )
                        };
                        k.eprint(&warning);
                    }
                    (r.group.to_string(), r.plural.to_string())
                }
                None => {
                    // kubectl names the resource and group it looked for
                    // (split at the first dot, in lower case), then asks
                    // about the argument as it was typed, with no group.
                    let lower = kind.to_lowercase();
                    let warning = match lower.split_once('.') {
                        Some((plural, group)) => format!("'{plural}' in group '{group}'"),
                        None => format!("'{lower}'"),
                    };
                    k.eprint(&format!("Warning: the server doesn't have a resource type {warning}\n\n"));
                    (String::new(), kind.to_string())
                }
            }
        };
        json!({"resourceAttributes": {"namespace": namespace, "verb": verb, "group": group, "resource": plural, "subresource": subresource, "name": name}})
    };
    let body = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": spec});
    let response = k.send(Request::post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body.to_string()));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    let status = &response.body["status"];
    if status["allowed"] == true {
        if !quiet {
            k.print("yes\n");
        }
        return Ok(());
    }
    if !quiet {
        let mut line = "no".to_string();
        if let Some(reason) = status["reason"].as_str().filter(|r| !r.is_empty()) {
            line.push_str(&format!(" - {reason}"));
        }
        if let Some(error) = status["evaluationError"].as_str().filter(|e| !e.is_empty()) {
            line.push_str(&format!(" - {error}"));
        }
        k.print(&format!("{line}\n"));
    }
    Err(String::new())
}

/// `kubectl auth can-i --list`.
fn list(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let namespace = k.namespace();
    let body = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {"namespace": namespace}});
    let response = k.send(Request::post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", body.to_string()));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    let status = &response.body["status"];
    let resource_rules = status["resourceRules"].as_array().cloned().unwrap_or_default();
    let url_rules = status["nonResourceRules"].as_array().cloned().unwrap_or_default();
    let body_rows = rule_rows(&resource_rules, &url_rules);
    let mut rows = Vec::new();
    if !args.is_set(&["no-headers"]) {
        rows.push(
            ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"].iter().map(|s| s.to_string()).collect(),
        );
    }
    rows.extend(body_rows);
    if status["incomplete"] == true {
        k.eprint(&format!(
            "Warning: the list may be incomplete: {}\n",
            status["evaluationError"].as_str().unwrap_or_default()
        ));
    }
    k.print(&tabwrite(&rows));
    Ok(())
}

/// `kubectl auth whoami`.
fn whoami(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let format = super::output::parse_format(args, super::output::WRITE_FORMATS, "auth whoami", &|p| k.read_file(p))?;
    let body = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"});
    let response = k.send(Request::post("/apis/authentication.k8s.io/v1/selfsubjectreviews", body.to_string()));
    if response.code == 403 {
        return Err("error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n".to_string());
    }
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    // kubectl prints the typed object: an unset creationTimestamp is null.
    let mut review = response.body.clone();
    if let Some(meta) = review.get_mut("metadata").and_then(serde_json::Value::as_object_mut) {
        meta.entry("creationTimestamp").or_insert(serde_json::Value::Null);
    }
    match format {
        Format::Json => {
            k.print(&(super::jsonpath::escape_html(&super::printers::ordered_json(&review, Some(4))) + "\n"))
        }
        // A review has no name.
        Format::Name => k.print("selfsubjectreview.authentication.k8s.io/\n"),
        Format::Default | Format::Wide | Format::CustomColumns(_) => {
            let info = &response.body["status"]["userInfo"];
            let mut rows = vec![vec!["ATTRIBUTE".to_string(), "VALUE".to_string()]];
            rows.push(vec!["Username".to_string(), info["username"].as_str().unwrap_or_default().to_string()]);
            if let Some(uid) = info["uid"].as_str().filter(|u| !u.is_empty()) {
                rows.push(vec!["UID".to_string(), uid.to_string()]);
            }
            let groups = strings(&info["groups"]);
            if !groups.is_empty() {
                rows.push(vec!["Groups".to_string(), go_list(&groups)]);
            }
            for (key, values) in info["extra"].as_object().into_iter().flatten() {
                rows.push(vec![format!("Extra: {key}"), go_list(&strings(values))]);
            }
            k.print(&tabwrite(&rows));
        }
        other => {
            if let Some((text, result)) = super::output::render(&other, &review) {
                k.print(&text);
                result?;
            }
        }
    }
    Ok(())
}
