//! Node ports, as kube-apiserver v1.32 allocates them
//! (`pkg/registry/core/service/storage` and `portallocator`): NodePort and
//! LoadBalancer Services get one per port from 30000-32767, a requested one
//! if it is free and in the range; deleting the Service or changing its
//! type to ClusterIP frees them; updates that keep the type keep them.

mod common;

use common::*;
use saplay_cluster::Request;
use serde_json::{json, Value};

const SERVICES: &str = "/api/v1/namespaces/default/services";

/// A Service `name` of `type_` with `ports` (and any more `spec` fields).
fn service(name: &str, type_: &str, ports: Value, more: Value) -> String {
    let mut spec = json!({"type": type_, "selector": {"app": "web"}, "ports": ports});
    if let (Some(spec), Some(more)) = (spec.as_object_mut(), more.as_object()) {
        spec.extend(more.clone());
    }
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}).to_string()
}

fn node_ports(service: &Value) -> Vec<i64> {
    service["spec"]["ports"].as_array().into_iter().flatten().filter_map(|p| p["nodePort"].as_i64()).collect()
}

fn dynamic(port: i64) -> bool {
    // Dynamic picks come from above the static band (30000-30085).
    (30086..=32767).contains(&port)
}

fn patch(c: &mut saplay_cluster::Cluster, name: &str, media: &str, body: Value) -> saplay_cluster::Response {
    c.handle(&Request::patch(format!("{SERVICES}/{name}"), media, body.to_string()))
}

const MERGE: &str = "application/merge-patch+json";
const STRATEGIC: &str = "application/strategic-merge-patch+json";

#[test]
fn allocation_on_create() {
    enum Expect {
        /// Node ports as listed; 0 stands for any dynamic pick.
        Ports(&'static [i64]),
        /// An Invalid status with this message.
        Invalid(&'static str),
    }
    use Expect::*;
    // (what, type, ports, more spec, expected) — each in a cluster where
    // another Service already holds 30080.
    let cases: Vec<(&str, &str, Value, Value, Expect)> = vec![
        ("none asked", "NodePort", json!([{"port": 80}]), json!({}), Ports(&[0])),
        ("a free port", "NodePort", json!([{"port": 80, "nodePort": 30081}]), json!({}), Ports(&[30081])),
        ("the range's ends", "NodePort", json!([{"port": 80, "nodePort": 30000, "name": "a"}, {"port": 81, "nodePort": 32767, "name": "b"}]), json!({}), Ports(&[30000, 32767])),
        ("zero is none", "NodePort", json!([{"port": 80, "nodePort": 0}]), json!({}), Ports(&[0])),
        (
            "below the range",
            "NodePort",
            json!([{"port": 80, "nodePort": 80}]),
            json!({}),
            Invalid("Service \"s\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"),
        ),
        (
            "above the range",
            "NodePort",
            json!([{"port": 80, "nodePort": 32768}]),
            json!({}),
            Invalid("Service \"s\" is invalid: spec.ports[0].nodePort: Invalid value: 32768: provided port is not in the valid range. The range of valid ports is 30000-32767"),
        ),
        (
            "held by another Service",
            "NodePort",
            json!([{"port": 80, "nodePort": 30080}]),
            json!({}),
            Invalid("Service \"s\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
        ),
        (
            "asked twice for two port numbers",
            "NodePort",
            json!([{"port": 80, "nodePort": 30090, "name": "a"}, {"port": 81, "nodePort": 30090, "name": "b"}]),
            json!({}),
            Invalid("Service \"s\" is invalid: spec.ports[1].nodePort: Invalid value: 30090: provided port is already allocated"),
        ),
        (
            "TCP and UDP of one port share it",
            "NodePort",
            json!([{"port": 53, "nodePort": 30053, "name": "tcp"}, {"port": 53, "protocol": "UDP", "name": "udp"}]),
            json!({}),
            Ports(&[30053, 30053]),
        ),
        ("a LoadBalancer", "LoadBalancer", json!([{"port": 80}]), json!({}), Ports(&[0])),
        (
            "a LoadBalancer that allocates none",
            "LoadBalancer",
            json!([{"port": 80}]),
            json!({"allocateLoadBalancerNodePorts": false}),
            Ports(&[]),
        ),
        (
            "a LoadBalancer that allocates none still gets what it asks",
            "LoadBalancer",
            json!([{"port": 80, "nodePort": 30081}]),
            json!({"allocateLoadBalancerNodePorts": false}),
            Ports(&[30081]),
        ),
        ("a ClusterIP Service", "ClusterIP", json!([{"port": 80}]), json!({}), Ports(&[])),
        (
            "a ClusterIP Service that asks for one",
            "ClusterIP",
            json!([{"port": 80, "nodePort": 30081}]),
            json!({}),
            Invalid("Service \"s\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        ),
    ];
    for (what, type_, ports, more, expected) in cases {
        let mut c = cluster();
        create(&mut c, SERVICES, &service("holder", "NodePort", json!([{"port": 80, "nodePort": 30080}]), json!({})));
        let r = post(&mut c, SERVICES, &service("s", type_, ports, more));
        match expected {
            Ports(ports) => {
                assert_eq!(r.code, 201, "{what}: {}", r.body);
                let got = node_ports(&r.body);
                assert_eq!(got.len(), ports.len(), "{what}: {got:?}");
                for (got, want) in got.iter().zip(ports) {
                    if *want == 0 {
                        assert!(dynamic(*got), "{what}: {got} is not a dynamic pick");
                    } else {
                        assert_eq!(got, want, "{what}");
                    }
                }
            }
            Invalid(message) => assert_eq!(failure(&r, 422, "Invalid"), message, "{what}"),
        }
    }
}

#[test]
fn the_type_dependent_defaults() {
    let mut c = cluster();
    let node_port = create(&mut c, SERVICES, &service("np", "NodePort", json!([{"port": 80}]), json!({})));
    assert_eq!(node_port["spec"]["externalTrafficPolicy"], "Cluster");
    assert_eq!(node_port["spec"]["allocateLoadBalancerNodePorts"], Value::Null);
    let balancer = create(&mut c, SERVICES, &service("lb", "LoadBalancer", json!([{"port": 80}]), json!({})));
    assert_eq!(balancer["spec"]["externalTrafficPolicy"], "Cluster");
    assert_eq!(balancer["spec"]["allocateLoadBalancerNodePorts"], true);
    let plain = create(&mut c, SERVICES, &service("cip", "ClusterIP", json!([{"port": 80}]), json!({})));
    assert_eq!(plain["spec"]["externalTrafficPolicy"], Value::Null);
}

#[test]
fn a_local_load_balancer_gets_a_health_check_port() {
    let mut c = cluster();
    let local = json!({"externalTrafficPolicy": "Local"});
    let lb = create(&mut c, SERVICES, &service("lb", "LoadBalancer", json!([{"port": 80}]), local.clone()));
    let health = lb["spec"]["healthCheckNodePort"].as_i64().unwrap_or(0);
    assert!(dynamic(health), "{health}");
    assert!(!node_ports(&lb).contains(&health));
    // Asked for, it is allocated like any node port.
    let taken = json!({"externalTrafficPolicy": "Local", "healthCheckNodePort": health});
    let r = post(&mut c, SERVICES, &service("lb2", "LoadBalancer", json!([{"port": 80}]), taken));
    assert_eq!(
        failure(&r, 500, "InternalError"),
        format!(
            "Internal error occurred: failed to allocate requested HealthCheck NodePort {health}: provided port is already allocated"
        )
    );
    // Back to Cluster, the health check port goes (and is free again).
    let r = patch(&mut c, "lb", STRATEGIC, json!({"spec": {"externalTrafficPolicy": "Cluster"}}));
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(r.body["spec"]["healthCheckNodePort"], Value::Null);
    let ok = json!({"externalTrafficPolicy": "Local", "healthCheckNodePort": health});
    create(&mut c, SERVICES, &service("lb2", "LoadBalancer", json!([{"port": 80}]), ok));
    // Only a Local LoadBalancer has one.
    let r = post(
        &mut c,
        SERVICES,
        &service("np", "NodePort", json!([{"port": 80}]), json!({"healthCheckNodePort": 30100})),
    );
    assert_eq!(
        failure(&r, 422, "Invalid"),
        "Service \"np\" is invalid: spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
    );
}

#[test]
fn ports_are_freed() {
    let fixed = || service("web", "NodePort", json!([{"port": 80, "nodePort": 30080}]), json!({}));
    let other = || service("other", "NodePort", json!([{"port": 80, "nodePort": 30080}]), json!({}));
    // (what frees the port)
    type Free = fn(&mut saplay_cluster::Cluster);
    let frees: Vec<(&str, Free)> = vec![
        ("deleting the Service", |c| assert_eq!(delete(c, &format!("{SERVICES}/web")).code, 200)),
        ("a merge patch to ClusterIP", |c| {
            let r = patch(c, "web", MERGE, json!({"spec": {"type": "ClusterIP"}}));
            assert_eq!(r.code, 200, "{}", r.body);
            assert_eq!(node_ports(&r.body), Vec::<i64>::new());
            assert_eq!(r.body["spec"]["externalTrafficPolicy"], Value::Null);
        }),
        ("a strategic merge patch to ClusterIP", |c| {
            let r = patch(c, "web", STRATEGIC, json!({"spec": {"type": "ClusterIP"}}));
            assert_eq!(r.code, 200, "{}", r.body);
            assert_eq!(node_ports(&r.body), Vec::<i64>::new());
        }),
        ("moving the port to another node port", |c| {
            let r = patch(c, "web", STRATEGIC, json!({"spec": {"ports": [{"port": 80, "nodePort": 30081}]}}));
            assert_eq!(node_ports(&r.body), vec![30081], "{}", r.body);
        }),
    ];
    for (what, free) in frees {
        let mut c = cluster();
        create(&mut c, SERVICES, &fixed());
        let r = post(&mut c, SERVICES, &other());
        assert!(failure(&r, 422, "Invalid").ends_with("provided port is already allocated"), "{what}");
        free(&mut c);
        let created = create(&mut c, SERVICES, &other());
        assert_eq!(node_ports(&created), vec![30080], "{what}");
    }
}

#[test]
fn deleting_a_namespace_frees_its_ports() {
    let mut c = cluster();
    create(&mut c, NAMESPACES, r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#);
    let held = service("web", "NodePort", json!([{"port": 80, "nodePort": 30080}]), json!({}));
    create(&mut c, "/api/v1/namespaces/team/services", &held);
    assert_eq!(post(&mut c, SERVICES, &held).code, 422);
    assert_eq!(delete(&mut c, &format!("{NAMESPACES}/team")).code, 200);
    create(&mut c, SERVICES, &held);
}

#[test]
fn updates_that_keep_the_type_keep_the_ports() {
    let mut c = cluster();
    let created =
        create(&mut c, SERVICES, &service("web", "NodePort", json!([{"port": 80, "name": "http"}]), json!({})));
    let port = node_ports(&created);
    // (what, the update)
    let updates: Vec<(&str, saplay_cluster::Response)> = vec![
        ("a strategic merge patch", patch(&mut c, "web", STRATEGIC, json!({"spec": {"selector": {"app": "v2"}}}))),
        (
            "a strategic merge patch restating the port",
            patch(&mut c, "web", STRATEGIC, json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}]}})),
        ),
        ("to LoadBalancer", patch(&mut c, "web", MERGE, json!({"spec": {"type": "LoadBalancer"}}))),
        (
            // A PUT of the manifest without node ports gets them patched in
            // by port name (patchAllocatedValues).
            "a PUT without nodePort",
            put(
                &mut c,
                &format!("{SERVICES}/web"),
                &service("web", "NodePort", json!([{"port": 80, "name": "http"}]), json!({})),
            ),
        ),
    ];
    for (what, r) in updates {
        assert_eq!(r.code, 200, "{what}: {}", r.body);
        assert_eq!(node_ports(&r.body), port, "{what}");
    }
    // A new port of a kept type gets a new node port.
    let r = patch(&mut c, "web", STRATEGIC, json!({"spec": {"ports": [{"port": 443, "name": "https"}]}}));
    let ports = node_ports(&r.body);
    assert_eq!(ports.len(), 2, "{}", r.body);
    assert!(ports.contains(&port[0]) && ports.iter().all(|p| dynamic(*p)));
}

#[test]
fn clusterip_back_to_nodeport_gets_a_new_port() {
    let mut c = cluster();
    create(&mut c, SERVICES, &service("web", "NodePort", json!([{"port": 80}]), json!({})));
    patch(&mut c, "web", MERGE, json!({"spec": {"type": "ClusterIP"}}));
    let r = patch(&mut c, "web", MERGE, json!({"spec": {"type": "NodePort"}}));
    assert_eq!(r.code, 200, "{}", r.body);
    assert!(node_ports(&r.body).iter().all(|p| dynamic(*p)) && node_ports(&r.body).len() == 1);
    // A type change that also names a node port keeps it, and ClusterIP
    // refuses it.
    let r =
        patch(&mut c, "web", MERGE, json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80, "nodePort": 30099}]}}));
    assert_eq!(
        failure(&r, 422, "Invalid"),
        "Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    );
}

#[test]
fn dry_runs_take_no_port() {
    let mut c = cluster();
    let manifest = service("web", "NodePort", json!([{"port": 80}]), json!({}));
    let r = c.handle(&Request::post(format!("{SERVICES}?dryRun=All"), manifest.as_str()));
    assert_eq!(r.code, 201, "{}", r.body);
    // Upstream's dry-run allocator hands out a dummy port past the range.
    assert_eq!(node_ports(&r.body), vec![32769]);
    let fixed = service("a", "NodePort", json!([{"port": 80, "nodePort": 30080}]), json!({}));
    assert_eq!(c.handle(&Request::post(format!("{SERVICES}?dryRun=All"), fixed.as_str())).code, 201);
    create(&mut c, SERVICES, &fixed);
}

#[test]
fn picks_are_deterministic_and_leave_uids_as_they_were() {
    // The same seed picks the same ports; the picks draw from a side
    // stream, so the UIDs after a NodePort Service are those after a
    // ClusterIP one.
    let run = |type_: &str| {
        let mut c = cluster();
        let svc = create(
            &mut c,
            SERVICES,
            &service("web", type_, json!([{"port": 80, "name": "a"}, {"port": 81, "name": "b"}]), json!({})),
        );
        let sa = service_account(&mut c, "robot");
        (
            node_ports(&svc),
            svc["metadata"]["uid"].clone(),
            svc["spec"]["clusterIP"].clone(),
            sa["metadata"]["uid"].clone(),
        )
    };
    let (ports, svc_uid, ip, sa_uid) = run("NodePort");
    assert_eq!(run("NodePort").0, ports);
    assert_eq!(ports.len(), 2);
    assert_ne!(ports[0], ports[1]);
    let (none, plain_uid, plain_ip, plain_sa_uid) = run("ClusterIP");
    assert!(none.is_empty());
    assert_eq!((svc_uid, ip, sa_uid), (plain_uid, plain_ip, plain_sa_uid));
}

#[test]
fn allocate_load_balancer_node_ports_is_for_load_balancers() {
    let mut c = cluster();
    let r = post(
        &mut c,
        SERVICES,
        &service("np", "NodePort", json!([{"port": 80}]), json!({"allocateLoadBalancerNodePorts": true})),
    );
    assert_eq!(
        failure(&r, 422, "Invalid"),
        "Service \"np\" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"
    );
    // Leaving LoadBalancer drops the defaulted field with the node ports.
    create(&mut c, SERVICES, &service("lb", "LoadBalancer", json!([{"port": 80}]), json!({})));
    let r = patch(&mut c, "lb", STRATEGIC, json!({"spec": {"type": "ClusterIP"}}));
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(r.body["spec"]["allocateLoadBalancerNodePorts"], Value::Null);
    assert_eq!(node_ports(&r.body), Vec::<i64>::new());
}

/// A Service `s` with this `spec`.
fn spec(spec: Value) -> String {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": spec}).to_string()
}

const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

#[test]
fn validation_on_create() {
    let port = || json!([{"port": 80}]);
    // (rule, spec, the Invalid message after `Service "s" is invalid: `,
    // or "" when the Service is created)
    let rows: Vec<(&str, Value, String)> = vec![
        ("ports are required", json!({"selector": {"app": "web"}}), "spec.ports: Required value".into()),
        ("but not for a headless Service", json!({"clusterIP": "None"}), String::new()),
        (
            "nor for ExternalName, which needs externalName",
            json!({"type": "ExternalName"}),
            "spec.externalName: Required value".into(),
        ),
        (
            "externalName is a DNS subdomain",
            json!({"type": "ExternalName", "externalName": "Bad_Host"}),
            format!("spec.externalName: Invalid value: \"Bad_Host\": {DNS1123_SUBDOMAIN}"),
        ),
        (
            "with a trailing dot allowed",
            json!({"type": "ExternalName", "externalName": "db.example.com."}),
            String::new(),
        ),
        (
            "ExternalName has no cluster IP",
            json!({"type": "ExternalName", "externalName": "example.com", "clusterIP": "10.96.1.1"}),
            "spec.clusterIPs: Forbidden: may not be set for ExternalName services".into(),
        ),
        (
            "a NodePort Service is not headless",
            json!({"type": "NodePort", "clusterIP": "None", "ports": port()}),
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services".into(),
        ),
        (
            "nor is a LoadBalancer",
            json!({"type": "LoadBalancer", "clusterIP": "None", "ports": port()}),
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services".into(),
        ),
        (
            "a LoadBalancer may not expose the kubelet's port",
            json!({"type": "LoadBalancer", "ports": [{"port": 10250}]}),
            "spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet".into(),
        ),
        (
            "several ports need names",
            json!({"ports": [{"port": 80}, {"port": 443, "name": "https"}]}),
            "spec.ports[0].name: Required value".into(),
        ),
        (
            "a port name is a DNS-1123 label",
            json!({"ports": [{"port": 80, "name": "HTTP"}]}),
            format!("spec.ports[0].name: Invalid value: \"HTTP\": {DNS1123_LABEL}"),
        ),
        (
            "port names are unique",
            json!({"ports": [{"port": 80, "name": "web"}, {"port": 81, "name": "web"}]}),
            "spec.ports[1].name: Duplicate value: \"web\"".into(),
        ),
        (
            "port 0 (and its defaulted target port) is out of range",
            json!({"ports": [{"port": 0}]}),
            format!(
                "[spec.ports[0].port: Invalid value: 0: {PORT_RANGE}, spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}]"
            ),
        ),
        (
            "so is 65536",
            json!({"ports": [{"port": 65536, "targetPort": 80}]}),
            format!("spec.ports[0].port: Invalid value: 65536: {PORT_RANGE}"),
        ),
        (
            "protocols are TCP, UDP and SCTP",
            json!({"ports": [{"port": 80, "protocol": "HTTP"}]}),
            "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"".into(),
        ),
        (
            "in capitals",
            json!({"ports": [{"port": 80, "protocol": "tcp"}]}),
            "spec.ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"".into(),
        ),
        (
            "a target port number is in range",
            json!({"ports": [{"port": 80, "targetPort": 99999}]}),
            format!("spec.ports[0].targetPort: Invalid value: 99999: {PORT_RANGE}"),
        ),
        (
            "a target port name has at most 15 characters",
            json!({"ports": [{"port": 80, "targetPort": "http-web-server"}]}),
            String::new(),
        ),
        (
            "not 16",
            json!({"ports": [{"port": 80, "targetPort": "http-web-servers"}]}),
            "spec.ports[0].targetPort: Invalid value: \"http-web-servers\": must be no more than 15 characters".into(),
        ),
        (
            "a quoted number is a name, without a letter",
            json!({"ports": [{"port": 80, "targetPort": "8080"}]}),
            "spec.ports[0].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)".into(),
        ),
        (
            "names are lower case",
            json!({"ports": [{"port": 80, "targetPort": "HTTP"}]}),
            "[spec.ports[0].targetPort: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), spec.ports[0].targetPort: Invalid value: \"HTTP\": must contain at least one letter (a-z)]".into(),
        ),
        (
            "without consecutive hyphens",
            json!({"ports": [{"port": 80, "targetPort": "web--api"}]}),
            "spec.ports[0].targetPort: Invalid value: \"web--api\": must not contain consecutive hyphens".into(),
        ),
        (
            "nor one at an end",
            json!({"ports": [{"port": 80, "targetPort": "web-"}]}),
            "spec.ports[0].targetPort: Invalid value: \"web-\": must not begin or end with a hyphen".into(),
        ),
        (
            "appProtocol is a qualified name",
            json!({"ports": [{"port": 80, "appProtocol": "my proto"}]}),
            format!("spec.ports[0].appProtocol: Invalid value: \"my proto\": {QUALIFIED_NAME}"),
        ),
        (
            "a protocol and port pair is unique",
            json!({"ports": [{"port": 80, "name": "a"}, {"port": 80, "name": "b", "targetPort": 8080}]}),
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}".into(),
        ),
        (
            "the same port over TCP and UDP is fine",
            json!({"ports": [{"port": 53, "name": "dns-tcp"}, {"port": 53, "name": "dns", "protocol": "UDP"}]}),
            String::new(),
        ),
        (
            "the selector holds labels",
            json!({"selector": {"app": "-web"}, "ports": port()}),
            format!("spec.selector: Invalid value: \"-web\": {LABEL_VALUE}"),
        ),
        (
            "session affinity is ClientIP or None",
            json!({"sessionAffinity": "Sticky", "ports": port()}),
            "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"".into(),
        ),
        (
            "a ClientIP timeout is at most a day",
            json!({"sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}}, "ports": port()}),
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400".into(),
        ),
        (
            "types are the four",
            json!({"type": "Nodeport", "ports": port()}),
            "spec.type: Unsupported value: \"Nodeport\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"".into(),
        ),
        (
            "a cluster IP is an IP",
            json!({"clusterIP": "10.96.0", "ports": port()}),
            "spec.clusterIPs[0]: Invalid value: \"10.96.0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".into(),
        ),
        (
            "in the service range",
            json!({"clusterIP": "192.168.1.10", "ports": port()}),
            "spec.clusterIPs: Invalid value: []string{\"192.168.1.10\"}: failed to allocate IP 192.168.1.10: the provided IP (192.168.1.10) is not in the valid range. The range of valid IPs is 10.96.0.0/16".into(),
        ),
        (
            "but not its network address",
            json!({"clusterIP": "10.96.0.0", "ports": port()}),
            "spec.clusterIPs: Invalid value: []string{\"10.96.0.0\"}: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/16".into(),
        ),
        (
            "nor its broadcast address",
            json!({"clusterIP": "10.96.255.255", "ports": port()}),
            "spec.clusterIPs: Invalid value: []string{\"10.96.255.255\"}: failed to allocate IP 10.96.255.255: the provided IP (10.96.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/16".into(),
        ),
        (
            "and free",
            json!({"clusterIP": "10.96.0.1", "ports": port()}),
            "spec.clusterIPs: Invalid value: []string{\"10.96.0.1\"}: failed to allocate IP 10.96.0.1: provided IP is already allocated".into(),
        ),
        ("a free one in the range is taken", json!({"clusterIP": "10.96.100.100", "ports": port()}), String::new()),
        (
            "IPv6 is not served",
            json!({"clusterIP": "fd00::10", "ports": port()}),
            "spec.clusterIPs[0]: Invalid value: []string{\"fd00::10\"}: IPv6 is not configured on this cluster".into(),
        ),
        (
            "as a family either",
            json!({"ipFamilies": ["IPv6"], "ports": port()}),
            "spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster".into(),
        ),
        (
            "nor is dual-stack",
            json!({"ipFamilyPolicy": "RequireDualStack", "ports": port()}),
            "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services".into(),
        ),
        ("though it may be preferred", json!({"ipFamilyPolicy": "PreferDualStack", "ports": port()}), String::new()),
        (
            "policies are the three",
            json!({"ipFamilyPolicy": "DualStack", "ports": port()}),
            "spec.ipFamilyPolicy: Unsupported value: \"DualStack\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"".into(),
        ),
        (
            "clusterIPs starts with clusterIP",
            json!({"clusterIP": "10.96.1.1", "clusterIPs": ["10.96.1.2"], "ports": port()}),
            "spec.clusterIPs: Invalid value: []string{\"10.96.1.2\"}: first value must match `clusterIP`".into(),
        ),
        (
            "external IPs are IPs",
            json!({"externalIPs": ["1.2.3"], "ports": port()}),
            "spec.externalIPs[0]: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".into(),
        ),
        (
            "not loopback ones",
            json!({"externalIPs": ["127.0.0.1"], "ports": port()}),
            "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)".into(),
        ),
        (
            "the internal traffic policy is Cluster or Local",
            json!({"internalTrafficPolicy": "Node", "ports": port()}),
            "spec.internalTrafficPolicy: Unsupported value: \"Node\": supported values: \"Cluster\", \"Local\"".into(),
        ),
        (
            "the traffic distribution is PreferClose",
            json!({"trafficDistribution": "PreferZone", "ports": port()}),
            "spec.trafficDistribution: Unsupported value: \"PreferZone\": supported values: \"PreferClose\"".into(),
        ),
        (
            "a load balancer class is for LoadBalancers",
            json!({"loadBalancerClass": "example.com/lb", "ports": port()}),
            "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'".into(),
        ),
        (
            "and a qualified name",
            json!({"type": "LoadBalancer", "loadBalancerClass": "my lb", "ports": port()}),
            format!("spec.loadBalancerClass: Invalid value: \"my lb\": {QUALIFIED_NAME}"),
        ),
    ];
    for (rule, spec_json, expected) in rows {
        let mut c = cluster();
        let r = post(&mut c, SERVICES, &spec(spec_json));
        if expected.is_empty() {
            assert_eq!(r.code, 201, "{rule}: {}", r.body);
        } else {
            assert_eq!(failure(&r, 422, "Invalid"), format!("Service \"s\" is invalid: {expected}"), "{rule}");
        }
    }
}

#[test]
fn errors_come_in_upstream_order() {
    // A learner's first try at two ports: v1.32 names each error in
    // ValidateService's order, port by port.
    let mut c = cluster();
    let r = post(
        &mut c,
        SERVICES,
        &spec(json!({"ports": [{"port": 0}, {"port": 80, "targetPort": 99999, "protocol": "XX"}]})),
    );
    assert_eq!(
        failure(&r, 422, "Invalid"),
        format!(
            "Service \"s\" is invalid: [spec.ports[0].name: Required value, spec.ports[0].port: Invalid value: 0: {PORT_RANGE}, spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}, spec.ports[1].name: Required value, spec.ports[1].protocol: Unsupported value: \"XX\": supported values: \"SCTP\", \"TCP\", \"UDP\", spec.ports[1].targetPort: Invalid value: 99999: {PORT_RANGE}]"
        )
    );
    let causes: Vec<&str> =
        r.body["details"]["causes"].as_array().into_iter().flatten().filter_map(|c| c["reason"].as_str()).collect();
    assert_eq!(
        causes,
        [
            "FieldValueRequired",
            "FieldValueInvalid",
            "FieldValueInvalid",
            "FieldValueRequired",
            "FieldValueNotSupported",
            "FieldValueInvalid"
        ]
    );
    // The cluster IP is checked before anything else, and alone.
    let r = post(&mut c, SERVICES, &spec(json!({"clusterIP": "abc", "type": "Nodeport", "ports": [{"port": 0}]})));
    assert_eq!(
        failure(&r, 422, "Invalid"),
        "Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: \"abc\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    );
    // A duplicate pair is a FieldValueDuplicate cause on the port.
    let r = post(&mut c, SERVICES, &spec(json!({"ports": [{"port": 80, "name": "a"}, {"port": 80, "name": "b"}]})));
    assert_eq!(r.body["details"]["causes"][0]["reason"], "FieldValueDuplicate");
    assert_eq!(r.body["details"]["causes"][0]["field"], "spec.ports[1]");
}

#[test]
fn service_defaults() {
    let mut c = cluster();
    let created = create(
        &mut c,
        SERVICES,
        &spec(json!({
            "type": "",
            "sessionAffinity": "",
            "ports": [{"port": 80, "name": "a", "protocol": "", "targetPort": 0}, {"port": 81, "name": "b", "targetPort": ""}],
        })),
    );
    assert_eq!(created["spec"]["type"], "ClusterIP");
    assert_eq!(created["spec"]["sessionAffinity"], "None");
    assert_eq!(created["spec"]["ports"][0]["protocol"], "TCP");
    assert_eq!(created["spec"]["ports"][0]["targetPort"], 80);
    assert_eq!(created["spec"]["ports"][1]["targetPort"], 81);
    assert_eq!(created["spec"]["internalTrafficPolicy"], "Cluster");
    // ClientIP affinity gets a 3 h timeout; None drops a config.
    let sticky = create(
        &mut c,
        SERVICES,
        &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "sticky"},
                "spec": {"sessionAffinity": "ClientIP", "ports": [{"port": 80}]}})
        .to_string(),
    );
    assert_eq!(sticky["spec"]["sessionAffinityConfig"], json!({"clientIP": {"timeoutSeconds": 10800}}));
    let plain = create(
        &mut c,
        SERVICES,
        &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "plain"},
                "spec": {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}, "ports": [{"port": 80}]}})
        .to_string(),
    );
    assert_eq!(plain["spec"]["sessionAffinityConfig"], Value::Null);
    // A cluster IP asked for is kept, in clusterIPs too.
    let fixed = create(
        &mut c,
        SERVICES,
        &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "fixed"},
                "spec": {"clusterIP": "10.96.100.100", "ports": [{"port": 80}]}})
        .to_string(),
    );
    assert_eq!(fixed["spec"]["clusterIPs"], json!(["10.96.100.100"]));
    assert_eq!(fixed["spec"]["ipFamilyPolicy"], "SingleStack");
    // A headless Service without a selector is RequireDualStack with both
    // families, even on a single-stack cluster (initIPFamilyFields).
    let headless = create(
        &mut c,
        SERVICES,
        &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "headless"}, "spec": {"clusterIP": "None"}})
            .to_string(),
    );
    assert_eq!(headless["spec"]["ipFamilyPolicy"], "RequireDualStack");
    assert_eq!(headless["spec"]["ipFamilies"], json!(["IPv4", "IPv6"]));
}

#[test]
fn a_dry_run_checks_only_the_range() {
    let mut c = cluster();
    // 10.96.0.1 is the kubernetes Service's; a dry run does not ask.
    let taken = spec(json!({"clusterIP": "10.96.0.1", "ports": [{"port": 80}]}));
    assert_eq!(c.handle(&Request::post(format!("{SERVICES}?dryRun=All"), taken.as_str())).code, 201);
    let outside = spec(json!({"clusterIP": "10.97.0.1", "ports": [{"port": 80}]}));
    assert_eq!(c.handle(&Request::post(format!("{SERVICES}?dryRun=All"), outside.as_str())).code, 422);
    // Deleting a Service frees its cluster IP.
    create(&mut c, SERVICES, &spec(json!({"clusterIP": "10.96.7.7", "ports": [{"port": 80}]})));
    let again = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "t"},
                       "spec": {"clusterIP": "10.96.7.7", "ports": [{"port": 80}]}})
    .to_string();
    assert_eq!(post(&mut c, SERVICES, &again).code, 422);
    assert_eq!(delete(&mut c, &format!("{SERVICES}/s")).code, 200);
    create(&mut c, SERVICES, &again);
}

#[test]
fn validation_on_update() {
    // (rule, patch of a ClusterIP Service at 10.96.100.100, the Invalid
    // message, or "" when the update goes through)
    let rows: Vec<(&str, Value, &str)> = vec![
        (
            "the cluster IP cannot change",
            json!({"spec": {"clusterIP": "10.96.5.5"}}),
            "spec.clusterIPs[0]: Invalid value: []string{\"10.96.5.5\"}: may not change once set",
        ),
        (
            "not even to None",
            json!({"spec": {"clusterIP": "None"}}),
            "spec.clusterIPs[0]: Invalid value: []string{\"None\"}: may not change once set",
        ),
        (
            "a bad one is refused before",
            json!({"spec": {"clusterIP": "10.96.5"}}),
            "spec.clusterIPs[0]: Invalid value: \"10.96.5\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ),
        ("restating it is fine", json!({"spec": {"clusterIP": "10.96.100.100"}}), ""),
        (
            "a second unnamed port",
            json!({"spec": {"ports": [{"port": 80}, {"port": 443}]}}),
            "[spec.ports[0].name: Required value, spec.ports[1].name: Required value]",
        ),
        (
            "ExternalName needs externalName",
            json!({"spec": {"type": "ExternalName"}}),
            "spec.externalName: Required value",
        ),
        ("with one, the cluster IP goes", json!({"spec": {"type": "ExternalName", "externalName": "example.com"}}), ""),
    ];
    for (rule, body, expected) in rows {
        let mut c = cluster();
        create(&mut c, SERVICES, &spec(json!({"clusterIP": "10.96.100.100", "ports": [{"port": 80}]})));
        let r = patch(&mut c, "s", MERGE, body);
        if expected.is_empty() {
            assert_eq!(r.code, 200, "{rule}: {}", r.body);
        } else {
            assert_eq!(failure(&r, 422, "Invalid"), format!("Service \"s\" is invalid: {expected}"), "{rule}");
        }
    }
    // Turned ExternalName, the Service has no cluster IP fields left.
    let mut c = cluster();
    create(&mut c, SERVICES, &spec(json!({"clusterIP": "10.96.100.100", "ports": [{"port": 80}]})));
    let r = patch(&mut c, "s", MERGE, json!({"spec": {"type": "ExternalName", "externalName": "example.com"}}));
    for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
        assert_eq!(r.body["spec"][field], Value::Null, "{field}: {}", r.body);
    }
    // Its address is free again.
    create(
        &mut c,
        SERVICES,
        &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "t"},
                "spec": {"clusterIP": "10.96.100.100", "ports": [{"port": 80}]}})
        .to_string(),
    );
    // A LoadBalancer's class stays.
    let mut c = cluster();
    create(
        &mut c,
        SERVICES,
        &spec(json!({"type": "LoadBalancer", "loadBalancerClass": "a.io/lb", "ports": [{"port": 80}]})),
    );
    let r = patch(&mut c, "s", MERGE, json!({"spec": {"loadBalancerClass": "b.io/lb"}}));
    assert_eq!(
        failure(&r, 422, "Invalid"),
        "Service \"s\" is invalid: spec.loadBalancerClass: Invalid value: \"b.io/lb\": may not change once set"
    );
}
