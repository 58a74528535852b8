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
    let restart = args.value(&["restart"]).unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Err(format!("error: invalid restart policy: {restart}\n{HELP}"));
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
    let mut env = Vec::new();
    for spec in args.values(&["env"]) {
        match spec.split_once('=') {
            Some((k, v)) if !k.is_empty() => env.push(json!({"name": k, "value": v})),
            _ => return Err(format!("error: invalid env: {spec}\n")),
        }
    }
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(port) = args.value(&["port"]).filter(|p| !p.is_empty()) {
        let number: i32 = port
            .parse()
            .map_err(|_| format!("error: strconv.Atoi: parsing {}: invalid syntax\n", super::cli::go_quote(port)))?;
        container["ports"] = json!([{"containerPort": number}]);
    }
    if !extra.is_empty() {
        let key = if args.is_set(&["command"]) { "command" } else { "args" };
        container[key] = json!(extra);
    }
    let mut metadata = json!({"creationTimestamp": null, "labels": labels, "name": name});
    let mut annotations = Map::new();
    for spec in args.values(&["annotations"]) {
        match spec.split_once('=') {
            Some((k, v)) => {
                annotations.insert(k.to_string(), json!(v));
            }
            None => return Err(format!("error: invalid annotation spec: {spec}\n")),
        }
    }
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
    let patch_type = match kind {
        "merge" => PatchType::Merge,
        "strategic" => PatchType::Strategic,
        "json" => PatchType::Json,
        other => return Err(format!("error: invalid override type: {other}\n")),
    };
    if serde_json::from_str::<Value>(overrides).is_err() {
        return Err(match patch_type {
            PatchType::Json => "error: invalid character in JSON patch\n".to_string(),
            _ => "error: Invalid JSON Patch\n".to_string(),
        });
    }
    let pods = resource::lookup("pods").ok_or_else(|| "error: pods are not served\n".to_string())?;
    saplay_cluster::patch::apply(patch_type, pods, pod, overrides).map_err(|e| format!("error: {}\n", e.message()))
}

/// `kubectl run`.
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if args.value(&["image"]).is_none() {
        return Err("error: required flag(s) \"image\" not set\n".to_string());
    }
    let Some((name, extra)) = args.positional.split_first() else {
        return Err(format!("error: NAME is required for run\n{HELP}"));
    };
    if args.is_set(&["i", "stdin"])
        || args.is_set(&["t", "tty"])
        || args.is_set(&["attach"])
        || args.is_set(&["rm"])
        || args.is_set(&["expose"])
    {
        return Err(
            "error: attaching to pods (-i, -t, --attach, --rm) and --expose are not available in this playground\n"
                .to_string(),
        );
    }
    let output = check_output(args)?;
    let dry_run = dry_run(k, args)?;
    let mut pod = generate(name, args, extra)?;
    if let Some(overrides) = args.value(&["overrides"]).filter(|o| !o.is_empty()) {
        pod = override_pod(pod, overrides, args.value(&["override-type"]).unwrap_or("merge"))?;
    }
    let pods = resource::lookup("pods").ok_or_else(|| "error: pods are not served\n".to_string())?;
    if dry_run == DryRun::Client {
        print_outcome(k, pods, &pod, output.as_deref(), "created (dry run)");
        return Ok(());
    }
    let namespace = k.namespace();
    let path = format!("/api/v1/namespaces/{namespace}/pods?fieldManager=kubectl-run{}", dry_run.query());
    let response = k.send(Request::post(path, pod.to_string()));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    print_outcome(k, pods, &response.body, output.as_deref(), &format!("created{}", dry_run.suffix()));
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
        assert!(generate("web", &args(&[("image", "x"), ("port", "99999999999")]), &[]).is_err());
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
