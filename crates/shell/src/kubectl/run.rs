//! `kubectl run NAME --image=IMAGE`: builds the Pod kubectl's generator
//! would build (label `run=NAME`, one container named after the pod),
//! merges `--overrides` into it (`--override-type`, merge by default) and
//! creates it.

use saplay_cluster::api::Request;
use saplay_cluster::patch::PatchType;
use saplay_cluster::resource;
use serde_json::{json, Map, Value};

use super::patch::{check_output, dry_run, print_outcome, DryRun};
use super::{api_error, Args, Kubectl};

const HELP: &str = "See 'kubectl run -h' for help and examples\n";

/// The pod kubectl generates from the flags (before overrides).
pub(super) fn generate(name: &str, args: &Args, extra: &[String]) -> Result<Value, String> {
    let image = args.value(&["image"]).unwrap_or_default();
    if image.is_empty() {
        return Err("error: --image is required\n".to_string());
    }
    let restart = args.value(&["restart"]).filter(|r| !r.is_empty()).unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Err(format!("error: invalid restart policy: {restart}\n{HELP}"));
    }
    // kubectl reads --env, then --annotations, then --labels.
    let mut env = Vec::new();
    for spec in args.values(&["env"]) {
        // A variable name as Kubernetes allows it; an empty value is left
        // out.
        match spec.split_once('=') {
            Some((k, v)) if super::create::is_env_var_name(k) => {
                env.push(if v.is_empty() { json!({"name": k}) } else { json!({"name": k, "value": v}) })
            }
            _ => return Err(format!("error: invalid env: {spec}\n")),
        }
    }
    let mut annotations = Map::new();
    for spec in args.values(&["annotations"]) {
        match spec.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                annotations.insert(k.to_string(), json!(v));
            }
            _ => return Err(format!("error: invalid annotations format: {spec}\n")),
        }
    }
    let mut labels = Map::new();
    match args.value(&["labels", "l"]).filter(|l| !l.is_empty()) {
        Some(spec) => {
            for pair in spec.split(',') {
                match pair.split_once('=') {
                    Some((k, v)) if !v.contains('=') => {
                        labels.insert(k.to_string(), json!(v));
                    }
                    _ => return Err(format!("error: unexpected label spec: {pair}\n")),
                }
            }
        }
        None => {
            labels.insert("run".to_string(), json!(name));
        }
    }
    let mut container = json!({"image": image, "name": name, "resources": {}});
    if let Some(policy) = args.value(&["image-pull-policy"]).filter(|p| !p.is_empty()) {
        if !matches!(policy, "Always" | "IfNotPresent" | "Never") {
            return Err(format!("error: invalid image pull policy: {policy}\n{HELP}"));
        }
        container["imagePullPolicy"] = json!(policy);
    }
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(port) = args.value(&["port"]).filter(|p| !p.is_empty()) {
        // Go's Atoi, then kubectl's int32(port).
        let number = super::create::go_atoi(port).ok_or_else(|| {
            let digits = port.strip_prefix(['+', '-']).unwrap_or(port);
            let range = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            let why = if range { "value out of range" } else { "invalid syntax" };
            format!("error: strconv.Atoi: parsing {}: {why}\n", super::cli::go_quote(port))
        })?;
        container["ports"] = json!([{"containerPort": number as i32}]);
    }
    if !extra.is_empty() {
        let key = if args.is_set(&["command"]) { "command" } else { "args" };
        container[key] = json!(extra);
    }
    if args.is_set(&["privileged"]) {
        container["securityContext"] = json!({"privileged": true});
    }
    let mut metadata = json!({"creationTimestamp": null, "labels": labels, "name": name});
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    }))
}

/// Merges `--overrides` into the generated pod.
pub(super) fn override_pod(pod: Value, overrides: &str, kind: &str) -> Result<Value, String> {
    let Some(patch_type) = override_type(overrides, kind).map_err(|e| format!("error: {e}\n"))? else {
        return Ok(pod);
    };
    let pods = resource::lookup("pods").ok_or_else(|| "error: pods are not served\n".to_string())?;
    saplay_cluster::patch::apply(patch_type, pods, pod, overrides).map_err(|e| format!("error: {}\n", e.message()))
}

/// Go's name for the type of a JSON value in `json: cannot unmarshal …`.
fn go_json_type(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    }
}

/// The patch type of `--override-type`, after the checks kubectl's patch
/// libraries make of `--overrides` before patching, in their words
/// (without `error: `); `None` when the overrides change nothing (`null`
/// as a JSON or strategic merge patch). Shared with `kubectl expose`.
pub(super) fn override_type(overrides: &str, kind: &str) -> Result<Option<PatchType>, String> {
    const BAD_MERGE: &str = "Invalid JSON Patch";
    const BAD_STRATEGIC: &str = "invalid JSON document";
    let patch_type = match kind {
        "merge" => PatchType::Merge,
        "strategic" => PatchType::Strategic,
        "json" => PatchType::Json,
        other => return Err(format!("invalid override type: {other}")),
    };
    let parsed = match saplay_cluster::gojson::syntax_error(overrides) {
        None => serde_json::from_str::<Value>(overrides).ok(),
        Some(_) if patch_type == PatchType::Merge => return Err(BAD_MERGE.to_string()),
        Some(_) if patch_type == PatchType::Strategic => return Err(BAD_STRATEGIC.to_string()),
        Some(message) => return Err(message),
    };
    match (patch_type, parsed.unwrap_or(Value::Null)) {
        (_, Value::Object(_)) if patch_type != PatchType::Json => {}
        // An array replaces the whole object, which then has no kind.
        (PatchType::Merge, Value::Array(_)) => {
            return Err(r#"couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\"apiVersion,omitempty\""; Kind string "json:\"kind,omitempty\"" }"#.to_string())
        }
        (PatchType::Merge, _) => return Err(BAD_MERGE.to_string()),
        (PatchType::Strategic, Value::Null) | (PatchType::Json, Value::Null) => return Ok(None),
        (PatchType::Strategic, _) => return Err(BAD_STRATEGIC.to_string()),
        (_, Value::Array(operations)) => {
            for operation in &operations {
                let op = match operation {
                    Value::Object(fields) => fields.get("op").and_then(Value::as_str).unwrap_or("unknown"),
                    Value::Null => "unknown",
                    other => {
                        return Err(format!(
                            "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                            go_json_type(other)
                        ))
                    }
                };
                if !matches!(op, "add" | "remove" | "replace" | "move" | "copy" | "test") {
                    return Err(format!("Unexpected kind: {op}"));
                }
            }
        }
        (_, other) => {
            return Err(format!("json: cannot unmarshal {} into Go value of type jsonpatch.Patch", go_json_type(&other)))
        }
    }
    Ok(Some(patch_type))
}

/// A path component of an image name: lowercase alphanumerics joined by
/// `.`, `_`, `__` or runs of `-`.
fn path_component(part: &str) -> bool {
    let bytes = part.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while let Some(b) = bytes.get(i) {
        if alnum(b) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(|b| !alnum(b)) {
            i += 1;
        }
        let separator = part.get(start..i).unwrap_or_default();
        if !(separator == "." || separator == "_" || separator == "__" || separator.bytes().all(|b| b == b'-')) {
            return false;
        }
    }
    true
}

/// A registry host, with an optional port.
fn domain(part: &str) -> bool {
    let (host, port) = match part.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (part, None),
    };
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    host.split('.').all(label_ok) && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// The image reference grammar kubectl checks (`name[:tag][@digest]`).
pub(super) fn valid_image(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((algorithm, hex)) = d.split_once(':') else { return false };
        let algorithm_ok = algorithm.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && algorithm.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.'));
        if !algorithm_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(at) => (rest.get(..last_slash + at).unwrap_or_default(), rest.get(last_slash + at + 1..)),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let b = tag.as_bytes();
        let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
        if b.is_empty()
            || b.len() > 128
            || !b.first().is_some_and(word)
            || !b.iter().all(|c| word(c) || matches!(c, b'.' | b'-'))
        {
            return false;
        }
    }
    let parts: Vec<&str> = name.split('/').collect();
    match parts.split_first() {
        Some((first, more)) if !more.is_empty() => {
            (path_component(first) || domain(first)) && more.iter().all(|p| path_component(p))
        }
        Some((only, _)) => path_component(only),
        None => false,
    }
}

/// `kubectl run`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some(image) = args.value(&["image"]) else {
        return Err("error: required flag(s) \"image\" not set\n".to_string());
    };
    // kubectl's Complete: the dry-run strategy, the printer, the delete
    // options (--cascade; --rm deletes the pod).
    let dry_run = dry_run(k, args)?;
    let output = check_output(k, args)?;
    super::get::cascade(k, args)?;
    let Some((name, extra)) = args.positional.split_first().filter(|_| k.before_dash != Some(0)) else {
        return Err(format!("error: NAME is required for run\n{HELP}"));
    };
    let timeout = args.value(&["pod-running-timeout"]).unwrap_or("1m0s");
    if super::create::go_duration_nanos(timeout).is_ok_and(|ns| ns <= 0) {
        return Err(format!("error: --pod-running-timeout must be higher than zero\n{HELP}"));
    }
    if image.is_empty() {
        return Err("error: --image is required\n".to_string());
    }
    if !valid_image(image) {
        return Err(format!("error: Invalid image name {}: invalid reference format\n", super::cli::go_quote(image)));
    }
    let interactive = args.is_set(&["i", "stdin"]);
    let attach = args.is_set(&["attach"]) || (interactive && args.value(&["attach"]).is_none());
    if args.is_set(&["t", "tty"]) && !interactive {
        return Err(format!("error: -i/--stdin is required for containers with -t/--tty=true\n{HELP}"));
    }
    if args.is_set(&["expose"]) && args.value(&["port"]).is_none_or(str::is_empty) {
        return Err(format!("error: --port must be set when exposing a service\n{HELP}"));
    }
    let restart = args.value(&["restart"]).filter(|r| !r.is_empty());
    if let Some(policy) = restart.filter(|r| !matches!(*r, "Always" | "OnFailure" | "Never")) {
        return Err(format!("error: invalid restart policy: {policy}\n{HELP}"));
    }
    if args.is_set(&["rm"]) && !attach {
        return Err(format!("error: --rm should only be used for attached containers\n{HELP}"));
    }
    if attach && dry_run != DryRun::None {
        return Err(format!(
            "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n{HELP}"
        ));
    }
    if let Some(policy) = args
        .value(&["image-pull-policy"])
        .filter(|p| !p.is_empty() && !matches!(*p, "Always" | "IfNotPresent" | "Never"))
    {
        return Err(format!("error: invalid image pull policy: {policy}\n{HELP}"));
    }
    if attach || args.is_set(&["expose"]) {
        return Err(
            "error: attaching to pods (-i, --attach) and --expose are not available in this playground\n".to_string()
        );
    }
    let mut pod = generate(name, args, extra)?;
    if let Some(overrides) = args.value(&["overrides"]).filter(|o| !o.is_empty()) {
        pod = override_pod(pod, overrides, args.value(&["override-type"]).unwrap_or("merge"))?;
    }
    let pods = resource::lookup("pods").ok_or_else(|| "error: pods are not served\n".to_string())?;
    if dry_run == DryRun::Client {
        // kubectl sets the namespace only when -n was given.
        if let Some(namespace) = &k.globals.namespace {
            pod["metadata"]["namespace"] = json!(namespace);
        }
        // kubectl prints the pod it built (a typed object: JSON in the
        // struct's field order).
        return super::create::print_typed(k, &output, &pod, "pod", "created (dry run)");
    }
    // --save-config: the pod kubectl built, in the last-applied annotation
    // (not on a client dry run, whose printed pod has none).
    if args.is_set(&["save-config"]) {
        super::create::save_config(k, &mut pod);
    }
    let namespace = k.namespace();
    let path = format!("/api/v1/namespaces/{namespace}/pods?fieldManager=kubectl-run{}", dry_run.query());
    let response = k.send(Request::post(path, pod.to_string()));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    print_outcome(k, pods, &response.body, &output, &format!("created{}", dry_run.suffix()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(flags: &[(&str, &str)]) -> Args {
        Args { positional: Vec::new(), flags: flags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    #[test]
    fn the_generated_pod_is_kubectls() {
        let pod = generate("web", &args(&[("image", "nginx")]), &[]).unwrap_or_default();
        assert_eq!(pod["metadata"]["labels"]["run"], "web");
        assert_eq!(pod["spec"]["containers"][0]["name"], "web");
        assert_eq!(pod["spec"]["restartPolicy"], "Always");
        assert!(pod["metadata"]["creationTimestamp"].is_null());
    }

    #[test]
    fn bad_flags_are_refused() {
        assert!(generate("web", &args(&[("image", "")]), &[]).is_err());
        assert!(generate("web", &args(&[("image", "x"), ("restart", "Sometimes")]), &[]).is_err());
        assert!(generate("web", &args(&[("image", "x"), ("env", "NOVALUE")]), &[]).is_err());
        assert!(generate("web", &args(&[("image", "x"), ("labels", "a")]), &[]).is_err());
        assert_eq!(
            generate("web", &args(&[("image", "x"), ("port", "99999999999999999999")]), &[]).err().unwrap_or_default(),
            "error: strconv.Atoi: parsing \"99999999999999999999\": value out of range\n"
        );
        assert_eq!(
            generate("web", &args(&[("image", "x"), ("port", " 80")]), &[]).err().unwrap_or_default(),
            "error: strconv.Atoi: parsing \" 80\": invalid syntax\n"
        );
        // int32(4294967376) is 80, as kubectl's conversion makes it.
        let pod = generate("web", &args(&[("image", "x"), ("port", "4294967376")]), &[]).unwrap_or_default();
        assert_eq!(pod["spec"]["containers"][0]["ports"][0]["containerPort"], 80);
    }

    #[test]
    fn image_references_follow_the_distribution_grammar() {
        for good in [
            "nginx",
            "nginx:1.27",
            "busybox:latest",
            "registry.k8s.io/pause:3.9",
            "localhost:5000/team/app",
            "Registry.Example.com/app",
            "a__b/c-d/e.f",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(valid_image(good), "{good}");
        }
        for bad in ["NGINX", "", ":tag", "nginx:", "a//b", "-a", "nginx:1.27@sha256:abc", "a b", "app/Team", "ünï"] {
            assert!(!valid_image(bad), "{bad}");
        }
        assert!(!valid_image(&format!("nginx:{}", "t".repeat(129))));
    }

    #[test]
    fn overrides_merge_into_the_pod() {
        let pod = generate("web", &args(&[("image", "nginx")]), &[]).unwrap_or_default();
        let merged =
            override_pod(pod.clone(), r#"{"spec":{"serviceAccountName":"build-robot"}}"#, "merge").unwrap_or_default();
        assert_eq!(merged["spec"]["serviceAccountName"], "build-robot");
        assert_eq!(merged["spec"]["containers"][0]["image"], "nginx");
        assert!(override_pod(pod.clone(), "{bad", "merge").is_err());
        assert!(override_pod(pod, "{}", "other").is_err());
    }
}
