//! What one command line costs, from text in to text out, in a shell whose
//! cluster holds the chapter's objects: the figure behind "a typical
//! command takes at most 1 ms natively".
//!
//! Run: `cargo bench -p saplay-shell --bench commands`.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::Shell;
use std::hint::black_box;

/// The chapter's set-up: a service account, a role and binding, a pod
/// running as the service account, a manifest file, a token.
const SETUP: &str = "kubectl create serviceaccount dashboard-sa
kubectl create role pod-reader --verb=get,list,watch --resource=pods
kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:dashboard-sa
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: dashboard-sa
  containers:
  - name: nginx
    image: nginx:1.27
EOF
cat > sa.yaml <<EOF
apiVersion: v1
kind: ServiceAccount
metadata:
  name: build-robot
EOF
kubectl apply -f sa.yaml
TOKEN=$(kubectl create token dashboard-sa)
";

fn shell() -> Shell {
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    let out = shell.run(SETUP);
    assert_eq!(out.exit_code, 0, "set-up failed: {}", out.terminal_text());
    shell
}

fn bench(c: &mut Criterion) {
    let commands = [
        ("get_sa", "kubectl get serviceaccounts"),
        ("get_pods_all_namespaces", "kubectl get pods -A"),
        ("get_sa_yaml", "kubectl get sa dashboard-sa -o yaml"),
        ("describe_sa", "kubectl describe sa dashboard-sa"),
        ("describe_pod", "kubectl describe pod web"),
        ("can_i", "kubectl auth can-i list pods --as=system:serviceaccount:default:dashboard-sa"),
        ("can_i_list", "kubectl auth can-i --list --as=system:serviceaccount:default:dashboard-sa"),
        ("apply_unchanged", "kubectl apply -f sa.yaml"),
        ("create_token", "kubectl create token dashboard-sa"),
        ("exec_cat_token", "kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/token"),
        (
            "curl_with_token",
            "curl -sk -H \"Authorization: Bearer $TOKEN\" https://172.18.0.2:6443/api/v1/namespaces/default/pods",
        ),
        ("jwt_payload_cut_base64", "echo $TOKEN | cut -d. -f2 | base64 -d 2>/dev/null; true"),
        (
            "jwt_payload_jq",
            "echo $TOKEN | jq -R 'split(\".\") | .[1] | gsub(\"-\";\"+\") | gsub(\"_\";\"/\") | @base64d | fromjson'",
        ),
        ("for_loop_get", "for ns in default kube-system; do kubectl get sa -n $ns; done"),
    ];
    let mut group = c.benchmark_group("command");
    for (name, line) in commands {
        let mut shell = shell();
        // Each command once outside the timing, to see that it works.
        let out = shell.run(line);
        assert_eq!(out.exit_code, 0, "{line}: {}", out.terminal_text());
        group.bench_function(name, |b| b.iter(|| black_box(shell.run(line))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
