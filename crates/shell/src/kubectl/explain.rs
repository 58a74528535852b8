//! `kubectl explain TYPE[.field.path] [--recursive]`, in the layout of
//! kubectl v1.32's plaintext template (GROUP/KIND/VERSION, FIELD,
//! DESCRIPTION wrapped at 76 columns, FIELDS with `<type>`, `-required-`
//! and enums).
//!
//! The schemas are a table here rather than the server's OpenAPI document:
//! the kinds the playground serves, with the field names and types of
//! Kubernetes v1.32. Descriptions are the playground's own short words for
//! the fields that matter to service accounts, and a generic line for the
//! others. Nested types that matter less are named without their fields.

use super::{Args, Kubectl};

/// One field of a schema.
struct Field {
    name: &'static str,
    /// The type as kubectl shows it (`string`, `[]ObjectReference`, …).
    ty: &'static str,
    /// The schema of the value (or of the items of a list or map).
    schema: Option<&'static str>,
    required: bool,
    enums: &'static [&'static str],
    description: &'static str,
}

/// One schema: a kind or a nested type.
struct Schema {
    name: &'static str,
    description: &'static str,
    fields: &'static [Field],
}

const GENERIC: &str = "Described in the Kubernetes API reference; the playground does not use this field.";

const fn f(name: &'static str, ty: &'static str, description: &'static str) -> Field {
    Field { name, ty, schema: None, required: false, enums: &[], description }
}

const fn obj(name: &'static str, ty: &'static str, schema: &'static str, description: &'static str) -> Field {
    Field { name, ty, schema: Some(schema), required: false, enums: &[], description }
}

const fn req(mut field: Field) -> Field {
    field.required = true;
    field
}

const fn one_of(mut field: Field, enums: &'static [&'static str]) -> Field {
    field.enums = enums;
    field
}

const API_VERSION: Field =
    f("apiVersion", "string", "The versioned schema of this object, such as v1 or rbac.authorization.k8s.io/v1.");
const KIND: Field = f("kind", "string", "The kind of object, in CamelCase, such as ServiceAccount.");
const METADATA: Field = obj(
    "metadata",
    "ObjectMeta",
    "ObjectMeta",
    "The object's name, namespace, labels, annotations and the fields the server keeps.",
);

static SCHEMAS: &[Schema] = &[
    Schema {
        name: "ServiceAccount",
        description: "A ServiceAccount is an identity for processes that run in pods. Pods that name it get its tokens mounted; the API server authenticates those tokens as system:serviceaccount:<namespace>:<name>.",
        fields: &[
            API_VERSION,
            f("automountServiceAccountToken", "boolean", "Whether pods using this service account get an API token mounted automatically. A pod's own spec.automountServiceAccountToken takes precedence."),
            obj("imagePullSecrets", "[]LocalObjectReference", "LocalObjectReference", "Secrets in the same namespace that pods using this service account use to pull images."),
            KIND,
            METADATA,
            obj("secrets", "[]ObjectReference", "ObjectReference", "Secrets that pods using this service account may use. Long-lived token Secrets were once listed here; tokens now come from the TokenRequest API."),
        ],
    },
    Schema {
        name: "ObjectMeta",
        description: "Metadata that every persisted object has.",
        fields: &[
            obj("annotations", "map[string]string", "string", "Free-form key/value data for tools; not used to select objects."),
            f("creationTimestamp", "string", "When the object was created, set by the server (RFC 3339, UTC)."),
            f("deletionGracePeriodSeconds", "integer", "Seconds left for a graceful deletion, set by the server."),
            f("deletionTimestamp", "string", "When the object will be deleted, set by the server when deletion is requested."),
            obj("finalizers", "[]string", "string", "Names of controllers that must finish their work before the object is removed."),
            f("generateName", "string", "A prefix for a name the server generates when name is empty."),
            f("generation", "integer", "A sequence number of changes to the desired state, set by the server."),
            obj("labels", "map[string]string", "string", "Key/value pairs used to organise and select objects."),
            obj("managedFields", "[]ManagedFieldsEntry", "ManagedFieldsEntry", GENERIC),
            f("name", "string", "The object's name, unique among objects of its kind in its namespace."),
            f("namespace", "string", "The namespace of a namespaced object; empty means default."),
            obj("ownerReferences", "[]OwnerReference", "OwnerReference", "Objects this one depends on; when they are deleted, this one is collected too."),
            f("resourceVersion", "string", "An opaque version of the object, changed by every write; used for optimistic concurrency."),
            f("selfLink", "string", "Deprecated and no longer set."),
            f("uid", "string", "A unique identifier the server gives the object; bound tokens record it."),
        ],
    },
    Schema {
        name: "ObjectReference",
        description: "A reference to an object.",
        fields: &[
            f("apiVersion", "string", "The API version of the referent."),
            f("fieldPath", "string", "A field inside the referent, if any."),
            f("kind", "string", "The kind of the referent."),
            f("name", "string", "The name of the referent."),
            f("namespace", "string", "The namespace of the referent."),
            f("resourceVersion", "string", "The resource version of the referent."),
            f("uid", "string", "The UID of the referent."),
        ],
    },
    Schema {
        name: "LocalObjectReference",
        description: "A reference to an object in the same namespace.",
        fields: &[f("name", "string", "The name of the referent.")],
    },
    Schema {
        name: "Secret",
        description: "A Secret holds a small amount of sensitive data, such as a password or a token. Secrets of type kubernetes.io/service-account-token hold a long-lived token for a service account.",
        fields: &[
            API_VERSION,
            obj("data", "map[string]string", "string", "The secret data, base64-encoded."),
            f("immutable", "boolean", "If true, the data cannot be changed after creation."),
            KIND,
            METADATA,
            obj("stringData", "map[string]string", "string", "Write-only plain-text data, merged into data on write."),
            f("type", "string", "How the data is used, such as Opaque or kubernetes.io/service-account-token."),
        ],
    },
    Schema {
        name: "ConfigMap",
        description: "A ConfigMap holds configuration data for pods, such as the kube-root-ca.crt certificate bundle in every namespace.",
        fields: &[
            API_VERSION,
            obj("binaryData", "map[string]string", "string", "Binary data, base64-encoded."),
            obj("data", "map[string]string", "string", "The configuration data."),
            f("immutable", "boolean", "If true, the data cannot be changed after creation."),
            KIND,
            METADATA,
        ],
    },
    Schema {
        name: "Namespace",
        description: "A Namespace is a scope for names. Every namespace gets a default service account.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            obj("spec", "NamespaceSpec", "NamespaceSpec", "The namespace's finalizers."),
            obj("status", "NamespaceStatus", "NamespaceStatus", "The namespace's phase."),
        ],
    },
    Schema {
        name: "NamespaceSpec",
        description: "The desired state of a namespace.",
        fields: &[obj("finalizers", "[]string", "string", "Finalizers that must run before the namespace is removed.")],
    },
    Schema {
        name: "NamespaceStatus",
        description: "The observed state of a namespace.",
        fields: &[
            obj("conditions", "[]NamespaceCondition", "NamespaceCondition", GENERIC),
            one_of(f("phase", "string", "Active, or Terminating while the namespace is being deleted."), &["Active", "Terminating"]),
        ],
    },
    Schema {
        name: "Node",
        description: "A Node is a machine that runs pods. The playground has one, node-1.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            obj("spec", "NodeSpec", "NodeSpec", GENERIC),
            obj("status", "NodeStatus", "NodeStatus", "The node's addresses, conditions and versions."),
        ],
    },
    Schema {
        name: "Pod",
        description: "A Pod is a group of containers that run together on a node. Its service account decides which token is mounted into the containers.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            obj("spec", "PodSpec", "PodSpec", "The desired state of the pod: containers, volumes, service account."),
            obj("status", "PodStatus", "PodStatus", "The observed state of the pod, set by the kubelet."),
        ],
    },
    Schema {
        name: "PodSpec",
        description: "The desired state of a pod.",
        fields: &[
            f("activeDeadlineSeconds", "integer", GENERIC),
            obj("affinity", "Affinity", "Affinity", GENERIC),
            f("automountServiceAccountToken", "boolean", "Whether the service account's token is mounted into the pod's containers. Overrides the service account's setting."),
            req(obj("containers", "[]Container", "Container", "The containers of the pod. At least one is required.")),
            obj("dnsConfig", "PodDNSConfig", "PodDNSConfig", GENERIC),
            one_of(f("dnsPolicy", "string", "How the pod resolves names; ClusterFirst by default."), &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
            f("enableServiceLinks", "boolean", GENERIC),
            obj("ephemeralContainers", "[]EphemeralContainer", "EphemeralContainer", GENERIC),
            obj("hostAliases", "[]HostAlias", "HostAlias", GENERIC),
            f("hostIPC", "boolean", GENERIC),
            f("hostNetwork", "boolean", GENERIC),
            f("hostPID", "boolean", GENERIC),
            f("hostUsers", "boolean", GENERIC),
            f("hostname", "string", GENERIC),
            obj("imagePullSecrets", "[]LocalObjectReference", "LocalObjectReference", "Secrets used to pull the images; added from the service account's imagePullSecrets by admission."),
            obj("initContainers", "[]Container", "Container", "Containers that run to completion before the others start."),
            f("nodeName", "string", "The node the pod runs on, set by the scheduler. Node-bound tokens record it."),
            obj("nodeSelector", "map[string]string", "string", GENERIC),
            obj("os", "PodOS", "PodOS", GENERIC),
            obj("overhead", "map[string]Quantity", "Quantity", GENERIC),
            one_of(f("preemptionPolicy", "string", GENERIC), &["Never", "PreemptLowerPriority"]),
            f("priority", "integer", GENERIC),
            f("priorityClassName", "string", GENERIC),
            obj("readinessGates", "[]PodReadinessGate", "PodReadinessGate", GENERIC),
            obj("resourceClaims", "[]PodResourceClaim", "PodResourceClaim", GENERIC),
            obj("resources", "ResourceRequirements", "ResourceRequirements", GENERIC),
            one_of(f("restartPolicy", "string", "Whether containers are restarted when they exit: Always (the default), OnFailure or Never."), &["Always", "Never", "OnFailure"]),
            f("runtimeClassName", "string", GENERIC),
            f("schedulerName", "string", GENERIC),
            obj("schedulingGates", "[]PodSchedulingGate", "PodSchedulingGate", GENERIC),
            obj("securityContext", "PodSecurityContext", "PodSecurityContext", GENERIC),
            f("serviceAccount", "string", "Deprecated alias of serviceAccountName."),
            f("serviceAccountName", "string", "The service account the pod runs as; default if empty. It must exist in the pod's namespace and cannot be changed after creation."),
            f("setHostnameAsFQDN", "boolean", GENERIC),
            f("shareProcessNamespace", "boolean", GENERIC),
            f("subdomain", "string", GENERIC),
            f("terminationGracePeriodSeconds", "integer", "Seconds the pod gets to stop when deleted; 30 by default."),
            obj("tolerations", "[]Toleration", "Toleration", GENERIC),
            obj("topologySpreadConstraints", "[]TopologySpreadConstraint", "TopologySpreadConstraint", GENERIC),
            obj("volumes", "[]Volume", "Volume", "Volumes the containers can mount. Admission adds a projected kube-api-access-* volume holding the service account token."),
        ],
    },
    Schema {
        name: "Container",
        description: "A container of a pod.",
        fields: &[
            obj("args", "[]string", "string", "Arguments to the entrypoint."),
            obj("command", "[]string", "string", "The entrypoint, instead of the image's."),
            obj("env", "[]EnvVar", "EnvVar", "Environment variables of the container."),
            obj("envFrom", "[]EnvFromSource", "EnvFromSource", GENERIC),
            f("image", "string", "The container image."),
            one_of(f("imagePullPolicy", "string", "When the image is pulled."), &["Always", "IfNotPresent", "Never"]),
            obj("lifecycle", "Lifecycle", "Lifecycle", GENERIC),
            obj("livenessProbe", "Probe", "Probe", GENERIC),
            req(f("name", "string", "The container's name, unique in the pod.")),
            obj("ports", "[]ContainerPort", "ContainerPort", GENERIC),
            obj("readinessProbe", "Probe", "Probe", GENERIC),
            obj("resizePolicy", "[]ContainerResizePolicy", "ContainerResizePolicy", GENERIC),
            obj("resources", "ResourceRequirements", "ResourceRequirements", GENERIC),
            f("restartPolicy", "string", GENERIC),
            obj("securityContext", "SecurityContext", "SecurityContext", GENERIC),
            obj("startupProbe", "Probe", "Probe", GENERIC),
            f("stdin", "boolean", GENERIC),
            f("stdinOnce", "boolean", GENERIC),
            f("terminationMessagePath", "string", GENERIC),
            one_of(f("terminationMessagePolicy", "string", GENERIC), &["FallbackToLogsOnError", "File"]),
            f("tty", "boolean", GENERIC),
            obj("volumeDevices", "[]VolumeDevice", "VolumeDevice", GENERIC),
            obj("volumeMounts", "[]VolumeMount", "VolumeMount", "Volumes mounted into the container. The service account token is mounted at /var/run/secrets/kubernetes.io/serviceaccount."),
            f("workingDir", "string", GENERIC),
        ],
    },
    Schema {
        name: "EnvVar",
        description: "An environment variable.",
        fields: &[
            req(f("name", "string", "The variable's name.")),
            f("value", "string", "The variable's value."),
            obj("valueFrom", "EnvVarSource", "EnvVarSource", GENERIC),
        ],
    },
    Schema {
        name: "VolumeMount",
        description: "Where a volume is mounted in a container.",
        fields: &[
            req(f("mountPath", "string", "The path in the container.")),
            one_of(f("mountPropagation", "string", GENERIC), &["Bidirectional", "HostToContainer", "None"]),
            req(f("name", "string", "The name of the pod's volume.")),
            f("readOnly", "boolean", "Mount read-only; the token volume is always mounted read-only."),
            f("recursiveReadOnly", "string", GENERIC),
            f("subPath", "string", GENERIC),
            f("subPathExpr", "string", GENERIC),
        ],
    },
    Schema {
        name: "Volume",
        description: "A named volume of a pod.",
        fields: &[
            obj("awsElasticBlockStore", "AWSElasticBlockStoreVolumeSource", "AWSElasticBlockStoreVolumeSource", GENERIC),
            obj("azureDisk", "AzureDiskVolumeSource", "AzureDiskVolumeSource", GENERIC),
            obj("azureFile", "AzureFileVolumeSource", "AzureFileVolumeSource", GENERIC),
            obj("cephfs", "CephFSVolumeSource", "CephFSVolumeSource", GENERIC),
            obj("cinder", "CinderVolumeSource", "CinderVolumeSource", GENERIC),
            obj("configMap", "ConfigMapVolumeSource", "ConfigMapVolumeSource", GENERIC),
            obj("csi", "CSIVolumeSource", "CSIVolumeSource", GENERIC),
            obj("downwardAPI", "DownwardAPIVolumeSource", "DownwardAPIVolumeSource", GENERIC),
            obj("emptyDir", "EmptyDirVolumeSource", "EmptyDirVolumeSource", GENERIC),
            obj("ephemeral", "EphemeralVolumeSource", "EphemeralVolumeSource", GENERIC),
            obj("fc", "FCVolumeSource", "FCVolumeSource", GENERIC),
            obj("flexVolume", "FlexVolumeSource", "FlexVolumeSource", GENERIC),
            obj("flocker", "FlockerVolumeSource", "FlockerVolumeSource", GENERIC),
            obj("gcePersistentDisk", "GCEPersistentDiskVolumeSource", "GCEPersistentDiskVolumeSource", GENERIC),
            obj("gitRepo", "GitRepoVolumeSource", "GitRepoVolumeSource", GENERIC),
            obj("glusterfs", "GlusterfsVolumeSource", "GlusterfsVolumeSource", GENERIC),
            obj("hostPath", "HostPathVolumeSource", "HostPathVolumeSource", GENERIC),
            obj("image", "ImageVolumeSource", "ImageVolumeSource", GENERIC),
            obj("iscsi", "ISCSIVolumeSource", "ISCSIVolumeSource", GENERIC),
            req(f("name", "string", "The volume's name, unique in the pod.")),
            obj("nfs", "NFSVolumeSource", "NFSVolumeSource", GENERIC),
            obj("persistentVolumeClaim", "PersistentVolumeClaimVolumeSource", "PersistentVolumeClaimVolumeSource", GENERIC),
            obj("photonPersistentDisk", "PhotonPersistentDiskVolumeSource", "PhotonPersistentDiskVolumeSource", GENERIC),
            obj("portworxVolume", "PortworxVolumeSource", "PortworxVolumeSource", GENERIC),
            obj("projected", "ProjectedVolumeSource", "ProjectedVolumeSource", "Several sources in one directory: the service account token, the cluster CA and the namespace."),
            obj("quobyte", "QuobyteVolumeSource", "QuobyteVolumeSource", GENERIC),
            obj("rbd", "RBDVolumeSource", "RBDVolumeSource", GENERIC),
            obj("scaleIO", "ScaleIOVolumeSource", "ScaleIOVolumeSource", GENERIC),
            obj("secret", "SecretVolumeSource", "SecretVolumeSource", "The keys of a Secret as files."),
            obj("storageos", "StorageOSVolumeSource", "StorageOSVolumeSource", GENERIC),
            obj("vsphereVolume", "VsphereVirtualDiskVolumeSource", "VsphereVirtualDiskVolumeSource", GENERIC),
        ],
    },
    Schema {
        name: "ProjectedVolumeSource",
        description: "A volume made of several sources, written into one directory.",
        fields: &[
            f("defaultMode", "integer", "The file mode of the files, 0644 by default."),
            obj("sources", "[]VolumeProjection", "VolumeProjection", "The sources of the volume."),
        ],
    },
    Schema {
        name: "VolumeProjection",
        description: "One source of a projected volume.",
        fields: &[
            obj("clusterTrustBundle", "ClusterTrustBundleProjection", "ClusterTrustBundleProjection", GENERIC),
            obj("configMap", "ConfigMapProjection", "ConfigMapProjection", "Keys of a ConfigMap, such as ca.crt from kube-root-ca.crt."),
            obj("downwardAPI", "DownwardAPIProjection", "DownwardAPIProjection", "Fields of the pod, such as its namespace."),
            obj("secret", "SecretProjection", "SecretProjection", "Keys of a Secret."),
            obj("serviceAccountToken", "ServiceAccountTokenProjection", "ServiceAccountTokenProjection", "A token of the pod's service account, requested and refreshed by the kubelet."),
        ],
    },
    Schema {
        name: "ServiceAccountTokenProjection",
        description: "A service account token the kubelet requests for the pod (TokenRequest API), bound to the pod, and writes into the volume. The kubelet replaces it when 80% of its lifetime has passed or it is older than 24 hours.",
        fields: &[
            f("audience", "string", "The audience of the token; the API server's by default. A receiver must check that the token is meant for it."),
            f("expirationSeconds", "integer", "The requested lifetime in seconds: at least 600, 3600 by default."),
            req(f("path", "string", "The file name of the token in the volume.")),
        ],
    },
    Schema {
        name: "ConfigMapProjection",
        description: "Keys of a ConfigMap projected into a volume.",
        fields: &[
            obj("items", "[]KeyToPath", "KeyToPath", "Which keys to write, and where."),
            f("name", "string", "The ConfigMap's name."),
            f("optional", "boolean", "Whether the ConfigMap may be missing."),
        ],
    },
    Schema {
        name: "SecretProjection",
        description: "Keys of a Secret projected into a volume.",
        fields: &[
            obj("items", "[]KeyToPath", "KeyToPath", "Which keys to write, and where."),
            f("name", "string", "The Secret's name."),
            f("optional", "boolean", "Whether the Secret may be missing."),
        ],
    },
    Schema {
        name: "SecretVolumeSource",
        description: "The keys of a Secret as files of a volume.",
        fields: &[
            f("defaultMode", "integer", "The file mode of the files, 0644 by default."),
            obj("items", "[]KeyToPath", "KeyToPath", "Which keys to write, and where."),
            f("optional", "boolean", "Whether the Secret may be missing."),
            f("secretName", "string", "The Secret's name."),
        ],
    },
    Schema {
        name: "KeyToPath",
        description: "A key written to a file.",
        fields: &[
            req(f("key", "string", "The key.")),
            f("mode", "integer", "The file mode."),
            req(f("path", "string", "The file's path in the volume.")),
        ],
    },
    Schema {
        name: "Role",
        description: "A Role is a set of rules that allow actions on resources in one namespace. A RoleBinding grants it.",
        fields: &[API_VERSION, KIND, METADATA, obj("rules", "[]PolicyRule", "PolicyRule", "The rules of the role.")],
    },
    Schema {
        name: "ClusterRole",
        description: "A ClusterRole is a set of rules that allow actions, cluster-wide or (through a RoleBinding) in one namespace.",
        fields: &[
            obj("aggregationRule", "AggregationRule", "AggregationRule", "Selects other cluster roles whose rules are copied into this one."),
            API_VERSION,
            KIND,
            METADATA,
            obj("rules", "[]PolicyRule", "PolicyRule", "The rules of the role."),
        ],
    },
    Schema {
        name: "PolicyRule",
        description: "One rule: which verbs are allowed on which resources or URLs.",
        fields: &[
            obj("apiGroups", "[]string", "string", "API groups of the resources; \"\" is the core group."),
            obj("nonResourceURLs", "[]string", "string", "URLs that are not resources, such as /healthz (cluster roles only)."),
            obj("resourceNames", "[]string", "string", "Names of the objects the rule is limited to."),
            obj("resources", "[]string", "string", "Resources, such as pods or serviceaccounts/token; * for all."),
            req(obj("verbs", "[]string", "string", "Verbs, such as get, list, create; * for all.")),
        ],
    },
    Schema {
        name: "AggregationRule",
        description: "How a cluster role collects the rules of others.",
        fields: &[obj("clusterRoleSelectors", "[]LabelSelector", "LabelSelector", "Labels of the cluster roles to collect.")],
    },
    Schema {
        name: "RoleBinding",
        description: "A RoleBinding grants the rules of a Role or ClusterRole to subjects (users, groups, service accounts) in its namespace.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("roleRef", "RoleRef", "RoleRef", "The role granted. It cannot be changed once set.")),
            obj("subjects", "[]Subject", "Subject", "Who is granted the role."),
        ],
    },
    Schema {
        name: "ClusterRoleBinding",
        description: "A ClusterRoleBinding grants the rules of a ClusterRole to subjects in every namespace.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("roleRef", "RoleRef", "RoleRef", "The cluster role granted. It cannot be changed once set.")),
            obj("subjects", "[]Subject", "Subject", "Who is granted the role."),
        ],
    },
    Schema {
        name: "RoleRef",
        description: "The role a binding grants.",
        fields: &[
            req(f("apiGroup", "string", "rbac.authorization.k8s.io.")),
            req(f("kind", "string", "Role or ClusterRole.")),
            req(f("name", "string", "The role's name.")),
        ],
    },
    Schema {
        name: "Subject",
        description: "Someone a binding grants a role to.",
        fields: &[
            f("apiGroup", "string", "\"\" for ServiceAccount, rbac.authorization.k8s.io for User and Group."),
            req(f("kind", "string", "User, Group or ServiceAccount.")),
            req(f("name", "string", "The name of the user, group or service account.")),
            f("namespace", "string", "The namespace of a service account."),
        ],
    },
    Schema {
        name: "TokenReview",
        description: "A TokenReview asks the API server whether a token is valid and whom it belongs to.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("spec", "TokenReviewSpec", "TokenReviewSpec", "The token to check.")),
            obj("status", "TokenReviewStatus", "TokenReviewStatus", "The answer, set by the server."),
        ],
    },
    Schema {
        name: "TokenReviewSpec",
        description: "The token to review.",
        fields: &[
            obj("audiences", "[]string", "string", "Audiences the token must be meant for; the API server's by default."),
            f("token", "string", "The token."),
        ],
    },
    Schema {
        name: "TokenReviewStatus",
        description: "The result of a token review.",
        fields: &[
            obj("audiences", "[]string", "string", "The audiences the token is valid for."),
            f("authenticated", "boolean", "Whether the token is valid."),
            f("error", "string", "Why the token is not valid."),
            obj("user", "UserInfo", "UserInfo", "The user the token belongs to."),
        ],
    },
    Schema {
        name: "UserInfo",
        description: "A user as the API server knows it.",
        fields: &[
            obj("extra", "map[string][]string", "string", "Extra attributes, such as the pod a token is bound to."),
            obj("groups", "[]string", "string", "The user's groups."),
            f("uid", "string", "The user's UID."),
            f("username", "string", "The user's name."),
        ],
    },
    Schema {
        name: "SelfSubjectReview",
        description: "A SelfSubjectReview answers with the attributes of the user who sends it (kubectl auth whoami).",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            obj("status", "SelfSubjectReviewStatus", "SelfSubjectReviewStatus", "The user, set by the server."),
        ],
    },
    Schema {
        name: "SelfSubjectReviewStatus",
        description: "The result of a self subject review.",
        fields: &[obj("userInfo", "UserInfo", "UserInfo", "The user who sent the review.")],
    },
    Schema {
        name: "SubjectAccessReview",
        description: "A SubjectAccessReview asks whether a user may perform an action.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("spec", "SubjectAccessReviewSpec", "SubjectAccessReviewSpec", "The user and the action.")),
            obj("status", "SubjectAccessReviewStatus", "SubjectAccessReviewStatus", "The answer, set by the server."),
        ],
    },
    Schema {
        name: "LocalSubjectAccessReview",
        description: "A LocalSubjectAccessReview asks whether a user may perform an action in one namespace.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("spec", "SubjectAccessReviewSpec", "SubjectAccessReviewSpec", "The user and the action.")),
            obj("status", "SubjectAccessReviewStatus", "SubjectAccessReviewStatus", "The answer, set by the server."),
        ],
    },
    Schema {
        name: "SelfSubjectAccessReview",
        description: "A SelfSubjectAccessReview asks whether the sender may perform an action (kubectl auth can-i).",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("spec", "SelfSubjectAccessReviewSpec", "SelfSubjectAccessReviewSpec", "The action.")),
            obj("status", "SubjectAccessReviewStatus", "SubjectAccessReviewStatus", "The answer, set by the server."),
        ],
    },
    Schema {
        name: "SelfSubjectRulesReview",
        description: "A SelfSubjectRulesReview lists what the sender may do in a namespace (kubectl auth can-i --list).",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            req(obj("spec", "SelfSubjectRulesReviewSpec", "SelfSubjectRulesReviewSpec", "The namespace.")),
            obj("status", "SubjectRulesReviewStatus", "SubjectRulesReviewStatus", "The rules, set by the server."),
        ],
    },
];

fn schema(name: &str) -> Option<&'static Schema> {
    SCHEMAS.iter().find(|s| s.name == name)
}

/// sprig's `wrap`: breaks at the last space that keeps a line within
/// `width` bytes; longer words stay whole; newlines are not break points.
fn wrap(text: &str, width: usize) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut offset = 0;
    while bytes.len().saturating_sub(offset) > width {
        if bytes.get(offset) == Some(&b' ') {
            offset += 1;
            continue;
        }
        let window_end = (offset + width + 1).min(bytes.len());
        let window = text.get(offset..window_end).unwrap_or_default();
        if let Some(at) = window.rfind(' ') {
            out.push_str(text.get(offset..offset + at).unwrap_or_default());
            out.push('\n');
            offset += at + 1;
            continue;
        }
        let rest = text.get(offset + width..).unwrap_or_default();
        match rest.find(' ') {
            Some(at) => {
                out.push_str(text.get(offset..offset + width + at).unwrap_or_default());
                out.push('\n');
                offset += width + at + 1;
            }
            None => {
                out.push_str(text.get(offset..).unwrap_or_default());
                offset = bytes.len();
            }
        }
    }
    out.push_str(text.get(offset..).unwrap_or_default());
    out
}

/// sprig's `indent`: `n` spaces before every line.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

fn field_list(out: &mut String, schema: &Schema, level: usize, recursive: bool, depth: usize) {
    let mut fields: Vec<&Field> = schema.fields.iter().collect();
    fields.sort_by_key(|f| f.name);
    for field in fields {
        let pad = level * 2;
        out.push_str(&indent(field.name, pad));
        out.push_str(&format!("\t<{}>", field.ty));
        if field.required {
            out.push_str(" -required-");
        }
        if !field.enums.is_empty() {
            out.push('\n');
            out.push_str(&" ".repeat(pad));
            out.push_str("enum: ");
            let shown: Vec<String> = field.enums.iter().take(4).map(|e| enum_text(e)).collect();
            out.push_str(&shown.join(", "));
            if field.enums.len() > 4 {
                out.push_str(", ....");
            }
        }
        out.push('\n');
        if recursive {
            if let Some(nested) = field.schema.and_then(schema_of) {
                if depth < 16 {
                    field_list(out, nested, level + 1, true, depth + 1);
                }
            }
        } else {
            out.push_str(&indent(&wrap(field.description, 78usize.saturating_sub(pad)), pad + 2));
            out.push_str("\n\n");
        }
    }
}

fn schema_of(name: &str) -> Option<&'static Schema> {
    schema(name)
}

fn enum_text(e: &str) -> String {
    if e.is_empty() {
        "\"\"".to_string()
    } else {
        e.to_string()
    }
}

/// `kubectl explain`.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let target = match args.positional.as_slice() {
        [] => return Err("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n".to_string()),
        [one] => one.clone(),
        _ => return Err("error: We accept only this format: explain RESOURCE\n".to_string()),
    };
    match args.value(&["o", "output"]).unwrap_or("plaintext") {
        "plaintext" => {}
        "plaintext-openapiv2" => {
            return Err("error: --output=plaintext-openapiv2 is not available in this playground\n".to_string())
        }
        other => {
            return Err(format!(
                "error: unsupported output format: {other}; supported formats: plaintext, plaintext-openapiv2\n"
            ))
        }
    }
    let recursive = args.is_set(&["recursive"]);
    let mut parts = target.split('.');
    let type_name = parts.next().unwrap_or_default();
    let path: Vec<&str> = parts.collect();
    let r = saplay_cluster::resource::lookup(type_name)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{type_name}\"\n"))?;
    if let Some(version) = args.value(&["api-version"]).filter(|v| !v.is_empty()) {
        if version != r.api_version() {
            return Err(format!(
                "error: couldn't find resource for \"{}/{}, Resource={}\"\n",
                r.group,
                version.rsplit('/').next().unwrap_or(version),
                r.plural
            ));
        }
    }
    let mut out = String::new();
    if !r.group.is_empty() {
        out.push_str(&format!("GROUP:      {}\n", r.group));
    }
    out.push_str(&format!("KIND:       {}\nVERSION:    {}\n\n", r.kind, r.version));
    let Some(mut current) = schema(r.kind) else {
        return Err(format!("error: GVK {}/{}, Kind={} not found in OpenAPI schema\n", r.group, r.version, r.kind));
    };
    let mut description = format!("{}\n", current.description);
    let mut leaf: Option<&Field> = None;
    for (i, step) in path.iter().enumerate() {
        let Some(field) = current.fields.iter().find(|f| f.name == *step) else {
            return Err(format!("error: field \"{}\" does not exist\n", path.last().unwrap_or(step)));
        };
        if i + 1 == path.len() {
            out.push_str(&format!("FIELD: {} <{}>\n", field.name, field.ty));
            if !field.enums.is_empty() {
                out.push_str("ENUM:");
                for e in field.enums {
                    out.push_str(&format!("\n    {}", enum_text(e)));
                }
            }
            out.push_str("\n\n");
            leaf = Some(field);
        }
        description = format!("{}\n", field.description);
        match field.schema.and_then(schema_of) {
            Some(next) => {
                if field.ty != "[]string" && field.ty != "map[string]string" && !field.ty.ends_with("]string") {
                    description.push_str(&format!("{}\n", next.description));
                }
                current = next;
            }
            None if i + 1 < path.len() => {
                let missing = path.last().unwrap_or(step);
                return Err(format!("error: field \"{missing}\" does not exist\n"));
            }
            None => {}
        }
    }
    out.push_str("DESCRIPTION:\n");
    out.push_str(&indent(&wrap(&description, 76), 4));
    out.push('\n');
    let has_fields = match leaf {
        None => true,
        Some(field) => field.schema.and_then(schema_of).is_some() && !field.ty.ends_with("]string"),
    };
    if has_fields && !current.fields.is_empty() {
        out.push_str("FIELDS:\n");
        field_list(&mut out, current, 1, recursive, 0);
    }
    out.push('\n');
    k.print(&out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("short", 76), "short");
        assert_eq!(wrap("averyveryverylongword and more", 5), "averyveryverylongword\nand\nmore");
        assert_eq!(wrap("", 5), "");
        assert_eq!(indent("a\nb\n", 2), "  a\n  b\n  ");
    }

    #[test]
    fn every_schema_reference_is_a_known_schema_or_a_leaf() {
        for s in SCHEMAS {
            for field in s.fields {
                assert!(field.ty.contains(field.schema.unwrap_or("")), "{}.{}", s.name, field.name);
            }
        }
    }
}
