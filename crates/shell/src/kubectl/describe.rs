//! `kubectl describe` (service accounts so far).

use saplay_cluster::api::Request;
use serde_json::Value;

use super::printers::{rule_rows, tabwrite_with};
use super::{api_error, Args, Kubectl};

/// `kubectl describe TYPE NAME`.
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let (kind, name) = match args.positional.as_slice() {
        [kind, name, ..] => (kind.as_str(), name.as_str()),
        [kind] => match kind.split_once('/') {
            Some((k, n)) => (k, n),
            None => return Err(format!("error: describe of all {kind} is not supported yet here\n")),
        },
        [] => return Err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".to_string()),
    };
    let r = saplay_cluster::resource::lookup(kind)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind}\"\n"))?;
    let namespace = k.namespace();
    let response = k.send(Request::get(r.object_path(Some(&namespace), name)));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    match r.kind {
        "ServiceAccount" => {
            let secrets = k.send(Request::get(format!("/api/v1/namespaces/{namespace}/secrets")));
            describe_service_account(k, &response.body, &secrets.body);
            Ok(())
        }
        "Secret" => {
            describe_secret(k, &response.body);
            Ok(())
        }
        "Role" | "ClusterRole" => {
            describe_role(k, &response.body);
            Ok(())
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            describe_binding(k, &response.body);
            Ok(())
        }
        other => Err(format!("error: describing a {other} is not supported yet here\n")),
    }
}

fn map_lines(value: &Value, separator: &str, hidden: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !hidden.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}{separator}{}", v.as_str().unwrap_or_default()))
        .collect();
    lines.sort();
    lines
}

/// Rows for a header and its values, further values on their own lines.
fn push_multi(rows: &mut Vec<Vec<String>>, header: &str, values: Vec<String>) {
    if values.is_empty() {
        rows.push(vec![header.to_string(), "<none>".to_string()]);
        return;
    }
    for (i, v) in values.into_iter().enumerate() {
        rows.push(vec![if i == 0 { header.to_string() } else { String::new() }, v]);
    }
}

fn describe_service_account(k: &mut Kubectl<'_>, sa: &Value, secrets: &Value) {
    let name = sa["metadata"]["name"].as_str().unwrap_or_default();
    let uid = sa["metadata"]["uid"].as_str().unwrap_or_default();
    let existing: Vec<&str> =
        secrets["items"].as_array().into_iter().flatten().filter_map(|s| s["metadata"]["name"].as_str()).collect();
    let with_missing = |list: &Value| -> Vec<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["name"].as_str())
            .map(|n| if existing.contains(&n) { n.to_string() } else { format!("{n} (not found)") })
            .collect()
    };
    let tokens: Vec<String> = secrets["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            s["type"] == "kubernetes.io/service-account-token"
                && s["metadata"]["annotations"]["kubernetes.io/service-account.name"] == name
                && s["metadata"]["annotations"]["kubernetes.io/service-account.uid"] == uid
        })
        .filter_map(|s| s["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    let mut rows = vec![
        vec!["Name:".to_string(), name.to_string()],
        vec!["Namespace:".to_string(), sa["metadata"]["namespace"].as_str().unwrap_or_default().to_string()],
    ];
    push_multi(&mut rows, "Labels:", map_lines(&sa["metadata"]["labels"], "=", &[]));
    push_multi(
        &mut rows,
        "Annotations:",
        map_lines(&sa["metadata"]["annotations"], ": ", &["kubectl.kubernetes.io/last-applied-configuration"]),
    );
    push_multi(&mut rows, "Image pull secrets:", with_missing(&sa["imagePullSecrets"]));
    push_multi(&mut rows, "Mountable secrets: ", with_missing(&sa["secrets"]));
    push_multi(&mut rows, "Tokens:            ", tokens);
    rows.push(vec!["Events:".to_string(), "<none>".to_string()]);
    k.print(&tabwrite_with(&rows, 0, 2));
}

/// Name, Labels and Annotations rows (and Namespace for namespaced kinds).
fn header_rows(object: &Value, with_namespace: bool) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["Name:".to_string(), object["metadata"]["name"].as_str().unwrap_or_default().to_string()]];
    if with_namespace {
        rows.push(vec![
            "Namespace:".to_string(),
            object["metadata"]["namespace"].as_str().unwrap_or_default().to_string(),
        ]);
    }
    push_multi(&mut rows, "Labels:", map_lines(&object["metadata"]["labels"], "=", &[]));
    push_multi(
        &mut rows,
        "Annotations:",
        map_lines(&object["metadata"]["annotations"], ": ", &["kubectl.kubernetes.io/last-applied-configuration"]),
    );
    rows
}

fn describe_secret(k: &mut Kubectl<'_>, secret: &Value) {
    let mut out = tabwrite_with(&header_rows(secret, true), 0, 2);
    let type_ = secret["type"].as_str().unwrap_or_default();
    out.push_str(&format!("\nType:  {type_}\n\nData\n====\n"));
    let rows: Vec<Vec<String>> = secret["data"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(value.as_str().unwrap_or_default())
                .unwrap_or_default();
            let shown = if key == "token" && type_ == "kubernetes.io/service-account-token" {
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                format!("{} bytes", bytes.len())
            };
            vec![format!("{key}:"), shown]
        })
        .collect();
    out.push_str(&tabwrite_with(&rows, 0, 2));
    k.print(&out);
}

fn describe_role(k: &mut Kubectl<'_>, role: &Value) {
    let mut rows = header_rows(role, false);
    rows.push(vec!["PolicyRule:".to_string()]);
    let rules = role["rules"].as_array().cloned().unwrap_or_default();
    let (urls, resources): (Vec<Value>, Vec<Value>) =
        rules.into_iter().partition(|r| r["nonResourceURLs"].as_array().is_some_and(|u| !u.is_empty()));
    let mut table = vec![
        vec![
            "  Resources".to_string(),
            "Non-Resource URLs".to_string(),
            "Resource Names".to_string(),
            "Verbs".to_string(),
        ],
        vec![
            "  ---------".to_string(),
            "-----------------".to_string(),
            "--------------".to_string(),
            "-----".to_string(),
        ],
    ];
    for mut row in rule_rows(&resources, &urls) {
        if let Some(first) = row.first_mut() {
            *first = format!("  {first}");
        }
        table.push(row);
    }
    let mut out = tabwrite_with(&rows, 0, 2);
    out.push_str(&tabwrite_with(&table, 0, 2));
    k.print(&out);
}

fn describe_binding(k: &mut Kubectl<'_>, binding: &Value) {
    let mut rows = header_rows(binding, false);
    rows.push(vec!["Role:".to_string()]);
    let mut out = tabwrite_with(&rows, 0, 2);
    let role = vec![
        vec!["  Kind:".to_string(), binding["roleRef"]["kind"].as_str().unwrap_or_default().to_string()],
        vec!["  Name:".to_string(), binding["roleRef"]["name"].as_str().unwrap_or_default().to_string()],
    ];
    out.push_str(&tabwrite_with(&role, 0, 2));
    out.push_str("Subjects:\n");
    let mut table = vec![
        vec!["  Kind".to_string(), "Name".to_string(), "Namespace".to_string()],
        vec!["  ----".to_string(), "----".to_string(), "---------".to_string()],
    ];
    for s in binding["subjects"].as_array().into_iter().flatten() {
        table.push(vec![
            format!("  {}", s["kind"].as_str().unwrap_or_default()),
            s["name"].as_str().unwrap_or_default().to_string(),
            s["namespace"].as_str().unwrap_or_default().to_string(),
        ]);
    }
    out.push_str(&tabwrite_with(&table, 0, 2));
    k.print(&out);
}
