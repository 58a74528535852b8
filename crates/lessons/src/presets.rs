//! Presets for the chapter's typical usage: a service account, its RBAC
//! and a pod for Prometheus, Jenkins, Argo CD and an operator, loadable
//! with one click (their command lines run in the learner's shell).

/// One preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    /// Its id (kebab-case).
    pub id: &'static str,
    /// A title for the list.
    pub title: &'static str,
    /// What the workload does with the API, in a sentence or two.
    pub description: &'static str,
    /// The manifests (YAML, `---` separated).
    pub manifest: &'static str,
    /// Commands to try afterwards (can-i, the checker's view).
    pub explore: &'static [&'static str],
}

impl Preset {
    /// The command lines that load it: `kubectl apply` of the manifests.
    pub fn lines(&self) -> Vec<String> {
        vec![crate::format::apply_line(self.manifest)]
    }
}

/// The presets.
pub fn presets() -> &'static [Preset] {
    PRESETS
}

static PRESETS: &[Preset] = &[
    Preset {
        id: "prometheus",
        title: "Prometheus: reads metrics cluster-wide",
        description: "Service account monitoring/prometheus-k8s may read /metrics, node metrics and discover services, endpoints and pods in every namespace, and nothing else.",
        manifest: include_str!("../../../web/presets/prometheus.yaml"),
        explore: &[
            "kubectl auth can-i list pods --all-namespaces --as=system:serviceaccount:monitoring:prometheus-k8s",
            "kubectl auth can-i get /metrics --as=system:serviceaccount:monitoring:prometheus-k8s",
            "kubectl auth can-i list secrets --all-namespaces --as=system:serviceaccount:monitoring:prometheus-k8s",
        ],
    },
    Preset {
        id: "jenkins",
        title: "Jenkins: deploys into one namespace",
        description: "Service account jenkins/jenkins starts build agents as pods in namespace jenkins: it may create pods, exec into them and read Secrets there, which the checker flags as escalation paths.",
        manifest: include_str!("../../../web/presets/jenkins.yaml"),
        explore: &[
            "kubectl auth can-i create pods -n jenkins --as=system:serviceaccount:jenkins:jenkins",
            "kubectl auth can-i create pods -n default --as=system:serviceaccount:jenkins:jenkins",
            "kubectl auth can-i --list -n jenkins --as=system:serviceaccount:jenkins:jenkins",
        ],
    },
    Preset {
        id: "argo-cd",
        title: "Argo CD: manages deployments",
        description: "Service account argocd/argocd-application-controller applies whatever its Applications describe, so it is granted every verb on every resource: a token worth guarding.",
        manifest: include_str!("../../../web/presets/argo-cd.yaml"),
        explore: &[
            "kubectl auth can-i create deployments.apps -n default --as=system:serviceaccount:argocd:argocd-application-controller",
            "kubectl auth can-i '*' '*' --as=system:serviceaccount:argocd:argocd-application-controller",
        ],
    },
    Preset {
        id: "operator",
        title: "An operator: automates its own resources",
        description: "Service account memcached-operator-system/controller-manager reconciles Memcached resources into Deployments: it may manage deployments and its own custom resources, and read pods.",
        manifest: include_str!("../../../web/presets/operator.yaml"),
        explore: &[
            "kubectl auth can-i update deployments.apps -n default --as=system:serviceaccount:memcached-operator-system:controller-manager",
            "kubectl auth can-i get secrets -n default --as=system:serviceaccount:memcached-operator-system:controller-manager",
        ],
    },
];
