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
        ("the range's ends", "NodePort", json!([{"port": 80, "nodePort": 30000}, {"port": 81, "nodePort": 32767, "name": "b"}]), json!({}), Ports(&[30000, 32767])),
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
            &service("web", type_, json!([{"port": 80}, {"port": 81, "name": "b"}]), json!({})),
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
