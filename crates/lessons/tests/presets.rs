//! The presets load in one go in a fresh cluster, each pod runs as its
//! service account, and can-i and the checker see what the chapter says.

mod common;
use common::Must;

use saplay_cluster::rbac::Attributes;
use saplay_cluster::{Cluster, ClusterConfig};
use saplay_lessons::{best_practices, presets};
use saplay_shell::Shell;

fn loaded(id: &str) -> Shell {
    let preset = presets().iter().find(|p| p.id == id).must("preset");
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    for line in preset.lines() {
        let out = shell.run(&line);
        assert_eq!(out.exit_code, 0, "{id}: {}", out.terminal_text());
    }
    shell
}

fn can(shell: &Shell, sa: (&str, &str), verb: &str, group: &str, resource: &str, ns: &str) -> bool {
    let user = shell.cluster().service_account_user(sa.0, sa.1);
    let attrs = Attributes {
        verb: verb.to_string(),
        resource_request: true,
        api_group: group.to_string(),
        resource: resource.to_string(),
        namespace: ns.to_string(),
        ..Attributes::default()
    };
    shell.cluster().access_check(&user, &attrs).allowed
}

#[test]
fn each_preset_runs_its_pod_as_its_account() {
    let expected = [
        ("prometheus", "monitoring", "prometheus-k8s-0", "prometheus-k8s"),
        ("jenkins", "jenkins", "jenkins-0", "jenkins"),
        ("argo-cd", "argocd", "argocd-application-controller-0", "argocd-application-controller"),
        ("operator", "memcached-operator-system", "controller-manager", "controller-manager"),
    ];
    assert_eq!(presets().len(), expected.len());
    for (id, ns, pod, sa) in expected {
        let shell = loaded(id);
        let out = shell.observe(&["get", "pod", pod, "-n", ns, "-o", "jsonpath={.spec.serviceAccountName}"]);
        assert_eq!(out.stdout(), sa, "{id}");
        assert!(shell.cluster().mounted_tokens(ns, pod).is_ok_and(|t| !t.is_empty()), "{id}");
        let preset = presets().iter().find(|p| p.id == id).must("preset");
        assert!(!preset.explore.is_empty());
        let mut explorer = loaded(id);
        for line in preset.explore {
            let out = explorer.run(line);
            assert!(
                out.stdout() == "yes\n" || out.stdout() == "no\n" || out.stdout().contains("Resources"),
                "{id}: {line}: {}",
                out.terminal_text()
            );
        }
    }
}

#[test]
fn permissions_are_what_each_workload_needs() {
    let p = loaded("prometheus");
    let prom = ("monitoring", "prometheus-k8s");
    assert!(can(&p, prom, "list", "", "pods", "default"));
    assert!(can(&p, prom, "list", "", "pods", "kube-system"));
    assert!(!can(&p, prom, "list", "", "secrets", "default"));
    assert!(!can(&p, prom, "create", "", "pods", "default"));

    let j = loaded("jenkins");
    let jenkins = ("jenkins", "jenkins");
    assert!(can(&j, jenkins, "create", "", "pods", "jenkins"));
    assert!(!can(&j, jenkins, "create", "", "pods", "default"));

    let a = loaded("argo-cd");
    let argo = ("argocd", "argocd-application-controller");
    assert!(can(&a, argo, "create", "apps", "deployments", "default"));
    assert!(can(&a, argo, "delete", "", "secrets", "kube-system"));

    let o = loaded("operator");
    let op = ("memcached-operator-system", "controller-manager");
    assert!(can(&o, op, "update", "apps", "deployments", "default"));
    assert!(can(&o, op, "list", "cache.example.com", "memcacheds", "default"));
    assert!(!can(&o, op, "get", "", "secrets", "default"));
}

#[test]
fn the_checker_sees_the_risky_ones() {
    let checks =
        |id: &str| -> Vec<&'static str> { best_practices(loaded(id).cluster()).iter().map(|f| f.check).collect() };
    assert_eq!(checks("prometheus"), Vec::<&str>::new());
    let jenkins = checks("jenkins");
    assert!(jenkins.contains(&"escalation-create-pods") && jenkins.contains(&"escalation-read-secrets"), "{jenkins:?}");
    let argo = checks("argo-cd");
    assert!(argo.contains(&"wildcard-rbac") && argo.contains(&"escalation-impersonate"), "{argo:?}");
    assert_eq!(checks("operator"), Vec::<&str>::new());
}
