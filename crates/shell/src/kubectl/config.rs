//! `kubectl config`: the learner's kubeconfig. Its one cluster is the
//! playground's, named `kind-saplay` (as kind names the cluster of a kind
//! cluster called `saplay`), and it starts with one user and one context
//! of that name: the admin's client certificate. A learner can add users
//! with a bearer token (`set-credentials NAME --token=…`, such as a service
//! account's token from `kubectl create token`), contexts pairing a user
//! with the cluster and a namespace, and switch between them; kubectl then
//! sends the selected context's credential ([`Kubectl::send`]). The
//! kubeconfig lives for the shell session (a reload replays the commands
//! that made it).

use serde_json::{json, Value};

use super::printers::tabwrite;
use super::{Args, Kubectl};
use saplay_cluster::api::Credential;

/// The name of the cluster, and of the first user and context.
pub const NAME: &str = "kind-saplay";

/// Where kubectl's messages say the kubeconfig is.
const PATH: &str = "/root/.kube/config";

/// The kubeconfig state kept between commands of a shell session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The current context's name (empty once it was deleted).
    pub current: String,
    /// The contexts by name (kubectl lists them in name order).
    pub contexts: Named<Context>,
    /// The users by name.
    pub users: Named<User>,
}

/// Entries by name, kept in name order: a few, so a sorted list (lighter
/// code in the wasm module than a `BTreeMap`, which every first command
/// would compile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<T>(Vec<(String, T)>);

impl<T> Named<T> {
    fn one(name: &str, value: T) -> Self {
        Named(vec![(name.to_string(), value)])
    }

    /// The entry called `name`.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Whether there is an entry called `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(n, v)| (n, v))
    }

    /// The names in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(n, _)| n)
    }

    /// The entry called `name`, made with `make` if there is none.
    fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> T) -> &mut T {
        let at = match self.0.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (name.to_string(), make()));
                at
            }
        };
        &mut self.0[at].1
    }

    /// Removes the entry called `name`.
    fn remove(&mut self, name: &str) -> Option<T> {
        let at = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.remove(at).1)
    }
}

/// A context: which cluster, which user, which namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The cluster's name (`""` if not set).
    pub cluster: String,
    /// The user's name (`""` if not set).
    pub user: String,
    /// The default namespace (`None`: `default`).
    pub namespace: Option<String>,
}

/// A user's credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum User {
    /// The admin's client certificate and key (the first user).
    AdminCertificate,
    /// A bearer token (`None`: the user has no credential at all).
    Token(Option<String>),
}

impl Default for Config {
    fn default() -> Self {
        let context = Context { cluster: NAME.to_string(), user: NAME.to_string(), namespace: None };
        Config {
            current: NAME.to_string(),
            contexts: Named::one(NAME, context),
            users: Named::one(NAME, User::AdminCertificate),
        }
    }
}

impl Config {
    /// The current context's namespace, if it sets one.
    pub fn namespace(&self) -> Option<&str> {
        self.contexts.get(&self.current).and_then(|c| c.namespace.as_deref())
    }
}

/// What one command uses of the kubeconfig: the context `--context`
/// names (else the current one), with `--user` and `--cluster` in place of
/// its own, or kubectl's error when those are not in the kubeconfig.
pub(super) struct Selection {
    /// The context's default namespace.
    pub namespace: Option<String>,
    /// The credential requests carry (before `--token`).
    pub credential: Credential,
}

/// The selection of `args` in `config` (the session's kubeconfig, or a
/// fresh one). `path` is the command's, whose own `--user` or `--cluster`
/// flag (`create rolebinding --user`) is not the global one.
#[inline(never)]
pub(super) fn select(config: &Config, args: &Args, path: &str) -> Result<Selection, String> {
    let own = |name: &str| super::cli::command_flags(path).iter().any(|f| f.long == name);
    let given = |name: &str| args.value(&[name]).filter(|v| !own(name) && !v.is_empty());
    let name = args.value(&["context"]).filter(|c| !c.is_empty()).unwrap_or(&config.current);
    let context = match config.contexts.get(name) {
        Some(context) => context.clone(),
        // No context at all: kubectl has no server to talk to.
        None if name.is_empty() => Context::default(),
        None => {
            return Err(format!("Error in configuration: context was not found for specified context: {name}\n"));
        }
    };
    let cluster = given("cluster").unwrap_or(&context.cluster);
    if let Some(flag) = given("cluster") {
        if flag != NAME {
            return Err(format!("error: no server found for cluster {}\n", super::cli::go_quote(flag)));
        }
    }
    if cluster != NAME {
        return Err(
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
                .to_string(),
        );
    }
    let user = match given("user") {
        Some(flag) => match config.users.get(flag) {
            Some(user) => user,
            None => return Err(format!("error: auth info {} does not exist\n", super::cli::go_quote(flag))),
        },
        // A context naming a user the kubeconfig lacks: kubectl asks for a
        // user name and password, and finds no terminal to read them from.
        None => match config.users.get(&context.user) {
            Some(user) => user,
            None if context.user.is_empty() => &User::Token(None),
            None => return Err("Please enter Username: error: EOF\n".to_string()),
        },
    };
    let credential = match user {
        User::AdminCertificate => Credential::AdminCertificate,
        User::Token(Some(token)) => Credential::BearerToken(token.clone()),
        User::Token(None) => Credential::Anonymous,
    };
    Ok(Selection { namespace: context.namespace, credential })
}

/// `kubectl config …`. Works on a copy of the session's kubeconfig, kept
/// when the command succeeds.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some((sub, rest)) = args.positional.split_first() else {
        k.print(&super::help::render("config"));
        return Ok(());
    };
    let mut config = k.config.as_deref().cloned().unwrap_or_default();
    let result = match sub.as_str() {
        "view" => view(k, &config, args),
        "current-context" => match config.current.as_str() {
            "" => Err("error: current-context is not set\n".to_string()),
            current => {
                k.print(&format!("{current}\n"));
                Ok(())
            }
        },
        "get-contexts" => get_contexts(k, &config, args, rest),
        "get-users" => list_names(k, config.users.keys()),
        "get-clusters" => list_names(k, [NAME.to_string()].iter()),
        "set-context" => set_context(k, &mut config, args, rest),
        "use-context" | "use" => match rest {
            [name] if config.contexts.contains_key(name) => {
                config.current = name.clone();
                k.print(&format!("Switched to context {}.\n", super::cli::go_quote(name)));
                Ok(())
            }
            [name] => Err(format!("error: no context exists with the name: {}\n", super::cli::go_quote(name))),
            _ => Err(unexpected_args(k, "config use-context", rest)),
        },
        "set-credentials" => set_credentials(k, &mut config, args, rest),
        "delete-context" => delete_context(k, &mut config, rest),
        "delete-user" => match rest {
            [name] if config.users.remove(name).is_some() => {
                k.print(&format!("deleted user {name} from {PATH}\n"));
                Ok(())
            }
            [name] => Err(format!("error: cannot delete user {name}, not in {PATH}\n")),
            _ => Err("error: user to delete is required\nSee 'kubectl config delete-user -h' for help and examples\n"
                .to_string()),
        },
        "rename-context" => rename_context(k, &mut config, rest),
        other => Err(format!("error: unknown command {other:?}\nSee 'kubectl config -h' for help and examples\n")),
    };
    if result.is_ok() {
        if let Some(session) = k.config.as_deref_mut() {
            *session = config;
        }
    }
    result
}

/// `NAME` then one name a line (`get-users`, `get-clusters`).
fn list_names<'n>(k: &mut Kubectl<'_>, names: impl Iterator<Item = &'n String>) -> Result<(), String> {
    let mut text = String::from("NAME\n");
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    k.print(&text);
    Ok(())
}

/// The kubeconfig as kubectl prints it (certificates, keys and tokens
/// left out), or with `--minify` only what the current context uses.
fn document(k: &Kubectl<'_>, config: &Config, minify: bool) -> Value {
    let server = format!("https://{}:6443", k.cluster.api_server_ip());
    let current = config.contexts.get(&config.current);
    let keep_context = |name: &str| !minify || name == config.current;
    let keep_user = |name: &str| !minify || current.is_some_and(|c| c.user == name);
    let keep_cluster = !minify || current.is_some_and(|c| c.cluster == NAME);
    let list = |items: Vec<Value>| if items.is_empty() { Value::Null } else { Value::Array(items) };
    let contexts = config
        .contexts
        .iter()
        .filter(|(name, _)| keep_context(name))
        .map(|(name, c)| {
            let mut context = json!({"cluster": c.cluster, "user": c.user});
            if let Some(ns) = &c.namespace {
                context["namespace"] = json!(ns);
            }
            json!({"context": context, "name": name})
        })
        .collect();
    let users = config
        .users
        .iter()
        .filter(|(name, _)| keep_user(name))
        .map(|(name, user)| json!({"name": name, "user": user_fields(user)}))
        .collect();
    let clusters = if keep_cluster {
        vec![json!({"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": server}, "name": NAME})]
    } else {
        Vec::new()
    };
    json!({
        "apiVersion": "v1",
        "clusters": list(clusters),
        "contexts": list(contexts),
        "current-context": config.current,
        "kind": "Config",
        "preferences": {},
        "users": list(users),
    })
}

/// A user's fields as `kubectl config view` shows them.
fn user_fields(user: &User) -> Value {
    match user {
        User::AdminCertificate => json!({"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}),
        User::Token(Some(_)) => json!({"token": "REDACTED"}),
        User::Token(None) => json!({}),
    }
}

/// kubectl's JSON for a kubeconfig: four-space indent, fields in the
/// order of Go's `Config` struct (and of its parts).
fn json_text(doc: &Value) -> String {
    let q = |v: &Value| v.to_string();
    let mut out = String::from("{\n    \"kind\": \"Config\",\n    \"apiVersion\": \"v1\",\n    \"preferences\": {},\n");
    // One named entry of a list: `{"name": …, "<field>": {…}}` with the
    // inner fields in the given order.
    let entries = |out: &mut String, list: &str, field: &str, order: &[&str]| {
        let items = doc[list].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            out.push_str(&format!("    \"{list}\": null,\n"));
            return;
        }
        out.push_str(&format!("    \"{list}\": [\n"));
        for (i, item) in items.iter().enumerate() {
            let inner = &item[field];
            let fields: Vec<String> = order
                .iter()
                .filter(|key| inner.get(**key).is_some())
                .map(|key| format!("                \"{key}\": {}", q(&inner[*key])))
                .collect();
            let body = if fields.is_empty() {
                "{}".to_string()
            } else {
                format!("{{\n{}\n            }}", fields.join(",\n"))
            };
            out.push_str(&format!(
                "        {{\n            \"name\": {},\n            \"{field}\": {body}\n        }}{}\n",
                q(&item["name"]),
                if i + 1 < items.len() { "," } else { "" }
            ));
        }
        out.push_str("    ],\n");
    };
    entries(&mut out, "clusters", "cluster", &["server", "certificate-authority-data"]);
    entries(&mut out, "users", "user", &["client-certificate-data", "client-key-data", "token"]);
    entries(&mut out, "contexts", "context", &["cluster", "user", "namespace"]);
    out.push_str(&format!("    \"current-context\": {}\n}}\n", q(&doc["current-context"])));
    out
}

fn view(k: &mut Kubectl<'_>, config: &Config, args: &Args) -> Result<(), String> {
    if let Some(extra) = args.positional.get(1) {
        return Err(format!(
            "error: unexpected arguments: [{extra}]\nSee 'kubectl config view -h' for help and examples\n"
        ));
    }
    if args.is_set(&["raw"]) || args.is_set(&["flatten"]) {
        return Err("error: the playground's kubeconfig holds no certificate or key data to show (--raw, --flatten)\n"
            .to_string());
    }
    let minify = args.is_set(&["minify"]);
    if minify && config.current.is_empty() {
        return Err("error: current-context must exist in order to minify\n".to_string());
    }
    if minify && !config.contexts.contains_key(&config.current) {
        return Err(format!("error: cannot locate context {}\n", config.current));
    }
    let doc = document(k, config, minify);
    let unmatched = |format: &str| {
        format!(
            "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: {}\n",
            super::patch::ALLOWED_FORMATS
        )
    };
    // `--template` alone means `-o go-template`.
    let template_alone = args.value(&["template"]).filter(|t| !t.is_empty()).map(|_| "go-template");
    match args.value(&["o", "output"]).or(template_alone).unwrap_or("yaml") {
        "yaml" => k.print(&crate::yaml::to_yaml(&doc)),
        "json" => k.print(&json_text(&doc)),
        "name" => k.print("config/<unknown>\n"),
        // `-o jsonpath=…` (kubernetes.io reads the API server's address
        // this way: `{.clusters[0].cluster.server}`).
        other if ["jsonpath", "go-template", "template"].iter().any(|f| other.starts_with(f)) => {
            let format =
                super::output::parse_format(args, super::patch::ALLOWED_FORMATS, "config view", &|p| k.read_file(p))?;
            match super::output::render(&format, &doc) {
                Some((text, result)) => {
                    k.print(&text);
                    result?;
                }
                None => return Err(unmatched(other)),
            }
        }
        other => return Err(unmatched(other)),
    }
    Ok(())
}

fn get_contexts(k: &mut Kubectl<'_>, config: &Config, args: &Args, names: &[String]) -> Result<(), String> {
    let output = args.value(&["o", "output"]).unwrap_or_default();
    if !matches!(output, "" | "name") {
        return Err(format!(
            "error: --output {output} is not available in kubectl config get-contexts; resetting to default output format\n"
        ));
    }
    let unknown: Vec<&String> = names.iter().filter(|n| !config.contexts.contains_key(n)).collect();
    let shown: Vec<(&String, &Context)> =
        config.contexts.iter().filter(|(name, _)| names.is_empty() || names.contains(name)).collect();
    if output == "name" {
        let text: String = shown.iter().map(|(name, _)| format!("{name}\n")).collect();
        k.print(&text);
    } else {
        let mut rows = Vec::new();
        if !args.is_set(&["no-headers"]) {
            rows.push(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"].iter().map(|s| s.to_string()).collect());
        }
        for (name, context) in shown {
            rows.push(vec![
                if *name == config.current { "*" } else { "" }.to_string(),
                name.clone(),
                context.cluster.clone(),
                context.user.clone(),
                context.namespace.clone().unwrap_or_default(),
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

fn set_context(k: &mut Kubectl<'_>, config: &mut Config, args: &Args, rest: &[String]) -> Result<(), String> {
    let current = args.is_set(&["current"]);
    let name = match (rest, current) {
        ([], true) => config.current.clone(),
        ([name], false) => name.clone(),
        ([], false) => return Err("error: you must specify a non-empty context name or --current\n".to_string()),
        ([_], true) => {
            return Err("error: you cannot specify both a context name and --current\n".to_string());
        }
        _ => return Err(unexpected_args(k, "config set-context", rest)),
    };
    let exists = config.contexts.contains_key(&name);
    let context = config.contexts.get_or_insert_with(&name, Context::default);
    if let Some(cluster) = args.value(&["cluster"]) {
        context.cluster = cluster.to_string();
    }
    if let Some(user) = args.value(&["user"]) {
        context.user = user.to_string();
    }
    // The global `-n` is the same flag as the command's `--namespace`.
    if let Some(ns) = args.value(&["n", "namespace"]) {
        context.namespace = (!ns.is_empty()).then(|| ns.to_string());
    }
    let verb = if exists { "modified" } else { "created" };
    k.print(&format!("Context {} {verb}.\n", super::cli::go_quote(&name)));
    Ok(())
}

/// `kubectl config set-credentials NAME --token=TOKEN`: a user that sends
/// the token (merged into an existing one of that name). The other ways
/// to authenticate are not served: the playground's API server knows
/// client certificates only as the admin's.
fn set_credentials(k: &mut Kubectl<'_>, config: &mut Config, args: &Args, rest: &[String]) -> Result<(), String> {
    let [name] = rest else {
        k.print(&super::help::render("config set-credentials"));
        return Err(format!("error: unexpected args: [{}]\n", rest.join(" ")));
    };
    let other = ["client-certificate", "client-key", "username", "password", "auth-provider", "exec-command"]
        .into_iter()
        .find(|flag| args.value(&[flag]).is_some_and(|v| !v.is_empty()));
    if let Some(flag) = other {
        return Err(format!(
            "error: \"kubectl config set-credentials --{flag}\" is not available in this playground; use --token\n"
        ));
    }
    let token = args.value(&["token"]).filter(|t| !t.is_empty()).map(str::to_string);
    let user = config.users.get_or_insert_with(name, || User::Token(None));
    if let Some(token) = token {
        *user = User::Token(Some(token));
    }
    k.print(&format!("User {} set.\n", super::cli::go_quote(name)));
    Ok(())
}

fn delete_context(k: &mut Kubectl<'_>, config: &mut Config, rest: &[String]) -> Result<(), String> {
    let [name] = rest else {
        // kubectl prints the command's help and does nothing.
        k.print(&super::help::render("config delete-context"));
        return Ok(());
    };
    if config.contexts.remove(name).is_none() {
        return Err(format!("error: cannot delete context {name}, not in {PATH}\n"));
    }
    if *name == config.current {
        k.eprint(
            "warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n",
        );
    }
    k.print(&format!("deleted context {name} from {PATH}\n"));
    Ok(())
}

fn rename_context(k: &mut Kubectl<'_>, config: &mut Config, rest: &[String]) -> Result<(), String> {
    let [old, new] = rest else {
        return Err(unexpected_args(k, "config rename-context", rest));
    };
    if !config.contexts.contains_key(old) {
        return Err(format!("error: cannot rename the context {}, it's not in {PATH}\n", super::cli::go_quote(old)));
    }
    if config.contexts.contains_key(new) {
        return Err(format!(
            "error: cannot rename the context {}, the context {} already exists in {PATH}\n",
            super::cli::go_quote(old),
            super::cli::go_quote(new)
        ));
    }
    if let Some(context) = config.contexts.remove(old) {
        *config.contexts.get_or_insert_with(new, Context::default) = context;
    }
    if config.current == *old {
        config.current = new.clone();
    }
    k.print(&format!("Context {} renamed to {}.\n", super::cli::go_quote(old), super::cli::go_quote(new)));
    Ok(())
}
