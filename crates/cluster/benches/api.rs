//! API server costs: cluster start-up, the chapter's manifests, a pod
//! create, and lookups in a cluster holding 10,000 objects.
//!
//! Run: `cargo bench -p saplay-cluster --bench api`.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use saplay_cluster::{Cluster, ClusterConfig, Request};
use std::hint::black_box;

const SA: &str = "/api/v1/namespaces/default/serviceaccounts";
const PODS: &str = "/api/v1/namespaces/default/pods";
const RBAC: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default";

const DASHBOARD_SA: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dashboard-sa\n";
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  serviceAccountName: dashboard-sa\n  containers:\n  - name: nginx\n    image: nginx:1.27\n";
const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: pod-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"watch\", \"list\"]\n";
const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-pods\nsubjects:\n- kind: ServiceAccount\n  name: dashboard-sa\nroleRef:\n  kind: Role\n  name: pod-reader\n  apiGroup: rbac.authorization.k8s.io\n";

fn with_sa() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default());
    c.handle(&Request::post(SA, DASHBOARD_SA));
    c
}

fn bench(c: &mut Criterion) {
    c.bench_function("cluster_new", |b| b.iter(|| black_box(Cluster::new(ClusterConfig::default()))));

    c.bench_function("apply_chapter_manifests", |b| {
        b.iter_batched(
            || Cluster::new(ClusterConfig::default()),
            |mut cluster| {
                cluster.handle(&Request::post(SA, DASHBOARD_SA));
                cluster.handle(&Request::post(format!("{RBAC}/roles"), ROLE));
                cluster.handle(&Request::post(format!("{RBAC}/rolebindings"), BINDING));
                cluster.handle(&Request::post(PODS, POD));
                cluster
            },
            BatchSize::SmallInput,
        )
    });

    c.bench_function("pod_create", |b| {
        // The cluster is returned so that dropping it is not timed.
        b.iter_batched(
            with_sa,
            |mut cluster| {
                let response = cluster.handle(&Request::post(PODS, POD));
                (cluster, response)
            },
            BatchSize::SmallInput,
        )
    });

    // A cluster with 10,000 service accounts: get, create and list one
    // namespace should cost what they cost in a small cluster.
    let mut big = with_sa();
    for i in 0..10_000 {
        let body =
            format!("{{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{{\"name\":\"sa-{i}\"}}}}");
        big.handle(&Request::post("/api/v1/namespaces/kube-system/serviceaccounts", body));
    }
    assert!(big.object_count() > 10_000);
    c.bench_function("get_in_10k_objects", |b| {
        b.iter(|| black_box(big.handle(&Request::get(format!("{SA}/dashboard-sa")))))
    });
    c.bench_function("list_default_ns_in_10k_objects", |b| b.iter(|| black_box(big.handle(&Request::get(SA)))));
    c.bench_function("pod_create_in_10k_objects", |b| {
        b.iter_batched(
            || big.clone(),
            |mut cluster| {
                let response = cluster.handle(&Request::post(PODS, POD));
                (cluster, response)
            },
            BatchSize::LargeInput,
        )
    });
}

/// Authorization with 1,000 unrelated bindings in the cluster, and token
/// minting.
fn identity(c: &mut Criterion) {
    use saplay_cluster::authn::UserInfo;
    use saplay_cluster::rbac::{authorize, Attributes};
    let mut cluster = with_sa();
    cluster.handle(&Request::post(format!("{RBAC}/roles"), ROLE));
    cluster.handle(&Request::post(format!("{RBAC}/rolebindings"), BINDING));
    for i in 0..1000 {
        let body = format!(
            "{{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{{\"name\":\"rb-{i}\"}},\"roleRef\":{{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"}},\"subjects\":[{{\"kind\":\"User\",\"name\":\"user-{i}\",\"apiGroup\":\"rbac.authorization.k8s.io\"}}]}}"
        );
        let r = cluster.handle(&Request::post(format!("{RBAC}/rolebindings"), body));
        assert_eq!(r.code, 201);
    }
    let sa =
        cluster.service_account("default", "dashboard-sa").and_then(|s| s.metadata.uid.clone()).unwrap_or_default();
    let user = UserInfo::service_account("default", "dashboard-sa", &sa);
    let attrs = Attributes {
        verb: "list".into(),
        resource_request: true,
        resource: "pods".into(),
        namespace: "default".into(),
        ..Attributes::default()
    };
    assert!(authorize(cluster.store(), &user, &attrs).allowed);
    c.bench_function("authorize_allowed_1000_bindings", |b| {
        b.iter(|| black_box(authorize(cluster.store(), &user, &attrs)))
    });
    let denied = Attributes { verb: "delete".into(), ..attrs.clone() };
    c.bench_function("authorize_denied_1000_bindings", |b| {
        b.iter(|| black_box(authorize(cluster.store(), &user, &denied)))
    });
    // The UI's access view: 15 resources × 8 verbs, and the who-can list.
    let resources: [(&str, &str); 15] = [
        ("", "pods"),
        ("", "pods/log"),
        ("", "pods/exec"),
        ("", "services"),
        ("", "configmaps"),
        ("", "secrets"),
        ("", "serviceaccounts"),
        ("", "serviceaccounts/token"),
        ("", "events"),
        ("", "persistentvolumeclaims"),
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("batch", "jobs"),
        ("rbac.authorization.k8s.io", "roles"),
        ("rbac.authorization.k8s.io", "rolebindings"),
    ];
    let verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    c.bench_function("access_matrix_15x8_1000_bindings", |b| {
        b.iter(|| black_box(cluster.access_matrix(&user, "default", &resources, &verbs)))
    });
    c.bench_function("who_can_1000_bindings", |b| b.iter(|| black_box(cluster.who_can(&attrs))));
    let path = format!("{SA}/dashboard-sa/token");
    let minted = cluster.handle(&Request::post(&path, "{}"));
    let minted = minted.body["status"]["token"].as_str().unwrap_or_default().to_string();
    c.bench_function("inspect_token", |b| b.iter(|| black_box(cluster.inspect_token(&minted))));
    c.bench_function("token_request", |b| b.iter(|| black_box(cluster.handle(&Request::post(&path, "{}")))));
    let signer = cluster.token_signer().clone();
    let claims = serde_json::json!({"sub": "system:serviceaccount:default:dashboard-sa", "aud": ["x"], "exp": 1});
    c.bench_function("es256_sign", |b| b.iter(|| black_box(signer.sign(&claims))));
    let token = signer.sign(&claims);
    c.bench_function("es256_verify", |b| b.iter(|| black_box(signer.verify(&token))));
}

/// Fast-forwarding 24 h with 1,000 running pods (every kubelet refresh on
/// the way). Issue 5's budget: 100 ms natively.
fn fast_forward(c: &mut Criterion) {
    let mut cluster = Cluster::new(ClusterConfig::default());
    for i in 0..1000 {
        let body = format!(
            "{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"p{i}\"}},\"spec\":{{\"containers\":[{{\"name\":\"c\",\"image\":\"nginx\"}}]}}}}"
        );
        assert_eq!(cluster.handle(&Request::post(PODS, body)).code, 201);
    }
    let mut group = c.benchmark_group("fast_forward");
    group.sample_size(10);
    group.bench_function("24h_1000_pods", |b| {
        b.iter_batched(
            || cluster.clone(),
            |mut cl| {
                cl.advance_seconds(24 * 3600);
                cl
            },
            BatchSize::LargeInput,
        )
    });
    // The same through the controllers: a Deployment of 1000 replicas
    // with a service account that is missing at first (FailedCreate
    // retries), then created; a failing ReplicaSet beside it all day.
    let mut workloads = Cluster::new(ClusterConfig::default());
    let deployment = |name: &str, sa: &str, replicas: u32| {
        format!(
            "{{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{{\"name\":\"{name}\"}},\"spec\":{{\"replicas\":{replicas},\"selector\":{{\"matchLabels\":{{\"app\":\"{name}\"}}}},\"template\":{{\"metadata\":{{\"labels\":{{\"app\":\"{name}\"}}}},\"spec\":{{\"serviceAccountName\":\"{sa}\",\"containers\":[{{\"name\":\"c\",\"image\":\"nginx:1.27\"}}]}}}}}}}}"
        )
    };
    let deployments = "/apis/apps/v1/namespaces/default/deployments";
    assert_eq!(workloads.handle(&Request::post(deployments, deployment("web", "build-robot", 1000))).code, 201);
    assert_eq!(workloads.handle(&Request::post(deployments, deployment("stuck", "nobody", 3))).code, 201);
    workloads.advance_seconds(60);
    assert_eq!(workloads.handle(&Request::post(SA, "{\"metadata\":{\"name\":\"build-robot\"}}")).code, 201);
    group.bench_function("24h_deployment_1000_pods", |b| {
        b.iter_batched(
            || workloads.clone(),
            |mut cl| {
                cl.advance_seconds(24 * 3600);
                cl
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench, identity, fast_forward);
criterion_main!(benches);
