//! `kubectl cluster-info`, `version`, `api-resources` and `api-versions`:
//! what kubectl learns from the API server's `/version` and discovery
//! documents.

use saplay_cluster::api::Request;
use serde_json::Value;

use super::printers::tabwrite;
use super::{api_error, Args, Kubectl};

/// The version kubectl reports for itself (v1.32's client).
const CLIENT: &[(&str, &str)] = &[
    ("major", "1"),
    ("minor", "32"),
    ("gitVersion", "v1.32.4"),
    ("gitCommit", "4cb5f0764b8d5f425645c6f433394fede34a8a26"),
    ("gitTreeState", "clean"),
    ("buildDate", "2025-05-15T20:09:34Z"),
    ("goVersion", "go1.23.8"),
    ("compiler", "gc"),
    ("platform", "linux/amd64"),
];

/// The kustomize version built into kubectl v1.32.
const KUSTOMIZE: &str = "v5.5.0";

/// The order of the fields of Go's `version.Info`, as kubectl's JSON
/// output keeps them.
const INFO_FIELDS: &[&str] =
    &["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"];

/// `kubectl cluster-info`.
#[inline(never)]
pub(super) fn cluster_info(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if args.positional.first().is_some_and(|a| a == "dump") {
        return Err("error: \"kubectl cluster-info dump\" is not available in this playground\n".to_string());
    }
    let address = k.cluster.api_server_ip();
    k.print(&format!(
        "Kubernetes control plane is running at https://{address}:6443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    ));
    Ok(())
}

fn info_json(fields: &[(&str, String)], indent: &str) -> String {
    let lines: Vec<String> =
        fields.iter().map(|(k, v)| format!("{indent}  {}: {}", Value::from(*k), Value::from(v.as_str()))).collect();
    format!("{{\n{}\n{indent}}}", lines.join(",\n"))
}

fn info_yaml(fields: &[(&str, String)]) -> String {
    let mut sorted: Vec<&(&str, String)> = fields.iter().collect();
    sorted.sort_by_key(|(k, _)| *k);
    let map: serde_json::Map<String, Value> =
        sorted.iter().map(|(k, v)| (k.to_string(), Value::from(v.as_str()))).collect();
    crate::yaml::to_yaml(&Value::Object(map))
}

/// `kubectl version`.
#[inline(never)]
pub(super) fn version(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if let Some(extra) = args.positional.first() {
        return Err(format!("error: unknown command {:?} for \"kubectl version\"\n", extra));
    }
    let output = args.value(&["o", "output"]).unwrap_or_default().to_string();
    if !matches!(output.as_str(), "" | "yaml" | "json") {
        return Err("error: --output must be 'yaml' or 'json'\n".to_string());
    }
    let client: Vec<(&str, String)> = CLIENT.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let mut server: Option<Vec<(&str, String)>> = None;
    let mut server_error = None;
    if !args.is_set(&["client"]) {
        let response = k.send(Request::get("/version"));
        if response.is_success() {
            server = Some(
                INFO_FIELDS.iter().map(|f| (*f, response.body[*f].as_str().unwrap_or_default().to_string())).collect(),
            );
        } else {
            server_error = Some(api_error(&response, None));
        }
    }
    match output.as_str() {
        "json" => {
            let mut parts = vec![format!("  \"clientVersion\": {}", info_json(&client, "  "))];
            parts.push(format!("  \"kustomizeVersion\": {}", Value::from(KUSTOMIZE)));
            if let Some(server) = &server {
                parts.push(format!("  \"serverVersion\": {}", info_json(server, "  ")));
            }
            k.print(&format!("{{\n{}\n}}\n", parts.join(",\n")));
        }
        "yaml" => {
            let indent = |text: String| -> String { text.lines().map(|l| format!("  {l}\n")).collect() };
            let mut text = format!("clientVersion:\n{}kustomizeVersion: {KUSTOMIZE}\n", indent(info_yaml(&client)));
            if let Some(server) = &server {
                text.push_str(&format!("serverVersion:\n{}", indent(info_yaml(server))));
            }
            k.print(&text);
        }
        _ => {
            let mut text = format!("Client Version: {}\nKustomize Version: {KUSTOMIZE}\n", client_version());
            if let Some(server) = &server {
                let git = server.iter().find(|(k, _)| *k == "gitVersion").map(|(_, v)| v.as_str()).unwrap_or_default();
                text.push_str(&format!("Server Version: {git}\n"));
            }
            k.print(&text);
        }
    }
    match server_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn client_version() -> &'static str {
    CLIENT.iter().find(|(k, _)| *k == "gitVersion").map(|(_, v)| *v).unwrap_or_default()
}

/// One resource of the discovery documents.
struct Discovered {
    group: String,
    version: String,
    resource: Value,
}

/// Reads `/api`, `/api/v1`, `/apis` and each group's preferred version.
fn discover(k: &mut Kubectl<'_>) -> Result<(Vec<String>, Vec<Discovered>), String> {
    let mut versions = Vec::new();
    let mut found = Vec::new();
    let mut lists: Vec<(String, String)> = Vec::new();
    let core = k.send(Request::get("/api"));
    if !core.is_success() {
        return Err(api_error(&core, None));
    }
    for v in core.body["versions"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        versions.push(v.to_string());
        lists.push((String::new(), v.to_string()));
    }
    let groups = k.send(Request::get("/apis"));
    if !groups.is_success() {
        return Err(api_error(&groups, None));
    }
    for group in groups.body["groups"].as_array().into_iter().flatten() {
        let name = group["name"].as_str().unwrap_or_default();
        for v in group["versions"].as_array().into_iter().flatten() {
            if let Some(gv) = v["groupVersion"].as_str() {
                versions.push(gv.to_string());
            }
        }
        if let Some(preferred) = group["preferredVersion"]["version"].as_str() {
            lists.push((name.to_string(), preferred.to_string()));
        }
    }
    for (group, version) in lists {
        let path = if group.is_empty() { format!("/api/{version}") } else { format!("/apis/{group}/{version}") };
        let response = k.send(Request::get(path));
        if !response.is_success() {
            return Err(api_error(&response, None));
        }
        for resource in response.body["resources"].as_array().cloned().unwrap_or_default() {
            if resource["name"].as_str().is_some_and(|n| !n.contains('/')) {
                found.push(Discovered { group: group.clone(), version: version.clone(), resource });
            }
        }
    }
    Ok((versions, found))
}

/// `kubectl api-versions`.
#[inline(never)]
pub(super) fn api_versions(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if !args.positional.is_empty() {
        return Err(format!(
            "error: unexpected arguments: {:?}\nSee 'kubectl api-versions -h' for help and examples\n",
            args.positional
        ));
    }
    let (mut versions, _) = discover(k)?;
    versions.sort();
    let text: String = versions.iter().map(|v| format!("{v}\n")).collect();
    k.print(&text);
    Ok(())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}

/// `kubectl api-resources`.
#[inline(never)]
pub(super) fn api_resources(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if !args.positional.is_empty() {
        return Err(format!(
            "error: unexpected arguments: {:?}\nSee 'kubectl api-resources -h' for help and examples\n",
            args.positional
        ));
    }
    let output = args.value(&["o", "output"]).unwrap_or_default().to_string();
    if !matches!(output.as_str(), "" | "wide" | "name") {
        return Err(format!("error: --output {output} is not available\n"));
    }
    let sort_by = args.value(&["sort-by"]).unwrap_or_default().to_string();
    if !matches!(sort_by.as_str(), "" | "name" | "kind") {
        return Err("error: --sort-by accepts only name or kind\n".to_string());
    }
    let (_, mut found) = discover(k)?;
    let namespaced = args.value(&["namespaced"]).map(|v| v == "true");
    let group = args.value(&["api-group"]).map(str::to_string);
    let verbs: Vec<String> = args.values(&["verbs"]).iter().flat_map(|v| v.split(',')).map(str::to_string).collect();
    let categories: Vec<String> =
        args.values(&["categories"]).iter().flat_map(|v| v.split(',')).map(str::to_string).collect();
    found.retain(|d| {
        namespaced.is_none_or(|n| d.resource["namespaced"].as_bool() == Some(n))
            && group.as_ref().is_none_or(|g| *g == d.group)
            && verbs.iter().all(|v| strings(&d.resource["verbs"]).contains(v))
            && categories.iter().all(|c| strings(&d.resource["categories"]).contains(c))
    });
    let key = |d: &Discovered| match sort_by.as_str() {
        "name" => d.resource["name"].as_str().unwrap_or_default().to_string(),
        "kind" => d.resource["kind"].as_str().unwrap_or_default().to_string(),
        _ => d.group.clone(),
    };
    found.sort_by_key(key);
    if output == "name" {
        let text: String = found
            .iter()
            .map(|d| {
                let name = d.resource["name"].as_str().unwrap_or_default();
                if d.group.is_empty() {
                    format!("{name}\n")
                } else {
                    format!("{name}.{}\n", d.group)
                }
            })
            .collect();
        k.print(&text);
        return Ok(());
    }
    let wide = output == "wide";
    let mut rows = Vec::new();
    if !args.is_set(&["no-headers"]) {
        let mut header: Vec<String> =
            ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"].iter().map(|s| s.to_string()).collect();
        if wide {
            header.extend(["VERBS".to_string(), "CATEGORIES".to_string()]);
        }
        rows.push(header);
    }
    for d in &found {
        let r = &d.resource;
        let api_version = if d.group.is_empty() { d.version.clone() } else { format!("{}/{}", d.group, d.version) };
        let mut row = vec![
            r["name"].as_str().unwrap_or_default().to_string(),
            strings(&r["shortNames"]).join(","),
            api_version,
            r["namespaced"].as_bool().unwrap_or_default().to_string(),
            r["kind"].as_str().unwrap_or_default().to_string(),
        ];
        if wide {
            let mut v = strings(&r["verbs"]);
            v.sort();
            let categories = strings(&r["categories"]).join(",");
            row.extend([v.join(","), categories]);
        }
        rows.push(row);
    }
    k.print(&tabwrite(&rows));
    Ok(())
}
