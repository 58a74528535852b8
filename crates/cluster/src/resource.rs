//! The API resources the simulated API server serves.
//!
//! One [`ResourceInfo`] row per resource, with the names discovery and
//! kubectl use: group, version, kind, plural, singular, short names, whether
//! it is namespaced and which verbs it supports. Everything that needs to
//! map a kind, a plural or a short name goes through [`RESOURCES`].

/// The verbs of a resource whose objects can be created and changed.
const READ_WRITE: &[&str] = &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/// The verbs of the review resources.
const CREATE_ONLY: &[&str] = &["create"];

/// One API resource, as `/api/v1` or `/apis/<group>/<version>` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceInfo {
    /// API group; `""` for the core group.
    pub group: &'static str,
    /// API version within the group.
    pub version: &'static str,
    /// The kind of its objects, e.g. `ServiceAccount`.
    pub kind: &'static str,
    /// The plural resource name used in paths, e.g. `serviceaccounts`.
    pub plural: &'static str,
    /// The singular name, e.g. `serviceaccount`.
    pub singular: &'static str,
    /// Short names kubectl accepts, e.g. `sa`.
    pub short_names: &'static [&'static str],
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// Verbs the resource supports.
    pub verbs: &'static [&'static str],
}

impl ResourceInfo {
    /// `v1` or `rbac.authorization.k8s.io/v1`, as written in `apiVersion`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `serviceaccounts` or `roles.rbac.authorization.k8s.io`: the
    /// group-qualified resource name used in API error messages.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `serviceaccount` or `role.rbac.authorization.k8s.io`: the name
    /// kubectl prints before `/<name>` (e.g. `serviceaccount/build-robot`).
    pub fn kind_group(&self) -> String {
        let kind = self.kind.to_ascii_lowercase();
        if self.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.group)
        }
    }

    /// The path prefix of the group version: `/api/v1` or `/apis/<g>/<v>`.
    pub fn group_version_path(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }

    /// The collection path, in `namespace` for namespaced resources.
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        match (self.namespaced, namespace) {
            (true, Some(ns)) => format!("{}/namespaces/{ns}/{}", self.group_version_path(), self.plural),
            _ => format!("{}/{}", self.group_version_path(), self.plural),
        }
    }

    /// Whether this is a create-only review resource (TokenReview,
    /// SubjectAccessReview, …), answered and never stored.
    pub fn is_review(&self) -> bool {
        self.verbs == CREATE_ONLY
    }

    /// The path of one object.
    pub fn object_path(&self, namespace: Option<&str>, name: &str) -> String {
        format!("{}/{name}", self.collection_path(namespace))
    }
}

const fn core(
    kind: &'static str,
    plural: &'static str,
    singular: &'static str,
    short_names: &'static [&'static str],
    namespaced: bool,
) -> ResourceInfo {
    ResourceInfo { group: "", version: "v1", kind, plural, singular, short_names, namespaced, verbs: READ_WRITE }
}

const fn grouped(
    group: &'static str,
    kind: &'static str,
    plural: &'static str,
    singular: &'static str,
    short_names: &'static [&'static str],
) -> ResourceInfo {
    ResourceInfo { group, version: "v1", kind, plural, singular, short_names, namespaced: true, verbs: READ_WRITE }
}

const fn rbac(kind: &'static str, plural: &'static str, singular: &'static str, namespaced: bool) -> ResourceInfo {
    ResourceInfo {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind,
        plural,
        singular,
        short_names: &[],
        namespaced,
        verbs: READ_WRITE,
    }
}

const fn review(
    group: &'static str,
    kind: &'static str,
    plural: &'static str,
    singular: &'static str,
    namespaced: bool,
) -> ResourceInfo {
    ResourceInfo { group, version: "v1", kind, plural, singular, short_names: &[], namespaced, verbs: CREATE_ONLY }
}

/// Every resource the simulated API server has, in discovery order (the
/// groups in kube-apiserver's order).
pub static RESOURCES: &[ResourceInfo] = &[
    core("ConfigMap", "configmaps", "configmap", &["cm"], true),
    core("Event", "events", "event", &["ev"], true),
    core("Namespace", "namespaces", "namespace", &["ns"], false),
    core("Node", "nodes", "node", &["no"], false),
    core("Pod", "pods", "pod", &["po"], true),
    core("Secret", "secrets", "secret", &[], true),
    core("ServiceAccount", "serviceaccounts", "serviceaccount", &["sa"], true),
    core("Service", "services", "service", &["svc"], true),
    grouped("apps", "DaemonSet", "daemonsets", "daemonset", &["ds"]),
    grouped("apps", "Deployment", "deployments", "deployment", &["deploy"]),
    grouped("apps", "ReplicaSet", "replicasets", "replicaset", &["rs"]),
    grouped("apps", "StatefulSet", "statefulsets", "statefulset", &["sts"]),
    review("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview", false),
    review("authentication.k8s.io", "TokenReview", "tokenreviews", "tokenreview", false),
    review(
        "authorization.k8s.io",
        "LocalSubjectAccessReview",
        "localsubjectaccessreviews",
        "localsubjectaccessreview",
        true,
    ),
    review(
        "authorization.k8s.io",
        "SelfSubjectAccessReview",
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        false,
    ),
    review(
        "authorization.k8s.io",
        "SelfSubjectRulesReview",
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
        false,
    ),
    review("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview", false),
    grouped("batch", "Job", "jobs", "job", &[]),
    grouped("networking.k8s.io", "Ingress", "ingresses", "ingress", &["ing"]),
    rbac("ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false),
    rbac("ClusterRole", "clusterroles", "clusterrole", false),
    rbac("RoleBinding", "rolebindings", "rolebinding", true),
    rbac("Role", "roles", "role", true),
];

/// The resources in the `all` category (kubectl get all), in the order
/// discovery lists them; of v1.32's, the ones served here
/// (replicationcontrollers, horizontalpodautoscalers and cronjobs are not).
pub static ALL_CATEGORY: &[&str] =
    &["pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets", "jobs"];

/// The subresources a learner can use, as (resource, subresource, verb):
/// the server answers these (besides `GET …/status`); RBAC names them
/// `pods/exec` and `serviceaccounts/token`.
pub static SUBRESOURCES: &[(&str, &str, &str)] = &[("pods", "exec", "create"), ("serviceaccounts", "token", "create")];

/// The resource whose objects have this `apiVersion` and `kind`.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceInfo> {
    RESOURCES.iter().find(|r| r.kind == kind && r.api_version() == api_version)
}

/// The resource with this plural name in this group.
pub fn by_plural(group: &str, plural: &str) -> Option<&'static ResourceInfo> {
    RESOURCES.iter().find(|r| r.group == group && r.plural == plural)
}

/// The resource with this plural name, whatever its group (plurals are
/// unique among the resources the cluster serves).
pub fn by_plural_name(plural: &str) -> Option<&'static ResourceInfo> {
    RESOURCES.iter().find(|r| r.plural == plural)
}

/// The resource a kubectl argument names: plural, singular, short name or
/// kind, optionally group-qualified (`roles.rbac.authorization.k8s.io`),
/// case-insensitively as kubectl's REST mapper does.
pub fn lookup(name: &str) -> Option<&'static ResourceInfo> {
    let lower = name.to_ascii_lowercase();
    let (resource, group) = match lower.split_once('.') {
        Some((resource, group)) => (resource.to_string(), Some(group.to_string())),
        None => (lower, None),
    };
    RESOURCES.iter().find(|r| {
        let name_matches = r.plural == resource
            || r.singular == resource
            || r.short_names.contains(&resource.as_str())
            || r.kind.eq_ignore_ascii_case(&resource);
        let group_matches = match &group {
            None => true,
            Some(g) => r.group == g || format!("{}.{}", r.version, r.group) == *g,
        };
        name_matches && group_matches
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_names_map_to_resources() {
        for (typed, plural) in [
            ("sa", "serviceaccounts"),
            ("serviceaccount", "serviceaccounts"),
            ("ServiceAccounts", "serviceaccounts"),
            ("po", "pods"),
            ("ns", "namespaces"),
            ("cm", "configmaps"),
            ("rolebinding", "rolebindings"),
            ("roles.rbac.authorization.k8s.io", "roles"),
            ("clusterrole", "clusterroles"),
        ] {
            assert_eq!(lookup(typed).map(|r| r.plural), Some(plural), "{typed}");
        }
        for (typed, plural) in [
            ("deploy", "deployments"),
            ("deployment.apps", "deployments"),
            ("rs", "replicasets"),
            ("ds", "daemonsets"),
            ("sts", "statefulsets"),
            ("jobs.batch", "jobs"),
            ("ev", "events"),
            ("svc", "services"),
            ("ing", "ingresses"),
        ] {
            assert_eq!(lookup(typed).map(|r| r.plural), Some(plural), "{typed}");
        }
        assert_eq!(lookup("cronjobs"), None);
        assert_eq!(lookup("roles.apps"), None);
    }

    #[test]
    fn paths_and_names_follow_the_api() {
        let sa = by_kind("v1", "ServiceAccount").copied();
        let role = by_kind("rbac.authorization.k8s.io/v1", "Role").copied();
        let (Some(sa), Some(role)) = (sa, role) else { panic!("missing resources") };
        assert_eq!(sa.object_path(Some("default"), "x"), "/api/v1/namespaces/default/serviceaccounts/x");
        assert_eq!(role.collection_path(Some("ns")), "/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles");
        assert_eq!(role.group_resource(), "roles.rbac.authorization.k8s.io");
        assert_eq!(role.kind_group(), "role.rbac.authorization.k8s.io");
        assert_eq!(sa.kind_group(), "serviceaccount");
    }
}
