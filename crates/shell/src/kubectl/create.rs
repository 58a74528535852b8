//! `kubectl create serviceaccount|namespace|token|secret|configmap|role|
//! clusterrole|rolebinding|clusterrolebinding|deployment|job|service`.

use saplay_cluster::api::Request;
use serde_json::{json, Value};

use super::output::{self, Format};
use super::patch::{dry_run, DryRun};
use super::printers;
use super::{api_error, api_message, Args, Kubectl};

/// `kubectl create …`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some((what, rest)) = args.positional.split_first() else {
        // `kubectl create` with neither a subcommand nor -f: its flags are
        // checked before it asks for a file.
        return super::apply::run(k, args, super::apply::Mode::Create);
    };
    // After `--` a word names no subcommand.
    let what = if k.before_dash == Some(0) { "" } else { what.as_str() };
    match what {
        "serviceaccount" | "sa" => service_account(k, args, rest),
        "namespace" | "ns" => namespace(k, args, rest),
        "secret" => secret(k, args, rest),
        "token" => token(k, args, rest),
        "role" => role(k, args, rest, true),
        "clusterrole" => role(k, args, rest, false),
        "rolebinding" => binding(k, args, rest, true),
        "clusterrolebinding" => binding(k, args, rest, false),
        "deployment" | "deploy" => deployment(k, args, rest),
        "job" => job(k, args, rest),
        "configmap" | "cm" => config_map(k, args, rest),
        "service" | "svc" => service(k, args, rest),
        // kubectl lists every argument it could not place.
        _ => Err(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl create -h' for help and examples\n",
            args.positional.join(" ")
        )),
    }
}

/// The subcommand's one NAME among `rest`, the words after the `words`
/// that named the subcommand: kubectl counts only those before `--`.
fn exactly_one<'a>(k: &Kubectl<'_>, rest: &'a [String], words: usize, help: &str) -> Result<&'a str, String> {
    let count = k.before_dash.map_or(rest.len(), |n| n.saturating_sub(words).min(rest.len()));
    match rest {
        [name, ..] if count == 1 => Ok(name),
        _ => Err(format!(
            "error: exactly one NAME is required, got {count}\nSee 'kubectl create {help} -h' for help and examples\n"
        )),
    }
}

/// The words after a group's subcommand (`create secret -- generic`) name
/// no command.
fn after_dash(k: &Kubectl<'_>) -> bool {
    k.before_dash == Some(1)
}

fn service_account(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let name = exactly_one(k, rest, 1, "serviceaccount")?;
    let prepared = prepare(k, args)?;
    let namespace = k.namespace();
    let body =
        json!({"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": name, "namespace": namespace}});
    let path = format!("/api/v1/namespaces/{namespace}/serviceaccounts");
    submit(k, prepared, "serviceaccount", &path, body, Some("failed to create serviceaccount:"))
}

/// The container name `kubectl create deployment` derives from an image:
/// the last path part without tag or digest; one with `_` or `.` has them
/// made `-` and gets kubectl's random five-character suffix, here drawn
/// from a stream fixed by the seed, the instant and `salt` (the
/// deployment's name and the container's place).
fn container_name(k: &Kubectl<'_>, image: &str, salt: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let bare = last.split(':').next().unwrap_or(last);
    let bare = bare.split('@').next().unwrap_or(bare);
    if !bare.contains(['_', '.']) {
        return bare.to_string();
    }
    // FNV-1a over the instant and the salt: stable across builds.
    let text = format!("{} {salt}", k.cluster.now().rfc3339());
    let mixed = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let mut rng = saplay_cluster::rng::ClusterRng::from_seed(k.cluster.config().seed ^ mixed);
    format!("{}-{}", bare.replace(['_', '.'], "-"), rng.name_suffix(5))
}

/// A string-slice flag as pflag reads it: each value split at commas (an
/// empty value adds nothing, an empty item stays).
fn string_slice<'a>(args: &'a Args, names: &[&str]) -> Vec<&'a str> {
    args.values(names).into_iter().filter(|v| !v.is_empty()).flat_map(|v| v.split(',')).collect()
}

/// `kubectl create deployment NAME --image=IMAGE… [--replicas=N]
/// [--port=P] [-- COMMAND ARGS…]`.
fn deployment(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    if args.value(&["image"]).is_none() {
        return Err("error: required flag(s) \"image\" not set\n".to_string());
    }
    let images = string_slice(args, &["image"]);
    // Words before `--` name the deployment; the rest is the command.
    let split = k.before_dash.map(|n| n.saturating_sub(1)).unwrap_or(rest.len()).min(rest.len());
    let (names, command) = rest.split_at(split);
    let name = exactly_one(k, names, 1, "deployment")?;
    let prepared = prepare(k, args)?;
    if images.len() > 1 && !command.is_empty() {
        return Err("error: cannot specify multiple --image options and command\n".to_string());
    }
    let replicas: i64 = args.value(&["r", "replicas"]).and_then(|r| r.parse().ok()).unwrap_or(1);
    let port: i64 = args.value(&["port"]).and_then(|p| p.parse().ok()).unwrap_or(-1);
    let mut containers: Vec<Value> = images
        .iter()
        .enumerate()
        .map(|(index, image)| {
            let mut c = json!({"name": container_name(k, image, &format!("{name} {index}")), "resources": {}});
            if !image.is_empty() {
                c["image"] = json!(image);
            }
            if !command.is_empty() {
                c["command"] = json!(command);
            }
            c
        })
        .collect();
    if port >= 0 {
        if let Some(first) = containers.first_mut() {
            first["ports"] = json!([{"containerPort": port}]);
        }
    }
    let namespace = k.namespace();
    let labels = json!({"app": name});
    let body = json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"creationTimestamp": null, "labels": labels},
                "spec": {"containers": containers},
            },
            "strategy": {},
        },
        "status": {},
    });
    let path = format!("/apis/apps/v1/namespaces/{namespace}/deployments");
    submit(k, prepared, "deployment.apps", &path, body, Some("failed to create deployment:"))
}

/// `kubectl create job NAME --image=IMAGE [-- COMMAND ARGS…]`: one pod
/// template whose container is named after the job, restarting `Never`.
/// `--from=cronjob/NAME` is refused: the playground serves no CronJobs.
fn job(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let split = k.before_dash.map(|n| n.saturating_sub(1)).unwrap_or(rest.len()).min(rest.len());
    let (names, command) = rest.split_at(split);
    let name = exactly_one(k, names, 1, "job")?;
    let prepared = prepare(k, args)?;
    let image = args.value(&["image"]).filter(|i| !i.is_empty());
    let from = args.value(&["from"]).filter(|f| !f.is_empty());
    if image.is_some() == from.is_some() {
        return Err("error: either --image or --from must be specified\n".to_string());
    }
    let Some(image) = image else {
        return Err(
            "error: \"kubectl create job --from\" is not available in this playground: it serves no CronJobs\n"
                .to_string(),
        );
    };
    let mut container = json!({"name": name, "image": image, "resources": {}});
    if !command.is_empty() {
        container["command"] = json!(command);
    }
    let namespace = k.namespace();
    let body = json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "template": {
                "metadata": {"creationTimestamp": null},
                "spec": {"containers": [container], "restartPolicy": "Never"},
            },
        },
        "status": {},
    });
    let path = format!("/apis/batch/v1/namespaces/{namespace}/jobs");
    submit(k, prepared, "job.batch", &path, body, Some("failed to create job:"))
}

/// The Service types of `kubectl create service`, by subcommand, with
/// the one-line summaries kubectl lists for them.
const SERVICE_TYPES: &[(&str, &str, &str)] = &[
    ("clusterip", "ClusterIP", "Create a ClusterIP service"),
    ("externalname", "ExternalName", "Create an ExternalName service"),
    ("loadbalancer", "LoadBalancer", "Create a LoadBalancer service"),
    ("nodeport", "NodePort", "Create a NodePort service"),
];

/// What `kubectl create service` without a type prints (to standard error,
/// failing): the group's help, in kubectl's words.
fn service_group_help() -> String {
    let mut text = String::from(
        "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n",
    );
    for (command, _, short) in SERVICE_TYPES {
        text.push_str(&format!("  {command:<15}{short}\n"));
    }
    text.push_str("\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    text
}

/// Why a `--tcp` port pair was refused: the messages kubectl passes on
/// from Go's `strconv` and from the API's port validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum PortPairError {
    /// The port is not an unsigned 16-bit number (`strconv.ParseUint`).
    #[error("strconv.ParseUint: parsing {}: {}", super::jsonpath::go_quote(.0), if *.1 { "value out of range" } else { "invalid syntax" })]
    Port(String, bool),
    /// The target port is a number outside 1-65535.
    #[error("must be between 1 and 65535, inclusive")]
    TargetNumber,
    /// The target port is neither a number nor a valid port name: the
    /// name's problems, joined with commas.
    #[error("{}", .0.join(","))]
    TargetName(Vec<String>),
}

/// Go's `strconv.ParseUint(text, 10, 16)`: digits only, at most 65535;
/// `Err(true)` when out of range, `Err(false)` for bad syntax.
fn parse_port16(text: &str) -> Result<i64, bool> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(false);
    }
    text.parse::<u16>().map(i64::from).map_err(|_| true)
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits; `None` when
/// it fails (bad syntax or out of range).
pub(super) fn go_atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>().ok()
}

/// The problems of a port name (`IsValidPortName`): at most 15 characters,
/// lowercase letters, digits and hyphens, at least one letter, no `--`, no
/// hyphen at either end.
fn port_name_problems(name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if name.len() > 15 {
        problems.push("must be no more than 15 characters".to_string());
    }
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        problems.push("must contain at least one letter (a-z)".to_string());
    } else if name.contains("--") {
        problems.push("must not contain consecutive hyphens (-)".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        problems.push("must not begin or end with a hyphen".to_string());
    }
    problems
}

/// One `--tcp` value, `PORT[:TARGET]` (kubectl reads the first two of its
/// `:`-separated parts): a Service port named after the value with `-` for
/// `:`, TCP, the target port a number or a port name (the port itself when
/// none is given), and the node port when one was asked for.
fn service_port(pair: &str, node_port: i64) -> Result<Value, PortPairError> {
    let mut parts = pair.split(':');
    let first = parts.next().unwrap_or_default();
    let port = parse_port16(first).map_err(|range| PortPairError::Port(first.to_string(), range))?;
    let target = match parts.next() {
        None => json!(port),
        Some(target) => match go_atoi(target) {
            Some(number) if (1..=65535).contains(&number) => json!(number),
            Some(_) => return Err(PortPairError::TargetNumber),
            None => {
                let problems = port_name_problems(target);
                if !problems.is_empty() {
                    return Err(PortPairError::TargetName(problems));
                }
                json!(target)
            }
        },
    };
    let mut service_port =
        json!({"name": pair.replace(':', "-"), "protocol": "TCP", "port": port, "targetPort": target});
    // kubectl's `int32(--node-port)`; 0 is left out.
    let node_port = node_port as i32;
    if node_port != 0 {
        service_port["nodePort"] = json!(node_port);
    }
    Ok(service_port)
}

/// `kubectl create service clusterip|nodeport|loadbalancer|externalname
/// NAME [--tcp=PORT[:TARGET]]…`: a Service selecting and labelled
/// `app=NAME`, checked in kubectl's order (the required
/// `--external-name`, the name, the output and dry-run flags, then the
/// ports and the external name, then each port pair).
#[inline(never)]
fn service(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let Some((command, names)) = rest.split_first() else {
        return Err(service_group_help());
    };
    let known = SERVICE_TYPES.iter().find(|(c, _, _)| c == command).filter(|_| !after_dash(k));
    let Some(&(_, service_type, _)) = known else {
        return Err(format!(
            "error: unknown command {}\nSee 'kubectl create service -h' for help and examples\n",
            super::jsonpath::go_quote(&rest.join(" "))
        ));
    };
    let external_name = args.value(&["external-name"]);
    if service_type == "ExternalName" && external_name.is_none() {
        return Err("error: required flag(s) \"external-name\" not set\n".to_string());
    }
    let name = exactly_one(k, names, 2, &format!("service {command}"))?;
    let prepared = Prepared { save_config: false, ..prepare(k, args)? };
    let cluster_ip = args.value(&["clusterip"]).unwrap_or_default();
    // A string-slice flag: each value split at commas, an empty one
    // adding nothing.
    let pairs: Vec<&str> =
        args.values(&["tcp"]).into_iter().filter(|v| !v.is_empty()).flat_map(|v| v.split(',')).collect();
    if cluster_ip != "None" && pairs.is_empty() && service_type != "ExternalName" {
        return Err("error: at least one tcp port specifier must be provided\n".to_string());
    }
    let external_name = external_name.unwrap_or_default();
    if service_type == "ExternalName" && !saplay_cluster::validation::is_dns1123_subdomain(external_name).is_empty() {
        return Err(format!("error: invalid service external name {external_name}\n"));
    }
    let node_port: i64 = args.value(&["node-port"]).and_then(|p| p.parse().ok()).unwrap_or(0);
    let ports = pairs
        .iter()
        .map(|pair| service_port(pair, node_port))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("error: {e}\n"))?;
    let mut spec = json!({"selector": {"app": name}, "type": service_type});
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    if !external_name.is_empty() {
        spec["externalName"] = json!(external_name);
    }
    if !cluster_ip.is_empty() {
        spec["clusterIP"] = json!(cluster_ip);
    }
    let namespace = k.namespace();
    let body = json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
        "spec": spec,
        "status": {"loadBalancer": {}},
    });
    let path = format!("/api/v1/namespaces/{namespace}/services");
    submit(k, prepared, "service", &path, body, Some(&format!("failed to create {service_type} service:")))
}

fn namespace(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let name = exactly_one(k, rest, 1, "namespace")?;
    let prepared = prepare(k, args)?;
    let body = json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name}, "spec": {}, "status": {}});
    submit(k, prepared, "namespace", "/api/v1/namespaces", body, None)
}

/// The suffix of `created` for a dry run.
pub(super) fn dry_run_suffix(dry: DryRun) -> &'static str {
    match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    }
}

/// What a `create` subcommand reads from its flags before its own checks,
/// in kubectl's order (its `Complete` step, after the name): the dry-run
/// strategy, the printer and the validation directive; and whether
/// `--save-config` asks for the last-applied annotation (`create service`
/// ignores it).
struct Prepared {
    dry: DryRun,
    format: Format,
    validation: &'static str,
    save_config: bool,
}

fn prepare(k: &mut Kubectl<'_>, args: &Args) -> Result<Prepared, String> {
    let dry = dry_run(k, args)?;
    let format = output::parse_format(args, output::WRITE_FORMATS, "create", &|p| k.read_file(p))?;
    let validation = validation_directive(args)?;
    Ok(Prepared { dry, format, validation, save_config: args.is_set(&["save-config"]) })
}

/// The object as kubectl holds it before sending: the namespace only when
/// `-n` was given, `creationTimestamp: null`.
fn client_side(k: &Kubectl<'_>, mut body: Value) -> Value {
    if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
        if k.globals.namespace.is_none() {
            meta.remove("namespace");
        }
        meta.insert("creationTimestamp".to_string(), Value::Null);
    }
    body
}

/// `--save-config`: the object's compact JSON (struct order, HTML escaped,
/// the encoder's newline) in the last-applied annotation.
pub(super) fn save_config(k: &Kubectl<'_>, body: &mut Value) {
    let encoded = super::jsonpath::escape_html(&printers::ordered_json(&client_side(k, body.clone()), None)) + "\n";
    if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
        annotations[super::apply::LAST_APPLIED] = json!(encoded);
    }
}

/// kubectl's `GetValidationDirective`: `--validate` is a Go boolean or one
/// of `strict`, `warn`, `ignore`; the server's `fieldValidation` value.
pub(super) fn validation_directive(args: &Args) -> Result<&'static str, String> {
    let value = args.value(&["validate"]).unwrap_or("strict");
    match (super::cli::parse_bool(value), value) {
        (Some(true), _) | (None, "strict") => Ok("Strict"),
        (Some(false), _) | (None, "ignore") => Ok("Ignore"),
        (None, "warn") => Ok("Warn"),
        _ => Err(format!(
            "error: invalid - validate option {}; must be one of: strict (or true), warn, ignore (or false)\n",
            super::jsonpath::go_quote(value)
        )),
    }
}

/// Sends (or, with `--dry-run=client`, only prints) an object a `create`
/// subcommand built, and prints the result in the `-o` format. `wrap` is
/// the lead of the commands that wrap API errors (`error: failed to
/// create serviceaccount: …`; `create secret` writes no colon).
fn submit(
    k: &mut Kubectl<'_>,
    prepared: Prepared,
    kind_group: &str,
    path: &str,
    mut body: Value,
    wrap: Option<&str>,
) -> Result<(), String> {
    let Prepared { dry, format, validation, save_config: save } = prepared;
    if save {
        save_config(k, &mut body);
    }
    let object = if dry == DryRun::Client {
        client_side(k, body)
    } else {
        let mut url = format!("{path}?fieldManager=kubectl-create&fieldValidation={validation}");
        if dry == DryRun::Server {
            url.push_str("&dryRun=All");
        }
        let response = k.send(Request::post(url, body.to_string()));
        if !response.is_success() {
            return Err(match wrap {
                Some(lead) => format!("error: {lead} {}\n", api_message(&response)),
                None => api_error(&response, None),
            });
        }
        response.body
    };
    print_typed(k, &format, &object, kind_group, &format!("created{}", dry_run_suffix(dry)))
}

/// Prints an object kubectl holds as a typed Go value (`create`
/// subcommands): JSON keeps the struct's field order.
pub(super) fn print_typed(
    k: &mut Kubectl<'_>,
    format: &Format,
    object: &Value,
    kind_group: &str,
    operation: &str,
) -> Result<(), String> {
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    match format {
        Format::Json => k.print(&(super::jsonpath::escape_html(&printers::ordered_json(object, Some(4))) + "\n")),
        Format::Name => k.print(&format!("{kind_group}/{name}\n")),
        Format::Default | Format::Wide | Format::CustomColumns(_) => {
            k.print(&format!("{kind_group}/{name} {operation}\n"))
        }
        other => {
            if let Some((text, result)) = output::render(other, object) {
                k.print(&text);
                result?;
            }
        }
    }
    Ok(())
}

/// Parses a Go duration (`1h`, `10m`, `2h30m`, `90s`, `1500ms`) into
/// milliseconds.
pub(crate) fn parse_go_duration(text: &str) -> Option<i64> {
    go_duration_nanos(text).ok().map(|ns| (ns as f64 / 1e6).round() as i64)
}

/// Go's `time.ParseDuration`: nanoseconds, or its error message (`time:
/// invalid duration "…"`, `time: missing unit in duration "…"`, `time:
/// unknown unit "…" in duration "…"`), which kubectl passes on.
pub(crate) fn go_duration_nanos(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", super::jsonpath::go_quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let is_number = |c: char| c.is_ascii_digit() || c == '.';
    let mut total: u64 = 0;
    while !rest.is_empty() {
        if !rest.starts_with(is_number) {
            return Err(invalid());
        }
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let (whole, tail) = rest.split_at(digits);
        let value: u64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid())? };
        let (fraction, tail) = match tail.strip_prefix('.') {
            Some(after) => after.split_at(after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len())),
            None => ("", tail),
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid());
        }
        let unit_len = tail.find(is_number).unwrap_or(tail.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", super::jsonpath::go_quote(text)));
        }
        let (unit, tail) = tail.split_at(unit_len);
        let scale: u64 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    super::jsonpath::go_quote(unit),
                    super::jsonpath::go_quote(text)
                ))
            }
        };
        let mut part = value.checked_mul(scale).ok_or_else(invalid)?;
        if !fraction.is_empty() {
            let digits = fraction.len().min(18);
            let f: u64 = fraction[..digits].parse().map_err(|_| invalid())?;
            part =
                part.checked_add((f as f64 * (scale as f64 / 10f64.powi(digits as i32))) as u64).ok_or_else(invalid)?;
        }
        total = total.checked_add(part).filter(|t| *t <= i64::MAX as u64).ok_or_else(invalid)?;
        rest = tail;
    }
    let total = total as i64;
    Ok(if negative { -total } else { total })
}

fn token(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let name = exactly_one(k, rest, 1, "token")?;
    let format = output::parse_format(args, output::WRITE_FORMATS, "create", &|p| k.read_file(p))?;
    if name.is_empty() {
        return Err("error: service account name is required\n".to_string());
    }
    let namespace = k.namespace();
    let mut spec = serde_json::Map::new();
    if let Some(duration) = args.value(&["duration"]) {
        let ns = go_duration_nanos(duration).map_err(|e| {
            format!("error: invalid argument \"{duration}\" for \"--duration\" flag: {e}\nSee 'kubectl create token --help' for usage.\n")
        })?;
        if ns < 0 {
            return Err("error: --duration must be greater than or equal to 0\n".to_string());
        }
        if ns % 1_000_000_000 != 0 {
            return Err("error: --duration cannot be expressed in units less than seconds\n".to_string());
        }
        if ns > 0 {
            spec.insert("expirationSeconds".to_string(), json!(ns / 1_000_000_000));
        }
    }
    let audiences = args.values(&["audience"]);
    if audiences.iter().any(|a| a.is_empty()) {
        return Err("error: --audience must not be an empty string\n".to_string());
    }
    if !audiences.is_empty() {
        spec.insert("audiences".to_string(), json!(audiences));
    }
    let kind = args.value(&["bound-object-kind"]).unwrap_or_default();
    let object_name = args.value(&["bound-object-name"]).unwrap_or_default();
    let object_uid = args.value(&["bound-object-uid"]).unwrap_or_default();
    if kind.is_empty() {
        if !object_name.is_empty() {
            return Err("error: --bound-object-name can only be set if --bound-object-kind is provided\n".to_string());
        }
        if !object_uid.is_empty() {
            return Err("error: --bound-object-uid can only be set if --bound-object-kind is provided\n".to_string());
        }
    } else {
        if !matches!(kind, "Node" | "Pod" | "Secret") {
            return Err("error: supported --bound-object-kind values are Node, Pod, Secret\n".to_string());
        }
        if object_name.is_empty() {
            return Err("error: --bound-object-name is required if --bound-object-kind is provided\n".to_string());
        }
        let mut reference = json!({"kind": kind, "apiVersion": "v1", "name": object_name});
        if !object_uid.is_empty() {
            reference["uid"] = json!(object_uid);
        }
        spec.insert("boundObjectRef".to_string(), reference);
    }
    let body = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "metadata": {"creationTimestamp": null}, "spec": Value::Object(spec)});
    let response =
        k.send(Request::post(format!("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token"), body.to_string()));
    if !response.is_success() {
        return Err(format!("error: failed to create token: {}\n", api_message(&response)));
    }
    match &format {
        Format::Default => {
            let token = response.body["status"]["token"].as_str().unwrap_or_default().to_string();
            if token.is_empty() {
                return Err("error: failed to create token: no token in server response\n".to_string());
            }
            k.print(&format!("{token}\n"));
        }
        other => print_typed(k, other, &response.body, "tokenrequest.authentication.k8s.io", "created")?,
    }
    Ok(())
}

/// The type and data key of `kubectl create secret docker-registry`.
const DOCKER_CONFIG_JSON: (&str, &str) = ("kubernetes.io/dockerconfigjson", ".dockerconfigjson");

/// `kubectl create secret generic NAME [--type=T] [--from-literal=K=V]…
/// [--from-file=[K=]PATH]… [--from-env-file=PATH]…`, and `kubectl create
/// secret docker-registry NAME (--docker-username=U --docker-password=P
/// [--docker-email=E] [--docker-server=S] | --from-file=[K=]PATH…)`.
fn secret(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let Some((kind, rest)) = rest.split_first() else {
        // No kind: kubectl prints the group's help and fails.
        return Err(super::help::render("create secret"));
    };
    let docker = kind == "docker-registry";
    if !(docker || kind == "generic") || after_dash(k) {
        // kubectl names every word it could not place.
        let words: Vec<&str> = std::iter::once(kind.as_str()).chain(rest.iter().map(String::as_str)).collect();
        return Err(format!(
            "error: unknown command {}\nSee 'kubectl create secret -h' for help and examples\n",
            super::jsonpath::go_quote(&words.join(" "))
        ));
    }
    let name = exactly_one(k, rest, 2, &format!("secret {kind}"))?;
    let prepared = prepare(k, args)?;
    let (secret_type, data) = if docker {
        (DOCKER_CONFIG_JSON.0, docker_config(k, args)?)
    } else {
        (args.value(&["type"]).unwrap_or_default(), data_sources(k, args, &Holder::Secret)?)
    };
    let name = hashed_name(args, "Secret", name, &data, Some(secret_type));
    let namespace = k.namespace();
    let mut body = json!({"kind": "Secret", "apiVersion": "v1", "metadata": {"name": name, "namespace": namespace}});
    if !data.is_empty() {
        body["data"] = Value::Object(data);
    }
    if !secret_type.is_empty() {
        body["type"] = json!(secret_type);
    }
    let path = format!("/api/v1/namespaces/{namespace}/secrets");
    submit(k, prepared, "secret", &path, body, Some("failed to create secret"))
}

/// The data of `create secret docker-registry`: the `--from-file` keys (a
/// path without a key is `.dockerconfigjson`), or else one
/// `.dockerconfigjson` made of the `--docker-*` flags as kubectl's Go
/// struct encodes it: `{"auths":{SERVER:{…}}}`, the fields in the
/// struct's order, empty ones left out, `auth` the base64 of `USER:PASSWORD`,
/// HTML characters escaped.
fn docker_config(k: &Kubectl<'_>, args: &Args) -> Result<serde_json::Map<String, Value>, String> {
    use base64::Engine;
    let flag = |name: &str| args.value(&[name]).unwrap_or_default();
    let server = args.value(&["docker-server"]).unwrap_or("https://index.docker.io/v1/");
    let (user, password) = (flag("docker-username"), flag("docker-password"));
    let from_files = !string_slice(args, &["from-file"]).is_empty();
    if !from_files && (user.is_empty() || password.is_empty() || server.is_empty()) {
        return Err("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n".to_string());
    }
    if from_files {
        return data_sources(k, args, &Holder::Docker);
    }
    let base64 = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    let quote = |text: &str| Value::from(text).to_string();
    let auth = base64(&format!("{user}:{password}"));
    let fields: Vec<String> =
        [("username", user), ("password", password), ("email", flag("docker-email")), ("auth", &auth)]
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(field, value)| format!("\"{field}\":{}", quote(value)))
            .collect();
    let config = format!("{{\"auths\":{{{}:{{{}}}}}}}", quote(server), fields.join(","));
    let encoded = base64(&super::jsonpath::escape_html(&config));
    Ok([(DOCKER_CONFIG_JSON.1.to_string(), json!(encoded))].into_iter().collect())
}

const STANDARD_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// The (group, resource) pairs kubectl allows a special verb on.
fn special_verb_resources(verb: &str) -> Option<&'static [(&'static str, &'static str)]> {
    const RBAC: &str = "rbac.authorization.k8s.io";
    match verb {
        "use" => Some(&[("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")]),
        "bind" | "escalate" => Some(&[(RBAC, "roles"), (RBAC, "clusterroles")]),
        "impersonate" => Some(&[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
            ("authentication.k8s.io", "uids"),
        ]),
        _ => None,
    }
}

/// A string-slice flag's items, owned (an empty item between commas
/// stays, as pflag keeps it).
fn comma_values(args: &Args, names: &[&str]) -> Vec<String> {
    string_slice(args, names).into_iter().map(str::to_string).collect()
}

/// The verbs a rule on non-resource URLs may have.
const NON_RESOURCE_VERBS: [&str; 8] = ["*", "get", "post", "put", "delete", "patch", "head", "options"];

/// `values` without repeats, in the order first given.
fn unique(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for value in values {
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    kept
}

/// kubectl's checks of `--non-resource-url`s and the verbs given with them.
fn check_non_resource_urls(urls: &[String], verbs: &[String]) -> Result<(), String> {
    for url in urls.iter().filter(|u| *u != "*") {
        if !url.starts_with('/') {
            return Err("error: nonResourceURL should start with /\n".to_string());
        }
        if url[..url.len() - 1].contains('*') {
            return Err("error: nonResourceURL only supports wildcard matches when '*' is at the end\n".to_string());
        }
    }
    if !urls.is_empty() {
        if let Some(verb) = verbs.iter().find(|v| !NON_RESOURCE_VERBS.contains(&v.as_str())) {
            return Err(format!("error: invalid verb: '{verb}' for nonResourceURL\n"));
        }
    }
    Ok(())
}

/// `--aggregation-rule=KEY=VALUE,…` (repeatable, merged), as pflag's
/// string-to-string flag reads it; `None` when not given.
/// `--aggregation-rule` as kubectl's map flag reads it (the parser has
/// checked every pair): keys and values trimmed, empty pairs skipped;
/// `None` when no label is given.
fn aggregation_rule(args: &Args) -> Option<serde_json::Map<String, Value>> {
    let mut labels = serde_json::Map::new();
    for value in args.values(&["aggregation-rule"]) {
        for pair in value.split(',').filter(|p| !p.is_empty()) {
            let (key, label) = pair.split_once('=').unwrap_or((pair, ""));
            labels.insert(key.trim().to_string(), json!(label.trim()));
        }
    }
    (!labels.is_empty()).then_some(labels)
}

/// `kubectl create clusterrole NAME --aggregation-rule=…`: a ClusterRole
/// whose rules the aggregation controller fills in.
fn aggregated_cluster_role(
    k: &mut Kubectl<'_>,
    args: &Args,
    prepared: Prepared,
    name: &str,
    labels: serde_json::Map<String, Value>,
) -> Result<(), String> {
    let others = ["non-resource-url", "verb", "resource", "resource-name"];
    if others.iter().any(|flag| !args.values(&[flag]).is_empty()) {
        return Err(
            "error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n"
                .to_string(),
        );
    }
    let body = json!({
        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": labels}]},
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": name},
        "rules": null,
    });
    submit(
        k,
        prepared,
        "clusterrole.rbac.authorization.k8s.io",
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        body,
        None,
    )
}

/// `kubectl create role|clusterrole NAME --verb=… --resource=…`, with
/// kubectl's generator: verbs and resources deduplicated (`*` alone stands
/// for all), one rule per API group in the groups' sorted order, and its
/// checks (special verbs only on their resources); resource names go into
/// every rule.
fn role(k: &mut Kubectl<'_>, args: &Args, rest: &[String], namespaced: bool) -> Result<(), String> {
    let kind = if namespaced { "role" } else { "clusterrole" };
    let name = exactly_one(k, rest, 1, kind)?;
    let prepared = prepare(k, args)?;
    if !namespaced {
        if let Some(selector) = aggregation_rule(args) {
            return aggregated_cluster_role(k, args, prepared, name, selector);
        }
    }
    let urls = if namespaced { Vec::new() } else { unique(comma_values(args, &["non-resource-url"])) };
    let mut verbs: Vec<String> = Vec::new();
    for verb in comma_values(args, &["verb"]) {
        if verb == "*" {
            verbs = vec![verb];
            break;
        }
        if !verbs.contains(&verb) {
            verbs.push(verb);
        }
    }
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified\n".to_string());
    }
    // (resource, group, subresource) as given.
    let mut specs: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for spec in comma_values(args, &["resource"]) {
        let (main, sub) = match spec.split_once('/') {
            Some((main, sub)) => (main.to_string(), Some(sub.to_string())),
            None => (spec.clone(), None),
        };
        let (resource, group) = match main.split_once('.') {
            Some((resource, group)) => (resource.to_string(), Some(group.to_string())),
            None => (main, None),
        };
        if resource == "*" && group.is_none() && sub.is_none() {
            specs = vec![(resource, None, None)];
            break;
        }
        specs.push((resource, group, sub));
    }
    if specs.is_empty() && urls.is_empty() {
        return Err(if namespaced {
            "error: at least one resource must be specified\n".to_string()
        } else {
            "error: one of resource or nonResourceURL must be specified\n".to_string()
        });
    }
    check_non_resource_urls(&urls, &verbs)?;
    for verb in verbs.iter().filter(|_| !specs.is_empty()) {
        if !STANDARD_VERBS.contains(&verb.as_str()) {
            k.eprint(&format!("Warning: '{verb}' is not a standard resource verb\n"));
        }
    }
    // Each resource as the API names it: (group, plural[/subresource]).
    let mut resolved: Vec<(String, String)> = Vec::new();
    for (resource, group, sub) in &specs {
        if resource.is_empty() {
            return Err("error: resource must be specified if apiGroup/subresource specified\n".to_string());
        }
        let known = if resource == "*" {
            None
        } else {
            let query = match group {
                Some(group) => format!("{resource}.{group}"),
                None => resource.clone(),
            };
            // kubectl's mapper takes everything after the first dot as the
            // group, so `deployments.v1.apps` names a group `v1.apps`.
            saplay_cluster::resource::lookup(&query).filter(|r| group.as_deref().is_none_or(|g| g == r.group))
        };
        let (group_name, plural) = match known {
            Some(r) => (r.group.to_string(), r.plural.to_string()),
            None => (group.clone().unwrap_or_default(), resource.clone()),
        };
        if resource != "*" {
            for verb in &verbs {
                if let Some(allowed) = special_verb_resources(verb) {
                    if !allowed.contains(&(group_name.as_str(), plural.as_str())) {
                        return Err(format!("error: can not perform '{verb}' on '{plural}' in group '{group_name}'\n"));
                    }
                }
            }
            let special = verbs.iter().any(|v| special_verb_resources(v).is_some());
            if known.is_none() && !special {
                return Err(match group {
                    Some(group) => {
                        format!("the server doesn't have a resource type \"{resource}\" in group \"{group}\"\n")
                    }
                    None => format!("the server doesn't have a resource type \"{resource}\"\n"),
                });
            }
        }
        let full = match sub {
            Some(sub) => format!("{plural}/{sub}"),
            None => plural,
        };
        resolved.push((group_name, full));
    }
    // kubectl v1.32 puts the names in every rule, whatever the number of
    // resources.
    let names = unique(args.values(&["resource-name"]).into_iter().map(str::to_string));
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for (group, resource) in resolved {
        let list = groups.entry(group).or_default();
        if !list.contains(&resource) {
            list.push(resource);
        }
    }
    let mut rules: Vec<Value> = groups
        .into_iter()
        .map(|(group, resources)| {
            let mut rule = json!({"apiGroups": [group], "resources": resources, "verbs": verbs});
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect();
    if !urls.is_empty() {
        rules.push(json!({"nonResourceURLs": urls, "verbs": verbs}));
    }
    let namespace = k.namespace();
    let (body, path) = if namespaced {
        (
            json!({"kind": "Role", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": name, "namespace": namespace}, "rules": rules}),
            format!("/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles"),
        )
    } else {
        (
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": name}, "rules": rules}),
            "/apis/rbac.authorization.k8s.io/v1/clusterroles".to_string(),
        )
    };
    submit(k, prepared, &format!("{kind}.rbac.authorization.k8s.io"), &path, body, None)
}

/// `kubectl create rolebinding|clusterrolebinding NAME --role|--clusterrole
/// … --user … --group … --serviceaccount NS:NAME …`.
fn binding(k: &mut Kubectl<'_>, args: &Args, rest: &[String], namespaced: bool) -> Result<(), String> {
    let kind = if namespaced { "rolebinding" } else { "clusterrolebinding" };
    // `--clusterrole` is a required flag of `create clusterrolebinding`:
    // cobra checks that it was given (even empty) before the command runs.
    if !namespaced && args.value(&["clusterrole"]).is_none() {
        return Err("error: required flag(s) \"clusterrole\" not set\n".to_string());
    }
    let name = exactly_one(k, rest, 1, kind)?;
    let prepared = prepare(k, args)?;
    let role = args.value(&["role"]).filter(|r| !r.is_empty());
    let cluster_role = args.value(&["clusterrole"]);
    let role_ref = match (role, cluster_role) {
        (None, Some(r)) if !namespaced || !r.is_empty() => {
            json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": r})
        }
        (Some(r), None | Some("")) if namespaced => {
            json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": r})
        }
        _ => return Err("error: exactly one of clusterrole or role must be specified\n".to_string()),
    };
    // Each of --user, --group and --serviceaccount is a repeatable flag
    // whose values kubectl takes whole (no splitting at commas).
    let mut subjects = Vec::new();
    for user in args.values(&["user"]) {
        subjects.push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}));
    }
    for group in args.values(&["group"]) {
        subjects.push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}));
    }
    for sa in args.values(&["serviceaccount"]) {
        // Exactly NAMESPACE:NAME: a username (system:serviceaccount:NS:NAME)
        // or a list is refused.
        let parts: Vec<&str> = sa.split(':').collect();
        let [ns, sa_name] = parts[..] else {
            return Err("error: serviceaccount must be <namespace>:<name>\n".to_string());
        };
        if ns.is_empty() || sa_name.is_empty() {
            return Err("error: serviceaccount must be <namespace>:<name>\n".to_string());
        }
        subjects.push(json!({"kind": "ServiceAccount", "name": sa_name, "namespace": ns}));
    }
    let namespace = k.namespace();
    let mut body = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": if namespaced { "RoleBinding" } else { "ClusterRoleBinding" },
        "metadata": {"name": name}, "roleRef": role_ref});
    if !subjects.is_empty() {
        body["subjects"] = json!(subjects);
    }
    let path = if namespaced {
        body["metadata"]["namespace"] = json!(namespace);
        format!("/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings")
    } else {
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings".to_string()
    };
    submit(
        k,
        prepared,
        &format!("{kind}.rbac.authorization.k8s.io"),
        &path,
        body,
        Some(&format!("failed to create {kind}:")),
    )
}

/// `kubectl create configmap NAME [--from-literal=K=V]… [--from-file=[K=]PATH]…
/// [--from-env-file=PATH]…`.
fn config_map(k: &mut Kubectl<'_>, args: &Args, rest: &[String]) -> Result<(), String> {
    let name = exactly_one(k, rest, 1, "configmap")?;
    let prepared = prepare(k, args)?;
    let data = data_sources(k, args, &Holder::ConfigMap(name))?;
    let name = hashed_name(args, "ConfigMap", name, &data, None);
    let namespace = k.namespace();
    let mut body = json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": name, "namespace": namespace}});
    if !data.is_empty() {
        body["data"] = Value::Object(data);
    }
    let path = format!("/api/v1/namespaces/{namespace}/configmaps");
    submit(k, prepared, "configmap", &path, body, Some("failed to create configmap:"))
}

/// The name with `--append-hash`: `NAME-HASH`, the hash kubectl makes of
/// the kind, name and data (and a Secret's type) as sorted compact JSON,
/// the first ten hex digits of its SHA-256 with `0 1 3 a e` made
/// `g h k m t`; without the flag, the name.
fn hashed_name(
    args: &Args,
    kind: &str,
    name: &str,
    data: &serde_json::Map<String, Value>,
    secret_type: Option<&str>,
) -> String {
    if !args.is_set(&["append-hash"]) {
        return name.to_string();
    }
    let quote = |text: &str| Value::from(text).to_string();
    let mut keys: Vec<&String> = data.keys().collect();
    keys.sort();
    let pairs: Vec<String> =
        keys.iter().map(|key| format!("{}:{}", quote(key), quote(data[*key].as_str().unwrap_or_default()))).collect();
    let mut encoded = format!("{{\"data\":{{{}}},\"kind\":{},\"name\":{}", pairs.join(","), quote(kind), quote(name));
    if let Some(secret_type) = secret_type {
        encoded.push_str(&format!(",\"type\":{}", quote(secret_type)));
    }
    encoded.push('}');
    let digest = sha256(super::jsonpath::escape_html(&encoded).as_bytes());
    let hash: String = digest
        .iter()
        .take(5)
        .flat_map(|b| [b >> 4, b & 0x0f])
        .map(|nibble| match nibble {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            10 => 'm',
            14 => 't',
            n => char::from_digit(u32::from(n), 16).unwrap_or('x'),
        })
        .collect();
    format!("{name}-{hash}")
}

/// SHA-256 (FIPS 180-4), for `--append-hash`.
fn sha256(message: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut state: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut padded = message.to_vec();
    padded.push(0x80);
    while padded.len() % 64 != 56 {
        padded.push(0);
    }
    padded.extend_from_slice(&(message.len() as u64).wrapping_mul(8).to_be_bytes());
    for block in padded.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = bytes.iter().fold(0, |acc, b| (acc << 8) | u32::from(*b));
        }
        for i in 16..64 {
            let (a, b) = (w[i - 15], w[i - 2]);
            let s0 = a.rotate_right(7) ^ a.rotate_right(18) ^ (a >> 3);
            let s1 = b.rotate_right(17) ^ b.rotate_right(19) ^ (b >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = state;
        for (k, w) in K.iter().zip(w) {
            let [a, b, c, d, e, f, g, h] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let t1 = h.wrapping_add(s1).wrapping_add((e & f) ^ (!e & g)).wrapping_add(*k).wrapping_add(w);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let t2 = s0.wrapping_add((a & b) ^ (a & c) ^ (b & c));
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (s, x) in state.iter_mut().zip(v) {
            *s = s.wrapping_add(x);
        }
    }
    let mut digest = [0u8; 32];
    for (out, word) in digest.chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// What holds the keys `--from-literal`, `--from-file` and `--from-env-file`
/// make (kubectl words its errors differently for each).
enum Holder<'a> {
    /// A Secret: values base64-encoded.
    Secret,
    /// A `docker-registry` Secret: as `Secret`, a `--from-file` path
    /// without a key named `.dockerconfigjson`.
    Docker,
    /// The ConfigMap of that name: values as they are.
    ConfigMap(&'a str),
}

impl Holder<'_> {
    /// kubectl's refusal of a key with `problems` (the Secret's words
    /// differ from the ConfigMap's, down to the separator).
    fn invalid_key(&self, key: &str, problems: &[&str]) -> String {
        match self {
            Holder::Secret | Holder::Docker => {
                format!("error: {key:?} is not valid key name for a Secret {}\n", problems.join(";"))
            }
            Holder::ConfigMap(_) => {
                format!("error: {key:?} is not a valid key name for a ConfigMap: {}\n", problems.join(","))
            }
        }
    }

    fn duplicate_key(&self, key: &str) -> String {
        match self {
            Holder::Secret | Holder::Docker => {
                format!("error: cannot add key {key}, another key by that name already exists\n")
            }
            Holder::ConfigMap(name) => format!(
                "error: cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}\n"
            ),
        }
    }
}

/// The `data` of `kubectl create secret generic` (and `docker-registry`
/// with `--from-file`) or `create configmap`,
/// from the sources in kubectl's order: files, literals, env files.
fn data_sources(k: &Kubectl<'_>, args: &Args, holder: &Holder<'_>) -> Result<serde_json::Map<String, Value>, String> {
    // A string slice, as kubectl reads it: split at commas.
    let files = string_slice(args, &["from-file"]);
    let literals = args.values(&["from-literal"]);
    let env_files = args.values(&["from-env-file"]);
    if !env_files.is_empty() && (!files.is_empty() || !literals.is_empty()) {
        return Err("error: from-env-file cannot be combined with from-file or from-literal\n".to_string());
    }
    let mut data = serde_json::Map::new();
    let mut add = |key: &str, value: &str| -> Result<(), String> {
        let problems = config_key_problems(key);
        if !problems.is_empty() {
            return Err(holder.invalid_key(key, &problems));
        }
        if data.contains_key(key) {
            return Err(holder.duplicate_key(key));
        }
        let value = match holder {
            Holder::Secret | Holder::Docker => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(value.as_bytes())
            }
            Holder::ConfigMap(_) => value.to_string(),
        };
        data.insert(key.to_string(), json!(value));
        Ok(())
    };
    let unreadable = |path: &str| format!("error: error reading {path}: no such file or directory\n");
    for source in files {
        let keyed;
        let source = match holder {
            Holder::Docker if !source.contains('=') => {
                keyed = format!("{}={source}", DOCKER_CONFIG_JSON.1);
                keyed.as_str()
            }
            _ => source,
        };
        if source.matches('=').count() > 1 {
            return Err("error: key names or file paths cannot contain '='\n".to_string());
        }
        let (key, path) = match source.split_once('=') {
            Some(("", path)) => return Err(format!("error: key name for file path {path} missing\n")),
            Some((key, "")) => return Err(format!("error: file path for key name {key} missing\n")),
            Some((key, path)) => (Some(key), path),
            None => (None, source),
        };
        match (key, k.list_files(path)) {
            // A directory: each regular file in it, named by its file name.
            (None, Some(names)) => {
                for name in names {
                    let file = format!("{}/{name}", path.trim_end_matches('/'));
                    add(&name, &k.read_file(&file).ok_or_else(|| unreadable(&file))?)?;
                }
            }
            (Some(_), Some(_)) => {
                return Err("error: cannot give a key name for a directory path\n".to_string());
            }
            (key, None) => {
                let text = k.read_file(path).ok_or_else(|| unreadable(path))?;
                add(key.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path)), &text)?;
            }
        }
    }
    for literal in literals {
        match literal.split_once('=') {
            Some((key, value)) if !key.is_empty() => add(key, value)?,
            _ => return Err(format!("error: invalid literal source {literal}, expected key=value\n")),
        }
    }
    for path in env_files {
        let text = k.read_file(path).ok_or_else(|| unreadable(path))?;
        for (number, line) in text.lines().enumerate() {
            let line = if number == 0 { line.trim_start_matches('\u{feff}') } else { line };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            if !is_env_var_name(key) {
                return Err(format!(
                    "error: {key:?} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')\n"
                ));
            }
            add(key, value)?;
        }
    }
    Ok(data)
}

/// The problems of a ConfigMap or Secret key (`IsConfigMapKey`), in its
/// order: the length, the characters, then `.`, `..` or a `..` prefix.
fn config_key_problems(key: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if key.len() > 253 {
        problems.push("must be no more than 253 characters");
    }
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        problems.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
    match key {
        "." => problems.push("must not be '.'"),
        ".." => problems.push("must not be '..'"),
        _ if key.starts_with("..") => problems.push("must not start with '..'"),
        _ => {}
    }
    problems
}

/// Whether `name` is an environment variable name as Kubernetes allows
/// (`[-._a-zA-Z][-._a-zA-Z0-9]*`).
pub(super) fn is_env_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'))
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_pairs_are_read_as_kubectl_reads_them() {
        let ok =
            |pair: &str| service_port(pair, 0).map(|p| (p["name"].clone(), p["port"].clone(), p["targetPort"].clone()));
        assert_eq!(ok("80"), Ok((json!("80"), json!(80), json!(80))));
        assert_eq!(ok("80:8080"), Ok((json!("80-8080"), json!(80), json!(8080))));
        assert_eq!(ok("443:https"), Ok((json!("443-https"), json!(443), json!("https"))));
        // Only the first two parts count; the name keeps them all.
        assert_eq!(ok("80:abc:1"), Ok((json!("80-abc-1"), json!(80), json!("abc"))));
        // Go's Atoi takes a sign and leading zeros.
        assert_eq!(ok("0:+5"), Ok((json!("0-+5"), json!(0), json!(5))));
        assert_eq!(ok("80:00080"), Ok((json!("80-00080"), json!(80), json!(80))));
        let err = |pair: &str| service_port(pair, 0).map_err(|e| e.to_string()).err().unwrap_or_default();
        assert_eq!(err("+80"), "strconv.ParseUint: parsing \"+80\": invalid syntax");
        assert_eq!(err("65536"), "strconv.ParseUint: parsing \"65536\": value out of range");
        assert_eq!(err("80:-1"), "must be between 1 and 65535, inclusive");
        assert_eq!(err("80:a--b"), "must not contain consecutive hyphens (-)");
        assert_eq!(
            err("80:99999999999999999999"),
            "must be no more than 15 characters,must contain at least one letter (a-z)"
        );
        assert_eq!(service_port("80", 30080).map(|p| p["nodePort"].clone()), Ok(json!(30080)));
        assert_eq!(service_port("80", 1 << 32).map(|p| p.get("nodePort").is_none()), Ok(true));
    }

    #[test]
    fn sha256_and_the_append_hash() {
        let hex = |digest: [u8; 32]| digest.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // Two blocks.
        assert_eq!(hex(sha256(&[b'a'; 200])), "c2a908d98f5df987ade41b5fce213067efbcc21ef2240212a41e54b5e7c28ae5");
        let args = Args { positional: Vec::new(), flags: vec![("append-hash".to_string(), "true".to_string())] };
        let data = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        // Names the real kubectl v1.32 gave.
        assert_eq!(hashed_name(&args, "ConfigMap", "a", &data(&[("a", "b")]), None), "a-75d544dcc8");
        assert_eq!(hashed_name(&args, "ConfigMap", "a", &data(&[]), None), "a-586ff7h6km");
        assert_eq!(hashed_name(&args, "ConfigMap", "a", &data(&[("a", "<")]), None), "a-2cbh5mmcc8");
        assert_eq!(hashed_name(&args, "Secret", "a", &data(&[("a", "Yg==")]), Some("")), "a-648mt2ck52");
        assert_eq!(hashed_name(&args, "Secret", "a", &data(&[]), Some("x")), "a-t29b6fhfm6");
    }

    #[test]
    fn go_durations() {
        for (text, ms) in [
            ("1h", Some(3_600_000)),
            ("10m", Some(600_000)),
            ("2h30m", Some(9_000_000)),
            ("1500ms", Some(1500)),
            ("0", Some(0)),
            ("1.5h", Some(5_400_000)),
            ("-5m", Some(-300_000)),
            ("5", None),
            ("abc", None),
            ("", None),
        ] {
            assert_eq!(parse_go_duration(text), ms, "{text}");
        }
        // Go's own messages, which kubectl passes on.
        for (text, expected) in [
            ("1d", Err(r#"time: unknown unit "d" in duration "1d""#)),
            ("24hours", Err(r#"time: unknown unit "hours" in duration "24hours""#)),
            ("3600", Err(r#"time: missing unit in duration "3600""#)),
            ("1h30", Err(r#"time: missing unit in duration "1h30""#)),
            ("abc", Err(r#"time: invalid duration "abc""#)),
            (".h", Err(r#"time: invalid duration ".h""#)),
            ("", Err(r#"time: invalid duration """#)),
            ("9999999999h", Err(r#"time: invalid duration "9999999999h""#)),
            ("2562047h", Ok(2_562_047 * 3_600_000_000_000)),
            ("1.5s", Ok(1_500_000_000)),
            (".5s", Ok(500_000_000)),
            ("1ns", Ok(1)),
            ("2\u{b5}s", Ok(2_000)),
            ("+1m", Ok(60_000_000_000)),
        ] {
            assert_eq!(go_duration_nanos(text), expected.map_err(str::to_string), "{text}");
        }
    }
}
