//! Goal checks: data in the exercise file, evaluated here over the live
//! cluster and the shell's history.
//!
//! Evaluation only reads: it takes `&Shell` and `&Cluster`, calls the
//! cluster's `&self` inspectors (`authenticate`, `access_check`,
//! `mounted_tokens`, the store, the audit log and the timeline), so no
//! audit entry is written and nothing changes. Every check answers with
//! whether it is met and one sentence saying what it saw.

use regex_lite::Regex;
use saplay_cluster::audit::{AuditEvent, Decision};
use saplay_cluster::authn::UserInfo;
use saplay_cluster::rbac::Attributes;
use saplay_cluster::store::Key;
use saplay_cluster::timeline::TimelineKind;
use saplay_cluster::{Cluster, Credential};
use saplay_shell::kubectl::jsonpath::JsonPath;
use saplay_shell::kubectl::{read_args, KubectlArgs};
use saplay_shell::Shell;
use serde::Deserialize;
use serde_json::Value;

use crate::commands::{commands_run, resolve, within, Place, Ran};

/// A check, as written in the exercise file (one key naming its kind).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// An object exists (or not), optionally with a field value.
    Object(ObjectCheck),
    /// What `kubectl auth can-i` would answer for a subject.
    CanI(CanICheck),
    /// A pod mounts (or does not mount) a service-account token.
    MountsToken(MountsTokenCheck),
    /// A token was issued (TokenRequest) for a service account, with a
    /// lifetime in a range.
    TokenIssued(TokenIssuedCheck),
    /// The kubelet replaced a pod's mounted token (rotation).
    TokenRotated(TokenRotatedCheck),
    /// The audit log holds a request made with a token, with an outcome.
    Request(RequestCheck),
    /// A token, used now, would be allowed or refused a request.
    TokenWorks(TokenWorksCheck),
    /// The best-practice checker has no finding of a kind.
    NoFinding(NoFindingCheck),
    /// The learner ran a command line matching a pattern.
    Ran(RanCheck),
    /// The learner ran a kubectl command, read as kubectl reads it (flags
    /// anywhere, `TYPE/NAME`, any name of the resource).
    Kubectl(KubectlCheck),
    /// The learner ran a command inside a pod: through `kubectl exec`, or
    /// in the pod's shell after `kubectl exec -it POD -- sh`.
    RanInPod(RanInPodCheck),
    /// Every check holds.
    All(Vec<Check>),
    /// At least one check holds.
    Any(Vec<Check>),
    /// The check does not hold.
    Not(Box<Check>),
}

/// `object`: `kind` is any name kubectl takes (`sa`, `pods`,
/// `ServiceAccount`, `deployments.apps`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ObjectCheck {
    /// The resource.
    pub kind: String,
    /// The object's name.
    pub name: String,
    /// Its namespace (namespaced kinds; default `default`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// A kubectl JSONPath into the object (`{.spec.serviceAccountName}` or
    /// `.spec.serviceAccountName`).
    #[serde(default)]
    pub field: Option<String>,
    /// The field's text must equal this.
    #[serde(default)]
    pub equals: Option<String>,
    /// The field's text must match this regular expression.
    #[serde(default)]
    pub matches: Option<String>,
    /// `false`: the object (or, with `field`, the field) must be absent.
    #[serde(default = "yes")]
    pub exists: bool,
}

fn yes() -> bool {
    true
}

/// `can-i`: as `kubectl auth can-i VERB RESOURCE --as USER`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CanICheck {
    /// The user: `system:serviceaccount:NS:NAME` or any user name.
    #[serde(rename = "as")]
    pub user: String,
    /// Extra groups (`--as-group`).
    #[serde(default)]
    pub groups: Vec<String>,
    /// The verb.
    pub verb: String,
    /// `pods`, `pods/exec`, `deployments.apps`; absent with `path`.
    #[serde(default)]
    pub resource: Option<String>,
    /// A non-resource URL such as `/metrics`.
    #[serde(default)]
    pub path: Option<String>,
    /// The namespace (default `default`; `""` for cluster scope).
    #[serde(default)]
    pub namespace: Option<String>,
    /// An object name.
    #[serde(default)]
    pub name: Option<String>,
    /// The expected answer.
    pub expect: bool,
}

/// `mounts-token`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MountsTokenCheck {
    /// `NAMESPACE/NAME` or `NAME` (in `default`).
    pub pod: String,
    /// Whether it must mount one (default) or must not.
    #[serde(default = "yes")]
    pub expect: bool,
}

/// `token-issued`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TokenIssuedCheck {
    /// `NAMESPACE/NAME` or `NAME`.
    pub service_account: String,
    /// Shortest accepted lifetime (`10m`, `1h`, `2d`, `3600`).
    #[serde(default)]
    pub min: Option<String>,
    /// Longest accepted lifetime.
    #[serde(default)]
    pub max: Option<String>,
}

/// `token-rotated`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TokenRotatedCheck {
    /// `NAMESPACE/NAME` or `NAME`.
    pub pod: String,
}

/// Which token a request or verdict is about.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum TokenRef {
    /// Any token of this service account (`NS/NAME`).
    ServiceAccount(String),
    /// The tokens the kubelet wrote into this pod (`NS/NAME`).
    Pod(String),
    /// The legacy token in this Secret (`NS/NAME`).
    Secret(String),
    /// The token held in this shell variable (`TOKEN`).
    Variable(String),
    /// The token in this file on the workstation (`/root/token`).
    File(String),
}

/// The outcome of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Authenticated and authorized.
    Allowed,
    /// Authenticated, refused by RBAC (403).
    Forbidden,
    /// Not authenticated (401).
    Unauthenticated,
    /// Either 403 or 401.
    Refused,
}

/// `request`: an audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RequestCheck {
    /// The token.
    pub token: TokenRef,
    /// The verb (`list`, `get`, `create`…).
    #[serde(default)]
    pub verb: Option<String>,
    /// The resource (`secrets`, `pods/exec`).
    #[serde(default)]
    pub resource: Option<String>,
    /// The namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The object's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Only requests made at least this long after the cluster started
    /// (`90d`): "still works months later".
    #[serde(default)]
    pub after: Option<String>,
    /// The outcome looked for.
    pub outcome: Outcome,
}

/// `token-works`: the token, presented now.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TokenWorksCheck {
    /// The token (not `service-account`: it needs the token's text).
    pub token: TokenRef,
    /// The verb.
    pub verb: String,
    /// The resource.
    #[serde(default)]
    pub resource: Option<String>,
    /// A non-resource URL.
    #[serde(default)]
    pub path: Option<String>,
    /// The namespace (default `default`; `""` for cluster scope).
    #[serde(default)]
    pub namespace: Option<String>,
    /// An object name.
    #[serde(default)]
    pub name: Option<String>,
    /// `allowed`, `forbidden`, `unauthenticated` or `refused`.
    pub expect: Outcome,
}

/// `no-finding`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NoFindingCheck {
    /// The checker's check name (see docs/EXERCISES.md).
    pub check: String,
    /// Only findings on this object (`pod default/web`).
    #[serde(default)]
    pub object: Option<String>,
}

/// `ran`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RanCheck {
    /// A regular expression (Rust `regex` syntax) searched in each line.
    pub pattern: String,
    /// Only lines run after a line matching this regular expression.
    #[serde(default)]
    pub after: Option<String>,
    /// A command line that would do, shown to the learner while the goal
    /// is unmet (instead of the pattern).
    #[serde(default)]
    pub example: Option<String>,
}

/// `kubectl`: a kubectl command the learner ran, read with the shell's
/// own flag tables (`saplay_shell::kubectl::read_args`). A command counts
/// as it was typed even if kubectl refused it (an unknown flag, a value it
/// rejects) or the API server did: the goal is what the learner asked
/// for; a check on the cluster says whether it worked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct KubectlCheck {
    /// The command's words: `get`, `describe`, `auth can-i`, `create token`.
    pub command: String,
    /// The resource the command names, by any name kubectl takes (`sa`,
    /// `serviceaccount`, `ServiceAccount`): as `TYPE`, `TYPE/NAME` or in a
    /// `TYPE,TYPE` list.
    #[serde(default)]
    pub resource: Option<String>,
    /// An object the command names (or it names none: all of them).
    #[serde(default)]
    pub name: Option<String>,
    /// The namespace it ran in (`-n`, else the kubeconfig's, else
    /// `default`; `--all-namespaces` is every one).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Flags, by long name without dashes, that must be on
    /// (`all-namespaces` is met by `-A` too).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Flags, by long name, whose value must match a regular expression
    /// (`as: '^system:serviceaccount:'`).
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, String>,
    /// A command line that would do, shown to the learner while the goal
    /// is unmet (default: one made from the fields).
    #[serde(default)]
    pub example: Option<String>,
}

/// `ran-in-pod`: a command run inside a pod's container.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RanInPodCheck {
    /// `NAMESPACE/NAME` or `NAME` (in `default`).
    pub pod: String,
    /// A file or directory the command must look at: an argument naming
    /// it or something inside it (relative names from the working
    /// directory), or `ls` run in it.
    #[serde(default)]
    pub path: Option<String>,
    /// A command line that would do, shown to the learner while the goal
    /// is unmet.
    #[serde(default)]
    pub example: Option<String>,
}

/// What the checks look at.
pub struct Context<'a> {
    /// The shell.
    pub shell: &'a Shell,
    /// The lines the learner ran after the setup.
    pub history: &'a [String],
    /// The commands of `history`, read once.
    commands: std::cell::OnceCell<Vec<Ran>>,
}

impl<'a> Context<'a> {
    /// The context of `shell`, whose history holds the `setup` lines
    /// somewhere: only what was entered after their last run counts (a
    /// shell with no trace of the setup counts all of it).
    pub fn new(shell: &'a Shell, setup: &[String]) -> Self {
        let all = shell.session().history.as_slice();
        let start = if setup.is_empty() {
            0
        } else {
            all.windows(setup.len()).rposition(|w| w == setup).map_or(0, |i| i + setup.len())
        };
        Self { shell, history: all.get(start..).unwrap_or_default(), commands: std::cell::OnceCell::new() }
    }

    /// The simple commands of the history, with where each ran.
    fn commands(&self) -> &[Ran] {
        self.commands.get_or_init(|| {
            let session = self.shell.session();
            let namespace = session.kubeconfig.namespace().unwrap_or("default");
            commands_run(self.history, &session.vars, namespace)
        })
    }

    fn cluster(&self) -> &'a Cluster {
        self.shell.cluster()
    }
}

/// `NS/NAME` or `NAME` (in `default`).
pub(crate) fn split_ref(text: &str) -> (String, String) {
    match text.split_once('/') {
        Some((ns, name)) => (ns.to_string(), name.to_string()),
        None => ("default".to_string(), text.to_string()),
    }
}

/// Seconds of a duration: `90`, `90s`, `10m`, `1h30m`, `2d`.
pub fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return (n >= 0).then_some(n);
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        let n: i64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && !text.is_empty()).then_some(total)
}

/// `20m`, `1h`, `1d2h` for a number of seconds.
pub fn format_duration(seconds: i64) -> String {
    if seconds % 86_400 == 0 && seconds > 0 {
        return format!("{}d", seconds / 86_400);
    }
    if seconds % 3600 == 0 && seconds > 0 {
        return format!("{}h", seconds / 3600);
    }
    if seconds % 60 == 0 && seconds > 0 {
        return format!("{}m", seconds / 60);
    }
    format!("{seconds}s")
}

/// Request attributes from a check's fields.
fn attributes(
    verb: &str,
    resource: Option<&str>,
    path: Option<&str>,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Attributes {
    if let Some(path) = path {
        return Attributes {
            verb: verb.to_string(),
            resource_request: false,
            path: path.to_string(),
            ..Attributes::default()
        };
    }
    let resource = resource.unwrap_or_default();
    let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
    let (resource, group) = resource.split_once('.').unwrap_or((resource, ""));
    Attributes {
        verb: verb.to_string(),
        resource_request: true,
        api_group: group.to_string(),
        resource: resource.to_string(),
        subresource: subresource.to_string(),
        name: name.unwrap_or_default().to_string(),
        namespace: namespace.unwrap_or("default").to_string(),
        path: String::new(),
    }
}

/// The user a `can-i` check asks about.
pub(crate) fn user_named(cluster: &Cluster, username: &str, groups: &[String]) -> UserInfo {
    let mut user = match saplay_cluster::authn::split_service_account_username(username) {
        Some((ns, name)) => cluster.service_account_user(&ns, &name),
        None => UserInfo::impersonated(username, groups, ""),
    };
    for g in groups {
        if !user.groups.contains(g) {
            user.groups.push(g.clone());
        }
    }
    if !user.groups.iter().any(|g| g == "system:authenticated") {
        user.groups.push("system:authenticated".to_string());
    }
    user
}

/// The JWT ids in a timeline detail (`… JTI=abc …`).
fn jti_in(detail: &str) -> Option<&str> {
    let rest = detail.split("JTI=").nth(1)?;
    Some(rest.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or(rest))
}

/// A token's text, for `variable`, `file`, `secret` and `pod` references.
fn token_text(context: &Context<'_>, token: &TokenRef) -> Result<String, String> {
    let shell = context.shell;
    let cluster = context.cluster();
    match token {
        TokenRef::Variable(name) => shell
            .session()
            .vars
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the shell variable {name} holds no token")),
        TokenRef::File(path) => {
            let path = path.clone();
            shell
                .session()
                .files
                .get(&path)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("the file {path} holds no token"))
        }
        TokenRef::Secret(reference) => {
            let (ns, name) = split_ref(reference);
            let secret = object_value(cluster, "secrets", &ns, &name)
                .ok_or_else(|| format!("secret {ns}/{name} does not exist"))?;
            let data = secret.pointer("/data/token").and_then(Value::as_str).unwrap_or_default();
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| format!("secret {ns}/{name} holds no token"))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if text.is_empty() {
                return Err(format!("secret {ns}/{name} holds no token yet"));
            }
            Ok(text)
        }
        TokenRef::Pod(reference) => {
            let (ns, name) = split_ref(reference);
            let tokens = cluster.mounted_tokens(&ns, &name).map_err(|_| format!("pod {ns}/{name} does not exist"))?;
            tokens.into_iter().next().map(|t| t.token).ok_or_else(|| format!("pod {ns}/{name} mounts no token"))
        }
        TokenRef::ServiceAccount(reference) => Err(format!(
            "token-works needs a token's text: use variable, file, secret or pod, not service-account {reference}"
        )),
    }
}

/// The object's JSON, if it exists.
pub(crate) fn object_value(cluster: &Cluster, kind: &str, namespace: &str, name: &str) -> Option<Value> {
    let resource = saplay_cluster::resource::lookup(kind)?;
    let ns = if resource.namespaced { namespace } else { "" };
    cluster.store().get(&Key::new(resource, ns, name)).map(|o| o.to_value())
}

/// Whether an audit entry was made with the referenced token.
struct TokenMatcher {
    jtis: Vec<String>,
    legacy_secret: Option<String>,
    user: Option<String>,
}

impl TokenMatcher {
    fn new(context: &Context<'_>, token: &TokenRef) -> Result<Self, String> {
        let cluster = context.cluster();
        let mut m = Self { jtis: Vec::new(), legacy_secret: None, user: None };
        match token {
            TokenRef::ServiceAccount(reference) => {
                let (ns, name) = split_ref(reference);
                m.user = Some(saplay_cluster::authn::service_account_username(&ns, &name));
            }
            TokenRef::Pod(reference) => {
                let (ns, name) = split_ref(reference);
                let subject = format!("pod {ns}/{name}");
                m.jtis = cluster
                    .timeline()
                    .events()
                    .filter(|e| {
                        e.subject == subject && matches!(e.kind, TimelineKind::TokenIssued | TimelineKind::TokenRotated)
                    })
                    .filter_map(|e| jti_in(&e.detail).map(str::to_string))
                    .collect();
            }
            TokenRef::Secret(reference) => {
                let (ns, name) = split_ref(reference);
                m.legacy_secret = Some(format!("legacy token from secret {ns}/{name}"));
            }
            TokenRef::Variable(_) | TokenRef::File(_) => {
                let text = token_text(context, token)?;
                let (_, claims) =
                    saplay_cluster::jwt::decode_unverified(&text).map_err(|_| "the token is not a JWT".to_string())?;
                if let Some(jti) = claims.get("jti").and_then(Value::as_str) {
                    m.jtis.push(jti.to_string());
                } else {
                    let ns = claims.get("kubernetes.io/serviceaccount/namespace").and_then(Value::as_str);
                    let secret = claims.get("kubernetes.io/serviceaccount/secret.name").and_then(Value::as_str);
                    match (ns, secret) {
                        (Some(ns), Some(secret)) => {
                            m.legacy_secret = Some(format!("legacy token from secret {ns}/{secret}"));
                        }
                        _ => return Err("the token has neither a jti nor a legacy Secret claim".to_string()),
                    }
                }
            }
        }
        Ok(m)
    }

    fn matches(&self, e: &AuditEvent) -> bool {
        if let Some(user) = &self.user {
            let by_token =
                e.authentication.starts_with("service account token") || e.authentication.starts_with("legacy token");
            return by_token && e.impersonated_by.is_none() && &e.user == user;
        }
        if let Some(how) = &self.legacy_secret {
            return &e.authentication == how;
        }
        // A request refused at authentication carries the token's `jti`
        // apart (an expired token's 401 has no credential id).
        let jti = match e.decision {
            Decision::Unauthenticated => e.presented_jti.as_deref(),
            _ => e.credential_id.as_deref().and_then(|c| c.strip_prefix("JTI=")),
        };
        jti.is_some_and(|j| self.jtis.iter().any(|t| t == j))
    }
}

fn outcome_of(decision: Decision) -> Outcome {
    match decision {
        Decision::Allow => Outcome::Allowed,
        Decision::Forbid => Outcome::Forbidden,
        Decision::Unauthenticated => Outcome::Unauthenticated,
    }
}

fn outcome_fits(wanted: Outcome, got: Outcome) -> bool {
    wanted == got || (wanted == Outcome::Refused && got != Outcome::Allowed)
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "allowed",
        Outcome::Forbidden => "forbidden",
        Outcome::Unauthenticated => "unauthenticated",
        Outcome::Refused => "refused",
    }
}

impl Check {
    /// Checks what the file parser cannot: patterns, durations, paths.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Check::Object(c) => {
                if saplay_cluster::resource::lookup(&c.kind).is_none() {
                    return Err(format!("object: unknown kind {:?}", c.kind));
                }
                if let Some(field) = &c.field {
                    JsonPath::parse(&template(field)).map_err(|e| format!("object: field {field:?}: {e}"))?;
                }
                if let Some(p) = &c.matches {
                    Regex::new(p).map_err(|e| format!("object: matches: {e}"))?;
                }
                Ok(())
            }
            Check::CanI(c) => match (&c.resource, &c.path) {
                (Some(_), None) | (None, Some(_)) => Ok(()),
                _ => Err("can-i: give either resource or path".to_string()),
            },
            Check::TokenIssued(c) => {
                for d in c.min.iter().chain(c.max.iter()) {
                    parse_duration(d).ok_or_else(|| format!("token-issued: bad duration {d:?}"))?;
                }
                Ok(())
            }
            Check::TokenWorks(c) => {
                if let TokenRef::ServiceAccount(_) = c.token {
                    return Err("token-works: the token must be a variable, file, secret or pod".to_string());
                }
                match (&c.resource, &c.path) {
                    (Some(_), None) | (None, Some(_)) => Ok(()),
                    _ => Err("token-works: give either resource or path".to_string()),
                }
            }
            Check::NoFinding(c) => {
                if crate::practices::CHECKS.contains(&c.check.as_str()) {
                    Ok(())
                } else {
                    Err(format!("no-finding: unknown check {:?}", c.check))
                }
            }
            Check::Ran(c) => {
                for p in std::iter::once(&c.pattern).chain(c.after.iter()) {
                    Regex::new(p).map_err(|e| format!("ran: {e}"))?;
                }
                Ok(())
            }
            Check::Kubectl(c) => {
                if c.command.split_whitespace().next().is_none() {
                    return Err("kubectl: command is empty".to_string());
                }
                if let Some(kind) = &c.resource {
                    if saplay_cluster::resource::lookup(kind).is_none() {
                        return Err(format!("kubectl: unknown resource {kind:?}"));
                    }
                }
                for flag in c.flags.iter().chain(c.values.keys()) {
                    if flag.is_empty() || flag.starts_with('-') {
                        return Err(format!("kubectl: write flag {flag:?} by its long name, without dashes"));
                    }
                }
                for p in c.values.values() {
                    Regex::new(p).map_err(|e| format!("kubectl: values: {e}"))?;
                }
                Ok(())
            }
            Check::RanInPod(c) => match &c.path {
                _ if c.pod.trim().is_empty() => Err("ran-in-pod: pod is empty".to_string()),
                Some(p) if !p.starts_with('/') => Err(format!("ran-in-pod: path {p:?} must be absolute")),
                _ => Ok(()),
            },
            Check::All(cs) | Check::Any(cs) => cs.iter().try_for_each(Check::validate),
            Check::Not(c) => c.validate(),
            Check::Request(c) => match &c.after {
                Some(d) if parse_duration(d).is_none() => Err(format!("request: bad duration {d:?}")),
                _ => Ok(()),
            },
            Check::MountsToken(_) | Check::TokenRotated(_) => Ok(()),
        }
    }

    /// Whether the check holds now, and what it saw.
    pub fn evaluate(&self, context: &Context<'_>) -> (bool, String) {
        let cluster = context.cluster();
        match self {
            Check::Object(c) => evaluate_object(cluster, c),
            Check::CanI(c) => {
                let user = user_named(cluster, &c.user, &c.groups);
                let attrs = attributes(
                    &c.verb,
                    c.resource.as_deref(),
                    c.path.as_deref(),
                    c.namespace.as_deref(),
                    c.name.as_deref(),
                );
                let answer = cluster.access_check(&user, &attrs);
                let what = c.path.clone().or_else(|| c.resource.clone()).unwrap_or_default();
                let scope = match c.namespace.as_deref() {
                    _ if c.path.is_some() => String::new(),
                    Some("") => " cluster-wide".to_string(),
                    ns => format!(" in {}", ns.unwrap_or("default")),
                };
                let verdict = if answer.allowed { "yes" } else { "no" };
                (answer.allowed == c.expect, format!("can {} {} {what}{scope}? {verdict}", c.user, c.verb))
            }
            Check::MountsToken(c) => {
                let (ns, name) = split_ref(&c.pod);
                match cluster.mounted_tokens(&ns, &name) {
                    Err(_) => (false, format!("pod {ns}/{name} does not exist")),
                    Ok(tokens) => {
                        let mounts = !tokens.is_empty();
                        let detail = match tokens.first() {
                            Some(t) => format!("pod {ns}/{name} mounts a token at {}", t.path),
                            None => format!("pod {ns}/{name} mounts no service-account token"),
                        };
                        (mounts == c.expect, detail)
                    }
                }
            }
            Check::TokenIssued(c) => {
                let (ns, name) = split_ref(&c.service_account);
                let subject = format!("serviceaccount {ns}/{name}");
                let min = c.min.as_deref().and_then(parse_duration).unwrap_or(0);
                let max = c.max.as_deref().and_then(parse_duration).unwrap_or(i64::MAX);
                let lifetimes: Vec<i64> = issued_lifetimes(cluster, &subject).collect();
                let fits = lifetimes.iter().any(|l| (min..=max).contains(l));
                let detail = if lifetimes.is_empty() {
                    format!("no token was issued for {ns}/{name}")
                } else {
                    let list: Vec<String> = lifetimes.iter().map(|l| format_duration(*l)).collect();
                    format!("tokens issued for {ns}/{name}, valid for: {}", list.join(", "))
                };
                (fits, detail)
            }
            Check::TokenRotated(c) => {
                let (ns, name) = split_ref(&c.pod);
                let subject = format!("pod {ns}/{name}");
                let n = cluster
                    .timeline()
                    .events()
                    .filter(|e| e.kind == TimelineKind::TokenRotated && e.subject == subject)
                    .count();
                (n > 0, format!("the kubelet replaced the token of pod {ns}/{name} {n} time(s)"))
            }
            Check::Request(c) => {
                let matcher = match TokenMatcher::new(context, &c.token) {
                    Ok(m) => m,
                    Err(e) => return (false, e),
                };
                let start = cluster.config().start.unix_seconds();
                let after = c.after.as_deref().and_then(parse_duration).unwrap_or(0);
                let mut seen = Vec::new();
                for e in cluster.audit_log().events() {
                    if e.time.unix_seconds() < start + after {
                        continue;
                    }
                    if !matcher.matches(e) {
                        continue;
                    }
                    let fits_request = c.verb.as_ref().is_none_or(|v| *v == e.verb)
                        && c.resource.as_ref().is_none_or(|r| *r == e.resource)
                        && c.namespace.as_ref().is_none_or(|n| *n == e.namespace)
                        && c.name.as_ref().is_none_or(|n| *n == e.name);
                    if fits_request {
                        seen.push(outcome_of(e.decision));
                    }
                }
                let met = seen.iter().any(|o| outcome_fits(c.outcome, *o));
                let detail = if seen.is_empty() {
                    "no such request with this token in the audit log".to_string()
                } else {
                    let words: Vec<&str> = seen.iter().map(|o| outcome_word(*o)).collect();
                    format!("requests with this token: {}", words.join(", "))
                };
                (met, detail)
            }
            Check::TokenWorks(c) => {
                let text = match token_text(context, &c.token) {
                    Ok(t) => t,
                    // No token to judge (not saved yet, or its Secret or pod
                    // is gone): nothing to say about it.
                    Err(e) => return (false, e),
                };
                let got = match cluster.authenticate(&Credential::BearerToken(text)) {
                    Err(_) => (Outcome::Unauthenticated, "the API server would not accept the token".to_string()),
                    Ok(a) => {
                        let attrs = attributes(
                            &c.verb,
                            c.resource.as_deref(),
                            c.path.as_deref(),
                            c.namespace.as_deref(),
                            c.name.as_deref(),
                        );
                        let answer = cluster.access_check(&a.user, &attrs);
                        if answer.allowed {
                            (Outcome::Allowed, format!("the token authenticates as {} and is allowed", a.user.username))
                        } else {
                            (
                                Outcome::Forbidden,
                                format!("the token authenticates as {} but RBAC refuses", a.user.username),
                            )
                        }
                    }
                };
                (outcome_fits(c.expect, got.0), got.1)
            }
            Check::NoFinding(c) => {
                let findings = crate::practices::best_practices(cluster);
                let hits: Vec<&crate::practices::Finding> = findings
                    .iter()
                    .filter(|f| f.check == c.check && c.object.as_ref().is_none_or(|o| *o == f.object))
                    .collect();
                match hits.first() {
                    None => (true, format!("no {} finding", c.check)),
                    Some(f) => (false, format!("{}: {}", f.object, f.why)),
                }
            }
            Check::Ran(c) => {
                let Ok(re) = Regex::new(&c.pattern) else { return (false, "bad pattern".to_string()) };
                let example = c.example.as_deref().map(not_yet);
                let from = match c.after.as_deref().map(Regex::new) {
                    None => 0,
                    Some(Err(_)) => return (false, "bad pattern".to_string()),
                    Some(Ok(after)) => match context.history.iter().position(|l| after.is_match(l)) {
                        Some(i) => i + 1,
                        None => {
                            return (
                                false,
                                example.unwrap_or_else(|| format!("nothing matching /{}/ ran yet", after.as_str())),
                            )
                        }
                    },
                };
                match context.history.iter().skip(from).find(|l| re.is_match(l)) {
                    Some(line) => (true, format!("ran: {}", first_line(line))),
                    None => (false, example.unwrap_or_else(|| format!("no command matching /{}/ yet", c.pattern))),
                }
            }
            Check::Kubectl(c) => {
                let session = context.shell.session();
                let namespace = session.kubeconfig.namespace().unwrap_or("default");
                let hit = context.commands().iter().find(|r| {
                    r.place == Place::Workstation
                        && r.words.first().is_some_and(|w| w == "kubectl")
                        && kubectl_fits(c, &read_args(r.words.get(1..).unwrap_or_default()), namespace)
                });
                match hit {
                    Some(r) => {
                        (true, format!("ran: {}", first_line(context.history.get(r.line).map_or("", String::as_str))))
                    }
                    None => (false, not_yet(&c.example.clone().unwrap_or_else(|| kubectl_example(c)))),
                }
            }
            Check::RanInPod(c) => {
                let (ns, name) = split_ref(&c.pod);
                let hit = context.commands().iter().find(|r| match &r.place {
                    Place::Pod { namespace, name: pod, cwd } => {
                        *namespace == ns
                            && *pod == name
                            && c.path.as_deref().is_none_or(|path| looks_at(&r.words, cwd, path))
                    }
                    Place::Workstation => false,
                });
                match (hit, &c.example, &c.path) {
                    (Some(r), _, _) => (true, format!("ran in pod {ns}/{name}: {}", r.words.join(" "))),
                    (None, Some(example), _) => (false, not_yet(example)),
                    (None, None, Some(path)) => (false, format!("nothing in pod {ns}/{name} has looked at {path} yet")),
                    (None, None, None) => (false, format!("nothing ran in pod {ns}/{name} yet")),
                }
            }
            Check::All(cs) => {
                let results: Vec<(bool, String)> = cs.iter().map(|c| c.evaluate(context)).collect();
                // Met: everything seen; not met: the first check that fails.
                let detail = match results.iter().find(|r| !r.0) {
                    Some(failed) => failed.1.clone(),
                    None => results.iter().map(|r| r.1.as_str()).collect::<Vec<_>>().join("; "),
                };
                (results.iter().all(|r| r.0), detail)
            }
            Check::Any(cs) => {
                let results: Vec<(bool, String)> = cs.iter().map(|c| c.evaluate(context)).collect();
                let met = results.iter().any(|r| r.0);
                let detail = results.iter().find(|r| r.0).or(results.first()).map(|r| r.1.clone()).unwrap_or_default();
                (met, detail)
            }
            Check::Not(c) => {
                let (met, detail) = c.evaluate(context);
                (!met, detail)
            }
        }
    }
}

/// `no `EXAMPLE` yet`: what an unmet command goal tells the learner.
fn not_yet(example: &str) -> String {
    format!("no `{}` yet", first_line(example))
}

/// The first line of a (possibly multi-line) command.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The words of a resource name that mean the same resource: `sa`,
/// `serviceaccount`, `ServiceAccount`.
fn same_word(typed: &str, wanted: &str) -> bool {
    typed == wanted || same_resource(typed, wanted)
}

fn same_resource(typed: &str, wanted: &str) -> bool {
    match (saplay_cluster::resource::lookup(typed), saplay_cluster::resource::lookup(wanted)) {
        (Some(a), Some(b)) => a.plural == b.plural && a.group == b.group,
        _ => false,
    }
}

/// Whether a kubectl command line does what `c` asks: the command's words
/// as typed (aliases and resource names matched as kubectl takes them),
/// then the objects, namespace and flags.
fn kubectl_fits(c: &KubectlCheck, line: &KubectlArgs, namespace: &str) -> bool {
    let wanted: Vec<&str> = c.command.split_whitespace().collect();
    let command_fits = wanted.len() <= line.positional.len()
        && wanted.iter().zip(&line.positional).all(|(want, typed)| same_word(typed, want));
    if !command_fits {
        return false;
    }
    let rest = line.positional.get(wanted.len()..).unwrap_or_default();
    // The objects named: `TYPE/NAME…`, or `TYPE[,TYPE…] [NAME…]`.
    let (types, pairs): (Vec<&str>, Vec<(&str, &str)>) = match rest.first() {
        Some(first) if first.contains('/') => {
            let pairs: Vec<(&str, &str)> = rest.iter().filter_map(|a| a.split_once('/')).collect();
            (pairs.iter().map(|p| p.0).collect(), pairs)
        }
        Some(first) => {
            let types: Vec<&str> = first.split(',').filter(|t| !t.is_empty()).collect();
            let pairs = rest.iter().skip(1).flat_map(|n| types.iter().map(move |t| (*t, n.as_str()))).collect();
            (types, pairs)
        }
        None => (Vec::new(), Vec::new()),
    };
    let named_fits = match (&c.resource, &c.name) {
        (None, None) => true,
        (Some(kind), name) => {
            types.iter().any(|t| same_resource(t, kind)) && {
                let names: Vec<&str> = pairs.iter().filter(|(t, _)| same_resource(t, kind)).map(|p| p.1).collect();
                name.as_ref().is_none_or(|n| names.is_empty() || names.contains(&n.as_str()))
            }
        }
        (None, Some(name)) => rest.iter().any(|a| a == name) || pairs.iter().any(|p| p.1 == name),
    };
    let in_namespace = c
        .namespace
        .as_ref()
        .is_none_or(|ns| line.is_set("all-namespaces") || line.value("namespace").unwrap_or(namespace) == ns);
    named_fits
        && in_namespace
        && c.flags.iter().all(|f| line.is_set(f))
        && c.values
            .iter()
            .all(|(flag, pattern)| Regex::new(pattern).is_ok_and(|re| line.values(flag).any(|v| re.is_match(v))))
}

/// `kubectl get sa --all-namespaces`: a command line that fits `c`.
fn kubectl_example(c: &KubectlCheck) -> String {
    let mut words = vec!["kubectl".to_string(), c.command.clone()];
    words.extend(c.resource.iter().cloned());
    words.extend(c.name.iter().cloned());
    if let Some(ns) = &c.namespace {
        words.push(format!("-n {ns}"));
    }
    words.extend(c.flags.iter().map(|f| format!("--{f}")));
    words.extend(c.values.keys().map(|f| format!("--{f}=…")));
    words.join(" ")
}

/// Programs that do not look at the files their arguments name.
const NOT_LOOKING: &[&str] = &["cd", "echo", "printf", "export", "pwd", "true", "false", "test", "[", "sleep"];

/// Whether a command run in `cwd` looks at `path`: an argument naming it
/// or something inside it, or `ls` run inside it.
fn looks_at(words: &[String], cwd: &str, path: &str) -> bool {
    let Some((program, args)) = words.split_first() else { return false };
    let program = program.rsplit('/').next().unwrap_or(program);
    if NOT_LOOKING.contains(&program) {
        return false;
    }
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if operands.is_empty() {
        return program == "ls" && within(cwd, path);
    }
    operands.iter().any(|a| within(&resolve(cwd, a), path))
}

/// Lifetimes (seconds) of the tokens TokenRequest issued for `subject`
/// (`serviceaccount NS/NAME`), oldest first.
pub(crate) fn issued_lifetimes<'a>(cluster: &'a Cluster, subject: &'a str) -> impl Iterator<Item = i64> + 'a {
    cluster
        .timeline()
        .events()
        .filter(move |e| e.kind == TimelineKind::TokenIssued && e.subject == subject)
        .filter_map(|e| lifetime_in(&e.detail))
}

/// `… valid for N s` in a timeline detail.
pub(crate) fn lifetime_in(detail: &str) -> Option<i64> {
    detail.split("valid for ").nth(1)?.split(' ').next()?.parse().ok()
}

/// `{…}` around a bare path.
fn template(field: &str) -> String {
    if field.contains('{') {
        field.to_string()
    } else {
        format!("{{{field}}}")
    }
}

fn evaluate_object(cluster: &Cluster, c: &ObjectCheck) -> (bool, String) {
    let ns = c.namespace.clone().unwrap_or_else(|| "default".to_string());
    let what =
        format!("{} {}", c.kind, if c.namespace.is_some() { format!("{ns}/{}", c.name) } else { c.name.clone() });
    let Some(value) = object_value(cluster, &c.kind, &ns, &c.name) else {
        return (!c.exists, format!("{what} does not exist"));
    };
    let Some(field) = &c.field else {
        return (c.exists, format!("{what} exists"));
    };
    let text = match JsonPath::parse(&template(field)).and_then(|p| p.execute(&value)) {
        Ok(t) => t,
        Err(e) => return (false, format!("{what}: {e}")),
    };
    if !c.exists {
        return (text.is_empty(), format!("{what}: {field} is {:?}", text));
    }
    let met = match (&c.equals, &c.matches) {
        (Some(v), _) => text == *v,
        (None, Some(p)) => Regex::new(p).is_ok_and(|re| re.is_match(&text)),
        (None, None) => !text.is_empty(),
    };
    let shown = if text.is_empty() { "not set".to_string() } else { format!("{text:?}") };
    (met, format!("{what}: {field} is {shown}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_go_and_sleep_write_them() {
        for (text, seconds) in
            [("90", Some(90)), ("90s", Some(90)), ("10m", Some(600)), ("1h30m", Some(5400)), ("2d", Some(172_800))]
        {
            assert_eq!(parse_duration(text), seconds, "{text}");
        }
        for bad in ["", "h", "1x", "-5", "1.5h", "10m3"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(3600), "1h");
        assert_eq!(format_duration(600), "10m");
        assert_eq!(format_duration(90), "90s");
        assert_eq!(format_duration(86_400 * 365), "365d");
    }

    #[test]
    fn timeline_details_give_jti_and_lifetime() {
        let d = "TokenRequest issued token JTI=ab-12 for audiences [\"x\"], valid for 3600 s";
        assert_eq!(jti_in(d), Some("ab-12"));
        assert_eq!(lifetime_in(d), Some(3600));
        assert_eq!(jti_in("kubelet wrote token JTI=zz to volume kube-api-access-1 (pod start)"), Some("zz"));
        assert_eq!(lifetime_in("nothing"), None);
    }
}
