//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: reads
//! the object, sends the patch (or applies it locally for
//! `--dry-run=client`) and says whether anything changed.
//!
//! Also the helpers the other object-changing commands share: resolving
//! `TYPE NAME`/`TYPE/NAME` arguments and printing the outcome with `-o`.

use saplay_cluster::api::Request;
use saplay_cluster::decode::{parse_manifests, DecodeError};
use saplay_cluster::patch::PatchType;
use saplay_cluster::resource::{self, ResourceInfo};
use serde_json::{json, Value};

use super::cli::go_quote;
use super::output::Format;
use super::{api_error, Args, Kubectl};

/// `--dry-run`'s strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DryRun {
    /// Really change the object.
    None,
    /// Compute the result locally; send nothing.
    Client,
    /// Let the server run the request without saving (`dryRun=All`).
    Server,
}

/// Reads `--dry-run` (kubectl's wording for bad values; the bare flag
/// means client, with kubectl's deprecation warning).
pub(super) fn dry_run(k: &mut Kubectl<'_>, args: &Args) -> Result<DryRun, String> {
    let value = args.value(&["dry-run"]).unwrap_or("none");
    // kubectl's GetDryRunStrategy: a Go boolean is the old form of the flag.
    if let Some(old) = super::cli::parse_bool(value) {
        let (strategy, name) = if old { (DryRun::Client, "client") } else { (DryRun::None, "none") };
        let message =
            format!("--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={name}.");
        // The two messages are on lines 716 and 719 of kubectl's helpers.go.
        let line = klog_warning(&k.cluster.now().rfc3339(), if old { 716 } else { 719 }, &message);
        k.eprint(&line);
        return Ok(strategy);
    }
    match value {
        "none" => Ok(DryRun::None),
        "client" => Ok(DryRun::Client),
        "server" => Ok(DryRun::Server),
        // A bare --dry-run.
        "unchanged" => {
            let line = klog_warning(
                &k.cluster.now().rfc3339(),
                702,
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            );
            k.eprint(&line);
            Ok(DryRun::Client)
        }
        other => Err(format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n")),
    }
}

/// A klog warning line as kubectl writes it (`Wmmdd hh:mm:ss.micros PID
/// file:line] message`), at the cluster's time, from kubectl v1.32's
/// `helpers.go` line `line`; the process id is the playground's own.
fn klog_warning(rfc3339: &str, line: u32, message: &str) -> String {
    let part = |from: usize, to: usize| rfc3339.get(from..to).unwrap_or("00");
    let time = rfc3339.get(11..19).unwrap_or("00:00:00");
    format!("W{}{} {time}.000000    4242 helpers.go:{line}] {message}\n", part(5, 7), part(8, 10))
}

impl DryRun {
    /// The suffix kubectl adds to its message.
    pub(super) fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }

    /// The query parameter the server sees.
    pub(super) fn query(self) -> &'static str {
        match self {
            DryRun::Server => "&dryRun=All",
            _ => "",
        }
    }
}

/// The resource a kubectl type argument names, or kubectl's error.
pub(super) fn resolve(name: &str) -> Result<&'static ResourceInfo, String> {
    resource::lookup(name).filter(|r| !r.is_review()).ok_or_else(|| no_resource_type(name))
}

/// kubectl's error for a type argument the server does not serve. It names
/// the resource part only: `serviceaccounts.v1` is read as the resource
/// `serviceaccounts` of a group `v1`, and kubectl says it has no
/// `"serviceaccounts"`.
pub(super) fn no_resource_type(name: &str) -> String {
    let resource = name.split('.').next().unwrap_or(name);
    format!("error: the server doesn't have a resource type \"{resource}\"\n")
}

const SEPARATE_TYPE: &str = "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n";

/// `TYPE NAME…` or `TYPE/NAME…` arguments as (resource, name) pairs.
pub(super) fn targets(words: &[String]) -> Result<Vec<(&'static ResourceInfo, String)>, String> {
    let Some(first) = words.first() else {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".to_string());
    };
    if let Some(pairs) = super::type_name_pairs(words)? {
        let mut found = Vec::new();
        for (kind, name) in pairs {
            found.push((resolve(&kind)?, name));
        }
        return Ok(found);
    }
    let mut found = Vec::new();
    let kinds: Vec<&'static ResourceInfo> = first.split(',').map(resolve).collect::<Result<_, _>>()?;
    let names = words.get(1..).unwrap_or_default();
    if names.is_empty() {
        return Err("error: resource(s) were provided, but no name was specified\n".to_string());
    }
    for r in kinds {
        for name in names {
            if name.contains('/') {
                return Err(SEPARATE_TYPE.to_string());
            }
            found.push((r, name.clone()));
        }
    }
    Ok(found)
}

/// What the selection flags ask the resource builder for: `--all`,
/// `-l/--selector` and `--field-selector` (kubectl ignores blank ones).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Selectors<'a> {
    /// `--all`: a lone type means every object of it.
    pub all: bool,
    /// `-l`, when not blank.
    pub labels: Option<&'a str>,
    /// `--field-selector`, when not blank.
    pub fields: Option<&'a str>,
}

impl<'a> Selectors<'a> {
    /// The flags as the command line set them (a command without one of
    /// them never has it set).
    pub(super) fn from_args(args: &'a Args) -> Self {
        let given = |flag: &[&str]| args.value(flag).filter(|s| !s.trim().is_empty());
        Selectors { all: args.is_set(&["all"]), labels: given(&["l", "selector"]), fields: given(&["field-selector"]) }
    }

    fn selecting(&self) -> bool {
        self.labels.is_some() || self.fields.is_some()
    }
}

/// What the arguments select: named objects, or every object of some
/// types that the selectors filter.
#[derive(Debug)]
pub(super) enum Selection {
    /// `TYPE NAME…` or `TYPE/NAME…`.
    Named(Vec<(&'static ResourceInfo, String)>),
    /// A lone `TYPE[,TYPE…]` with `--all`, `-l` or `--field-selector`.
    Listed(Vec<&'static ResourceInfo>),
    /// The objects of `-f` files, each with its namespace (the file's, or
    /// the current one), or why it cannot be used.
    Files(Vec<Result<FileObject, String>>),
}

/// One object of a `-f` file.
#[derive(Debug, Clone)]
pub(super) struct FileObject {
    pub r: &'static ResourceInfo,
    /// `None` for a cluster-scoped type.
    pub namespace: Option<String>,
    pub name: String,
    /// The object as the file has it (what `--local` works on).
    pub object: Value,
}

/// The resource builder with `-f` as well: the paths are read first (a
/// missing one is the first error), then files and arguments exclude each
/// other, then each document is mapped to its type.
pub(super) fn select_or_files(
    k: &mut Kubectl<'_>,
    args: &Args,
    words: &[String],
    selectors: Selectors<'_>,
) -> Result<Selection, String> {
    if args.values(&["f", "filename"]).is_empty() {
        return select(words, selectors);
    }
    let sources = super::apply::read_sources(k, args)?;
    if !words.is_empty() {
        let pairs = super::type_name_pairs(words)?;
        return Err(if pairs.is_some() {
            "error: resource/name arguments cannot be provided when a path is specified\n"
        } else {
            "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n"
        }
        .to_string());
    }
    let current = k.namespace();
    let explicit = k.globals.namespace.clone();
    let mut found = Vec::new();
    for (source, documents) in sources {
        for object in documents {
            let api_version = object["apiVersion"].as_str().unwrap_or_default();
            let kind = object["kind"].as_str().unwrap_or_default();
            let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
            let own = object["metadata"]["namespace"].as_str().map(str::to_string);
            let Some(r) = resource::by_kind(api_version, kind).filter(|r| !r.is_review()) else {
                found.push(Err(format!(
                    "error: resource mapping not found for name: {name:?} namespace: {:?} from {source:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first\n",
                    own.as_deref().unwrap_or_default()
                )));
                continue;
            };
            let namespace = if r.namespaced {
                let ns = own.unwrap_or_else(|| current.clone());
                if let Some(explicit) = explicit.as_ref().filter(|e| **e != ns) {
                    return Err(format!(
                        "error: the namespace from the provided object {ns:?} does not match the namespace {explicit:?}. You must pass '--namespace={ns}' to perform this operation.\n"
                    ));
                }
                Some(ns)
            } else {
                None
            };
            found.push(Ok(FileObject { r, namespace, name, object }));
        }
    }
    Ok(Selection::Files(found))
}

/// The resource builder's reading of `TYPE NAME…`, `TYPE/NAME…` or a lone
/// `TYPE` with the selection flags (kubectl's `ResourceTypeOrNameArgs`
/// then its visitor checks): names and selectors exclude each other,
/// before any request. `words` is not empty.
pub(super) fn select(words: &[String], selectors: Selectors<'_>) -> Result<Selection, String> {
    if check_names(words, selectors)? || words.len() > 1 {
        return targets(words).map(Selection::Named);
    }
    let kinds: Vec<&'static ResourceInfo> =
        words.iter().flat_map(|w| w.split(',')).map(resolve).collect::<Result<_, _>>()?;
    if selectors.all || selectors.selecting() {
        Ok(Selection::Listed(kinds))
    } else {
        Err("error: resource(s) were provided, but no name was specified\n".to_string())
    }
}

/// The builder's first checks: names (`TYPE NAME`, `TYPE/NAME`) exclude
/// label and field selectors. `Ok(true)` when the arguments are
/// `TYPE/NAME` pairs (or `a,b NAME…`, which kubectl reads as pairs).
pub(super) fn check_names(words: &[String], selectors: Selectors<'_>) -> Result<bool, String> {
    let pairs = super::type_name_pairs(words)?;
    let combined = pairs.is_some() || (words.len() > 1 && words.first().is_some_and(|w| w.contains(',')));
    if combined && selectors.selecting() {
        return Err(
            "error: selectors and the all flag cannot be used when passing resource/name arguments\n".to_string()
        );
    }
    if words.len() > 1 && selectors.selecting() {
        return Err("error: name cannot be provided when a selector is specified\n".to_string());
    }
    Ok(combined)
}

/// The objects a [`Selection`] stands for, each read from the server (or
/// the error reading it), listed types in the namespace or, with
/// `all_namespaces`, in every one.
pub(super) fn fetch_selected(
    k: &mut Kubectl<'_>,
    selection: &Selection,
    selectors: Selectors<'_>,
    all_namespaces: bool,
) -> Vec<Result<(&'static ResourceInfo, Value), String>> {
    let mut found = Vec::new();
    match selection {
        Selection::Named(pairs) => {
            for (r, name) in pairs {
                let ns = namespace_for(k, r);
                found.push(read_object(k, r, ns.as_deref(), name));
            }
        }
        Selection::Files(objects) => {
            for object in objects {
                found.push(match object {
                    Ok(FileObject { r, namespace, name, .. }) => read_object(k, r, namespace.as_deref(), name),
                    Err(e) => Err(e.clone()),
                });
            }
        }
        Selection::Listed(kinds) => {
            for r in kinds {
                let ns = if all_namespaces { None } else { namespace_for(k, r) };
                match super::get::list(k, r, ns.as_deref(), selectors.labels, selectors.fields) {
                    Ok(items) => found.extend(items.into_iter().map(|item| Ok((*r, item)))),
                    Err(e) => found.push(Err(e)),
                }
            }
        }
    }
    found
}

/// The object `r`/`name` as the server has it, or its error.
fn read_object(
    k: &mut Kubectl<'_>,
    r: &'static ResourceInfo,
    namespace: Option<&str>,
    name: &str,
) -> Result<(&'static ResourceInfo, Value), String> {
    let response = k.send(Request::get(r.object_path(namespace, name)));
    if response.is_success() {
        Ok((r, response.body))
    } else {
        Err(api_error(&response, None))
    }
}

/// The object as `-o yaml|json` shows it: `apiVersion` and `kind` set,
/// `managedFields` hidden.
pub(super) fn for_output(mut object: Value, r: &ResourceInfo) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.entry("apiVersion").or_insert_with(|| json!(r.api_version()));
        map.entry("kind").or_insert_with(|| json!(r.kind));
    }
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    object
}

/// The formats kubectl's printer flags know, as its error lists them.
pub(super) const ALLOWED_FORMATS: &str =
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// Reads `-o` for the commands that print changed objects (`label`,
/// `annotate`, `patch`, `set`, `run`, `rollout`), as kubectl reads it
/// before anything changes: an empty or broken template, a template file
/// that is not there, or an unknown format, is refused here. Printed by
/// [`print_outcome`].
pub(super) fn check_output(k: &Kubectl<'_>, args: &Args) -> Result<Format, String> {
    super::output::parse_format(args, ALLOWED_FORMATS, "", &|p| k.read_file(p))
}

/// `-o` for commands that make their printer only after changing an
/// object (label, patch, rollout restart and undo): kubectl reports a bad
/// format then, the change made, so the error waits for the caller.
pub(super) fn later_output(k: &Kubectl<'_>, args: &Args) -> Result<Format, String> {
    check_output(k, args)
}

/// Prints one changed object: `kind/name VERB` or the object as `-o` asks.
pub(super) fn print_outcome(k: &mut Kubectl<'_>, r: &ResourceInfo, object: &Value, output: &Format, verb: &str) {
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    match output {
        Format::Yaml => k.print(&crate::yaml::to_yaml(&for_output(object.clone(), r))),
        Format::Json => k.print(&json_text(&for_output(object.clone(), r))),
        Format::JsonPath { .. } | Format::GoTemplate(_) => {
            if let Some((text, result)) = super::output::render(output, &for_output(object.clone(), r)) {
                k.print(&text);
                if let Err(e) = result {
                    // The change is made; kubectl still fails on the printer's error.
                    k.eprint(&e);
                    k.out.exit_code = 1;
                }
            }
        }
        Format::Name | Format::Wide | Format::CustomColumns(_) => k.print(&format!("{}/{name}\n", r.kind_group())),
        Format::Default => k.print(&format!("{}/{name} {verb}\n", r.kind_group())),
    }
}

/// kubectl's JSON printer: four-space indent, then a newline.
pub(super) fn json_text(value: &Value) -> String {
    // serde_json indents by two; JSON strings hold no raw newlines, so each
    // line's leading spaces are indentation alone and can be doubled.
    let two = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::new();
    for line in two.lines() {
        let body = line.trim_start_matches(' ');
        let depth = line.len() - body.len();
        out.push_str(&" ".repeat(depth * 2));
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// The namespace for `r`: the command's for namespaced types.
pub(super) fn namespace_for(k: &Kubectl<'_>, r: &ResourceInfo) -> Option<String> {
    r.namespaced.then(|| k.namespace())
}

/// YAML or JSON patch text as JSON (apimachinery's `yaml.ToJSON`: the
/// first document only), or kubectl's `unable to parse` error, which
/// quotes `--patch` (empty when the patch came from `--patch-file`).
fn patch_json(text: &str, flag: &str) -> Result<Value, String> {
    let unable = |detail: String| format!("error: unable to parse {}: {detail}\n", go_quote(flag));
    match parse_manifests(text) {
        Ok(documents) => Ok(documents.into_iter().next().unwrap_or(Value::Null)),
        // ToJSON passes go-yaml's error on as it is.
        Err(DecodeError::Syntax { line, message, .. }) => Err(unable(super::check::syntax_message(line, &message))),
        Err(other) => Err(unable(other.to_string())),
    }
}

/// `kubectl patch`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let patch = args.value(&["p", "patch"]).unwrap_or_default().to_string();
    let patch_file = args.value(&["patch-file"]).unwrap_or_default().to_string();
    // kubectl's order: Complete reads --dry-run; Validate the rest.
    let dry_run = dry_run(k, args)?;
    if !patch.is_empty() && !patch_file.is_empty() {
        return Err("error: cannot specify --patch and --patch-file together\n".to_string());
    }
    if patch.is_empty() && patch_file.is_empty() {
        return Err("error: must specify --patch or --patch-file containing the contents of the patch\n".to_string());
    }
    if args.is_set(&["local"]) {
        if !args.positional.is_empty() {
            return Err("error: cannot specify --local and server resources\n".to_string());
        }
        if dry_run == DryRun::Server {
            return Err(
                "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n".to_string()
            );
        }
    }
    let local = args.is_set(&["local"]);
    let kind = args.value(&["type"]).unwrap_or("strategic").to_string();
    let patch_type = match kind.to_lowercase().as_str() {
        "json" => PatchType::Json,
        "merge" => PatchType::Merge,
        "strategic" => PatchType::Strategic,
        _ => return Err(format!("error: --type must be one of [json merge strategic], not {}\n", go_quote(&kind))),
    };
    // kubectl makes its printer for each object after patching it.
    let output = later_output(k, args);
    let text = if patch_file.is_empty() {
        patch.clone()
    } else if k.list_files(&patch_file).is_some() {
        return Err(format!("error: unable to read patch file: read {patch_file}: is a directory\n"));
    } else {
        k.read_file(&patch_file).ok_or_else(|| {
            format!("error: unable to read patch file: open {patch_file}: no such file or directory\n")
        })?
    };
    // kubectl sends text that starts with `{` as it is (apimachinery's
    // ToJSON): the API server's JSON decoder then words any error.
    let body = if text.trim_start().starts_with('{') { text.clone() } else { patch_json(&text, &patch)?.to_string() };
    let content_type = match patch_type {
        PatchType::Json => "application/json-patch+json",
        PatchType::Merge => "application/merge-patch+json",
        PatchType::Strategic => "application/strategic-merge-patch+json",
    };
    let mut errors = String::new();
    // Each object: its type, namespace, name, and the file's copy of it.
    let mut objects: Vec<(&'static ResourceInfo, Option<String>, String, Option<Value>)> = Vec::new();
    if args.positional.is_empty() && args.values(&["f", "filename"]).is_empty() {
        targets(&args.positional)?;
    }
    match select_or_files(k, args, &args.positional, Selectors::default())? {
        Selection::Named(pairs) => {
            for (r, name) in pairs {
                objects.push((r, namespace_for(k, r), name, None));
            }
        }
        Selection::Files(found) => {
            for object in found {
                match object {
                    Ok(o) => objects.push((o.r, o.namespace, o.name, Some(o.object))),
                    Err(e) => errors.push_str(&e),
                }
            }
        }
        Selection::Listed(_) => {}
    }
    if objects.is_empty() && errors.is_empty() {
        return Err("error: no objects passed to patch\n".to_string());
    }
    for (r, ns, name, from_file) in objects {
        let current = match from_file.filter(|_| local) {
            Some(object) => object,
            None => {
                let response = k.send(Request::get(r.object_path(ns.as_deref(), &name)));
                if !response.is_success() {
                    errors.push_str(&api_error(&response, None));
                    continue;
                }
                response.body
            }
        };
        if dry_run == DryRun::Client || local {
            match saplay_cluster::patch::apply(patch_type, r, current.clone(), &body) {
                Ok(patched) => {
                    // kubectl 1.32 prints no "(dry run)" here (unlike label
                    // and annotate).
                    let verb = if patched == current { "patched (no change)" } else { "patched" };
                    match &output {
                        Ok(output) => print_outcome(k, r, &patched, output, verb),
                        Err(e) => errors.push_str(e),
                    }
                }
                Err(e) => errors.push_str(&format!("error: {}\n", e.message())),
            }
            continue;
        }
        let path = format!("{}?fieldManager=kubectl-patch{}", r.object_path(ns.as_deref(), &name), dry_run.query());
        let response = k.send(Request::patch(path, content_type, body.clone()));
        if !response.is_success() {
            errors.push_str(&api_error(&response, None));
            continue;
        }
        let verb = if response.body == current {
            format!("patched (no change){}", dry_run.suffix())
        } else {
            format!("patched{}", dry_run.suffix())
        };
        match &output {
            Ok(output) => print_outcome(k, r, &response.body, output, &verb),
            Err(e) => errors.push_str(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
