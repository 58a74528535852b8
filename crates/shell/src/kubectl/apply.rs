//! `kubectl apply -f` and `kubectl create -f`: manifests from a file of the
//! session or from standard input (`-f -`).
//!
//! Apply is client-side apply: a new object is created with the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation; an
//! existing one is patched with a strategic merge patch computed from the
//! last applied configuration, the new one and the live object (fields
//! dropped since the last apply are removed), and reported as `configured`,
//! or `unchanged` when nothing differs.

use saplay_cluster::api::Request;
use saplay_cluster::decode::{expand_lists, parse_manifests, DecodeError};
use saplay_cluster::patch::child_path;
use saplay_cluster::resource::{self, ResourceInfo};
use serde_json::{json, Map, Value};

use super::output::{self, Format};
use super::patch::DryRun;
use super::{api_error, Args, Kubectl};

/// The annotation client-side apply keeps its last configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Whether we create or apply.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Create,
    Apply,
    /// `kubectl replace -f` (`--force`: delete, then create).
    Replace,
}

/// How deep `-R` follows subdirectories (the playground's files are the
/// learner's own; this only bounds the walk).
const MAX_DEPTH: usize = 32;

/// The manifest files in `dir`, by name; with `recursive`, those in its
/// subdirectories too, in filepath.Walk's order.
fn manifests_under(k: &Kubectl<'_>, dir: &str, recursive: bool, depth: usize, out: &mut Vec<String>) {
    let files = k.list_files(dir).unwrap_or_default().into_iter().map(|n| (n, false));
    let dirs = if recursive && depth < MAX_DEPTH { k.list_dirs(dir) } else { Vec::new() };
    let mut names: Vec<(String, bool)> = files.chain(dirs.into_iter().map(|n| (n, true))).collect();
    names.sort();
    for (name, is_dir) in names {
        let path = format!("{dir}/{name}");
        if is_dir {
            manifests_under(k, &path, recursive, depth + 1, out);
        } else if [".json", ".yaml", ".yml"].iter().any(|ext| name.ends_with(ext)) {
            out.push(path);
        }
    }
}

/// Reads `-f` sources into (source name, documents).
pub(super) fn read_sources(k: &Kubectl<'_>, args: &Args) -> Result<Vec<(String, Vec<Value>)>, String> {
    let files = args.values(&["f", "filename"]);
    if files.is_empty() {
        return Err("error: must specify one of -f and -k\n".to_string());
    }
    // A directory stands for its .json, .yaml and .yml files, by name; with
    // -R, those of its subdirectories too, each where it falls in the
    // order of names (Go's filepath.Walk).
    let recursive = args.is_set(&["R", "recursive"]);
    let mut paths: Vec<String> = Vec::new();
    for file in files {
        match k.list_files(file) {
            Some(_) => {
                let mut chosen = Vec::new();
                manifests_under(k, file.trim_end_matches('/'), recursive, 0, &mut chosen);
                if chosen.is_empty() {
                    return Err(format!(
                        "error: error reading [{file}]: recognized file extensions are [.json .yaml .yml]\n"
                    ));
                }
                paths.extend(chosen);
            }
            None => paths.push(file.to_string()),
        }
    }
    let mut sources = Vec::new();
    for file in &paths {
        let file = file.as_str();
        let (name, text) = if file == "-" {
            ("STDIN".to_string(), k.stdin.clone().unwrap_or_default())
        } else if let Some(url) = file.strip_prefix("https://").or_else(|| file.strip_prefix("http://")) {
            // kubectl downloads URLs; the playground has no network, and
            // answers as kubectl does on a machine without one.
            let host = url.split(['/', ':', '?', '#']).next().unwrap_or_default();
            return Err(format!("Unable to connect to the server: dial tcp: lookup {host}: no such host\n"));
        } else {
            let text = k.read_file(file).ok_or_else(|| format!("error: the path \"{file}\" does not exist\n"))?;
            (file.to_string(), text)
        };
        // kubectl reads text that starts with `{` as a stream of JSON
        // values (Go's json.Decoder), with its errors; other text as YAML.
        let documents = if text.trim_start().starts_with('{') {
            json_documents(&name, &text)?
        } else {
            parse_manifests(&text).map_err(|e| match e {
                DecodeError::Syntax { line, message, .. } => {
                    let detail = super::check::syntax_message(line, &message);
                    format!("error: error parsing {name}: error converting YAML to JSON: {detail}\n")
                }
                other => format!("error: error parsing {name}: {other}\n"),
            })?
        };
        sources.push((name, expand_lists(documents)));
    }
    Ok(sources)
}

/// The values of a JSON stream (one after another, as Go's json.Decoder
/// reads them), or kubectl's error naming `name`.
fn json_documents(name: &str, text: &str) -> Result<Vec<Value>, String> {
    use saplay_cluster::gojson::{stream_error, StreamError};
    match stream_error(text) {
        Some(StreamError::Syntax { offset, message }) => {
            Err(format!("error: error parsing {name}: json: offset {offset}: {message}\n"))
        }
        Some(StreamError::UnexpectedEof) => Err(format!("error: error parsing {name}: unexpected EOF\n")),
        None => serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("error: error parsing {name}: {e}\n")),
    }
}

/// `kubectl create -f` / `kubectl apply -f`, with kubectl's checks of the
/// flags first, in its order.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args, mode: Mode) -> Result<(), String> {
    let out = match mode {
        Mode::Create => check_create_flags(k, args)?,
        Mode::Apply => check_apply_flags(k, args)?,
        Mode::Replace => check_replace_flags(k, args)?,
    };
    if let Some(raw) = args.value(&["raw"]).filter(|r| !r.is_empty() && mode != Mode::Apply) {
        // Checked by check_create_flags and check_replace_flags: exactly one file.
        let file = args.values(&["f", "filename"]).first().map(|f| f.to_string());
        let method = if mode == Mode::Create { super::get::RawMethod::Post } else { super::get::RawMethod::Put };
        return super::get::raw_write(k, method, raw, file.as_deref());
    }
    if args.value(&["f", "filename"]).is_none() && args.value(&["k", "kustomize"]).is_some_and(|d| !d.is_empty()) {
        let command = match mode {
            Mode::Apply => "apply",
            Mode::Create => "create",
            Mode::Replace => "replace",
        };
        return Err(format!("error: \"kubectl {command} -k\" (kustomize) is not available in this playground\n"));
    }
    let sources = read_sources(k, args)?;
    if mode == Mode::Create && args.is_set(&["edit"]) {
        return Err("error: \"kubectl create --edit\" is not available in this playground\n".to_string());
    }
    if sources.iter().all(|(_, documents)| documents.is_empty()) && mode != Mode::Replace {
        // An empty file (or a here-document that ended up empty).
        let verb = if mode == Mode::Create { "create" } else { "apply" };
        return Err(format!("error: no objects passed to {verb}\n"));
    }
    let mut errors = String::new();
    for (source, documents) in sources {
        for document in documents {
            if let Err(e) = one(k, &source, document, mode, &out) {
                errors.push_str(&e);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `kubectl create -f`'s checks before it reads a file, in its order.
fn check_create_flags(k: &mut Kubectl<'_>, args: &Args) -> Result<Out, String> {
    if !args.positional.is_empty() {
        return Err(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl create -h' for help and examples\n",
            args.positional.join(" ")
        ));
    }
    let dry = super::patch::dry_run(k, args)?;
    let validation = super::create::validation_directive(args)?;
    let format = output::parse_format(args, output::WRITE_FORMATS, "create", &|p| k.read_file(p))?;
    let files = args.values(&["f", "filename"]);
    if files.is_empty() && args.value(&["k", "kustomize"]).is_none_or(str::is_empty) {
        return Err("error: must specify one of -f and -k\n".to_string());
    }
    if let Some(raw) = args.value(&["raw"]).filter(|r| !r.is_empty()) {
        if args.is_set(&["edit"]) {
            return Err("error: --raw and --edit are mutually exclusive\n".to_string());
        }
        super::get::check_raw_write(args, raw, &files, true)?;
    }
    Ok(Out { format: Ok(format), dry, validation, force: None })
}

/// `kubectl replace`'s checks before it reads a file, in its order: its
/// Complete (the flags' values, the delete options `--force` uses), then
/// its Validate.
fn check_replace_flags(k: &mut Kubectl<'_>, args: &Args) -> Result<Out, String> {
    let validation = super::create::validation_directive(args)?;
    let dry = super::patch::dry_run(k, args)?;
    let format = output::parse_format(args, output::WRITE_FORMATS, "replace", &|p| k.read_file(p))?;
    let cascade = super::get::cascade(k, args)?;
    let files = args.values(&["f", "filename"]);
    if files.is_empty() && args.value(&["k", "kustomize"]).is_none_or(str::is_empty) {
        return Err("error: must specify one of -f and -k\n".to_string());
    }
    let force = args.is_set(&["force"]);
    let grace: i64 = args.value(&["grace-period"]).and_then(|g| g.parse().ok()).unwrap_or(-1);
    if grace >= 0 && !force {
        return Err("error: --grace-period must have --force specified\n".to_string());
    }
    let timeout = args.value(&["timeout"]).map_or(Ok(0), super::create::go_duration_nanos)?;
    if timeout != 0 && !force {
        return Err("error: --timeout must have --force specified\n".to_string());
    }
    if force && dry != DryRun::None {
        return Err("error: --dry-run can not be used when --force is set\n".to_string());
    }
    if let Some(raw) = args.value(&["raw"]).filter(|r| !r.is_empty()) {
        super::get::check_raw_write(args, raw, &files, true)?;
    }
    // kubectl keeps the words for `--force`'s delete, whose builder then
    // refuses them beside -f; without `--force` they are not used at all
    // (`kubectl replace serviceaccount default -f sa.yaml` replaces from
    // the file).
    if force && !args.positional.is_empty() {
        return Err(
            "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n"
                .to_string(),
        );
    }
    // A grace period of 0 is sent as 1 (and waited for), as kubectl does,
    // so the deletion is reported as `deleted`, never `force deleted`.
    let deleted = super::get::Deleted { verb: "deleted", name_only: matches!(format, Format::Name) };
    let force = force.then(|| ForceReplace {
        grace: (grace >= 0).then_some(grace.max(1)),
        cascade,
        timeout_millis: if timeout > 0 { timeout / 1_000_000 } else { 300_000 },
        deleted,
    });
    Ok(Out { format: Ok(format), dry, validation, force })
}

/// `kubectl apply`'s checks before it reads a file, in its order. The
/// printer is only made when a result is printed: a bad `-o` is reported
/// after the object was applied, as kubectl does.
fn check_apply_flags(k: &mut Kubectl<'_>, args: &Args) -> Result<Out, String> {
    if !args.positional.is_empty() {
        return Err(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl apply -h' for help and examples\n",
            args.positional.join(" ")
        ));
    }
    let dry = super::patch::dry_run(k, args)?;
    match args.value(&["cascade"]) {
        None | Some("background" | "foreground" | "orphan") => {}
        Some(value) => match super::cli::parse_bool(value) {
            Some(true) => k.eprint(
                "warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n",
            ),
            Some(false) => k.eprint(
                "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n",
            ),
            None => {
                return Err(format!(
                    "error: invalid cascade value ({value}). Must be \"background\", \"foreground\", or \"orphan\"\n"
                ))
            }
        },
    }
    let files = args.values(&["f", "filename"]);
    let kustomize = args.value(&["k", "kustomize"]).unwrap_or_default();
    if files.is_empty() && kustomize.is_empty() {
        return Err("error: must specify one of -f and -k\n".to_string());
    }
    let validation = super::create::validation_directive(args)?;
    let server_side = args.is_set(&["server-side"]);
    let force = args.is_set(&["force"]);
    let all = args.is_set(&["all"]);
    let prune = args.is_set(&["prune"]);
    let selector = args.value(&["l", "selector"]).unwrap_or_default();
    if args.is_set(&["force-conflicts"]) && !server_side {
        return Err("error: --force-conflicts only works with --server-side\n".to_string());
    }
    if dry == DryRun::Client && server_side {
        return Err(
            "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n"
                .to_string(),
        );
    }
    if server_side && force {
        return Err("error: --force cannot be used with --server-side\n".to_string());
    }
    if dry == DryRun::Server && force {
        return Err("error: --dry-run=server cannot be used with --force\n".to_string());
    }
    if all && !selector.is_empty() {
        return Err("error: cannot set --all and --selector at the same time\n".to_string());
    }
    if prune && !all && selector.is_empty() {
        return Err("error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n".to_string());
    }
    if prune {
        for gvk in args.values(&["prune-allowlist"]) {
            if gvk.split('/').count() != 3 {
                return Err(format!(
                    "error: invalid GroupVersionKind format: {gvk}, please follow <group/version/kind>\n"
                ));
            }
        }
    }
    if args.value(&["subresource"]).is_some_and(|s| !s.is_empty()) && !server_side {
        return Err("error: --subresource can only be specified for --server-side\n".to_string());
    }
    if !files.is_empty() && !kustomize.is_empty() {
        return Err("error: only one of -f or -k can be specified\n".to_string());
    }
    if server_side {
        return Err("error: \"kubectl apply --server-side\" is not available in this playground\n".to_string());
    }
    if prune {
        return Err("error: \"kubectl apply --prune\" is not available in this playground\n".to_string());
    }
    let format = output::parse_format(args, output::WRITE_FORMATS, "apply", &|p| k.read_file(p));
    Ok(Out { format, dry, validation, force: None })
}

fn one(k: &mut Kubectl<'_>, source: &str, mut object: Value, mode: Mode, out: &Out) -> Result<(), String> {
    let api_version = object["apiVersion"].as_str().unwrap_or_default().to_string();
    let kind = object["kind"].as_str().unwrap_or_default().to_string();
    if out.validation == "Ignore" {
        // Without client-side validation the decoder needs a kind.
        if kind.is_empty() {
            return Err(format!(
                "error: unable to decode {source:?}: Object 'Kind' is missing in '{}'\n",
                serde_json::to_string(&object).unwrap_or_default()
            ));
        }
    } else if let Some(missing) = missing_type(&api_version, &kind) {
        return Err(format!(
            "error: error validating {source:?}: error validating data: {missing}; if you choose to ignore these errors, turn validation off with --validate=false\n"
        ));
    }
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let Some(r) = resource::by_kind(&api_version, &kind).filter(|r| !r.is_review() || mode == Mode::Create) else {
        let namespace = object["metadata"]["namespace"].as_str().unwrap_or_default();
        return Err(format!(
            "error: resource mapping not found for name: {name:?} namespace: {namespace:?} from {source:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first\n"
        ));
    };
    let namespace = if r.namespaced {
        let ns = object["metadata"]["namespace"].as_str().map(str::to_string).unwrap_or_else(|| k.namespace());
        if let Some(explicit) = &k.globals.namespace {
            if *explicit != ns {
                return Err(format!(
                    "error: the namespace from the provided object {ns:?} does not match the namespace {explicit:?}. You must pass '--namespace={ns}' to perform this operation.\n"
                ));
            }
        }
        // Metadata that is not a map is the server's to refuse.
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("namespace".to_string(), json!(ns));
        }
        Some(ns)
    } else {
        None
    };
    match mode {
        Mode::Create => create(k, r, namespace.as_deref(), source, &object, out),
        Mode::Apply => apply(k, r, namespace.as_deref(), source, object, out),
        Mode::Replace => match out.force {
            Some(force) => force_replace(k, r, namespace.as_deref(), source, object, out, force),
            None => replace(k, r, namespace.as_deref(), source, object, out),
        },
    }
}

fn create(
    k: &mut Kubectl<'_>,
    r: &ResourceInfo,
    namespace: Option<&str>,
    source: &str,
    object: &Value,
    out: &Out,
) -> Result<(), String> {
    if out.dry == DryRun::Client {
        return report(k, out, r, object, "created");
    }
    let path = format!(
        "{}?fieldManager=kubectl-create&fieldValidation={}{}",
        r.collection_path(namespace),
        out.validation,
        server_dry_run(out)
    );
    let response = k.send(Request::post(path, object.to_string()));
    if !response.is_success() {
        return Err(api_error(&response, Some(source)));
    }
    // Reviews have no name: kubectl's name printer shows `KIND/ created`.
    report(k, out, r, &response.body, "created")
}

fn apply(
    k: &mut Kubectl<'_>,
    r: &ResourceInfo,
    namespace: Option<&str>,
    source: &str,
    mut object: Value,
    out: &Out,
) -> Result<(), String> {
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
    // How kubectl names the object in its errors (resource.Info's String).
    let info = format!(
        "Resource: \"{g}/{v}, Resource={plural}\", GroupVersionKind: \"{g}/{v}, Kind={kind}\"\nName: {name:?}, Namespace: {ns:?}",
        g = r.group,
        v = r.version,
        plural = r.plural,
        kind = r.kind,
        ns = namespace.unwrap_or_default(),
    );
    let retrieving = format!("retrieving current configuration of:\n{info}\nfrom server for:");
    if name.is_empty() {
        // kubectl's client refuses to look an unnamed object up (often a
        // manifest whose `name:` lost its indentation under `metadata:`).
        if object["metadata"]["generateName"].as_str().is_some_and(|g| !g.is_empty()) {
            return Err(format!("error: from {source}: cannot use generate name with apply\n"));
        }
        return Err(format!("error: error when {retrieving} {source:?}: resource name may not be empty\n"));
    }
    let annotation = serde_json::to_string(&without_last_applied(&object)).unwrap_or_default() + "\n";
    let live = k.send(Request::get(r.object_path(namespace, &name)));
    if live.code == 404 {
        set_last_applied(&mut object, &annotation);
        if out.dry == DryRun::Client {
            return report(k, out, r, &object, "created");
        }
        let path = format!(
            "{}?fieldManager=kubectl-client-side-apply&fieldValidation={}{}",
            r.collection_path(namespace),
            out.validation,
            server_dry_run(out)
        );
        let response = k.send(Request::post(path, object.to_string()));
        if !response.is_success() {
            return Err(api_error(&response, Some(source)));
        }
        return report(k, out, r, &response.body, "created");
    }
    if !live.is_success() {
        return Err(super::api_error_when(&live, Some((&retrieving, source))));
    }
    let previous = live.body["metadata"]["annotations"][LAST_APPLIED].as_str().map(str::to_string);
    if previous.is_none() {
        k.eprint(&format!(
            "Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            r.group_resource()
        ));
    }
    let last: Value = previous.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or(Value::Null);
    let new = without_last_applied(&object);
    let mut patch = three_way(&last, &new, &live.body, r.kind, "");
    if patch.as_object().is_some_and(Map::is_empty) && previous.as_deref() == Some(annotation.as_str()) {
        return report(k, out, r, &live.body, "unchanged");
    }
    set_last_applied(&mut patch, &annotation);
    if out.dry == DryRun::Client {
        return report(k, out, r, &live.body, "configured");
    }
    let path = format!(
        "{}?fieldManager=kubectl-client-side-apply&fieldValidation={}{}",
        r.object_path(namespace, &name),
        out.validation,
        server_dry_run(out)
    );
    let response = k.send(Request::patch(path, "application/strategic-merge-patch+json", patch.to_string()));
    if !response.is_success() {
        let patch = super::jsonpath::escape_html(&patch.to_string());
        let applying = format!("applying patch:\n{patch}\nto:\n{info}\nfor:");
        return Err(super::api_error_when(&response, Some((&applying, source))));
    }
    report(k, out, r, &response.body, "configured")
}

/// What kubectl's validation says of a manifest without `apiVersion` or
/// `kind`: one message alone, two as a list.
fn missing_type(api_version: &str, kind: &str) -> Option<String> {
    match (api_version.is_empty(), kind.is_empty()) {
        (true, true) => Some("[apiVersion not set, kind not set]".to_string()),
        (true, false) => Some("apiVersion not set".to_string()),
        (false, true) => Some("kind not set".to_string()),
        (false, false) => None,
    }
}

/// How results are printed and sent: the `-o` format (or why there is
/// none), the `--dry-run` strategy and the server's `fieldValidation`.
pub(super) struct Out {
    format: Result<Format, String>,
    dry: DryRun,
    validation: &'static str,
    /// `replace --force`: how the object is deleted first.
    force: Option<ForceReplace>,
}

/// What `kubectl replace --force` deletes with, and how long it waits for
/// the object to go.
#[derive(Clone, Copy)]
pub(super) struct ForceReplace {
    /// `--grace-period` (0 sent as 1), else the object's own.
    grace: Option<i64>,
    /// `--cascade`'s propagation policy (background when `None`).
    cascade: Option<&'static str>,
    /// `--timeout`, else kubectl's five minutes.
    timeout_millis: i64,
    /// How the deletion is reported, as `kubectl delete` reports one.
    deleted: super::get::Deleted,
}

fn server_dry_run(out: &Out) -> &'static str {
    if out.dry == DryRun::Server {
        "&dryRun=All"
    } else {
        ""
    }
}

/// `kubectl replace -f`: the object as written replaces the stored one
/// (a PUT). Without a resourceVersion in the file, kubectl takes the
/// stored one's, so the replace does not conflict.
fn replace(
    k: &mut Kubectl<'_>,
    r: &ResourceInfo,
    namespace: Option<&str>,
    source: &str,
    mut object: Value,
    out: &Out,
) -> Result<(), String> {
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
    if name.is_empty() {
        return Err("error: resource name may not be empty\n".to_string());
    }
    let path = r.object_path(namespace, &name);
    if object["metadata"]["resourceVersion"].as_str().is_none_or(str::is_empty) {
        let current = k.send(Request::get(path.clone()));
        if !current.is_success() {
            return Err(super::api_error_when(&current, Some(("replacing", source))));
        }
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".to_string(), current.body["metadata"]["resourceVersion"].clone());
        }
    }
    if out.dry == DryRun::Client {
        return report(k, out, r, &object, "replaced");
    }
    let query = format!("?fieldManager=kubectl-replace&fieldValidation={}{}", out.validation, server_dry_run(out));
    let response = k.send(Request::put(format!("{path}{query}"), object.to_string()));
    if !response.is_success() {
        return Err(super::api_error_when(&response, Some(("replacing", source))));
    }
    report(k, out, r, &response.body, "replaced")
}

/// `kubectl replace --force -f`: deletes the object (one that is not there
/// is skipped), waits until it is gone — on the simulated clock, as a
/// pod's grace period passes — and creates it from the file.
fn force_replace(
    k: &mut Kubectl<'_>,
    r: &ResourceInfo,
    namespace: Option<&str>,
    source: &str,
    mut object: Value,
    out: &Out,
    force: ForceReplace,
) -> Result<(), String> {
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
    if name.is_empty() {
        return Err("error: resource name may not be empty\n".to_string());
    }
    let path = r.object_path(namespace, &name);
    let query: Vec<String> = force
        .grace
        .map(|g| format!("gracePeriodSeconds={g}"))
        .into_iter()
        .chain(force.cascade.map(|policy| format!("propagationPolicy={policy}")))
        .collect();
    let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    let deleted = k.send(Request::delete(format!("{path}{query}")));
    if deleted.is_success() {
        force.deleted.print(k, r, &name, DryRun::None);
        // Gone, or given up after `--timeout` (five minutes) of simulated time.
        let until = k.cluster.now().plus_millis(force.timeout_millis);
        let mut steps = 0;
        while k.send(Request::get(path.clone())).is_success() {
            if !k.advance_toward(until, &mut steps) {
                return Err("error: timed out waiting for the condition\n".to_string());
            }
        }
    } else if deleted.code != 404 {
        return Err(super::api_error_when(&deleted, Some(("replacing", source))));
    }
    // Created afresh: client-go's Create clears the resourceVersion.
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("resourceVersion");
    }
    let created = k.send(Request::post(
        format!("{}?fieldManager=kubectl-replace&fieldValidation={}", r.collection_path(namespace), out.validation),
        object.to_string(),
    ));
    if !created.is_success() {
        return Err(super::api_error_when(&created, Some(("replacing", source))));
    }
    report(k, out, r, &created.body, "replaced")
}

/// Prints what happened to one object: `KIND/NAME OPERATION`, or the
/// object in the `-o` format.
fn report(k: &mut Kubectl<'_>, out: &Out, r: &ResourceInfo, object: &Value, operation: &str) -> Result<(), String> {
    // The name printer's word for an object without a name (a review).
    let name = object["metadata"]["name"].as_str().filter(|n| !n.is_empty()).unwrap_or("<unknown>");
    let suffix = super::create::dry_run_suffix(out.dry);
    let format = out.format.as_ref().map_err(String::clone)?;
    match format {
        Format::Name => k.print(&format!("{}/{name}\n", r.kind_group())),
        Format::Default | Format::Wide | Format::CustomColumns(_) => {
            k.print(&format!("{}/{name} {operation}{suffix}\n", r.kind_group()))
        }
        other => {
            let mut object = object.clone();
            if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("managedFields");
            }
            if let Some((text, result)) = output::render(other, &object) {
                k.print(&text);
                result?;
            }
        }
    }
    Ok(())
}

/// Sets the last-applied annotation. Like kubectl, which keeps
/// annotations in a map, anything that is not a map (a list written by
/// mistake) is replaced by one; metadata that is not a map is left alone
/// for the server to refuse.
fn set_last_applied(object: &mut Value, annotation: &str) {
    let Some(meta) = object.as_object_mut().map(|o| o.entry("metadata").or_insert_with(|| json!({}))) else {
        return;
    };
    if meta.is_null() {
        *meta = json!({});
    }
    let Some(meta) = meta.as_object_mut() else { return };
    let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
    if !annotations.is_object() {
        *annotations = json!({});
    }
    if let Some(map) = annotations.as_object_mut() {
        map.insert(LAST_APPLIED.to_string(), json!(annotation));
    }
}

fn without_last_applied(object: &Value) -> Value {
    // get_mut, not indexing: indexing a missing key would insert a null.
    // Like kubectl, it keeps an empty `annotations` map (adding one when
    // there was none), so the recorded configuration reads
    // `"metadata":{"annotations":{},…}`.
    let mut copy = object.clone();
    if let Some(meta) = copy.get_mut("metadata").and_then(Value::as_object_mut) {
        match meta.get_mut("annotations") {
            Some(Value::Object(annotations)) => {
                annotations.remove(LAST_APPLIED);
            }
            Some(Value::Null) | None => {
                meta.insert("annotations".to_string(), json!({}));
            }
            Some(_) => {}
        }
    }
    copy
}

/// The patch that takes `live` to `new`, removing what `last` set and `new`
/// no longer does, for the object at `path` (dotted, `""` at the top) of a
/// `kind`: maps recursively; lists upstream merges on a key (containers by
/// `name`, a Service's ports by `port`: [`saplay_cluster::patch::merge_key`], the server's
/// own table) item by item, as kubectl's strategic merge patch does; other
/// lists and scalars are replaced. So what the server added (defaults, the
/// token volume admission mounts, a node port) is not sent back, and an
/// unchanged manifest applied again is `unchanged`.
fn three_way(last: &Value, new: &Value, live: &Value, kind: &str, path: &str) -> Value {
    let mut patch = Map::new();
    if let (Some(new_map), live_map) = (new.as_object(), live.as_object()) {
        for (key, value) in new_map {
            let live_value = live_map.and_then(|m| m.get(key)).unwrap_or(&Value::Null);
            let last_value = last.get(key).unwrap_or(&Value::Null);
            let merge_key = saplay_cluster::patch::merge_key(kind, path, key);
            match value {
                Value::Object(_) => {
                    let sub = three_way(last_value, value, live_value, kind, &child_path(path, key));
                    if sub.as_object().is_some_and(|m| !m.is_empty()) {
                        patch.insert(key.clone(), sub);
                    }
                }
                Value::Array(items) if merge_key.is_some_and(|m| items.iter().all(|i| i.get(m).is_some())) => {
                    let merge_key = merge_key.unwrap_or_default();
                    let item_path = child_path(path, &format!("{key}[]"));
                    if let Some(list) = list_patch(last_value, items, live_value, merge_key, kind, &item_path) {
                        patch.insert(key.clone(), list);
                    }
                }
                _ if value != live_value => {
                    patch.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        for key in last.as_object().into_iter().flat_map(|m| m.keys()) {
            if !new_map.contains_key(key) {
                patch.insert(key.clone(), Value::Null);
            }
        }
    }
    Value::Object(patch)
}

/// The strategic merge patch that takes `original` to `edited` (what
/// `kubectl edit` sends): the three-way patch with the original as both the
/// last applied and the live object.
pub(super) fn two_way(original: &Value, edited: &Value, kind: &str) -> Value {
    three_way(original, edited, original, kind, "")
}

/// The strategic merge patch of a list merged on `merge_key`: each item of
/// `new` that the live list lacks, whole; for one it has, what differs (with
/// its key); a `$patch: delete` for each item `last` applied that `new`
/// dropped. `None` when there is nothing to send.
fn list_patch(last: &Value, new: &[Value], live: &Value, merge_key: &str, kind: &str, path: &str) -> Option<Value> {
    let find = |list: &Value, key: &Value| list.as_array()?.iter().find(|i| i.get(merge_key) == Some(key)).cloned();
    let mut items = Vec::new();
    for item in new {
        let key = item.get(merge_key).cloned().unwrap_or(Value::Null);
        match find(live, &key) {
            None => items.push(item.clone()),
            Some(live_item) => {
                let last_item = find(last, &key).unwrap_or(Value::Null);
                let mut sub = three_way(&last_item, item, &live_item, kind, path);
                if let Some(map) = sub.as_object_mut().filter(|m| !m.is_empty()) {
                    map.insert(merge_key.to_string(), key);
                    items.push(sub);
                }
            }
        }
    }
    for old in last.as_array().into_iter().flatten() {
        let key = old.get(merge_key).cloned().unwrap_or(Value::Null);
        if !new.iter().any(|i| i.get(merge_key) == Some(&key)) {
            items.push(json!({ merge_key: key, "$patch": "delete" }));
        }
    }
    (!items.is_empty()).then_some(Value::Array(items))
}
