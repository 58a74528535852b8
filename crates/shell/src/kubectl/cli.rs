//! kubectl's command line as cobra and pflag read it: the command tree,
//! the flags each command accepts, flag parsing with pflag's error wording,
//! and cobra's "Did you mean this?" suggestions for unknown commands.
//! `parse` is kubectl's strict reading, which refuses what kubectl
//! refuses; `read_args` reads a line over the same tables leniently, for
//! the lessons to recognise what a learner ran.
//!
//! The flag table lists every flag kubectl v1.32 accepts for the commands
//! the playground has (names, shorthands, kinds and defaults as `kubectl
//! --help` shows them); flags a command does not act on are accepted and
//! ignored, as they would change nothing visible here.

/// What a flag's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `true`/`false`; given alone it means `true`.
    Bool,
    /// A string.
    Str,
    /// A repeatable string (`[]` default).
    Array,
    /// An integer.
    Int,
    /// A Go `time.Duration` (`30s`, `1m0s`).
    Duration,
    /// kubectl's `KEY=VALUE,…` map flag (`--aggregation-rule`).
    Map,
}

/// One flag of a command.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    /// The long name, without dashes.
    pub long: &'static str,
    /// The one-letter shorthand.
    pub short: Option<char>,
    /// What the value is.
    pub kind: Kind,
    /// The default as `--help` shows it.
    pub default: &'static str,
    /// The value when the flag is given without one (`--dry-run`).
    pub no_opt: Option<&'static str>,
}

const HELP: Flag = Flag { long: "help", short: Some('h'), kind: Kind::Bool, default: "false", no_opt: None };

/// The flags of the rollout commands that patch each object: `restart`,
/// `pause` and `resume` (kubectl gives them the same set).
const ROLLOUT_PATCH_FLAGS: &[Flag] = &[
    Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
    Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-rollout'", no_opt: None },
    Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
    Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
    Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
    Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
    Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
    Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
    Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
];

/// Every flag kubectl v1.32 accepts, by command path (`""` is the root,
/// `"options"` the global flags).
pub(crate) static FLAGS: &[(&str, &[Flag])] = &[
    ("", &[]),
    (
        "options",
        &[
            Flag { long: "as", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "as-group", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "as-uid", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "cache-dir", short: None, kind: Kind::Str, default: "'/root/.kube/cache'", no_opt: None },
            Flag { long: "certificate-authority", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "client-certificate", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "client-key", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "cluster", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "context", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "disable-compression", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "insecure-skip-tls-verify", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "kubeconfig", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "log-flush-frequency", short: None, kind: Kind::Duration, default: "5s", no_opt: None },
            Flag { long: "match-server-version", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "namespace", short: Some('n'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "password", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "profile", short: None, kind: Kind::Str, default: "'none'", no_opt: None },
            Flag { long: "profile-output", short: None, kind: Kind::Str, default: "'profile.pprof'", no_opt: None },
            Flag { long: "request-timeout", short: None, kind: Kind::Str, default: "'0'", no_opt: None },
            Flag { long: "server", short: Some('s'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "tls-server-name", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "token", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "user", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "username", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "v", short: Some('v'), kind: Kind::Int, default: "0", no_opt: None },
            Flag { long: "vmodule", short: None, kind: Kind::Str, default: "", no_opt: None },
            Flag { long: "warnings-as-errors", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "get",
        &[
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "chunk-size", short: None, kind: Kind::Int, default: "500", no_opt: None },
            Flag { long: "field-selector", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "ignore-not-found", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "label-columns", short: Some('L'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "no-headers", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output-watch-events", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "raw", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "server-print", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "show-kind", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-labels", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "sort-by", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "subresource", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "watch", short: Some('w'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "watch-only", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "describe",
        &[
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "chunk-size", short: None, kind: Kind::Int, default: "500", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-events", short: None, kind: Kind::Bool, default: "true", no_opt: None },
        ],
    ),
    (
        "create",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "edit", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "raw", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
            Flag { long: "windows-line-endings", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "create serviceaccount",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create namespace",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create secret generic",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "append-hash", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "from-env-file", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "from-file", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "from-literal", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "type", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create secret docker-registry",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "append-hash", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "docker-email", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "docker-password", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag {
                long: "docker-server",
                short: None,
                kind: Kind::Str,
                default: "'https://index.docker.io/v1/'",
                no_opt: None,
            },
            Flag { long: "docker-username", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "from-file", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create configmap",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "append-hash", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "from-env-file", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "from-file", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "from-literal", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create token",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "audience", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "bound-object-kind", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "bound-object-name", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "bound-object-uid", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "duration", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "create role",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "resource", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "resource-name", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
            Flag { long: "verb", short: None, kind: Kind::Array, default: "[]", no_opt: None },
        ],
    ),
    (
        "create clusterrole",
        &[
            Flag { long: "aggregation-rule", short: None, kind: Kind::Map, default: "", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "non-resource-url", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "resource", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "resource-name", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
            Flag { long: "verb", short: None, kind: Kind::Array, default: "[]", no_opt: None },
        ],
    ),
    (
        "create rolebinding",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "clusterrole", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "group", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "role", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "serviceaccount", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "user", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create clusterrolebinding",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "clusterrole", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "group", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "serviceaccount", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "user", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    ("create service", &[]),
    (
        "create service clusterip",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "clusterip", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "tcp", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create service nodeport",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "node-port", short: None, kind: Kind::Int, default: "0", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "tcp", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create service loadbalancer",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "tcp", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create service externalname",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "external-name", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "tcp", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "expose",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "cluster-ip", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "external-ip", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-expose'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "labels", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "load-balancer-ip", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "name", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "override-type", short: None, kind: Kind::Str, default: "'merge'", no_opt: None },
            Flag { long: "overrides", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "port", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "protocol", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "session-affinity", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "target-port", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "type", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "apply",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "cascade", short: None, kind: Kind::Str, default: "'background'", no_opt: Some("background") },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag {
                long: "field-manager",
                short: None,
                kind: Kind::Str,
                default: "'kubectl-client-side-apply'",
                no_opt: None,
            },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "force", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "force-conflicts", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "grace-period", short: None, kind: Kind::Int, default: "-1", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "openapi-patch", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "overwrite", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "prune", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "prune-allowlist", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "server-side", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "subresource", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
            Flag { long: "wait", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "delete",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "cascade", short: None, kind: Kind::Str, default: "'background'", no_opt: Some("background") },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-selector", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "force", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "grace-period", short: None, kind: Kind::Int, default: "-1", no_opt: None },
            Flag { long: "ignore-not-found", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "interactive", short: Some('i'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "now", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "raw", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
            Flag { long: "wait", short: None, kind: Kind::Bool, default: "true", no_opt: None },
        ],
    ),
    ("auth", &[]),
    (
        "auth can-i",
        &[
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "list", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "no-headers", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "quiet", short: Some('q'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "subresource", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "auth whoami",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "exec",
        &[
            Flag { long: "container", short: Some('c'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "pod-running-timeout", short: None, kind: Kind::Duration, default: "1m0s", no_opt: None },
            Flag { long: "quiet", short: Some('q'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "stdin", short: Some('i'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "tty", short: Some('t'), kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    ("cluster-info", &[]),
    (
        "patch",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-patch'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "patch", short: Some('p'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "patch-file", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "subresource", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "type", short: None, kind: Kind::Str, default: "'strategic'", no_opt: None },
        ],
    ),
    (
        "label",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-label'", no_opt: None },
            Flag { long: "field-selector", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "list", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "overwrite", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "resource-version", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "annotate",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-annotate'", no_opt: None },
            Flag { long: "field-selector", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "list", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "overwrite", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "resource-version", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "run",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "annotations", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "attach", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "cascade", short: None, kind: Kind::Str, default: "'background'", no_opt: Some("background") },
            Flag { long: "command", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "env", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "expose", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-run'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "force", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "grace-period", short: None, kind: Kind::Int, default: "-1", no_opt: None },
            Flag { long: "image", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "image-pull-policy", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "labels", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "leave-stdin-open", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "override-type", short: None, kind: Kind::Str, default: "'merge'", no_opt: None },
            Flag { long: "overrides", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "pod-running-timeout", short: None, kind: Kind::Duration, default: "1m0s", no_opt: None },
            Flag { long: "port", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "privileged", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "quiet", short: Some('q'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "restart", short: None, kind: Kind::Str, default: "'Always'", no_opt: None },
            Flag { long: "rm", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "stdin", short: Some('i'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
            Flag { long: "tty", short: Some('t'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "wait", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "version",
        &[
            Flag { long: "client", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "api-resources",
        &[
            Flag { long: "api-group", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "cached", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "categories", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "namespaced", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "no-headers", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "sort-by", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "verbs", short: None, kind: Kind::Array, default: "[]", no_opt: None },
        ],
    ),
    ("api-versions", &[]),
    (
        "explain",
        &[
            Flag { long: "api-version", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "'plaintext'", no_opt: None },
            Flag { long: "recursive", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    ("config", &[]),
    (
        "config view",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "flatten", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "merge", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "minify", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "'yaml'", no_opt: None },
            Flag { long: "raw", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    ("config current-context", &[]),
    (
        "config get-contexts",
        &[
            Flag { long: "no-headers", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "config set-context",
        &[
            Flag { long: "cluster", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "current", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "namespace", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "user", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    ("config use-context", &[]),
    ("config get-users", &[]),
    ("config get-clusters", &[]),
    ("config delete-context", &[]),
    ("config delete-user", &[]),
    ("config rename-context", &[]),
    (
        "config set-credentials",
        &[
            Flag { long: "auth-provider", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "auth-provider-arg", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "client-certificate", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "client-key", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "embed-certs", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "exec-api-version", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "exec-arg", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "exec-command", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "exec-env", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "exec-interactive-mode", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "exec-provide-cluster-info", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "password", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "token", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "username", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    ("help", &[]),
    (
        "create job",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "from", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "image", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "create deployment",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-create'", no_opt: None },
            Flag { long: "image", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "port", short: None, kind: Kind::Int, default: "-1", no_opt: None },
            Flag { long: "replicas", short: Some('r'), kind: Kind::Int, default: "1", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
        ],
    ),
    (
        "scale",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "current-replicas", short: None, kind: Kind::Int, default: "-1", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "replicas", short: None, kind: Kind::Int, default: "0", no_opt: None },
            Flag { long: "resource-version", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
        ],
    ),
    (
        "replace",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "cascade", short: None, kind: Kind::Str, default: "'background'", no_opt: Some("background") },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-replace'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "force", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "grace-period", short: None, kind: Kind::Int, default: "-1", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "raw", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "subresource", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
            Flag { long: "wait", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "edit",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-edit'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output-patch", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "save-config", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "subresource", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "validate", short: None, kind: Kind::Str, default: "'strict'", no_opt: Some("strict") },
            Flag { long: "windows-line-endings", short: None, kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    (
        "wait",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "field-selector", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "for", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "30s", no_opt: None },
        ],
    ),
    (
        "events",
        &[
            Flag { long: "all-namespaces", short: Some('A'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "chunk-size", short: None, kind: Kind::Int, default: "500", no_opt: None },
            Flag { long: "for", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "no-headers", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "types", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "watch", short: Some('w'), kind: Kind::Bool, default: "false", no_opt: None },
        ],
    ),
    ("rollout", &[]),
    (
        "rollout status",
        &[
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "revision", short: None, kind: Kind::Int, default: "0", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
            Flag { long: "watch", short: Some('w'), kind: Kind::Bool, default: "true", no_opt: None },
        ],
    ),
    ("rollout pause", ROLLOUT_PATCH_FLAGS),
    ("rollout resume", ROLLOUT_PATCH_FLAGS),
    ("rollout restart", ROLLOUT_PATCH_FLAGS),
    (
        "rollout history",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "revision", short: None, kind: Kind::Int, default: "0", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "rollout undo",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "to-revision", short: None, kind: Kind::Int, default: "0", no_opt: None },
        ],
    ),
    ("set", &[]),
    (
        "set serviceaccount",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-set'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
    (
        "set subject",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-set'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "group", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "serviceaccount", short: None, kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "user", short: None, kind: Kind::Array, default: "[]", no_opt: None },
        ],
    ),
    (
        "set image",
        &[
            Flag { long: "all", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "dry-run", short: None, kind: Kind::Str, default: "'none'", no_opt: Some("unchanged") },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-set'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "local", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "record", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
];

/// kubectl's top-level commands in the order it registers them (cobra
/// suggests in this order), with the exact names cobra also suggests them
/// for (`SuggestFor`).
pub(crate) const COMMANDS: &[(&str, &[&str])] = &[
    ("create", &[]),
    ("expose", &[]),
    ("run", &[]),
    ("set", &[]),
    ("explain", &[]),
    ("get", &["list", "ps"]),
    ("edit", &[]),
    ("delete", &["rm"]),
    ("rollout", &[]),
    ("scale", &[]),
    ("autoscale", &[]),
    ("certificate", &[]),
    ("cluster-info", &[]),
    ("top", &[]),
    ("cordon", &[]),
    ("uncordon", &[]),
    ("drain", &[]),
    ("taint", &[]),
    ("describe", &[]),
    ("logs", &[]),
    ("attach", &[]),
    ("exec", &[]),
    ("port-forward", &[]),
    ("proxy", &[]),
    ("cp", &[]),
    ("auth", &[]),
    ("debug", &[]),
    ("events", &[]),
    ("diff", &[]),
    ("apply", &[]),
    ("patch", &[]),
    ("replace", &[]),
    ("wait", &["list", "ps"]),
    ("kustomize", &[]),
    ("label", &[]),
    ("annotate", &[]),
    ("completion", &[]),
    ("config", &[]),
    ("plugin", &[]),
    ("version", &[]),
    ("api-versions", &[]),
    ("api-resources", &[]),
    ("options", &[]),
    ("help", &[]),
];

/// kubectl's commands that the playground does not have. Their flags are
/// not checked: `kubectl logs -f POD` is answered that `logs` is not
/// here, not that `-f` is an unknown flag.
pub(crate) const NOT_HERE: &[&str] = &[
    "autoscale",
    "certificate",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "logs",
    "attach",
    "port-forward",
    "proxy",
    "cp",
    "debug",
    "diff",
    "kustomize",
    "completion",
    "plugin",
    "create cronjob",
    "create ingress",
    "create poddisruptionbudget",
    "create priorityclass",
    "create quota",
    "create secret tls",
    "set env",
    "set resources",
    "set selector",
    "auth reconcile",
    "apply edit-last-applied",
    "apply set-last-applied",
    "apply view-last-applied",
    "config delete-cluster",
    "config set",
    "config set-cluster",
    "config unset",
];

/// Subcommands kubectl has under a command, with their aliases (those in
/// [`NOT_HERE`] only answer that they are not here).
pub(crate) const SUBCOMMANDS: &[(&str, &str, &[&str])] = &[
    ("create", "serviceaccount", &["sa"]),
    ("create", "namespace", &["ns"]),
    ("create", "token", &[]),
    ("create", "secret", &[]),
    ("create", "role", &[]),
    ("create", "clusterrole", &[]),
    ("create", "rolebinding", &[]),
    ("create", "clusterrolebinding", &[]),
    ("create", "deployment", &["deploy"]),
    ("create", "configmap", &["cm"]),
    ("create", "cronjob", &["cj"]),
    ("create", "ingress", &["ing"]),
    ("create", "job", &[]),
    ("create", "poddisruptionbudget", &["pdb"]),
    ("create", "priorityclass", &["pc"]),
    ("create", "quota", &["resourcequota"]),
    ("create", "service", &["svc"]),
    ("set", "env", &[]),
    ("set", "resources", &[]),
    ("set", "selector", &[]),
    ("set", "subject", &[]),
    ("auth", "reconcile", &[]),
    ("apply", "edit-last-applied", &[]),
    ("apply", "set-last-applied", &[]),
    ("apply", "view-last-applied", &[]),
    ("config", "delete-cluster", &[]),
    ("config", "set", &[]),
    ("config", "set-cluster", &[]),
    ("config", "unset", &[]),
    ("rollout", "history", &[]),
    ("rollout", "pause", &[]),
    ("rollout", "restart", &[]),
    ("rollout", "resume", &[]),
    ("rollout", "status", &[]),
    ("rollout", "undo", &[]),
    ("set", "image", &[]),
    ("set", "serviceaccount", &["sa"]),
    ("auth", "can-i", &[]),
    ("auth", "whoami", &[]),
    ("config", "view", &[]),
    ("config", "current-context", &[]),
    ("config", "get-contexts", &[]),
    ("config", "set-context", &[]),
    ("config", "use-context", &["use"]),
    ("config", "set-credentials", &[]),
    ("config", "get-users", &[]),
    ("config", "get-clusters", &[]),
    ("config", "delete-context", &[]),
    ("config", "delete-user", &[]),
    ("config", "rename-context", &[]),
];

/// The command groups whose subcommands have subcommands of their own, and
/// those third words.
const THIRD_WORDS: &[(&str, &[&str])] = &[
    ("create secret", &["generic", "tls", "docker-registry"]),
    ("create service", &["clusterip", "nodeport", "loadbalancer", "externalname"]),
];

/// The flags of a command path (`"get"`, `"create serviceaccount"`),
/// without the global ones.
pub(crate) fn command_flags(path: &str) -> &'static [Flag] {
    FLAGS.iter().find(|(p, _)| *p == path).map(|(_, f)| *f).unwrap_or(&[])
}

/// The global flags (`kubectl options`).
pub(crate) fn global_flags() -> &'static [Flag] {
    command_flags("options")
}

/// Cobra's Levenshtein distance, case-insensitive.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// The commands cobra suggests for a mistyped one: distance at most 2, a
/// prefix of the name, or one of the command's `SuggestFor` words.
pub(crate) fn suggestions(typed: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for (name, suggest_for) in COMMANDS {
        if distance(typed, name) <= 2 || name.to_lowercase().starts_with(&typed.to_lowercase()) {
            found.push(*name);
        }
        if suggest_for.iter().any(|s| s.eq_ignore_ascii_case(typed)) {
            found.push(*name);
        }
    }
    found
}

/// `error: unknown command "x" for "kubectl"` with cobra's suggestions.
pub(crate) fn unknown_command(typed: &str) -> String {
    let mut text = format!("error: unknown command {} for \"kubectl\"", go_quote(typed));
    let found = suggestions(typed);
    if found.is_empty() {
        text.push('\n');
    } else {
        text.push_str("\n\nDid you mean this?\n");
        for name in found {
            text.push_str(&format!("\t{name}\n"));
        }
    }
    text
}

/// Go's `%q` for a string: double quotes with Go escapes.
pub(crate) use super::jsonpath::go_quote;

/// A command line split the way cobra does it.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The command path (`""`, `"get"`, `"create serviceaccount"`).
    pub path: String,
    /// Arguments after the top-level command (the subcommand word stays,
    /// as the subcommands' code expects it).
    pub positional: Vec<String>,
    /// Flag values by the name as written (`n` or `namespace`).
    pub flags: Vec<(String, String)>,
    /// `-h`/`--help` was given.
    pub help: bool,
    /// How many of `positional` came before `--` (cobra's ArgsLenAtDash).
    pub before_dash: Option<usize>,
}

/// Why a command line could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ParseError {
    /// A flag error, reported with the command whose flags were read.
    #[error("{message}")]
    Flag {
        /// pflag's message.
        message: String,
        /// The command path, for "See 'kubectl PATH --help' for usage."
        path: String,
    },
    /// The first word is not a kubectl command.
    #[error("unknown command {0:?}")]
    UnknownCommand(String),
    /// No command was found and the line starts with a flag: kubectl's
    /// plugin lookup refuses it.
    #[error("flags cannot be placed before plugin name: {0}")]
    FlagBeforePlugin(String),
}

impl ParseError {
    /// The text kubectl prints to standard error.
    pub(crate) fn render(&self) -> String {
        match self {
            ParseError::Flag { message, path } if path == "options" => {
                format!("error: {message}\nRun 'kubectl options' without flags.\n")
            }
            ParseError::Flag { message, path } => {
                let command = if path.is_empty() { "kubectl".to_string() } else { format!("kubectl {path}") };
                format!("error: {message}\nSee '{command} --help' for usage.\n")
            }
            ParseError::UnknownCommand(typed) => unknown_command(typed),
            // Printed by kubectl's plugin handler itself, capitalised.
            ParseError::FlagBeforePlugin(flag) => format!("Error: flags cannot be placed before plugin name: {flag}\n"),
        }
    }
}

fn find_flag(path: &str, test: impl Fn(&Flag) -> bool) -> Option<Flag> {
    global_flags().iter().chain(command_flags(path)).chain(std::iter::once(&HELP)).find(|f| test(f)).copied()
}

fn takes_value(flag: &Flag) -> bool {
    flag.kind != Kind::Bool && flag.no_opt.is_none()
}

/// Finds the command path: the first word that is not a flag (skipping the
/// values of flags that take one), then a known subcommand word after it.
fn command_path(args: &[String]) -> (String, Option<String>) {
    let mut path = String::new();
    let mut top: Option<String> = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            if !long.contains('=') && find_flag(&path, |f| f.long == long).is_none_or(|f| takes_value(&f)) {
                i += 1;
            }
            continue;
        }
        if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if find_flag(&path, |f| f.short == Some(c)).is_none_or(|f| takes_value(&f)) {
                    i += 1;
                }
            }
            continue;
        }
        match &top {
            None => {
                if !COMMANDS.iter().any(|(name, _)| name == arg) {
                    return (path, Some(arg.clone()));
                }
                top = Some(arg.clone());
                path = arg.clone();
            }
            Some(command) => {
                if let Some((_, sub, _)) = SUBCOMMANDS
                    .iter()
                    .find(|(parent, sub, aliases)| parent == command && (sub == arg || aliases.contains(&arg.as_str())))
                {
                    path = format!("{command} {sub}");
                    // `create secret generic`, `create service nodeport`.
                    if let Some((_, kinds)) = THIRD_WORDS.iter().find(|(group, _)| *group == path) {
                        let third = args.get(i..).unwrap_or_default().iter().find(|a| !a.starts_with('-'));
                        if let Some(kind) = third.filter(|k| kinds.contains(&k.as_str())) {
                            path = format!("{path} {kind}");
                        }
                    }
                }
                break;
            }
        }
    }
    (path, None)
}

/// Go's `strconv.ParseBool`.
pub(super) fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn check_value(flag: &Flag, value: &str) -> Result<String, String> {
    let name = match flag.short {
        Some(c) => format!("-{c}, --{}", flag.long),
        None => format!("--{}", flag.long),
    };
    let invalid =
        |reason: String| format!("invalid argument {} for {} flag: {reason}", go_quote(value), go_quote(&name));
    match flag.kind {
        Kind::Bool => match parse_bool(value) {
            Some(b) => Ok(b.to_string()),
            None => Err(invalid(format!("strconv.ParseBool: parsing {}: invalid syntax", go_quote(value)))),
        },
        Kind::Int => {
            let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                Err(invalid(format!("strconv.ParseInt: parsing {}: invalid syntax", go_quote(value))))
            } else if value.parse::<i64>().is_err() {
                Err(invalid(format!("strconv.ParseInt: parsing {}: value out of range", go_quote(value))))
            } else {
                Ok(value.to_string())
            }
        }
        Kind::Duration => match super::create::go_duration_nanos(value) {
            Ok(_) => Ok(value.to_string()),
            Err(e) => Err(invalid(e)),
        },
        Kind::Map => {
            if value.split(',').any(|pair| !pair.is_empty() && !pair.contains('=')) {
                Err(invalid("malformed pair, expect string=string".to_string()))
            } else {
                Ok(value.to_string())
            }
        }
        Kind::Str | Kind::Array => Ok(value.to_string()),
    }
}

/// Parses `kubectl ARGS…` as cobra and pflag do: finds the command, then
/// reads flags (the command's and the global ones) anywhere on the line
/// until `--`.
pub(crate) fn parse(args: &[String]) -> Result<Parsed, ParseError> {
    let (path, unknown) = command_path(args);
    if let Some(typed) = unknown {
        if let Some(flag) = args.first().filter(|a| a.starts_with('-')) {
            return Err(ParseError::FlagBeforePlugin(flag.clone()));
        }
        return Err(ParseError::UnknownCommand(typed));
    }
    if NOT_HERE.contains(&path.as_str()) {
        return Ok(Parsed { path, ..Parsed::default() });
    }
    let mut parsed = Parsed { path: path.clone(), ..Parsed::default() };
    let flag_error = |message: String| ParseError::Flag { message, path: path.clone() };
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            parsed.before_dash = Some(words.len().saturating_sub(usize::from(!path.is_empty())));
            words.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
                return Err(flag_error(format!("bad flag syntax: {arg}")));
            }
            let Some(flag) = find_flag(&path, |f| f.long == name) else {
                return Err(flag_error(format!("unknown flag: --{name}")));
            };
            let value = match inline {
                Some(v) => v,
                None if flag.kind == Kind::Bool => "true".to_string(),
                None => match flag.no_opt {
                    Some(v) => v.to_string(),
                    None => {
                        let v =
                            args.get(i).cloned().ok_or_else(|| flag_error(format!("flag needs an argument: {arg}")))?;
                        i += 1;
                        v
                    }
                },
            };
            let value = check_value(&flag, &value).map_err(flag_error)?;
            if flag.long == "help" {
                parsed.help = value == "true";
                continue;
            }
            parsed.flags.push((name.to_string(), value));
            continue;
        }
        let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) else {
            words.push(arg.clone());
            continue;
        };
        let mut chars = shorts.chars();
        while let Some(c) = chars.next() {
            let rest = chars.as_str();
            let Some(flag) = find_flag(&path, |f| f.short == Some(c)) else {
                return Err(flag_error(format!("unknown shorthand flag: '{c}' in {arg}")));
            };
            let value = if let Some(v) = rest.strip_prefix('=') {
                let v = v.to_string();
                chars = "".chars();
                v
            } else if flag.kind == Kind::Bool {
                "true".to_string()
            } else if let Some(v) = flag.no_opt {
                v.to_string()
            } else if !rest.is_empty() {
                let v = rest.to_string();
                chars = "".chars();
                v
            } else {
                let v = args
                    .get(i)
                    .cloned()
                    .ok_or_else(|| flag_error(format!("flag needs an argument: '{c}' in {arg}")))?;
                i += 1;
                v
            };
            let value = check_value(&flag, &value).map_err(flag_error)?;
            if flag.long == "help" {
                parsed.help = value == "true";
                continue;
            }
            parsed.flags.push((c.to_string(), value));
        }
    }
    // Drop the top-level command word; the subcommand word stays.
    if !path.is_empty() {
        if let Some(top) = path.split(' ').next() {
            if let Some(at) = words.iter().position(|w| w == top) {
                words.remove(at);
            }
        }
    }
    parsed.positional = words;
    Ok(parsed)
}

/// A kubectl command line as [`read_args`] reads it: what the learner
/// asked kubectl for, whether or not kubectl would have run it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubectlArgs {
    /// The command path as cobra names it, without `kubectl`: `get`,
    /// `create serviceaccount` (aliases resolved: `create sa`),
    /// `auth can-i`, `create secret generic`; `""` for the root, which a
    /// first word that is no kubectl command (`kubectl frob`) leaves.
    pub command: String,
    /// The words before `--` that are neither flags nor flag values, as
    /// typed and in order: the words naming the command (`create`, `sa`),
    /// then its arguments (see [`KubectlArgs::args`]).
    pub positional: Vec<String>,
    /// The flags in the order given, by long name without dashes (`-n` is
    /// `namespace`), each with its value; a repeated flag once per time
    /// given. A switch given alone is `true`.
    pub flags: Vec<(String, String)>,
    /// The words after `--`, when `--` was given.
    pub after_dash: Option<Vec<String>>,
}

impl KubectlArgs {
    /// The command's arguments: the positional words without those that
    /// name the command (for each word of the path, the first word that
    /// names it, by its name or an alias). On a line kubectl reads, those
    /// are the first positional words.
    pub fn args(&self) -> Vec<&str> {
        let mut path = self.command.split(' ').filter(|w| !w.is_empty());
        let mut parent = "";
        let mut wanted = path.next();
        let mut args = Vec::new();
        for word in &self.positional {
            match wanted {
                Some(name) if names_command(parent, name, word) => {
                    parent = name;
                    wanted = path.next();
                }
                _ => args.push(word.as_str()),
            }
        }
        args
    }

    /// The last value given for the flag `long`.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(name, _)| name == long).map(|(_, value)| value.as_str())
    }

    /// Every value given for the flag `long`, in order (`--as-group`,
    /// `--from-literal`).
    pub fn values<'a>(&'a self, long: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.flags.iter().filter(move |(name, _)| name == long).map(|(_, value)| value.as_str())
    }

    /// Whether the flag `long` is on: given, with a value that is not one
    /// of Go's false booleans (`false`, `0`, `f`, …).
    pub fn is_set(&self, long: &str) -> bool {
        self.value(long).is_some_and(|value| parse_bool(value) != Some(false))
    }

    fn push_flag(&mut self, typed: &str, flag: Option<Flag>, value: String) {
        match flag {
            Some(flag) => {
                let value = check_value(&flag, &value).unwrap_or(value);
                self.flags.push((flag.long.to_string(), value));
            }
            None => self.flags.push((typed.to_string(), value)),
        }
    }
}

/// Whether `word` names `name`, a word of a command path under `parent`:
/// `name` itself or one of its aliases (`sa` for `serviceaccount`).
fn names_command(parent: &str, name: &str, word: &str) -> bool {
    word == name || SUBCOMMANDS.iter().any(|(p, sub, aliases)| *p == parent && *sub == name && aliases.contains(&word))
}

/// The flag a lenient reading takes a flag word for: the command's or a
/// global one, else the flag most kubectl commands have under that name or
/// letter (the first in `FLAGS` on a tie).
fn lenient_flag(path: &str, matches: impl Fn(&Flag) -> bool) -> Option<Flag> {
    if let Some(flag) = find_flag(path, &matches) {
        return Some(flag);
    }
    let mut counted: Vec<(Flag, usize)> = Vec::new();
    for flag in FLAGS.iter().flat_map(|(_, flags)| flags.iter()).filter(|f| matches(f)) {
        let same = |seen: &Flag| seen.long == flag.long && seen.kind == flag.kind && seen.no_opt == flag.no_opt;
        match counted.iter_mut().find(|(seen, _)| same(seen)) {
            Some((_, count)) => *count += 1,
            None => counted.push((*flag, 1)),
        }
    }
    // `max_by_key` keeps the last of equals: reversed, that is the first.
    counted.into_iter().rev().max_by_key(|(_, count)| *count).map(|(flag, _)| flag)
}

/// The value of a known flag given without `=`: `true` for a switch, the
/// flag's own for one with an optional value (`--dry-run`), else the next
/// word whatever it is, as pflag takes it (none at the end of the line:
/// empty).
fn known_value(flag: &Flag, args: &[String], next: &mut usize) -> String {
    if flag.kind == Kind::Bool {
        return "true".to_string();
    }
    if let Some(value) = flag.no_opt {
        return value.to_string();
    }
    match args.get(*next) {
        Some(word) => {
            *next += 1;
            word.clone()
        }
        None => String::new(),
    }
}

/// The value of a flag no kubectl command has, given without `=`: the
/// next word unless it looks like a flag, as pflag skips unknown flags
/// (`ParseErrorsWhitelist.UnknownFlags`); else it is a switch.
fn unknown_value(args: &[String], next: &mut usize) -> String {
    match args.get(*next) {
        Some(word) if !word.starts_with('-') => {
            *next += 1;
            word.clone()
        }
        _ => "true".to_string(),
    }
}

/// Reads `kubectl ARGS…` (without the `kubectl` word) leniently, to
/// recognise what a learner ran: it never fails and never panics.
///
/// The command path is found as the strict `parse` finds it, and every
/// flag the command or the global options have is read as `parse` reads
/// it, from the same `FLAGS` table: `--flag=value`, `--flag value`,
/// `-n value`, `-nvalue`, `-n=value`, `-it`, switches alone, a flag's
/// optional value (`--dry-run` is `unchanged`), booleans written
/// `true`/`false`. Where kubectl would refuse the line, this reads on:
///
/// - a flag the command lacks that other kubectl commands have
///   (`kubectl get pods -it`) is read as most of them define it (`-i` is
///   `--stdin` for `exec` and `run`, `--interactive` only for `delete`);
/// - a flag no kubectl command has is kept under the name typed (the
///   letter for `-x`); it takes the next word as its value unless that
///   word starts with `-` or there is none (then it is a switch, `true`),
///   as pflag does when told to skip unknown flags; an unknown letter
///   followed by more letters (`-xA`) is a switch;
/// - a value kubectl would refuse (`--all-namespaces=2`,
///   `--duration=soon`) is kept as written;
/// - a flag that needs a value and ends the line has the empty one;
/// - a word pflag cannot read as a flag (`--=x`, `---x`) is left out;
/// - the words naming an unknown command are positional, the command the
///   root (`""`).
pub fn read_args(args: &[String]) -> KubectlArgs {
    let (command, _unknown) = command_path(args);
    let mut read = KubectlArgs { command, ..KubectlArgs::default() };
    let mut next = 0;
    while let Some(arg) = args.get(next) {
        next += 1;
        if arg == "--" {
            read.after_dash = Some(args.get(next..).unwrap_or_default().to_vec());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (long, None),
            };
            if name.is_empty() || name.starts_with('-') {
                continue;
            }
            let flag = lenient_flag(&read.command, |f| f.long == name);
            let value = match (inline, &flag) {
                (Some(value), _) => value.to_string(),
                (None, Some(flag)) => known_value(flag, args, &mut next),
                (None, None) => unknown_value(args, &mut next),
            };
            read.push_flag(name, flag, value);
            continue;
        }
        let Some(letters) = arg.strip_prefix('-').filter(|s| !s.is_empty()) else {
            read.positional.push(arg.clone());
            continue;
        };
        let mut chars = letters.chars();
        while let Some(letter) = chars.next() {
            let rest = chars.as_str();
            let flag = lenient_flag(&read.command, |f| f.short == Some(letter));
            // (value, whether it took the rest of the word)
            let (value, took_rest) = match (rest.strip_prefix('='), &flag) {
                (Some(value), _) => (value.to_string(), true),
                (None, Some(flag)) if rest.is_empty() || !takes_value(flag) => {
                    (known_value(flag, args, &mut next), false)
                }
                (None, Some(_)) => (rest.to_string(), true),
                (None, None) if rest.is_empty() => (unknown_value(args, &mut next), false),
                (None, None) => ("true".to_string(), false),
            };
            read.push_flag(&letter.to_string(), flag, value);
            if took_rest {
                break;
            }
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    /// Every command in NOT_HERE is one the parser finds as a path (its
    /// subcommand word listed in SUBCOMMANDS), so its flags are skipped.
    #[test]
    fn every_command_not_here_is_found_as_a_path() {
        for path in NOT_HERE {
            assert_eq!(command_path(&words(&format!("{path} NAME --flag"))), (path.to_string(), None), "{path}");
        }
    }

    fn error(line: &str) -> String {
        match parse(&words(line)) {
            Ok(p) => format!("ok: {p:?}"),
            Err(e) => e.render(),
        }
    }

    #[test]
    fn distance_is_levenshtein_ignoring_case() {
        let cases = [
            ("", "", 0),
            ("", "get", 3),
            ("get", "get", 0),
            ("GET", "get", 0),
            ("gte", "get", 2),
            ("lable", "label", 2),
            ("kitten", "sitting", 3),
            ("rm", "run", 2),
            ("ünï", "uni", 2),
        ];
        for (a, b, d) in cases {
            assert_eq!(distance(a, b), d, "{a} → {b}");
            assert_eq!(distance(b, a), d, "{b} → {a}");
        }
    }

    #[test]
    fn suggestions_follow_cobra() {
        assert_eq!(suggestions("gte"), ["get"]);
        assert_eq!(suggestions("ge"), ["set", "get", "cp"]);
        assert_eq!(suggestions("rm"), ["run", "delete", "cp"]);
        assert_eq!(suggestions("list"), ["get", "wait"]);
        assert_eq!(suggestions("api"), ["cp", "api-versions", "api-resources"]);
        assert_eq!(suggestions("vesion"), ["version"]);
        assert!(suggestions("xyzzy").is_empty());
        assert!(suggestions(&"x".repeat(10_000)).is_empty());
        // Every command is its own suggestion, and the empty word is a
        // prefix of all of them.
        assert_eq!(suggestions("").len(), COMMANDS.len());
    }

    #[test]
    fn flag_errors_are_worded_as_pflag_words_them() {
        let cases = [
            ("get sa --x", "error: unknown flag: --x\nSee 'kubectl get --help' for usage.\n"),
            ("get sa -z", "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n"),
            ("get sa -Az", "error: unknown shorthand flag: 'z' in -Az\nSee 'kubectl get --help' for usage.\n"),
            ("get sa -n", "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"),
            ("get sa --namespace", "error: flag needs an argument: --namespace\nSee 'kubectl get --help' for usage.\n"),
            ("create sa x --verb=get", "error: unknown flag: --verb\nSee 'kubectl create serviceaccount --help' for usage.\n"),
            ("get --=x", "error: bad flag syntax: --=x\nSee 'kubectl get --help' for usage.\n"),
            ("options -x", "error: unknown shorthand flag: 'x' in -x\nRun 'kubectl options' without flags.\n"),
            ("-x", "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl --help' for usage.\n"),
            ("foo", "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n"),
            ("frob", "error: unknown command \"frob\" for \"kubectl\"\n"),
            ("--v=1 frob", "Error: flags cannot be placed before plugin name: --v=1\n"),
            (
                "get --all-namespaces=2",
                "error: invalid argument \"2\" for \"-A, --all-namespaces\" flag: strconv.ParseBool: parsing \"2\": invalid syntax\nSee 'kubectl get --help' for usage.\n",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(error(line), expected, "{line}");
        }
    }

    #[test]
    fn flags_are_found_anywhere_until_the_double_dash() {
        let Ok(p) = parse(&words("-n ns exec -c app pod -- cat -n /x")) else { panic!("parse") };
        assert_eq!(p.path, "exec");
        assert_eq!(p.positional, ["pod", "cat", "-n", "/x"]);
        assert_eq!(p.flags, [("n".to_string(), "ns".to_string()), ("c".to_string(), "app".to_string())]);
        let Ok(p) = parse(&words("create sa robot -oyaml --dry-run")) else { panic!("parse") };
        assert_eq!(p.path, "create serviceaccount");
        assert_eq!(p.positional, ["sa", "robot"]);
        assert_eq!(p.flags, [("o".to_string(), "yaml".to_string()), ("dry-run".to_string(), "unchanged".to_string())]);
        let Ok(p) = parse(&words("get -Ao=name sa")) else { panic!("parse") };
        assert_eq!(p.flags, [("A".to_string(), "true".to_string()), ("o".to_string(), "name".to_string())]);
        let Ok(p) = parse(&words("label sa x -h")) else { panic!("parse") };
        assert!(p.help);
        let Ok(p) = parse(&[]) else { panic!("parse") };
        assert_eq!(p.path, "");
        let Ok(p) = parse(&words("get sa -")) else { panic!("parse") };
        assert_eq!(p.positional, ["sa", "-"]);
    }

    #[test]
    fn integers_are_checked() {
        assert!(error("delete sa x --grace-period=-1").starts_with("ok"));
        assert!(error("delete sa x --grace-period=+1").starts_with("ok"));
        assert!(error("delete sa x --grace-period=").contains("invalid syntax"));
        assert!(error("delete sa x --grace-period=9223372036854775808").contains("value out of range"));
    }

    /// `COMMAND | POSITIONAL | ARGS | FLAG=VALUE… [-- AFTER]`.
    fn read(line: &str) -> String {
        let read = read_args(&words(line));
        let flags: Vec<String> = read.flags.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let mut text = format!(
            "{} | {} | {} | {}",
            read.command,
            read.positional.join(" "),
            read.args().join(" "),
            flags.join(" ")
        );
        if let Some(after) = &read.after_dash {
            text.push_str(&format!(" -- {}", after.join(" ")));
        }
        text
    }

    #[test]
    fn read_args_reads_flags_by_long_name_in_every_form() {
        let cases = [
            (
                "get -A -o wide sa --sort-by .metadata.name -nkube-system",
                "get | get sa | sa | all-namespaces=true output=wide sort-by=.metadata.name namespace=kube-system",
            ),
            ("--all-namespaces=false get sa -o=yaml", "get | get sa | sa | all-namespaces=false output=yaml"),
            ("get sa -A=1 --show-labels=F", "get | get sa | sa | all-namespaces=true show-labels=false"),
            ("get -Ao=name sa", "get | get sa | sa | all-namespaces=true output=name"),
            ("get sa -oyaml -l app=web", "get | get sa | sa | output=yaml selector=app=web"),
            ("--namespace team get sa -h", "get | get sa | sa | namespace=team help=true"),
            (
                "-n ns exec -it pod -c app -- cat -n /x",
                "exec | exec pod | pod | namespace=ns stdin=true tty=true container=app -- cat -n /x",
            ),
            ("exec pod --", "exec | exec pod | pod |  -- "),
            ("exec pod ls /", "exec | exec pod ls / | pod ls / | "),
            ("apply -f -", "apply | apply |  | filename=-"),
            ("get sa -", "get | get sa - | sa - | "),
            ("get -n -- sa", "get | get sa | sa | namespace=--"),
            ("", " |  |  | "),
        ];
        for (line, expected) in cases {
            assert_eq!(read(line), expected, "{line}");
        }
    }

    #[test]
    fn read_args_finds_multi_word_commands() {
        let cases = [
            (
                "create token robot --duration 1h --audience=api --audience vault",
                "create token | create token robot | robot | duration=1h audience=api audience=vault",
            ),
            (
                "create sa robot -oyaml --dry-run",
                "create serviceaccount | create sa robot | robot | output=yaml dry-run=unchanged",
            ),
            (
                "-n team create --dry-run=client ns x",
                "create namespace | create ns x | x | namespace=team dry-run=client",
            ),
            (
                "create secret generic db --from-literal=a=b --from-literal c=d",
                "create secret generic | create secret generic db | db | from-literal=a=b from-literal=c=d",
            ),
            (
                "auth can-i --list --as system:serviceaccount:default:app",
                "auth can-i | auth can-i |  | list=true as=system:serviceaccount:default:app",
            ),
            (
                "auth can-i list pods -n kube-system",
                "auth can-i | auth can-i list pods | list pods | namespace=kube-system",
            ),
            ("auth whoami -o json", "auth whoami | auth whoami |  | output=json"),
            // `--raw` is a switch for `config view`, a value for `get`.
            ("config view --raw --minify", "config view | config view |  | raw=true minify=true"),
            ("get --raw /api", "get | get |  | raw=/api"),
            (
                "config set-context --current --namespace=team",
                "config set-context | config set-context |  | current=true namespace=team",
            ),
            ("config use dev", "config use-context | config use dev | dev | "),
            (
                "rollout status deploy/web -w --timeout=1m",
                "rollout status | rollout status deploy/web | deploy/web | watch=true timeout=1m",
            ),
            (
                "rollout undo deploy/web --to-revision 2",
                "rollout undo | rollout undo deploy/web | deploy/web | to-revision=2",
            ),
            ("set sa deploy/web robot", "set serviceaccount | set sa deploy/web robot | deploy/web robot | "),
            (
                "create svc nodeport web --tcp 80:8080 --node-port=30080",
                "create service nodeport | create svc nodeport web | web | tcp=80:8080 node-port=30080",
            ),
            (
                "expose deploy web --port 80 -l tier=web --type=NodePort",
                "expose | expose deploy web | deploy web | port=80 labels=tier=web type=NodePort",
            ),
            // A command kubectl does not have here: its flags still read.
            ("logs web -c app", "logs | logs web | web | container=app"),
            ("create frob x", "create | create frob x | frob x | "),
        ];
        for (line, expected) in cases {
            assert_eq!(read(line), expected, "{line}");
        }
    }

    #[test]
    fn read_args_reads_on_where_kubectl_would_refuse() {
        let cases = [
            // Flags of other commands, as most commands define them.
            ("get pods -it", "get | get pods | pods | stdin=true tty=true"),
            ("get sa --duration 1h x", "get | get sa x | sa x | duration=1h"),
            ("delete pod web -i", "delete | delete pod web | pod web | interactive=true"),
            // Flags no command has: the next word unless it is a flag.
            ("get sa --frob x", "get | get sa | sa | frob=x"),
            ("get sa --frob -A", "get | get sa | sa | frob=true all-namespaces=true"),
            ("get sa --frob", "get | get sa | sa | frob=true"),
            ("get sa --frob=", "get | get sa | sa | frob="),
            ("get -x sa", "get | get |  | x=sa"),
            ("get -x=1 sa", "get | get sa | sa | x=1"),
            ("get -xA sa", "get | get sa | sa | x=true all-namespaces=true"),
            ("get -ü sa", "get | get |  | ü=sa"),
            // Values kubectl refuses are kept as written.
            ("get sa --all-namespaces=2", "get | get sa | sa | all-namespaces=2"),
            ("create token x --duration soon", "create token | create token x | x | duration=soon"),
            ("delete sa x --grace-period=", "delete | delete sa x | sa x | grace-period="),
            // A value missing at the end of the line is empty.
            ("get sa -n", "get | get sa | sa | namespace="),
            ("exec -n", "exec | exec |  | namespace="),
            ("get sa --output", "get | get sa | sa | output="),
            // Words pflag cannot read as flags are left out.
            ("get --=x sa ---y", "get | get sa | sa | "),
            // Unknown commands leave the root.
            ("frob a -n x", " | frob a | frob a | namespace=x"),
            ("--v=1 frob", " | frob | frob | v=1"),
            // The command's words are left out of its arguments wherever
            // they are (the flag took `token` for `create`, not for
            // `create serviceaccount`).
            ("create --list token sa", "create serviceaccount | create token sa | token | list=true"),
            ("create sa sa", "create serviceaccount | create sa sa | sa | "),
        ];
        for (line, expected) in cases {
            assert_eq!(read(line), expected, "{line}");
        }
    }

    #[test]
    fn read_args_agrees_with_parse_where_kubectl_reads_the_line() {
        let lines = [
            "get -A -o wide sa --sort-by .metadata.name -nkube-system",
            "-n ns exec -it pod -c app -- cat -n /x",
            "create token robot --duration=1h --audience api -n team",
            "create sa robot -oyaml --dry-run",
            "auth can-i --list --as=system:serviceaccount:default:app -n default",
            "config view --raw --minify -o jsonpath={.users}",
            "rollout status deploy/web -w --timeout 1m",
            "delete pod web --grace-period=0 --force",
            "run web --image=nginx --restart Never -l app=web --env=A=1",
            "get sa -A=0 --show-labels=True",
        ];
        for line in lines {
            let Ok(parsed) = parse(&words(line)) else { panic!("{line} parses") };
            let read = read_args(&words(line));
            assert_eq!(read.command, parsed.path, "{line}");
            let long: Vec<(String, String)> = parsed
                .flags
                .iter()
                .map(|(name, value)| {
                    let flag =
                        find_flag(&parsed.path, |f| f.long == name || f.short.is_some_and(|c| c.to_string() == *name));
                    (flag.map_or(name.clone(), |f| f.long.to_string()), value.clone())
                })
                .collect();
            assert_eq!(read.flags, long, "{line}");
            let mut args: Vec<&str> = read.args();
            args.extend(read.after_dash.iter().flatten().map(String::as_str));
            let expected: Vec<&str> = parsed.positional.iter().map(String::as_str).collect();
            // `parse` keeps the subcommand's word.
            let subcommand = parsed.path.split(' ').nth(1).is_some();
            assert_eq!(args, expected.get(usize::from(subcommand)..).unwrap_or_default(), "{line}");
        }
    }

    #[test]
    fn read_args_never_panics() {
        let odd = [
            "-",
            "--",
            "---",
            "-=",
            "--=",
            "-n=",
            "-=x",
            "---=",
            "-ñ",
            "-🦀x",
            "--🦀",
            "--🦀=",
            "-n🦀",
            "create secret",
            "create secret -n",
            "create secret generic --from-literal",
            "config",
            "auth",
            "rollout --",
            "-- --",
            "exec -- -it",
        ];
        for line in odd {
            let read = read_args(&words(line));
            let _ = (read.args(), read.is_set("namespace"), read.value("n"));
        }
        let mut line = Vec::new();
        for word in ["-n", "--", "create", "-x", "--as", "=", "-", "sa", "token", "--dry-run"] {
            line.push(word.to_string());
            for end in 0..line.len() {
                let read = read_args(line.get(end..).unwrap_or_default());
                let _ = read.args();
            }
        }
    }
}
