//! The best-practice checker: findings over the live cluster, following
//! the chapter's DO/DON'T list and its risk table.
//!
//! Check names are Polaris' or kubeaudit's where one of them has the
//! check, else our own kebab-case names (docs/EXERCISES.md lists which).
//! Every finding carries a fix: shell command lines that remove it. The
//! checker only reads (`&Cluster`); permissions come from the cluster's
//! own authorizer (`access_check`, `who_can`). Pod logs are not checked:
//! the simulator has no container logs.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};
use saplay_cluster::rbac::Attributes;
use saplay_cluster::timeline::TimelineKind;
use saplay_cluster::{Cluster, Object};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Opens a path to cluster compromise or privilege escalation.
    Danger,
    /// Against the chapter's advice.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `danger`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Danger => "danger",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check's name (Polaris / kubeaudit where one exists).
    pub check: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The object, e.g. `pod default/web`, `clusterrolebinding ci-admin`.
    pub object: String,
    /// Why it matters, in one or two sentences.
    pub why: String,
    /// The chapter lesson's step that explains it.
    pub lesson_step: Option<&'static str>,
    /// Shell command lines that fix it, run in order.
    pub fix: Vec<String>,
}

/// kubeaudit `asat`: a pod on the `default` service account with its
/// token mounted.
pub const DEFAULT_SA_TOKEN: &str = "AutomountServiceAccountTokenTrueAndDefaultSA";
/// Ours: a pod on the `default` service account (token mounted or not).
pub const DEFAULT_SA: &str = "default-service-account";
/// Polaris: a token is mounted where the pod's account has no API grants.
pub const AUTOMOUNT: &str = "automountServiceAccountToken";
/// Polaris: a ClusterRoleBinding to `cluster-admin` for a service account.
pub const CRB_CLUSTER_ADMIN: &str = "clusterrolebindingClusterAdmin";
/// Polaris: a RoleBinding to the `cluster-admin` ClusterRole.
pub const RB_CLUSTER_ADMIN: &str = "rolebindingClusterAdminClusterRole";
/// Ours: a role with `*` verbs or resources.
pub const WILDCARD: &str = "wildcard-rbac";
/// Ours: a `kubernetes.io/service-account-token` Secret.
pub const LEGACY_SECRET: &str = "legacy-token-secret";
/// Ours: a TokenRequest token valid for more than a day, still alive.
pub const LONG_LIVED: &str = "long-lived-token";
/// Ours: a service account that can create pods in its namespace.
pub const CREATE_PODS: &str = "escalation-create-pods";
/// Ours: a service account that can read Secrets in its namespace.
pub const READ_SECRETS: &str = "escalation-read-secrets";
/// Ours: a service account that can impersonate.
pub const IMPERSONATE: &str = "escalation-impersonate";
/// Polaris: a container's env holds a secret literally (here: a JWT).
pub const ENV_TOKEN: &str = "sensitiveContainerEnvVar";
/// Ours: a ConfigMap value holds a JWT.
pub const CONFIGMAP_TOKEN: &str = "token-in-configmap";

/// Every check name the checker can report.
pub const CHECKS: &[&str] = &[
    DEFAULT_SA_TOKEN,
    DEFAULT_SA,
    AUTOMOUNT,
    CRB_CLUSTER_ADMIN,
    RB_CLUSTER_ADMIN,
    WILDCARD,
    LEGACY_SECRET,
    LONG_LIVED,
    CREATE_PODS,
    READ_SECRETS,
    IMPERSONATE,
    ENV_TOKEN,
    CONFIGMAP_TOKEN,
];

/// Tokens TokenRequest issued for longer than this are long-lived.
pub const LONG_LIVED_SECONDS: i64 = 86_400;

/// The findings on `cluster` now, most severe first.
pub fn best_practices(cluster: &Cluster) -> Vec<Finding> {
    let mut out = Vec::new();
    pods(cluster, &mut out);
    bindings(cluster, &mut out);
    roles(cluster, &mut out);
    secrets_and_configmaps(cluster, &mut out);
    long_lived_tokens(cluster, &mut out);
    escalation(cluster, &mut out);
    out.sort_by_key(|f| f.severity);
    out
}

/// Objects of `plural`, in every namespace.
fn all<'a>(cluster: &'a Cluster, plural: &str) -> Vec<&'a Object> {
    match saplay_cluster::resource::by_plural_name(plural) {
        Some(r) => cluster.store().list(r, None).collect(),
        None => Vec::new(),
    }
}

/// Namespaces whose objects are the control plane's, not the learner's.
fn is_system_namespace(ns: &str) -> bool {
    matches!(ns, "kube-system" | "kube-public" | "kube-node-lease")
}

/// Whether `text` looks like a JWT (three base64url parts, a JSON header).
pub fn looks_like_jwt(text: &str) -> bool {
    let text = text.trim();
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && text.starts_with("eyJ")
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// The lines that recreate pod `ns/name` with `jq` applied to its JSON
/// (pods are immutable in these fields), dropping the token volume so
/// admission decides it afresh.
fn recreate_pod(ns: &str, name: &str, change: &str) -> Vec<String> {
    let file = format!("/tmp/{name}.json");
    vec![
        format!(
            "kubectl get pod {name} -n {ns} -o json | jq 'del(.status, .metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp) | {change} | .spec.volumes |= ((. // []) | map(select(.name | startswith(\"kube-api-access-\") | not))) | .spec.containers |= map(.volumeMounts |= ((. // []) | map(select(.name | startswith(\"kube-api-access-\") | not))))' > {file}"
        ),
        format!("kubectl delete pod {name} -n {ns} --grace-period=0 --force"),
        format!("kubectl create -f {file}"),
    ]
}

/// Bindings that name service account `ns/name` directly.
fn grants_of<'a>(cluster: &'a Cluster, ns: &str, name: &str) -> Vec<&'a Object> {
    let user = saplay_cluster::authn::service_account_username(ns, name);
    cluster.store().bindings_naming(&user, &[])
}

fn pods(cluster: &Cluster, out: &mut Vec<Finding>) {
    for o in all(cluster, "pods") {
        let Object::Pod(pod) = o else { continue };
        let ns = o.namespace();
        let name = o.name();
        if is_system_namespace(ns) {
            continue;
        }
        let sa =
            pod.spec.as_ref().and_then(|s| s.service_account_name.clone()).unwrap_or_else(|| "default".to_string());
        let mounts = cluster.mounted_tokens(ns, name).is_ok_and(|t| !t.is_empty());
        let object = format!("pod {ns}/{name}");
        if sa == "default" && mounts {
            let mut fix = vec![format!(
                "kubectl patch serviceaccount default -n {ns} -p '{{\"automountServiceAccountToken\":false}}'"
            )];
            fix.extend(recreate_pod(ns, name, ".spec.automountServiceAccountToken = false"));
            out.push(Finding {
                check: DEFAULT_SA_TOKEN,
                severity: Severity::Warning,
                object: object.clone(),
                why: format!(
                    "The pod runs as the namespace's default service account with its token mounted: whatever is granted to {ns}/default, every such pod can do."
                ),
                lesson_step: Some("default-service-account"),
                fix,
            });
        } else if sa == "default" {
            let mut fix = vec![format!("kubectl create serviceaccount {name} -n {ns}")];
            fix.extend(recreate_pod(
                ns,
                name,
                &format!(".spec.serviceAccountName = \"{name}\" | .spec.serviceAccount = \"{name}\""),
            ));
            out.push(Finding {
                check: DEFAULT_SA,
                severity: Severity::Info,
                object: object.clone(),
                why: "The pod uses the default service account; give each application its own, so its grants are its own.".to_string(),
                lesson_step: Some("creating-service-accounts"),
                fix,
            });
        } else if mounts && grants_of(cluster, ns, &sa).is_empty() {
            let mut fix = vec![format!(
                "kubectl patch serviceaccount {sa} -n {ns} -p '{{\"automountServiceAccountToken\":false}}'"
            )];
            fix.extend(recreate_pod(ns, name, ".spec.automountServiceAccountToken = false"));
            out.push(Finding {
                check: AUTOMOUNT,
                severity: Severity::Warning,
                object: object.clone(),
                why: format!(
                    "The pod mounts a token, but service account {ns}/{sa} is granted nothing beyond discovery: the token is only something to steal."
                ),
                lesson_step: Some("disable-mounting"),
                fix,
            });
        }
        env_tokens(ns, name, pod, out);
    }
}

fn env_tokens(ns: &str, name: &str, pod: &Pod, out: &mut Vec<Finding>) {
    let containers = pod.spec.iter().flat_map(|s| s.init_containers.iter().flatten().chain(s.containers.iter()));
    for c in containers {
        for env in c.env.iter().flatten() {
            if env.value.as_deref().is_some_and(looks_like_jwt) {
                out.push(Finding {
                    check: ENV_TOKEN,
                    severity: Severity::Danger,
                    object: format!("pod {ns}/{name}"),
                    why: format!(
                        "Container {} has a token in plain text in its env var {}: anyone who can read the pod spec has it.",
                        c.name, env.name
                    ),
                    lesson_step: Some("best-practices"),
                    fix: recreate_pod(ns, name, &format!(".spec.containers |= map(.env |= ((. // []) | map(select(.name != \"{}\"))))", env.name)),
                });
            }
        }
    }
}

/// Whether a binding names a service account.
fn service_account_subjects(subjects: Option<&Vec<Subject>>, ns: &str) -> Vec<String> {
    subjects
        .into_iter()
        .flatten()
        .filter(|s| s.kind == "ServiceAccount")
        .map(|s| format!("{}/{}", s.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(ns), s.name))
        .collect()
}

fn is_cluster_admin(r: &RoleRef) -> bool {
    r.kind == "ClusterRole" && r.name == "cluster-admin"
}

fn bindings(cluster: &Cluster, out: &mut Vec<Finding>) {
    for o in all(cluster, "clusterrolebindings") {
        let Object::ClusterRoleBinding(b) = o else { continue };
        let accounts = service_account_subjects(b.subjects.as_ref(), "");
        if is_cluster_admin(&b.role_ref) && !accounts.is_empty() {
            out.push(Finding {
                check: CRB_CLUSTER_ADMIN,
                severity: Severity::Danger,
                object: format!("clusterrolebinding {}", o.name()),
                why: format!(
                    "It grants cluster-admin to {}: a stolen token of that account owns the whole cluster.",
                    accounts.join(", ")
                ),
                lesson_step: Some("best-practices"),
                fix: vec![format!("kubectl delete clusterrolebinding {}", o.name())],
            });
        }
    }
    for o in all(cluster, "rolebindings") {
        let Object::RoleBinding(b) = o else { continue };
        let accounts = service_account_subjects(b.subjects.as_ref(), o.namespace());
        if is_cluster_admin(&b.role_ref) && !accounts.is_empty() {
            out.push(Finding {
                check: RB_CLUSTER_ADMIN,
                severity: Severity::Danger,
                object: format!("rolebinding {}/{}", o.namespace(), o.name()),
                why: format!(
                    "It grants cluster-admin inside namespace {} to {}: full control of everything there, Secrets included.",
                    o.namespace(),
                    accounts.join(", ")
                ),
                lesson_step: Some("best-practices"),
                fix: vec![format!("kubectl delete rolebinding {} -n {}", o.name(), o.namespace())],
            });
        }
    }
}

fn wildcard(rules: &[PolicyRule]) -> bool {
    rules.iter().any(|r| r.verbs.iter().any(|v| v == "*") || r.resources.iter().flatten().any(|x| x == "*"))
}

fn roles(cluster: &Cluster, out: &mut Vec<Finding>) {
    for o in all(cluster, "clusterroles") {
        let Object::ClusterRole(r) = o else { continue };
        let name = o.name();
        // The bootstrap policy's own roles (cluster-admin is `*` by design;
        // its bindings are what the checker looks at).
        if name.starts_with("system:") || name == "cluster-admin" {
            continue;
        }
        if wildcard(r.rules.as_deref().unwrap_or_default()) {
            out.push(Finding {
                check: WILDCARD,
                severity: Severity::Warning,
                object: format!("clusterrole {name}"),
                why: "A rule with * verbs or resources grants whatever exists now and whatever gets added later: list what the application needs instead.".to_string(),
                lesson_step: Some("best-practices"),
                fix: vec![format!("kubectl delete clusterrole {name}")],
            });
        }
    }
    for o in all(cluster, "roles") {
        let Object::Role(r) = o else { continue };
        if is_system_namespace(o.namespace()) {
            continue;
        }
        if wildcard(r.rules.as_deref().unwrap_or_default()) {
            out.push(Finding {
                check: WILDCARD,
                severity: Severity::Warning,
                object: format!("role {}/{}", o.namespace(), o.name()),
                why: "A rule with * verbs or resources grants everything in the namespace, including Secrets: list what the application needs instead.".to_string(),
                lesson_step: Some("best-practices"),
                fix: vec![format!("kubectl delete role {} -n {}", o.name(), o.namespace())],
            });
        }
    }
}

fn secrets_and_configmaps(cluster: &Cluster, out: &mut Vec<Finding>) {
    for o in all(cluster, "secrets") {
        let Object::Secret(s) = o else { continue };
        if s.type_.as_deref() == Some("kubernetes.io/service-account-token") {
            out.push(Finding {
                check: LEGACY_SECRET,
                severity: Severity::Warning,
                object: format!("secret {}/{}", o.namespace(), o.name()),
                why: "A legacy token Secret holds a token that never expires: it works until the Secret is deleted. Use short-lived tokens (kubectl create token) instead.".to_string(),
                lesson_step: Some("rotation"),
                fix: vec![format!("kubectl delete secret {} -n {}", o.name(), o.namespace())],
            });
        }
    }
    for o in all(cluster, "configmaps") {
        let Object::ConfigMap(c) = o else { continue };
        let holds = c.data.iter().flatten().find(|(_, v)| looks_like_jwt(v));
        if let Some((key, _)) = holds {
            out.push(Finding {
                check: CONFIGMAP_TOKEN,
                severity: Severity::Danger,
                object: format!("configmap {}/{}", o.namespace(), o.name()),
                why: format!(
                    "Key {key} holds a token in plain text: ConfigMaps are not secret, anyone who can read them can use it."
                ),
                lesson_step: Some("best-practices"),
                fix: vec![format!("kubectl delete configmap {} -n {}", o.name(), o.namespace())],
            });
        }
    }
}

/// TokenRequest tokens longer than a day whose service account is still
/// the one they were issued for, and that have not expired.
fn long_lived_tokens(cluster: &Cluster, out: &mut Vec<Finding>) {
    let now = cluster.now().unix_seconds();
    let events: Vec<_> = cluster.timeline().events().collect();
    let mut flagged = std::collections::BTreeSet::new();
    for (i, e) in events.iter().enumerate() {
        if e.kind != TimelineKind::TokenIssued || !e.subject.starts_with("serviceaccount ") {
            continue;
        }
        let Some(lifetime) = crate::check::lifetime_in(&e.detail) else { continue };
        let alive = e.time.unix_seconds() + lifetime > now;
        let invalidated = events
            .iter()
            .skip(i + 1)
            .any(|later| later.kind == TimelineKind::TokensInvalidated && later.subject == e.subject);
        if lifetime > LONG_LIVED_SECONDS && alive && !invalidated && flagged.insert(e.subject.clone()) {
            let reference = e.subject.trim_start_matches("serviceaccount ");
            let (ns, name) = crate::check::split_ref(reference);
            out.push(Finding {
                check: LONG_LIVED,
                severity: Severity::Warning,
                object: e.subject.clone(),
                why: format!(
                    "A token valid for {} was issued for {ns}/{name}: a leaked copy works that long. Ask for hours, not days; only deleting the service account revokes it early.",
                    crate::check::format_duration(lifetime)
                ),
                lesson_step: Some("creating-tokens"),
                fix: vec![
                    format!("kubectl delete serviceaccount {name} -n {ns}"),
                    format!("kubectl create serviceaccount {name} -n {ns}"),
                ],
            });
        }
    }
}

fn escalation(cluster: &Cluster, out: &mut Vec<Finding>) {
    for o in all(cluster, "serviceaccounts") {
        let ns = o.namespace();
        if is_system_namespace(ns) {
            continue;
        }
        let name = o.name();
        let user = cluster.service_account_user(ns, name);
        let checks: [(&'static str, &str, &str, &str, &str); 4] = [
            (CREATE_PODS, "create", "", "pods", "can create pods in its namespace: it can start a pod as any service account there and read that account's token"),
            (READ_SECRETS, "get", "", "secrets", "can read Secrets in its namespace: every token and password stored there is its"),
            (IMPERSONATE, "impersonate", "", "users", "can impersonate users: it can act as anyone, cluster admins included"),
            (IMPERSONATE, "impersonate", "", "serviceaccounts", "can impersonate service accounts: it can act as any of them"),
        ];
        let mut reported = Vec::new();
        for (check, verb, group, resource, what) in checks {
            if reported.contains(&check) {
                continue;
            }
            let attrs = Attributes {
                verb: verb.to_string(),
                resource_request: true,
                api_group: group.to_string(),
                resource: resource.to_string(),
                namespace: ns.to_string(),
                ..Attributes::default()
            };
            if !cluster.access_check(&user, &attrs).allowed {
                continue;
            }
            reported.push(check);
            let fix: Vec<String> = cluster
                .who_can(&attrs)
                .into_iter()
                .filter(|w| match w.subject.kind.as_str() {
                    "ServiceAccount" => w.subject.name == name && w.subject.namespace.as_deref() == Some(ns),
                    // A grant to a group the account is in
                    // (system:serviceaccounts[:NS], system:authenticated).
                    "Group" => !w.binding_kind.is_empty() && user.groups.contains(&w.subject.name),
                    _ => false,
                })
                .map(|w| match w.binding_kind.as_str() {
                    "ClusterRoleBinding" => format!("kubectl delete clusterrolebinding {}", w.binding_name),
                    _ => format!("kubectl delete rolebinding {} -n {}", w.binding_name, w.binding_namespace),
                })
                .fold(Vec::new(), |mut v, line| {
                    if !v.contains(&line) {
                        v.push(line);
                    }
                    v
                });
            out.push(Finding {
                check,
                severity: Severity::Danger,
                object: format!("serviceaccount {ns}/{name}"),
                why: format!("Service account {ns}/{name} {what}."),
                lesson_step: Some("risks"),
                fix,
            });
        }
    }
}
