//! The RBAC authorizer, with the reason for every decision.
//!
//! Follows `plugin/pkg/auth/authorizer/rbac/rbac.go` and
//! `pkg/apis/rbac/v1/evaluation_helpers.go`: `system:masters` is allowed
//! before RBAC is asked; otherwise every ClusterRoleBinding, then every
//! RoleBinding in the request's namespace, whose subjects match the user is
//! visited, and the first rule that allows the request wins. A rule allows
//! a request when its verb, API group, resource and resource name all match.
//! The learner's admin (`kubernetes-admin`, group `kubeadm:cluster-admins`)
//! is not in `system:masters`: RBAC allows it through the
//! `kubeadm:cluster-admins` ClusterRoleBinding, as on a kubeadm v1.29+
//! cluster such as kind's.

use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};

use crate::authn::{UserInfo, SYSTEM_MASTERS};
use crate::object::Object;
use crate::store::{Key, Store};

/// What is being asked (`authorizer.Attributes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// The verb (`get`, `list`, …; for paths the lower-case HTTP method).
    pub verb: String,
    /// Whether this is a resource request (else a non-resource path).
    pub resource_request: bool,
    /// API group (`""` for core).
    pub api_group: String,
    /// Plural resource.
    pub resource: String,
    /// Subresource, or `""`.
    pub subresource: String,
    /// Object name, or `""`.
    pub name: String,
    /// Namespace, or `""` for cluster scope.
    pub namespace: String,
    /// The path of a non-resource request.
    pub path: String,
}

/// The authorizer's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Upstream's reason text: `RBAC: allowed by …`, or the RBAC errors of
    /// a denial (often empty).
    pub reason: String,
    /// Errors met while evaluating (missing roles), for SubjectAccessReview.
    pub evaluation_errors: Vec<String>,
    /// For the learner: what was looked at and why it did not allow.
    pub why: Vec<String>,
}

/// `verb` matches.
pub fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
}

/// `apiGroup` matches.
pub fn api_group_matches(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups.iter().flatten().any(|g| g == "*" || g == group)
}

/// `resource[/subresource]` matches, with `*` and `*/subresource`.
pub fn resource_matches(rule: &PolicyRule, resource: &str, subresource: &str) -> bool {
    let combined = if subresource.is_empty() { resource.to_string() } else { format!("{resource}/{subresource}") };
    rule.resources
        .iter()
        .flatten()
        .any(|r| r == "*" || *r == combined || (!subresource.is_empty() && r.strip_prefix("*/") == Some(subresource)))
}

/// The resource name matches (a nameless request never matches a rule
/// with resourceNames).
pub fn resource_name_matches(rule: &PolicyRule, name: &str) -> bool {
    match rule.resource_names.as_deref() {
        None | Some([]) => true,
        Some(names) => !name.is_empty() && names.iter().any(|n| n == name),
    }
}

/// A non-resource URL matches (`*`, exact, or a `prefix*`).
pub fn non_resource_url_matches(rule: &PolicyRule, path: &str) -> bool {
    rule.non_resource_urls
        .iter()
        .flatten()
        .any(|u| u == "*" || u == path || u.strip_suffix('*').is_some_and(|prefix| path.starts_with(prefix)))
}

/// `RuleAllows`.
pub fn rule_allows(attrs: &Attributes, rule: &PolicyRule) -> bool {
    if attrs.resource_request {
        verb_matches(rule, &attrs.verb)
            && api_group_matches(rule, &attrs.api_group)
            && resource_matches(rule, &attrs.resource, &attrs.subresource)
            && resource_name_matches(rule, &attrs.name)
    } else {
        verb_matches(rule, &attrs.verb) && non_resource_url_matches(rule, &attrs.path)
    }
}

/// `appliesToUser`: whether `subject` names `user`.
pub fn applies_to_user(user: &UserInfo, subject: &Subject, binding_namespace: &str) -> bool {
    match subject.kind.as_str() {
        "User" => user.username == subject.name,
        "Group" => user.in_group(&subject.name),
        "ServiceAccount" => {
            let namespace = subject.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(binding_namespace);
            // user.username == "system:serviceaccount:<namespace>:<name>",
            // compared without building the string.
            !namespace.is_empty()
                && user
                    .username
                    .strip_prefix("system:serviceaccount:")
                    .and_then(|rest| rest.strip_prefix(namespace))
                    .and_then(|rest| rest.strip_prefix(':'))
                    == Some(subject.name.as_str())
        }
        _ => false,
    }
}

/// `describeSubject`.
fn describe_subject(subject: &Subject, binding_namespace: &str) -> String {
    match subject.kind.as_str() {
        "ServiceAccount" => {
            let namespace = subject.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(binding_namespace);
            format!("{} {:?}", subject.kind, format!("{}/{namespace}", subject.name))
        }
        _ => format!("{} {:?}", subject.kind, subject.name),
    }
}

/// One binding, from either kind.
struct BindingView<'a> {
    kind: &'static str,
    name: &'a str,
    namespace: &'a str,
    role_ref: &'a RoleRef,
    subjects: &'a [Subject],
}

/// The rules a binding's roleRef points at, or the error upstream's
/// lister-based resolver reports.
pub fn role_rules<'a>(
    store: &'a Store,
    role_ref: &RoleRef,
    binding_namespace: &str,
) -> Result<&'a [PolicyRule], String> {
    let (plural, namespace, singular) = match role_ref.kind.as_str() {
        "Role" => ("roles", binding_namespace, "role"),
        "ClusterRole" => ("clusterroles", "", "clusterrole"),
        other => return Err(format!("unsupported role reference kind: {other:?}")),
    };
    let r = crate::resource::by_plural_name(plural).ok_or_else(|| "unknown resource".to_string())?;
    match store.get(&Key::new(r, namespace, &role_ref.name)) {
        Some(Object::Role(role)) => Ok(role.rules.as_deref().unwrap_or_default()),
        Some(Object::ClusterRole(role)) => Ok(role.rules.as_deref().unwrap_or_default()),
        _ => Err(format!("{singular}.rbac.authorization.k8s.io {:?} not found", role_ref.name)),
    }
}

/// A binding that applies to a user, and the subject that matched; its
/// `Display` is upstream's describer (`RoleBinding "rb/ns" of Role "r" to
/// ServiceAccount "sa/ns"`), built only when a reason needs it.
pub struct Applied<'a> {
    binding: BindingView<'a>,
    subject: &'a Subject,
}

impl std::fmt::Display for Applied<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = &self.binding;
        let shown_name =
            if b.kind == "RoleBinding" { format!("{}/{}", b.name, b.namespace) } else { b.name.to_string() };
        write!(
            f,
            "{} {shown_name:?} of {} {:?} to {}",
            b.kind,
            b.role_ref.kind,
            b.role_ref.name,
            describe_subject(self.subject, b.namespace)
        )
    }
}

/// Visits the bindings that apply to `user` for a request in `namespace`
/// (all ClusterRoleBindings, then the namespace's RoleBindings), calling
/// `visit(binding, rules or error)`; stops when `visit` returns true.
pub fn visit_rules_for<'s>(
    store: &'s Store,
    user: &UserInfo,
    namespace: &'s str,
    mut visit: impl FnMut(&Applied<'s>, Result<&'s [PolicyRule], String>) -> bool,
) {
    let mut bindings: Vec<BindingView<'_>> = Vec::new();
    for object in store.bindings_naming(&user.username, &user.groups) {
        match object {
            Object::ClusterRoleBinding(b) => bindings.push(BindingView {
                kind: "ClusterRoleBinding",
                name: b.metadata.name.as_deref().unwrap_or_default(),
                namespace: "",
                role_ref: &b.role_ref,
                subjects: b.subjects.as_deref().unwrap_or_default(),
            }),
            Object::RoleBinding(b) if b.metadata.namespace.as_deref() == Some(namespace) && !namespace.is_empty() => {
                bindings.push(BindingView {
                    kind: "RoleBinding",
                    name: b.metadata.name.as_deref().unwrap_or_default(),
                    namespace,
                    role_ref: &b.role_ref,
                    subjects: b.subjects.as_deref().unwrap_or_default(),
                })
            }
            _ => {}
        }
    }
    for binding in bindings {
        let Some(subject) = binding.subjects.iter().find(|s| applies_to_user(user, s, binding.namespace)) else {
            continue;
        };
        let rules = role_rules(store, binding.role_ref, binding.namespace);
        if visit(&Applied { binding, subject }, rules) {
            return;
        }
    }
}

/// Decides a request: `system:masters` first (not the admin, whose group
/// is `kubeadm:cluster-admins`), then RBAC. `why` is left empty;
/// [`explain`] fills it.
pub fn authorize(store: &Store, user: &UserInfo, attrs: &Attributes) -> Decision {
    decide(store, user, attrs, false)
}

/// Like [`authorize`], also saying what was looked at and why it did or
/// did not allow the request.
pub fn explain(store: &Store, user: &UserInfo, attrs: &Attributes) -> Decision {
    decide(store, user, attrs, true)
}

fn decide(store: &Store, user: &UserInfo, attrs: &Attributes, explain: bool) -> Decision {
    if user.in_group(SYSTEM_MASTERS) {
        let why = if explain {
            vec![format!("{} is in group {SYSTEM_MASTERS}, which may do anything", user.username)]
        } else {
            Vec::new()
        };
        return Decision { allowed: true, reason: String::new(), evaluation_errors: Vec::new(), why };
    }
    let mut allowed_by = None;
    let mut errors = Vec::new();
    let mut why = Vec::new();
    let mut visited = 0;
    visit_rules_for(store, user, &attrs.namespace, |applied, rules| {
        visited += 1;
        match rules {
            Err(e) => {
                if explain {
                    why.push(format!("{applied}: {e}"));
                }
                errors.push(e);
                false
            }
            Ok(rules) if rules.iter().any(|rule| rule_allows(attrs, rule)) => {
                allowed_by = Some(format!("RBAC: allowed by {applied}"));
                true
            }
            Ok(_) => {
                if explain {
                    why.push(format!("{applied}: no rule matches"));
                }
                false
            }
        }
    });
    if let Some(reason) = allowed_by {
        let why = if explain { vec![reason.trim_start_matches("RBAC: ").to_string()] } else { Vec::new() };
        return Decision { allowed: true, reason, evaluation_errors: Vec::new(), why };
    }
    if explain && visited == 0 {
        let scope = if attrs.namespace.is_empty() {
            String::new()
        } else {
            format!(" or RoleBinding in {:?}", attrs.namespace)
        };
        why.push(format!("no ClusterRoleBinding{scope} names {}", user.username));
    }
    // The RBAC authorizer puts its resolution errors in the reason only:
    // the error it returns is nil, so a review's `evaluationError` stays
    // empty.
    let reason = if errors.is_empty() { String::new() } else { format!("RBAC: {}", aggregate_message(&errors)) };
    Decision { allowed: false, reason, evaluation_errors: errors, why }
}

/// The text of an error aggregate (`utilerrors.NewAggregate`): a single
/// error as it is; several as `[a, b]`, each distinct message once.
pub fn aggregate_message(errors: &[String]) -> String {
    if let [one] = errors {
        return one.clone();
    }
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.as_str()) {
            seen.push(e);
        }
    }
    match seen.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// The body of a 403 for a denied request (`ForbiddenStatusError`).
pub fn forbidden_message(user: &UserInfo, attrs: &Attributes, reason: &str) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let detail = if !attrs.resource_request {
        format!("User {:?} cannot {} path {:?}", user.username, attrs.verb, attrs.path)
    } else {
        let resource = if attrs.subresource.is_empty() {
            attrs.resource.clone()
        } else {
            format!("{}/{}", attrs.resource, attrs.subresource)
        };
        let scope = if attrs.namespace.is_empty() {
            " at the cluster scope".to_string()
        } else {
            format!(" in the namespace {:?}", attrs.namespace)
        };
        format!(
            "User {:?} cannot {} resource {resource:?} in API group {:?}{scope}",
            user.username, attrs.verb, attrs.api_group
        )
    };
    let detail = if reason.is_empty() { escape(&detail) } else { format!("{}: {}", escape(&detail), escape(reason)) };
    if !attrs.resource_request {
        return format!("forbidden: {detail}");
    }
    let qualified = if attrs.api_group.is_empty() {
        attrs.resource.clone()
    } else {
        format!("{}.{}", attrs.resource, attrs.api_group)
    };
    if attrs.name.is_empty() {
        format!("{qualified} is forbidden: {detail}")
    } else {
        format!("{qualified} {:?} is forbidden: {detail}", attrs.name)
    }
}

/// All rules that apply to `user` in `namespace` (SelfSubjectRulesReview),
/// and the errors met.
pub fn rules_for(store: &Store, user: &UserInfo, namespace: &str) -> (Vec<PolicyRule>, Vec<String>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    visit_rules_for(store, user, namespace, |_, found| {
        match found {
            Ok(r) => rules.extend(r.iter().cloned()),
            Err(e) => errors.push(e),
        }
        false
    });
    (rules, errors)
}

/// Whether `owner` rules cover every permission in `requested`
/// (`Covers`); returns the requested rules not covered, one broken-down
/// rule each, in order and repeats kept.
pub fn uncovered_rules(owner: &[PolicyRule], requested: &[PolicyRule]) -> Vec<PolicyRule> {
    requested.iter().flat_map(break_down).filter(|atomic| !owner.iter().any(|o| covers(o, atomic))).collect()
}

/// `CompactRules`: rules with one API group, one resource, at most one
/// resource name and nothing else are merged per (group, resource, name),
/// their verbs appended in order; a name-less rule and a rule naming ""
/// stay apart. Other rules come first, as they were; the merged ones
/// follow (upstream's order there is a map's, so callers sort).
pub fn compact_rules(rules: &[PolicyRule]) -> Vec<PolicyRule> {
    // (group, resource, the one name if any)
    type SimpleResource = (String, String, Option<String>);
    let simple_key = |rule: &PolicyRule| -> Option<SimpleResource> {
        let one = |v: &Option<Vec<String>>| match v.as_deref() {
            Some([only]) => Some(only.clone()),
            _ => None,
        };
        if rule.non_resource_urls.as_ref().is_some_and(|u| !u.is_empty()) {
            return None;
        }
        let name = match rule.resource_names.as_deref() {
            None | Some([]) => None,
            Some([only]) => Some(only.clone()),
            Some(_) => return None,
        };
        Some((one(&rule.api_groups)?, one(&rule.resources)?, name))
    };
    let mut compacted = Vec::new();
    let mut merged: Vec<(SimpleResource, PolicyRule)> = Vec::new();
    for rule in rules {
        match simple_key(rule) {
            Some(key) => match merged.iter_mut().find(|(k, _)| *k == key) {
                Some((_, existing)) => existing.verbs.extend(rule.verbs.iter().cloned()),
                None => merged.push((key, rule.clone())),
            },
            None => compacted.push(rule.clone()),
        }
    }
    compacted.extend(merged.into_iter().map(|(_, rule)| rule));
    compacted
}

/// Splits a rule into one rule per (group, resource, name, verb) or
/// (url, verb).
pub fn break_down(rule: &PolicyRule) -> Vec<PolicyRule> {
    let mut out = Vec::new();
    for group in rule.api_groups.iter().flatten() {
        for resource in rule.resources.iter().flatten() {
            for verb in &rule.verbs {
                let names: Vec<Option<String>> = match rule.resource_names.as_deref() {
                    None | Some([]) => vec![None],
                    Some(names) => names.iter().cloned().map(Some).collect(),
                };
                for name in names {
                    out.push(PolicyRule {
                        api_groups: Some(vec![group.clone()]),
                        resources: Some(vec![resource.clone()]),
                        resource_names: name.map(|n| vec![n]),
                        verbs: vec![verb.clone()],
                        non_resource_urls: None,
                    });
                }
            }
        }
    }
    for url in rule.non_resource_urls.iter().flatten() {
        for verb in &rule.verbs {
            out.push(PolicyRule {
                non_resource_urls: Some(vec![url.clone()]),
                verbs: vec![verb.clone()],
                ..PolicyRule::default()
            });
        }
    }
    out
}

/// Whether `owner` grants everything the atomic rule `want` does.
fn covers(owner: &PolicyRule, want: &PolicyRule) -> bool {
    let has = |list: Option<&Vec<String>>, item: &str| list.into_iter().flatten().any(|x| x == "*" || x == item);
    let verb = want.verbs.first().map(String::as_str).unwrap_or_default();
    if !owner.verbs.iter().any(|v| v == "*" || v == verb) {
        return false;
    }
    if let Some(url) = want.non_resource_urls.as_ref().and_then(|u| u.first()) {
        return owner
            .non_resource_urls
            .iter()
            .flatten()
            .any(|o| o == "*" || o == url || o.strip_suffix('*').is_some_and(|p| url.starts_with(p)));
    }
    let group = want.api_groups.as_ref().and_then(|g| g.first()).map(String::as_str).unwrap_or_default();
    let resource = want.resources.as_ref().and_then(|r| r.first()).map(String::as_str).unwrap_or_default();
    let resource_ok = owner.resources.iter().flatten().any(|o| {
        o == "*" || o == resource || resource.split_once('/').is_some_and(|(_, sub)| o.strip_prefix("*/") == Some(sub))
    });
    let name_ok = match owner.resource_names.as_deref() {
        None | Some([]) => true,
        Some(names) => want.resource_names.as_ref().and_then(|n| n.first()).is_some_and(|n| names.contains(n)),
    };
    has(owner.api_groups.as_ref(), group) && resource_ok && name_ok
}

/// `CompactString` of a rule: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`.
pub fn compact_string(rule: &PolicyRule) -> String {
    let quoted =
        |items: &[String]| format!("[{}]", items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" "));
    let mut parts = Vec::new();
    if let Some(g) = rule.api_groups.as_deref().filter(|g| !g.is_empty()) {
        parts.push(format!("APIGroups:{}", quoted(g)));
    }
    if let Some(r) = rule.resources.as_deref().filter(|r| !r.is_empty()) {
        parts.push(format!("Resources:{}", quoted(r)));
    }
    if let Some(u) = rule.non_resource_urls.as_deref().filter(|u| !u.is_empty()) {
        parts.push(format!("NonResourceURLs:{}", quoted(u)));
    }
    if let Some(n) = rule.resource_names.as_deref().filter(|n| !n.is_empty()) {
        parts.push(format!("ResourceNames:{}", quoted(n)));
    }
    if !rule.verbs.is_empty() {
        parts.push(format!("Verbs:{}", quoted(&rule.verbs)));
    }
    format!("{{{}}}", parts.join(", "))
}

impl crate::Cluster {
    /// Escalation prevention on creating or updating roles and bindings
    /// (`pkg/registry/rbac/*/policybased`): a user may only grant what they
    /// hold, unless they may `escalate` (roles) or `bind` (bindings).
    pub(crate) fn check_escalation(&self, user: &UserInfo, object: &Object) -> Result<(), crate::ApiError> {
        use crate::status::{ApiError, StatusReason};
        if user.in_group(SYSTEM_MASTERS) {
            return Ok(());
        }
        let resource = object.resource();
        let namespace = object.namespace().to_string();
        let may = |verb: &str, plural: &str, name: &str| {
            let attrs = Attributes {
                verb: verb.to_string(),
                resource_request: true,
                api_group: crate::strategy::RBAC_GROUP.to_string(),
                resource: plural.to_string(),
                name: name.to_string(),
                namespace: namespace.clone(),
                ..Attributes::default()
            };
            authorize(&self.store, user, &attrs).allowed
        };
        let requested: Vec<PolicyRule> = match object {
            Object::Role(role) => {
                if may("escalate", "roles", object.name()) {
                    return Ok(());
                }
                role.rules.clone().unwrap_or_default()
            }
            Object::ClusterRole(role) => {
                if may("escalate", "clusterroles", object.name()) {
                    return Ok(());
                }
                if role.aggregation_rule.is_some() {
                    return Err(ApiError::forbidden(
                        resource,
                        object.name(),
                        "must have cluster-admin privileges to use the aggregationRule",
                    ));
                }
                role.rules.clone().unwrap_or_default()
            }
            Object::RoleBinding(b) => {
                let plural = if b.role_ref.kind == "Role" { "roles" } else { "clusterroles" };
                if may("bind", plural, &b.role_ref.name) {
                    return Ok(());
                }
                self.referenced_rules(&b.role_ref, &namespace)?
            }
            Object::ClusterRoleBinding(b) => {
                if may("bind", "clusterroles", &b.role_ref.name) {
                    return Ok(());
                }
                self.referenced_rules(&b.role_ref, "")?
            }
            _ => return Ok(()),
        };
        let (owned, errors) = rules_for(&self.store, user, &namespace);
        let missing = uncovered_rules(&owned, &requested);
        if missing.is_empty() {
            return Ok(());
        }
        let groups = format!("[{}]", user.groups.iter().map(|g| format!("{g:?}")).collect::<Vec<_>>().join(" "));
        // One line per compacted rule, sorted and without repeats.
        let lines: std::collections::BTreeSet<String> = compact_rules(&missing).iter().map(compact_string).collect();
        let mut message = format!(
            "{} {:?} is forbidden: user {:?} (groups={groups}) is attempting to grant RBAC permissions not currently held:\n{}",
            resource.group_resource(),
            object.name(),
            user.username,
            lines.into_iter().collect::<Vec<_>>().join("\n")
        );
        // The resolver's error (an aggregate) in a one-element list.
        if !errors.is_empty() {
            message.push_str(&format!("; resolution errors: [{}]", aggregate_message(&errors)));
        }
        Err(ApiError::new(StatusReason::Forbidden, message))
    }

    /// The rules of the role a binding names, or the registry's NotFound.
    fn referenced_rules(&self, role_ref: &RoleRef, namespace: &str) -> Result<Vec<PolicyRule>, crate::ApiError> {
        let plural = if role_ref.kind == "Role" { "roles" } else { "clusterroles" };
        let r = crate::resource::by_plural_name(plural).ok_or_else(crate::ApiError::path_not_found)?;
        role_rules(&self.store, role_ref, namespace)
            .map(<[PolicyRule]>::to_vec)
            .map_err(|_| crate::ApiError::not_found(r, &role_ref.name))
    }
}
