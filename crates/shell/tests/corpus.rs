//! The corpus test (issue 9, item 6): every manifest of `tests/corpus/`
//! applied with `kubectl apply -f FILE` to a fresh cluster, compared with
//! the v1.32 result `tests/corpus/README.md` gives for it (the file name as
//! kubectl prints it), with the README's "apply X first" rows honoured and,
//! where the README says what happens next, one command checking it. Where
//! the simulator legitimately differs, the row asserts what it prints and
//! points at the entry in docs/KNOWN-DIFFERENCES.md.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::Shell;

/// One expectation: apply `first` (files of the corpus, or command lines),
/// then `kubectl apply -f file`; the terminal shows `expected` (with
/// `[exit N]` as the transcripts write it); then `then`'s command, whose
/// output must be its text (or only succeed, when `None`).
struct Row {
    file: &'static str,
    first: &'static [&'static str],
    expected: &'static str,
    then: Option<(&'static str, Option<&'static str>)>,
}

const ROWS: &[Row] = &[
        Row { file: "upstream/kubernetes-website/access-simple-clusterrole.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/secret-reader created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-simple-clusterrolebinding.yaml", first: &[], expected: "clusterrolebinding.rbac.authorization.k8s.io/read-secrets-global created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-simple-role.yaml", first: &[], expected: "role.rbac.authorization.k8s.io/pod-reader created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-simple-rolebinding-with-role.yaml", first: &[], expected: "rolebinding.rbac.authorization.k8s.io/read-pods created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-simple-rolebinding-with-clusterrole.yaml", first: &[], expected: "Error from server (NotFound): error when creating \"access-simple-rolebinding-with-clusterrole.yaml\": namespaces \"development\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/kubernetes-website/access-endpoints-aggregated.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/custom:aggregate-to-edit:endpoints created\n", then: Some(("kubectl get clusterrole admin -o jsonpath='{.rules[*].resources}' | grep -c endpoints", Some("1\n"))) },
        Row { file: "upstream/kubernetes-website/access-csr-clusterrole-create.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/csr-creator created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-csr-clusterrole-approve.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/csr-approver created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-delegated-csr-namespace.yaml", first: &[], expected: "namespace/csr-signer-installer created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-delegated-csr-serviceaccount.yaml", first: &[], expected: "Error from server (NotFound): error when creating \"access-delegated-csr-serviceaccount.yaml\": namespaces \"csr-signer-installer\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/kubernetes-website/access-delegated-csr-serviceaccount.yaml", first: &["upstream/kubernetes-website/access-delegated-csr-namespace.yaml"], expected: "serviceaccount/installer created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-delegated-csr-clusterrole.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/installer-role created\n", then: None },
        Row { file: "upstream/kubernetes-website/access-delegated-csr-clusterrolebinding.yaml", first: &[], expected: "clusterrolebinding.rbac.authorization.k8s.io/insaller-binding created\n", then: None },
        // The README writes `clusterroles/system:kube-scheduler`; kubectl names the
        // object by group and resource (info.ObjectName()), as printed here: see
        // docs/KNOWN-DIFFERENCES.md ("Corpus").
        Row { file: "upstream/kubernetes-website/admin-sched-clusterrole.yaml", first: &[], expected: "Warning: resource clusterroles.rbac.authorization.k8s.io/system:kube-scheduler is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\nclusterrole.rbac.authorization.k8s.io/system:kube-scheduler configured\n", then: Some(("kubectl get clusterrole system:kube-scheduler -o jsonpath='{.rules[*].verbs}'; echo", None)) },
        // The pod runs here; on a real cluster it sits in ImagePullBackOff (placeholder image): see docs/KNOWN-DIFFERENCES.md ("Corpus").
        Row { file: "upstream/kubernetes-website/admin-sched-my-scheduler.yaml", first: &[], expected: "serviceaccount/my-scheduler created\nclusterrolebinding.rbac.authorization.k8s.io/my-scheduler-as-kube-scheduler created\nclusterrolebinding.rbac.authorization.k8s.io/my-scheduler-as-volume-scheduler created\nconfigmap/my-scheduler-config created\ndeployment.apps/my-scheduler created\n", then: None },
        Row { file: "upstream/kubernetes-website/admin-konnectivity-konnectivity-rbac.yaml", first: &[], expected: "clusterrolebinding.rbac.authorization.k8s.io/system:konnectivity-server created\nserviceaccount/konnectivity-agent created\n", then: None },
        Row { file: "upstream/kubernetes-website/admin-konnectivity-konnectivity-agent.yaml", first: &[], expected: "daemonset.apps/konnectivity-agent created\n", then: Some(("kubectl get events -n kube-system --field-selector reason=FailedCreate -o custom-columns=MESSAGE:.message --no-headers", Some("Error creating: pods \"konnectivity-agent-\" is forbidden: error looking up service account kube-system/konnectivity-agent: serviceaccount \"konnectivity-agent\" not found\n"))) },
        Row { file: "upstream/kubernetes-website/admin-konnectivity-konnectivity-agent.yaml", first: &["upstream/kubernetes-website/admin-konnectivity-konnectivity-rbac.yaml"], expected: "daemonset.apps/konnectivity-agent created\n", then: Some(("kubectl get pods -n kube-system -l k8s-app=konnectivity-agent -o custom-columns=SA:.spec.serviceAccountName --no-headers", Some("konnectivity-agent\n"))) },
        Row { file: "upstream/kubernetes-website/admin-dns-dns-horizontal-autoscaler.yaml", first: &[], expected: "serviceaccount/kube-dns-autoscaler created\nclusterrole.rbac.authorization.k8s.io/system:kube-dns-autoscaler created\nclusterrolebinding.rbac.authorization.k8s.io/system:kube-dns-autoscaler created\ndeployment.apps/kube-dns-autoscaler created\n", then: None },
        Row { file: "upstream/kubernetes-website/admin-cloud-ccm-example.yaml", first: &[], expected: "serviceaccount/cloud-controller-manager created\nclusterrolebinding.rbac.authorization.k8s.io/system:cloud-controller-manager created\ndaemonset.apps/cloud-controller-manager created\n", then: Some(("kubectl get ds -n kube-system cloud-controller-manager -o jsonpath='{.status.desiredNumberScheduled}'; echo", Some("0\n"))) },
        Row { file: "upstream/kubernetes-website/debug-event-exporter.yaml", first: &[], expected: "serviceaccount/event-exporter-sa created\nclusterrolebinding.rbac.authorization.k8s.io/event-exporter-rb created\ndeployment.apps/event-exporter-v0.2.3 created\n", then: None },
        Row { file: "upstream/kubernetes-website/pods-pod-projected-svc-token.yaml", first: &[], expected: "Error from server (Forbidden): error when creating \"pods-pod-projected-svc-token.yaml\": pods \"nginx\" is forbidden: error looking up service account default/build-robot: serviceaccount \"build-robot\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/kubernetes-website/pods-pod-projected-svc-token.yaml", first: &["kubectl create sa build-robot"], expected: "pod/nginx created\n", then: None },
        Row { file: "upstream/kubernetes-website/pods-storage-projected-service-account-token.yaml", first: &[], expected: "pod/sa-token-test created\n", then: None },
        Row { file: "upstream/kubernetes-website/secret-serviceaccount-token-secret.yaml", first: &[], expected: "secret/secret-sa-sample created\n", then: Some(("kubectl get secret secret-sa-sample", Some("Error from server (NotFound): secrets \"secret-sa-sample\" not found\n[exit 1]\n"))) },
        Row { file: "upstream/kubernetes-website/secret-serviceaccount-mysecretname.yaml", first: &[], expected: "The Secret \"mysecretname\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value\n[exit 1]\n", then: None },
        // A real v1.32 cluster serves FlowSchema and says `created`; the simulator has no flowcontrol API: see docs/KNOWN-DIFFERENCES.md ("Corpus").
        Row { file: "upstream/kubernetes-website/priority-and-fairness-list-events-default-service-account.yaml", first: &[], expected: "error: resource mapping not found for name: \"list-events-default-service-account\" namespace: \"\" from \"priority-and-fairness-list-events-default-service-account.yaml\": no matches for kind \"FlowSchema\" in version \"flowcontrol.apiserver.k8s.io/v1\"\nensure CRDs are installed first\n[exit 1]\n", then: None },
        Row { file: "upstream/kube-prometheus/setup-namespace.yaml", first: &[], expected: "namespace/monitoring created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-serviceAccount.yaml", first: &[], expected: "Error from server (NotFound): error when creating \"prometheus-serviceAccount.yaml\": namespaces \"monitoring\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-serviceAccount.yaml", first: &["upstream/kube-prometheus/setup-namespace.yaml"], expected: "serviceaccount/prometheus-k8s created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-clusterRole.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/prometheus-k8s created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-clusterRoleBinding.yaml", first: &[], expected: "clusterrolebinding.rbac.authorization.k8s.io/prometheus-k8s created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-roleSpecificNamespaces.yaml", first: &[], expected: "role.rbac.authorization.k8s.io/prometheus-k8s created\nrole.rbac.authorization.k8s.io/prometheus-k8s created\nError from server (NotFound): error when creating \"prometheus-roleSpecificNamespaces.yaml\": namespaces \"monitoring\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-roleSpecificNamespaces.yaml", first: &["upstream/kube-prometheus/setup-namespace.yaml"], expected: "role.rbac.authorization.k8s.io/prometheus-k8s created\nrole.rbac.authorization.k8s.io/prometheus-k8s created\nrole.rbac.authorization.k8s.io/prometheus-k8s created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-roleBindingSpecificNamespaces.yaml", first: &[], expected: "rolebinding.rbac.authorization.k8s.io/prometheus-k8s created\nrolebinding.rbac.authorization.k8s.io/prometheus-k8s created\nError from server (NotFound): error when creating \"prometheus-roleBindingSpecificNamespaces.yaml\": namespaces \"monitoring\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheus-roleBindingSpecificNamespaces.yaml", first: &["upstream/kube-prometheus/setup-namespace.yaml"], expected: "rolebinding.rbac.authorization.k8s.io/prometheus-k8s created\nrolebinding.rbac.authorization.k8s.io/prometheus-k8s created\nrolebinding.rbac.authorization.k8s.io/prometheus-k8s created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheusAdapter-clusterRoleAggregatedMetricsReader.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/system:aggregated-metrics-reader created\n", then: None },
        Row { file: "upstream/kube-prometheus/prometheusOperator-clusterRole.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/prometheus-operator created\n", then: None },
        Row { file: "upstream/kube-state-metrics/standard-service-account.yaml", first: &[], expected: "serviceaccount/kube-state-metrics created\n", then: None },
        Row { file: "upstream/kube-state-metrics/standard-cluster-role.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/kube-state-metrics created\n", then: None },
        Row { file: "upstream/kube-state-metrics/standard-cluster-role-binding.yaml", first: &[], expected: "clusterrolebinding.rbac.authorization.k8s.io/kube-state-metrics created\n", then: None },
        Row { file: "upstream/kube-state-metrics/standard-deployment.yaml", first: &["upstream/kube-state-metrics/standard-service-account.yaml"], expected: "deployment.apps/kube-state-metrics created\n", then: Some(("kubectl get pods -n kube-system -o custom-columns=SA:.spec.serviceAccountName,AUTOMOUNT:.spec.automountServiceAccountToken --no-headers", Some("kube-state-metrics   true\n"))) },
        Row { file: "upstream/kube-state-metrics/autosharding-role.yaml", first: &[], expected: "role.rbac.authorization.k8s.io/kube-state-metrics created\n", then: None },
        Row { file: "upstream/kube-state-metrics/autosharding-role-binding.yaml", first: &[], expected: "rolebinding.rbac.authorization.k8s.io/kube-state-metrics created\n", then: None },
        Row { file: "upstream/jenkins-kubernetes-plugin/service-account.yaml", first: &[], expected: "serviceaccount/jenkins created\nrole.rbac.authorization.k8s.io/jenkins created\nrolebinding.rbac.authorization.k8s.io/jenkins created\n", then: None },
        // The pod starts here; a real cluster needs a default StorageClass for its claim: see docs/KNOWN-DIFFERENCES.md ("Corpus").
        Row { file: "upstream/jenkins-kubernetes-plugin/jenkins.yaml", first: &[], expected: "statefulset.apps/jenkins created\nservice/jenkins created\ningress.networking.k8s.io/jenkins created\n", then: None },
        Row { file: "upstream/argo-cd/install-excerpt-rbac.yaml", first: &[], expected: "serviceaccount/argocd-application-controller created\nserviceaccount/argocd-server created\nrole.rbac.authorization.k8s.io/argocd-application-controller created\nrole.rbac.authorization.k8s.io/argocd-server created\nclusterrole.rbac.authorization.k8s.io/argocd-application-controller created\nclusterrole.rbac.authorization.k8s.io/argocd-server created\nrolebinding.rbac.authorization.k8s.io/argocd-application-controller created\nrolebinding.rbac.authorization.k8s.io/argocd-server created\nclusterrolebinding.rbac.authorization.k8s.io/argocd-application-controller created\nclusterrolebinding.rbac.authorization.k8s.io/argocd-server created\n", then: None },
        Row { file: "upstream/operator-sdk/memcached-operator-role.yaml", first: &[], expected: "clusterrole.rbac.authorization.k8s.io/manager-role created\n", then: None },
        Row { file: "upstream/operator-sdk/memcached-operator-service_account.yaml", first: &[], expected: "Error from server (NotFound): error when creating \"memcached-operator-service_account.yaml\": namespaces \"system\" not found\n[exit 1]\n", then: None },
        Row { file: "upstream/operator-sdk/memcached-operator-role_binding.yaml", first: &[], expected: "clusterrolebinding.rbac.authorization.k8s.io/manager-rolebinding created\n", then: None },
        Row { file: "upstream/operator-sdk/memcached-operator-leader_election_role.yaml", first: &[], expected: "role.rbac.authorization.k8s.io/leader-election-role created\n", then: None },
        Row { file: "mistakes/sa-automount-under-metadata.yaml", first: &[], expected: "Error from server (BadRequest): error when creating \"sa-automount-under-metadata.yaml\": ServiceAccount in version \"v1\" cannot be handled as a ServiceAccount: strict decoding error: unknown field \"metadata.automountServiceAccountToken\"\n[exit 1]\n", then: None },
        Row { file: "mistakes/clusterrole-rbac-v1beta1.yaml", first: &[], expected: "error: resource mapping not found for name: \"pod-lister\" namespace: \"\" from \"clusterrole-rbac-v1beta1.yaml\": no matches for kind \"ClusterRole\" in version \"rbac.authorization.k8s.io/v1beta1\"\nensure CRDs are installed first\nerror: resource mapping not found for name: \"pod-lister\" namespace: \"\" from \"clusterrole-rbac-v1beta1.yaml\": no matches for kind \"ClusterRoleBinding\" in version \"rbac.authorization.k8s.io/v1beta1\"\nensure CRDs are installed first\n[exit 1]\n", then: None },
        Row { file: "mistakes/deployment-serviceaccountname-in-container.yaml", first: &[], expected: "Error from server (BadRequest): error when creating \"deployment-serviceaccountname-in-container.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.containers[0].serviceAccountName\"\n[exit 1]\n", then: None },
        Row { file: "mistakes/deployment-serviceaccountname-in-deployment-spec.yaml", first: &[], expected: "Error from server (BadRequest): error when creating \"deployment-serviceaccountname-in-deployment-spec.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.serviceAccountName\"\n[exit 1]\n", then: None },
        Row { file: "mistakes/pod-deprecated-serviceaccount-field.yaml", first: &[], expected: "serviceaccount/dashboard-sa created\npod/dashboard created\n", then: Some(("kubectl get pod dashboard -o jsonpath='{.spec.serviceAccountName}'; echo", Some("dashboard-sa\n"))) },
        Row { file: "mistakes/rolebinding-sa-subject-with-rbac-apigroup.yaml", first: &[], expected: "The RoleBinding \"default-sa-view\" is invalid: subjects[0].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"\n[exit 1]\n", then: None },
        Row { file: "mistakes/clusterrolebinding-sa-subject-without-namespace.yaml", first: &[], expected: "The ClusterRoleBinding \"view-demo-binding\" is invalid: subjects[0].namespace: Required value\n[exit 1]\n", then: None },
        Row { file: "mistakes/clusterrolebinding-roleref-role.yaml", first: &[], expected: "The ClusterRoleBinding \"spinnaker-role-binding\" is invalid: roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"\n[exit 1]\n", then: None },
        Row { file: "mistakes/pod-projected-token-expiration-too-short.yaml", first: &[], expected: "The Pod \"short-token\" is invalid: spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n[exit 1]\n", then: None },
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn all_files(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            if let Ok(relative) = path.strip_prefix(root) {
                out.insert(relative.to_string_lossy().into_owned());
            }
        }
    }
}

/// Writes a corpus file into the session's current directory, under its
/// own name, and returns that name.
fn put(shell: &mut Shell, file: &str) -> String {
    let text = fs::read_to_string(corpus().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let name = file.rsplit('/').next().unwrap_or(file).to_string();
    let out = shell.run(&format!("cat > {name} <<'CORPUS_EOF'\n{text}\nCORPUS_EOF"));
    assert_eq!(out.exit_code, 0, "writing {file}: {}", out.stderr());
    name
}

fn terminal(shell: &mut Shell, line: &str) -> String {
    let out = shell.run(line);
    let mut text = out.terminal_text();
    if out.exit_code != 0 {
        text.push_str(&format!("[exit {}]\n", out.exit_code));
    }
    text
}

#[test]
fn every_corpus_file_has_a_row() {
    let mut files = BTreeSet::new();
    all_files(&corpus(), &corpus(), &mut files);
    assert_eq!(files.len(), 54, "the corpus holds 54 files");
    let covered: BTreeSet<String> = ROWS.iter().map(|r| r.file.to_string()).collect();
    assert_eq!(files, covered);
}

#[test]
fn corpus_manifests_apply_as_on_v1_32() {
    let mut failures = Vec::new();
    for row in ROWS {
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        for step in row.first {
            let line = if step.ends_with(".yaml") {
                format!("kubectl apply -f {}", put(&mut shell, step))
            } else {
                step.to_string()
            };
            let out = shell.run(&line);
            assert_eq!(out.exit_code, 0, "{}: {line}: {}", row.file, out.stderr());
        }
        let name = put(&mut shell, row.file);
        let got = terminal(&mut shell, &format!("kubectl apply -f {name}"));
        if got != row.expected {
            failures.push(format!(
                "{} (after {:?}):\n  expected: {:?}\n  got:      {:?}",
                row.file, row.first, row.expected, got
            ));
        }
        if let Some((command, expected)) = row.then {
            let got = terminal(&mut shell, command);
            match expected {
                Some(text) if got != text => {
                    failures.push(format!("{}: {command}:\n  expected: {text:?}\n  got:      {got:?}", row.file))
                }
                None if got.contains("[exit ") => failures.push(format!("{}: {command} failed: {got}", row.file)),
                _ => {}
            }
        }
    }
    assert!(failures.is_empty(), "{} rows differ:\n{}", failures.len(), failures.join("\n"));
}
