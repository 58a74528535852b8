//! kubectl's command line as cobra and pflag read it: the command tree,
//! the flags each command accepts, flag parsing with pflag's error wording,
//! and cobra's "Did you mean this?" suggestions for unknown commands.
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
    ("help", &[]),
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
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "replicas", short: None, kind: Kind::Int, default: "0", no_opt: None },
            Flag { long: "resource-version", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "timeout", short: None, kind: Kind::Duration, default: "0s", no_opt: None },
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
    (
        "rollout restart",
        &[
            Flag { long: "allow-missing-template-keys", short: None, kind: Kind::Bool, default: "true", no_opt: None },
            Flag { long: "field-manager", short: None, kind: Kind::Str, default: "'kubectl-rollout'", no_opt: None },
            Flag { long: "filename", short: Some('f'), kind: Kind::Array, default: "[]", no_opt: None },
            Flag { long: "kustomize", short: Some('k'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "output", short: Some('o'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "recursive", short: Some('R'), kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "selector", short: Some('l'), kind: Kind::Str, default: "''", no_opt: None },
            Flag { long: "show-managed-fields", short: None, kind: Kind::Bool, default: "false", no_opt: None },
            Flag { long: "template", short: None, kind: Kind::Str, default: "''", no_opt: None },
        ],
    ),
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
    "expose",
    "edit",
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
    "events",
    "diff",
    "replace",
    "wait",
    "kustomize",
    "completion",
    "plugin",
    "create cronjob",
    "create ingress",
    "create job",
    "create poddisruptionbudget",
    "create priorityclass",
    "create quota",
    "create service",
    "create secret tls",
    "create secret docker-registry",
    "set env",
    "set resources",
    "set selector",
    "rollout pause",
    "rollout resume",
    "auth reconcile",
    "apply edit-last-applied",
    "apply set-last-applied",
    "apply view-last-applied",
    "config delete-cluster",
    "config delete-context",
    "config delete-user",
    "config get-clusters",
    "config get-users",
    "config rename-context",
    "config set",
    "config set-cluster",
    "config set-credentials",
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
    ("rollout", "pause", &[]),
    ("rollout", "resume", &[]),
    ("set", "env", &[]),
    ("set", "resources", &[]),
    ("set", "selector", &[]),
    ("set", "subject", &[]),
    ("auth", "reconcile", &[]),
    ("apply", "edit-last-applied", &[]),
    ("apply", "set-last-applied", &[]),
    ("apply", "view-last-applied", &[]),
    ("config", "delete-cluster", &[]),
    ("config", "delete-context", &[]),
    ("config", "delete-user", &[]),
    ("config", "get-clusters", &[]),
    ("config", "get-users", &[]),
    ("config", "rename-context", &[]),
    ("config", "set", &[]),
    ("config", "set-cluster", &[]),
    ("config", "set-credentials", &[]),
    ("config", "unset", &[]),
    ("rollout", "history", &[]),
    ("rollout", "restart", &[]),
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
                    if path == "create secret" {
                        // `create secret generic|tls|docker-registry`.
                        let third = args[i..].iter().find(|a| !a.starts_with('-'));
                        if let Some(kind) =
                            third.filter(|k| ["generic", "tls", "docker-registry"].contains(&k.as_str()))
                        {
                            path = format!("create secret {kind}");
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
}
