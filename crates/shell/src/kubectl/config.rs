//! `kubectl config`: the learner's kubeconfig. It has one cluster, one
//! user and one context, all named `kind-saplay` (as kind names them for a
//! cluster called `saplay`); the context's namespace is the one thing a
//! learner can change (`set-context --current --namespace=X`), and it
//! persists for the shell session.

use serde_json::{json, Value};

use super::printers::tabwrite;
use super::{Args, Kubectl};

/// The name of the cluster, user and context.
pub const NAME: &str = "kind-saplay";

/// The kubeconfig state kept between commands of a shell session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The current context's namespace (`None`: not set, `default`).
    pub namespace: Option<String>,
}

/// `kubectl config …`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some((sub, rest)) = args.positional.split_first() else {
        k.print(&super::help::render("config"));
        return Ok(());
    };
    match sub.as_str() {
        "view" => view(k, args),
        "current-context" => {
            k.print(&format!("{NAME}\n"));
            Ok(())
        }
        "get-contexts" => get_contexts(k, args, rest),
        "set-context" => set_context(k, args, rest),
        "use-context" | "use" => match rest {
            [name] if name == NAME => {
                k.print(&format!("Switched to context \"{NAME}\".\n"));
                Ok(())
            }
            [name] => Err(format!("error: no context exists with the name: {}\n", super::cli::go_quote(name))),
            _ => Err(unexpected_args(k, "config use-context", rest)),
        },
        other => Err(format!("error: unknown command {other:?}\nSee 'kubectl config -h' for help and examples\n")),
    }
}

/// The kubeconfig errors of `--context`, `--cluster` and `--user` naming
/// entries the kubeconfig does not have.
/// (A command's own flag of the same name, such as `create rolebinding
/// --user`, is not the global one.)
#[inline(never)]
pub(super) fn check_selection(args: &Args, path: &str) -> Result<(), String> {
    let own = |name: &str| super::cli::command_flags(path).iter().any(|f| f.long == name);
    if let Some(context) = args.value(&["context"]).filter(|c| !c.is_empty() && *c != NAME) {
        return Err(format!("Error in configuration: context was not found for specified context: {context}\n"));
    }
    if let Some(cluster) = args.value(&["cluster"]).filter(|c| !own("cluster") && !c.is_empty() && *c != NAME) {
        return Err(format!("error: no server found for cluster {}\n", super::cli::go_quote(cluster)));
    }
    if let Some(user) = args.value(&["user"]).filter(|u| !own("user") && !u.is_empty() && *u != NAME) {
        return Err(format!("error: auth info {} does not exist\n", super::cli::go_quote(user)));
    }
    Ok(())
}

fn namespace_of(k: &Kubectl<'_>) -> Option<String> {
    k.config.as_ref().and_then(|c| c.namespace.clone())
}

/// The kubeconfig as kubectl prints it (certificates and keys omitted).
fn document(k: &Kubectl<'_>) -> Value {
    let server = format!("https://{}:6443", k.cluster.api_server_ip());
    let mut context = json!({"cluster": NAME, "user": NAME});
    if let Some(ns) = namespace_of(k) {
        context["namespace"] = json!(ns);
    }
    json!({
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": server}, "name": NAME}],
        "contexts": [{"context": context, "name": NAME}],
        "current-context": NAME,
        "kind": "Config",
        "preferences": {},
        "users": [{"name": NAME, "user": {"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}}],
    })
}

/// kubectl's JSON for a kubeconfig: four-space indent, fields in the
/// order of Go's `Config` struct.
fn json_text(doc: &Value) -> String {
    let q = |s: &str| Value::from(s).to_string();
    let server = doc["clusters"][0]["cluster"]["server"].as_str().unwrap_or_default();
    let mut context = format!("                \"cluster\": {},\n", q(NAME));
    if let Some(ns) = doc["contexts"][0]["context"]["namespace"].as_str() {
        context.push_str(&format!(
            "                \"user\": {},\n                \"namespace\": {}\n",
            q(NAME),
            q(ns)
        ));
    } else {
        context.push_str(&format!("                \"user\": {}\n", q(NAME)));
    }
    format!(
        "{{\n    \"kind\": \"Config\",\n    \"apiVersion\": \"v1\",\n    \"preferences\": {{}},\n    \"clusters\": [\n        {{\n            \"name\": {n},\n            \"cluster\": {{\n                \"server\": {s},\n                \"certificate-authority-data\": \"DATA+OMITTED\"\n            }}\n        }}\n    ],\n    \"users\": [\n        {{\n            \"name\": {n},\n            \"user\": {{\n                \"client-certificate-data\": \"DATA+OMITTED\",\n                \"client-key-data\": \"DATA+OMITTED\"\n            }}\n        }}\n    ],\n    \"contexts\": [\n        {{\n            \"name\": {n},\n            \"context\": {{\n{context}            }}\n        }}\n    ],\n    \"current-context\": {n}\n}}\n",
        n = q(NAME),
        s = q(server),
    )
}

fn view(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if let Some(extra) = args.positional.get(1) {
        return Err(format!(
            "error: unexpected arguments: [{extra}]\nSee 'kubectl config view -h' for help and examples\n"
        ));
    }
    if args.is_set(&["raw"]) || args.is_set(&["flatten"]) {
        return Err("error: the playground's kubeconfig holds no certificate or key data to show (--raw, --flatten)\n"
            .to_string());
    }
    let doc = document(k);
    let unmatched = |format: &str| {
        format!(
            "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: {}\n",
            super::patch::ALLOWED_FORMATS
        )
    };
    match args.value(&["o", "output"]).unwrap_or("yaml") {
        "yaml" => k.print(&crate::yaml::to_yaml(&doc)),
        "json" => k.print(&json_text(&doc)),
        "name" => k.print("config/<unknown>\n"),
        // `-o jsonpath=…` (kubernetes.io reads the API server's address
        // this way: `{.clusters[0].cluster.server}`).
        other if other.starts_with("jsonpath") => {
            let format =
                super::output::parse_format(args, super::patch::ALLOWED_FORMATS, "config view", &|p| k.read_file(p))?;
            match super::output::render(&format, &doc) {
                Some(text) => k.print(&text?),
                None => return Err(unmatched(other)),
            }
        }
        other => return Err(unmatched(other)),
    }
    Ok(())
}

fn get_contexts(k: &mut Kubectl<'_>, args: &Args, names: &[String]) -> Result<(), String> {
    let output = args.value(&["o", "output"]).unwrap_or_default();
    if !matches!(output, "" | "name") {
        return Err(format!(
            "error: --output {output} is not available in kubectl config get-contexts; resetting to default output format\n"
        ));
    }
    let unknown: Vec<&String> = names.iter().filter(|n| *n != NAME).collect();
    let shown = names.is_empty() || names.len() > unknown.len();
    if output == "name" {
        if shown {
            k.print(&format!("{NAME}\n"));
        }
    } else {
        let mut rows = Vec::new();
        if !args.is_set(&["no-headers"]) {
            rows.push(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"].iter().map(|s| s.to_string()).collect());
        }
        if shown {
            rows.push(vec![
                "*".to_string(),
                NAME.to_string(),
                NAME.to_string(),
                NAME.to_string(),
                namespace_of(k).unwrap_or_default(),
            ]);
        }
        k.print(&tabwrite(&rows));
    }
    if unknown.is_empty() {
        return Ok(());
    }
    // One error is printed as `error: …`; several as kubectl's aggregate,
    // one per line without the prefix.
    let prefix = if unknown.len() == 1 { "error: " } else { "" };
    let errors: String = unknown.iter().map(|n| format!("{prefix}context {n} not found\n")).collect();
    Err(errors)
}

/// `kubectl config use-context|set-context` with the wrong number of
/// arguments: kubectl prints the command's help, then the arguments as Go
/// prints a list.
fn unexpected_args(k: &mut Kubectl<'_>, path: &str, rest: &[String]) -> String {
    k.print(&super::help::render(path));
    format!("error: Unexpected args: [{}]\n", rest.join(" "))
}

fn set_context(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let current = args.is_set(&["current"]);
    let name = match (rest, current) {
        ([], true) => NAME.to_string(),
        ([name], false) => name.clone(),
        ([], false) => return Err("error: you must specify a non-empty context name or --current\n".to_string()),
        ([_], true) => {
            return Err("error: you cannot specify both a context name and --current\n".to_string());
        }
        _ => return Err(unexpected_args(k, "config set-context", rest)),
    };
    if name != NAME {
        return Err(format!(
            "error: the playground's kubeconfig has one context, {NAME}; it cannot create {}\n",
            super::cli::go_quote(&name)
        ));
    }
    if args.value(&["cluster"]).is_some_and(|c| c != NAME) || args.value(&["user"]).is_some_and(|u| u != NAME) {
        return Err(format!("error: the playground's kubeconfig has one cluster and one user, both named {NAME}\n"));
    }
    // Only `--namespace` changes anything; the global `-n` is the same flag.
    if let Some(ns) = args.value(&["n", "namespace"]) {
        let ns = (!ns.is_empty()).then(|| ns.to_string());
        if let Some(config) = k.config.as_deref_mut() {
            config.namespace = ns;
        }
    }
    k.print(&format!("Context \"{name}\" modified.\n"));
    Ok(())
}
