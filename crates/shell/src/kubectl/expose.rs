//! `kubectl expose (-f FILE | TYPE NAME…)`: a Service in front of a pod,
//! a Service, a Deployment or a ReplicaSet. What the flags leave open comes
//! from the object, by kubectl v1.32's rules (`expose.go` and its
//! polymorphic helpers): the selector from a pod's labels, a Service's
//! selector or a workload's `matchLabels`; the ports from the containers'
//! ports or the Service's (one is the port, several are all of them, named
//! `port-1`, `port-2`, … and split by protocol where a port has several);
//! the labels from the object's. The Service is sent through the API
//! server's normal create.
//!
//! As in kubectl, what one object supplies stays for the next ones named
//! on the same line (their selector, port and labels are the first's).

use saplay_cluster::api::Request;
use saplay_cluster::resource::{self, ResourceInfo};
use serde_json::{json, Map, Value};

use super::output::{self, Format};
use super::patch::{dry_run, targets, DryRun};
use super::{api_error, Args, Kubectl};

/// Why a selector could not be read from an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum SelectorError {
    /// A pod without labels.
    #[error("the pod has no labels and cannot be exposed")]
    PodWithoutLabels,
    /// A Service without `spec.selector`.
    #[error("the service has no pod selector set")]
    ServiceWithoutSelector,
    /// A Deployment or ReplicaSet without `matchLabels` (its kind in
    /// lower case).
    #[error("invalid {0}: no selectors, therefore cannot be exposed")]
    NoMatchLabels(&'static str),
    /// `matchExpressions`, which a Service selector cannot hold (as Go's
    /// `%+v` prints them).
    #[error("couldn't convert expressions - \"{0}\" to map-based selector format")]
    Expressions(String),
}

/// Why one object was not exposed. kubectl goes on with the next object
/// and reports them all at the end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum ExposeError {
    /// The API server refused (its `Status`, as kubectl prints it).
    #[error("{0}")]
    Server(String),
    /// A kind expose does not handle (its group kind: `ServiceAccount`,
    /// `DaemonSet.apps`).
    #[error("cannot expose a {0}")]
    CannotExpose(String),
    /// No selector given and none in the object.
    #[error("couldn't retrieve selectors via --selector flag or introspection: {0}")]
    Selector(SelectorError),
    /// No `--port` and no port in the object (and not headless).
    #[error("couldn't find port via --port flag or introspection")]
    NoPort,
    /// The selector came out empty (a Service with `selector: {}`).
    #[error("selector must be specified")]
    EmptySelector,
    /// A `--selector`/`--labels` item that is not `KEY=VALUE`.
    #[error("unexpected label spec: {0}")]
    LabelSpec(String),
    /// A `--selector`/`--labels` item `=VALUE`.
    #[error("unexpected empty label key")]
    EmptyLabelKey,
    /// Neither `--name` nor a name on the object.
    #[error("name must be specified")]
    NoName,
    /// A port that is not an integer (Go's `strconv.Atoi`).
    #[error("strconv.Atoi: parsing {}: {}", super::cli::go_quote(.0), if *.1 { "value out of range" } else { "invalid syntax" })]
    Port(String, bool),
    /// `--session-affinity` other than `None` and `ClientIP`.
    #[error("unknown session affinity: {0}")]
    SessionAffinity(String),
    /// `--overrides` that could not be merged in.
    #[error("{0}")]
    Override(String),
    /// An object of a `-f` file that cannot be placed.
    #[error("{0}")]
    File(String),
    /// The printer failed (its own words, as kubectl prints them).
    #[error("{0}")]
    Printer(String),
}

/// kubectl's rendering of the errors collected: one as `error: …`, several
/// one per line; the server's keep their own form.
fn render(errors: &[ExposeError]) -> String {
    let prefix = if errors.len() == 1 { "error: " } else { "" };
    errors
        .iter()
        .map(|e| match e {
            ExposeError::Server(text) | ExposeError::Printer(text) => text.clone(),
            other => format!("{prefix}{other}\n"),
        })
        .collect()
}

/// kubectl's options as `expose` fills them in: the flags, and what each
/// exposed object adds where a flag is empty (kept for the objects after
/// it, as kubectl keeps them).
#[derive(Debug, Default)]
struct Options {
    selector: String,
    /// The port: `--port`, or an object's only one.
    port: String,
    /// An object's several ports, comma-separated (used before `port`).
    ports: String,
    labels: String,
    /// The protocols of each port of the last object that had ports.
    protocols: Vec<(String, Vec<String>)>,
    name: String,
    protocol: String,
    target_port: String,
    external_ip: String,
    load_balancer_ip: String,
    service_type: String,
    session_affinity: String,
    cluster_ip: String,
}

impl Options {
    fn from_flags(args: &Args) -> Self {
        let flag = |name: &str| args.value(&[name]).unwrap_or_default().to_string();
        Options {
            selector: flag("selector"),
            port: flag("port"),
            labels: args.value(&["l", "labels"]).unwrap_or_default().to_string(),
            name: flag("name"),
            protocol: flag("protocol"),
            target_port: flag("target-port"),
            external_ip: flag("external-ip"),
            load_balancer_ip: flag("load-balancer-ip"),
            service_type: flag("type"),
            session_affinity: flag("session-affinity"),
            cluster_ip: flag("cluster-ip"),
            ..Options::default()
        }
    }
}

/// One object to expose: its name, and its resource and content or why
/// they could not be had.
struct Target {
    name: String,
    object: Result<(&'static ResourceInfo, Value), ExposeError>,
}

/// `kubectl expose`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let dry = dry_run(k, args)?;
    let format = output::parse_format(args, output::WRITE_FORMATS, "expose", &|p| k.read_file(p))?;
    let files = args.values(&["f", "filename"]);
    if files.is_empty() && args.value(&["k", "kustomize"]).is_some_and(|d| !d.is_empty()) {
        return Err("error: \"kubectl expose -k\" (kustomize) is not available in this playground\n".to_string());
    }
    let found = if files.is_empty() {
        fetch(k, &targets(&args.positional)?)
    } else {
        // kubectl looks for the files before it sees the resource
        // arguments beside them.
        if let Some(missing) =
            files.iter().find(|f| **f != "-" && k.read_file(f).is_none() && k.list_files(f).is_none())
        {
            return Err(format!("error: the path \"{missing}\" does not exist\n"));
        }
        if !args.positional.is_empty() {
            return Err("error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n".to_string());
        }
        from_files(k, args)?
    };
    let mut options = Options::from_flags(args);
    let mut errors = Vec::new();
    for target in found {
        if let Err(e) = expose_one(k, args, &mut options, target, dry, &format) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(render(&errors))
    }
}

/// The named objects, read from the API server.
fn fetch(k: &mut Kubectl<'_>, named: &[(&'static ResourceInfo, String)]) -> Vec<Target> {
    let namespace = k.namespace();
    named
        .iter()
        .map(|(resource, name)| {
            let path = resource.object_path(resource.namespaced.then_some(namespace.as_str()), name);
            let response = k.send(Request::get(path));
            let object = if response.is_success() {
                Ok((*resource, response.body))
            } else {
                Err(ExposeError::Server(api_error(&response, None)))
            };
            Target { name: name.clone(), object }
        })
        .collect()
}

/// The objects of the `-f` files, as written there (kubectl does not read
/// them back from the server).
fn from_files(k: &Kubectl<'_>, args: &Args) -> Result<Vec<Target>, String> {
    let namespace = k.namespace();
    let mut found = Vec::new();
    for (source, documents) in super::apply::read_sources(k, args)? {
        for object in documents {
            let api_version = object["apiVersion"].as_str().unwrap_or_default();
            let kind = object["kind"].as_str().unwrap_or_default();
            let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
            let object_namespace = object["metadata"]["namespace"].as_str().map(str::to_string);
            let Some(resource) = resource::by_kind(api_version, kind).filter(|r| !r.is_review()) else {
                let shown = object_namespace.unwrap_or_default();
                found.push(Target {
                    name: name.clone(),
                    object: Err(ExposeError::File(format!(
                        "resource mapping not found for name: {name:?} namespace: {shown:?} from {source:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first"
                    ))),
                });
                continue;
            };
            let object = match (&k.globals.namespace, object_namespace) {
                (Some(given), Some(own)) if resource.namespaced && *given != own => Err(ExposeError::File(format!(
                    "the namespace from the provided object {own:?} does not match the namespace {namespace:?}. You must pass '--namespace={own}' to perform this operation."
                ))),
                _ => Ok((resource, object)),
            };
            found.push(Target { name, object });
        }
    }
    Ok(found)
}

/// Exposes one object: fills in the options it supplies, builds the
/// Service, and prints it (client dry run) or creates it.
fn expose_one(
    k: &mut Kubectl<'_>,
    args: &Args,
    options: &mut Options,
    target: Target,
    dry: DryRun,
    format: &Format,
) -> Result<(), ExposeError> {
    let (r, object) = target.object?;
    if !matches!((r.group, r.kind), ("", "Pod" | "Service") | ("apps", "Deployment" | "ReplicaSet")) {
        let group_kind = if r.group.is_empty() { r.kind.to_string() } else { format!("{}.{}", r.kind, r.group) };
        return Err(ExposeError::CannotExpose(group_kind));
    }
    // A Service name is a DNS label: at most 63 characters.
    let default_name =
        target.name.char_indices().nth(63).and_then(|(at, _)| target.name.get(..at)).unwrap_or(&target.name);
    if options.selector.is_empty() {
        options.selector = selector_of(r.kind, &object).map_err(ExposeError::Selector)?;
    }
    if options.port.is_empty() {
        let ports = ports_of(r.kind, &object);
        match ports.as_slice() {
            [] if options.cluster_ip != "None" => return Err(ExposeError::NoPort),
            [] => {}
            [one] => options.port = one.clone(),
            several => options.ports = several.join(","),
        }
    }
    let protocols = protocols_of(r.kind, &object);
    if !protocols.is_empty() {
        options.protocols = protocols;
    }
    if options.labels.is_empty() {
        options.labels = make_labels(&object["metadata"]["labels"]);
    }
    let mut service = build_service(options, default_name)?;
    if let Some(overrides) = args.value(&["overrides"]).filter(|o| !o.is_empty()) {
        service = override_service(service, overrides, args.value(&["override-type"]).unwrap_or("merge"))?;
    }
    if dry == DryRun::Client {
        if let (Some(namespace), Some(meta)) =
            (&k.globals.namespace, service.get_mut("metadata").and_then(Value::as_object_mut))
        {
            meta.insert("namespace".to_string(), json!(namespace));
        }
        // kubectl prints the Service it built (a typed object).
        return super::create::print_typed(k, format, &service, "service", "exposed (dry run)")
            .map_err(ExposeError::Printer);
    }
    let namespace = k.namespace();
    let path = format!("/api/v1/namespaces/{namespace}/services?fieldManager=kubectl-expose{}", dry.query());
    let response = k.send(Request::post(path, service.to_string()));
    if !response.is_success() {
        return Err(ExposeError::Server(api_error(&response, None)));
    }
    print_created(k, format, &response.body, dry).map_err(ExposeError::Printer)
}

/// Prints the Service the server created (kubectl holds it as an
/// unstructured object: JSON keys in Go's map order).
fn print_created(k: &mut Kubectl<'_>, format: &Format, service: &Value, dry: DryRun) -> Result<(), String> {
    let name = service["metadata"]["name"].as_str().unwrap_or_default();
    match format {
        Format::Name => k.print(&format!("service/{name}\n")),
        Format::Default | Format::Wide | Format::CustomColumns(_) => {
            k.print(&format!("service/{name} exposed{}\n", dry.suffix()))
        }
        other => {
            if let Some((text, result)) = output::render(other, service) {
                k.print(&text);
                result?;
            }
        }
    }
    Ok(())
}

/// The selector an object gives its Service, as `KEY=VALUE,…`.
fn selector_of(kind: &str, object: &Value) -> Result<String, SelectorError> {
    match kind {
        "Pod" => {
            let labels = &object["metadata"]["labels"];
            if labels.as_object().is_none_or(Map::is_empty) {
                return Err(SelectorError::PodWithoutLabels);
            }
            Ok(make_labels(labels))
        }
        "Service" => match &object["spec"]["selector"] {
            Value::Null => Err(SelectorError::ServiceWithoutSelector),
            selector => Ok(make_labels(selector)),
        },
        _ => {
            let selector = &object["spec"]["selector"];
            let match_labels = &selector["matchLabels"];
            if match_labels.as_object().is_none_or(Map::is_empty) {
                let lower = if kind == "Deployment" { "deployment" } else { "replicaset" };
                return Err(SelectorError::NoMatchLabels(lower));
            }
            if let Some(expressions) = selector["matchExpressions"].as_array().filter(|e| !e.is_empty()) {
                return Err(SelectorError::Expressions(go_requirements(expressions)));
            }
            Ok(make_labels(match_labels))
        }
    }
}

/// Label selector requirements as Go's `%+v` prints the slice:
/// `[{Key:tier Operator:In Values:[a b]}]`.
fn go_requirements(expressions: &[Value]) -> String {
    let items: Vec<String> = expressions
        .iter()
        .map(|e| {
            let values: Vec<String> = e["values"].as_array().into_iter().flatten().map(text).collect();
            format!("{{Key:{} Operator:{} Values:[{}]}}", text(&e["key"]), text(&e["operator"]), values.join(" "))
        })
        .collect();
    format!("[{}]", items.join(" "))
}

/// A scalar as text (strings without quotes).
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// kubectl's `MakeLabels`: `KEY=VALUE` joined with commas (here in key
/// order; kubectl's follows Go's map order, which the result does not
/// depend on).
fn make_labels(labels: &Value) -> String {
    let pairs: Vec<String> =
        labels.as_object().into_iter().flatten().map(|(key, value)| format!("{key}={}", text(value))).collect();
    pairs.join(",")
}

/// The ports of the pod template's containers (not its init containers),
/// or of a Service's ports: each port once, in order.
fn ports_of(kind: &str, object: &Value) -> Vec<String> {
    let mut ports: Vec<String> = Vec::new();
    for (port, _) in port_protocols(kind, object) {
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    ports
}

/// The protocols of each port (kubectl's `MultiProtocolsForObject`): a
/// port listed with two protocols has both.
fn protocols_of(kind: &str, object: &Value) -> Vec<(String, Vec<String>)> {
    let mut protocols: Vec<(String, Vec<String>)> = Vec::new();
    for (port, protocol) in port_protocols(kind, object) {
        match protocols.iter_mut().find(|(p, _)| *p == port) {
            Some((_, list)) => list.push(protocol),
            None => protocols.push((port, vec![protocol])),
        }
    }
    protocols
}

/// Every (port, protocol) of the object, in order; a missing protocol is
/// TCP.
fn port_protocols(kind: &str, object: &Value) -> Vec<(String, String)> {
    let entries: Vec<(&Value, &Value)> = match kind {
        "Service" => {
            object["spec"]["ports"].as_array().into_iter().flatten().map(|p| (&p["port"], &p["protocol"])).collect()
        }
        _ => {
            let spec = if kind == "Pod" { &object["spec"] } else { &object["spec"]["template"]["spec"] };
            spec["containers"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|c| c["ports"].as_array().into_iter().flatten())
                .map(|p| (&p["containerPort"], &p["protocol"]))
                .collect()
        }
    };
    entries
        .into_iter()
        .map(|(port, protocol)| {
            let port = port.as_i64().unwrap_or_default().to_string();
            let protocol = protocol.as_str().filter(|p| !p.is_empty()).unwrap_or("TCP").to_string();
            (port, protocol)
        })
        .collect()
}

/// kubectl's `parseLabels`: `KEY=VALUE` items joined with commas.
fn parse_labels(spec: &str) -> Result<Map<String, Value>, ExposeError> {
    let mut labels = Map::new();
    for item in spec.split(',') {
        let parts: Vec<&str> = item.split('=').collect();
        let [key, value] = parts[..] else {
            return Err(ExposeError::LabelSpec(item.to_string()));
        };
        if key.is_empty() {
            return Err(ExposeError::EmptyLabelKey);
        }
        labels.insert(key.to_string(), json!(value));
    }
    Ok(labels)
}

/// The Service kubectl's `createService` builds from the options.
fn build_service(options: &Options, default_name: &str) -> Result<Value, ExposeError> {
    if options.selector.is_empty() {
        return Err(ExposeError::EmptySelector);
    }
    let selector = parse_labels(&options.selector)?;
    let labels = if options.labels.is_empty() { None } else { Some(parse_labels(&options.labels)?) };
    let name = if options.name.is_empty() { default_name } else { options.name.as_str() };
    if name.is_empty() {
        return Err(ExposeError::NoName);
    }
    // The object's several ports, else `--port` or its one port.
    let port_list = if options.ports.is_empty() { &options.port } else { &options.ports };
    let mut ports: Vec<Value> = Vec::new();
    if !port_list.is_empty() {
        let words: Vec<&str> = port_list.split(',').collect();
        for (index, word) in words.iter().enumerate() {
            let number = super::create::go_atoi(word).ok_or_else(|| {
                let digits = word.strip_prefix(['+', '-']).unwrap_or(word);
                let out_of_range = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                ExposeError::Port(word.to_string(), out_of_range)
            })?;
            // kubectl's int32(port).
            let port = number as i32;
            let name = (words.len() > 1).then(|| format!("port-{}", index + 1));
            let found = options.protocols.iter().find(|(p, _)| p == word).map(|(_, list)| list.as_slice());
            let protocol = match (options.protocol.is_empty(), found) {
                (false, _) => options.protocol.clone(),
                (true, Some(list)) if list.len() > 1 => {
                    for protocol in list {
                        let name = format!("port-{}-{}", index + 1, protocol.to_lowercase());
                        ports.push(json!({"name": name, "port": port, "protocol": protocol}));
                    }
                    continue;
                }
                (true, Some([one])) => one.clone(),
                (true, _) => "TCP".to_string(),
            };
            let mut entry = json!({"port": port, "protocol": protocol});
            if let Some(name) = name {
                entry["name"] = json!(name);
            }
            ports.push(entry);
        }
    }
    // The same target port for every port, else each port's own number.
    let target = (!options.target_port.is_empty()).then(|| match super::create::go_atoi(&options.target_port) {
        Some(number) => json!(number as i32),
        None => json!(options.target_port),
    });
    for entry in &mut ports {
        entry["targetPort"] = target.clone().unwrap_or_else(|| entry["port"].clone());
    }
    let mut spec = json!({"selector": selector});
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    if !options.external_ip.is_empty() {
        spec["externalIPs"] = json!([options.external_ip]);
    }
    if !options.service_type.is_empty() {
        spec["type"] = json!(options.service_type);
    }
    if options.service_type == "LoadBalancer" && !options.load_balancer_ip.is_empty() {
        spec["loadBalancerIP"] = json!(options.load_balancer_ip);
    }
    match options.session_affinity.as_str() {
        "" => {}
        affinity @ ("None" | "ClientIP") => spec["sessionAffinity"] = json!(affinity),
        other => return Err(ExposeError::SessionAffinity(other.to_string())),
    }
    if !options.cluster_ip.is_empty() {
        spec["clusterIP"] = json!(options.cluster_ip);
    }
    let mut metadata = json!({"name": name, "creationTimestamp": null});
    if let Some(labels) = labels {
        metadata["labels"] = Value::Object(labels);
    }
    Ok(json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }))
}

/// Merges `--overrides` into the Service (`--override-type` merge by
/// default, strategic on the Service's own merge keys, or a JSON patch).
fn override_service(service: Value, overrides: &str, override_type: &str) -> Result<Value, ExposeError> {
    let Some(patch_type) = super::run::override_type(overrides, override_type).map_err(ExposeError::Override)? else {
        return Ok(service);
    };
    let services =
        resource::lookup("services").ok_or_else(|| ExposeError::Override("services are not served".to_string()))?;
    saplay_cluster::patch::apply(patch_type, services, service, overrides)
        .map_err(|e| ExposeError::Override(e.message().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use saplay_cluster::{Cluster, ClusterConfig};

    fn run(cluster: &mut Cluster, line: &str) -> crate::Output {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        Kubectl::new(cluster).run(&args)
    }

    #[test]
    fn ports_split_by_protocol_and_numbered_in_order() {
        let pod = json!({"spec": {"containers": [
            {"ports": [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53}, {"containerPort": 9153}]},
            {"ports": [{"containerPort": 53, "protocol": "UDP"}]},
        ]}});
        assert_eq!(ports_of("Pod", &pod), ["53", "9153"]);
        let mut options = Options { selector: "app=dns".to_string(), ..Options::default() };
        options.ports = ports_of("Pod", &pod).join(",");
        options.protocols = protocols_of("Pod", &pod);
        let service = build_service(&options, "dns").unwrap_or_default();
        let names: Vec<&str> =
            service["spec"]["ports"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
        assert_eq!(names, ["port-1-udp", "port-1-tcp", "port-1-udp", "port-2"]);
        // --protocol wins over the object's.
        options.protocol = "SCTP".to_string();
        let service = build_service(&options, "dns").unwrap_or_default();
        assert_eq!(
            service["spec"]["ports"][0],
            json!({"name": "port-1", "port": 53, "protocol": "SCTP", "targetPort": 53})
        );
    }

    #[test]
    fn selectors_and_their_errors_follow_kubectl() {
        let deployment = |selector: Value| json!({"spec": {"selector": selector}});
        assert_eq!(
            selector_of("Deployment", &deployment(json!({"matchLabels": {"b": "2", "a": "1"}}))),
            Ok("a=1,b=2".to_string())
        );
        assert_eq!(
            selector_of("ReplicaSet", &deployment(json!({"matchExpressions": [{"key": "a", "operator": "Exists"}]}))),
            Err(SelectorError::NoMatchLabels("replicaset"))
        );
        let both = json!({"matchLabels": {"a": "1"}, "matchExpressions": [
            {"key": "t", "operator": "In", "values": ["x", "y"]}, {"key": "u", "operator": "Exists"}]});
        assert_eq!(
            selector_of("Deployment", &deployment(both)).map_err(|e| e.to_string()),
            Err("couldn't convert expressions - \"[{Key:t Operator:In Values:[x y]} {Key:u Operator:Exists Values:[]}]\" to map-based selector format".to_string())
        );
        assert_eq!(selector_of("Pod", &json!({"metadata": {"labels": {}}})), Err(SelectorError::PodWithoutLabels));
        assert_eq!(selector_of("Service", &json!({"spec": {}})), Err(SelectorError::ServiceWithoutSelector));
        assert_eq!(parse_labels("a=b,c"), Err(ExposeError::LabelSpec("c".to_string())));
        assert_eq!(parse_labels("a=b=c"), Err(ExposeError::LabelSpec("a=b=c".to_string())));
        assert_eq!(parse_labels("=b"), Err(ExposeError::EmptyLabelKey));
    }

    #[test]
    fn ports_are_go_integers_cut_to_32_bits() {
        let mut options = Options { selector: "a=b".to_string(), port: "4294967376".to_string(), ..Options::default() };
        let service = build_service(&options, "x").unwrap_or_default();
        assert_eq!(service["spec"]["ports"][0]["port"], 80);
        for (port, out_of_range) in [("99999999999999999999", true), ("8o", false), ("", false), ("+", false)] {
            options.port = format!("{port},1");
            assert_eq!(build_service(&options, "x"), Err(ExposeError::Port(port.to_string(), out_of_range)), "{port}");
        }
    }

    #[test]
    fn a_second_object_keeps_what_the_first_supplied() {
        let mut cluster = Cluster::new(ClusterConfig::default());
        assert_eq!(run(&mut cluster, "run a --image=nginx --port=80 -l app=a").exit_code, 0);
        assert_eq!(run(&mut cluster, "run b --image=nginx --port=81 -l app=b").exit_code, 0);
        let out = run(
            &mut cluster,
            "expose pod a b --dry-run=client -o jsonpath={.spec.selector.app}:{.spec.ports[0].port},",
        );
        assert_eq!(out.stdout(), "a:80,a:80,");
    }

    #[test]
    fn the_default_name_is_cut_to_a_dns_label() {
        let mut cluster = Cluster::new(ClusterConfig::default());
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a".repeat(70), "labels": {"app": "a"}},
            "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}]}]}});
        let args: Vec<String> = ["expose", "-f", "-", "--dry-run=client", "-o", "name"].map(str::to_string).to_vec();
        let out = Kubectl::new(&mut cluster).with_stdin(Some(pod.to_string())).run(&args);
        assert_eq!(out.stdout(), format!("service/{}\n", "a".repeat(63)));
    }

    #[test]
    fn odd_command_lines_end_in_errors_not_panics() {
        let lines = [
            "expose",
            "expose pod/",
            "expose /x",
            "expose pod a/b",
            "expose pod web --port=,",
            "expose pod web --port=-",
            "expose pod web --selector=, --labels==",
            "expose pod web --target-port=99999999999999999999",
            "expose pod web --overrides=[] --override-type=json",
            "expose pod web --overrides={\"spec\":[]}",
            "expose pod web -o jsonpath={.x",
            "expose pod web --name=ü",
            "expose -f nowhere",
            "expose -k dir",
            "create service clusterip x --tcp=,,:",
            "create service clusterip x --tcp=1:2:3:4 --tcp=:",
            "create service nodeport x --tcp=1 --node-port=-99999999999",
            "create service externalname x --external-name=",
            "create svc",
            "create svc ü",
        ];
        for line in lines {
            let mut cluster = Cluster::new(ClusterConfig::default());
            run(&mut cluster, "run web --image=nginx --port=80");
            let out = run(&mut cluster, line);
            assert!(out.exit_code == 0 || !out.stderr().is_empty(), "{line}: {out:?}");
        }
        let long = format!("expose pod web --dry-run=client -o name --name={}", "é".repeat(70));
        let mut cluster = Cluster::new(ClusterConfig::default());
        let _ = run(&mut cluster, &long);
    }
}
