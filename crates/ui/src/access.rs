//! The access view: "can this subject do this in that namespace?" with the
//! authorizer's why-trace and the matching `kubectl auth can-i` command; an
//! access matrix (resources × verbs) for the subject; and who-can for the
//! request. Every answer comes from the cluster's read-only inspection API,
//! so it is the one a request would meet, and it follows the cluster live.

use saplay_cluster::authn::UserInfo;
use saplay_cluster::rbac::Attributes;
use saplay_cluster::resource::{by_plural_name, RESOURCES, SUBRESOURCES};
use yew::prelude::*;

use crate::state::{Action, State};

/// Properties of [`Access`].
#[derive(Properties, PartialEq)]
pub struct AccessProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// The verbs the check offers.
const VERBS: [&str; 11] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "impersonate",
    "bind",
    "escalate",
];

/// The matrix's columns.
const MATRIX_VERBS: [&str; 7] = ["get", "list", "watch", "create", "update", "patch", "delete"];

/// The matrix's rows: what a learner of the chapter meets (those the
/// cluster serves).
const MATRIX_RESOURCES: [&str; 8] =
    ["pods", "pods/exec", "secrets", "configmaps", "serviceaccounts", "serviceaccounts/token", "roles", "rolebindings"];

/// The value of the subject choice that means "type a user and groups".
const OTHER: &str = "";

/// Every resource the cluster serves, with its served subresources after
/// it, as `resource[/subresource]`.
fn resource_choices() -> Vec<String> {
    let mut out = Vec::new();
    for r in RESOURCES {
        out.push(r.plural.to_string());
        out.extend(SUBRESOURCES.iter().filter(|(p, _, _)| *p == r.plural).map(|(p, s, _)| format!("{p}/{s}")));
    }
    out
}

/// The request `verb` on `resource[/subresource]` in `namespace`.
fn attributes(verb: &str, resource: &str, namespace: &str) -> Attributes {
    let (plural, subresource) = resource.split_once('/').unwrap_or((resource, ""));
    Attributes {
        verb: verb.to_string(),
        resource_request: true,
        api_group: by_plural_name(plural).map(|r| r.group.to_string()).unwrap_or_default(),
        resource: plural.to_string(),
        subresource: subresource.to_string(),
        namespace: namespace.to_string(),
        ..Attributes::default()
    }
}

/// A word as the shell reads it back: single-quoted when it holds anything
/// but safe characters.
fn quote(word: &str) -> String {
    let safe = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `kubectl auth can-i VERB RESOURCE [--subresource=S] -n NS --as=USER
/// [--as-group=G]…`: the same question asked through the API.
pub fn can_i_command(verb: &str, resource: &str, namespace: &str, user: &str, groups: &[String]) -> String {
    let (plural, subresource) = resource.split_once('/').unwrap_or((resource, ""));
    let mut words = vec!["kubectl".to_string(), "auth".into(), "can-i".into(), quote(verb), quote(plural)];
    if !subresource.is_empty() {
        words.push(format!("--subresource={}", quote(subresource)));
    }
    words.push("-n".into());
    words.push(quote(namespace));
    words.push(format!("--as={}", quote(user)));
    words.extend(groups.iter().map(|g| format!("--as-group={}", quote(g))));
    words.join(" ")
}

/// `a, b ,c` → `a`, `b`, `c`.
fn split_groups(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|g| !g.is_empty()).map(str::to_string).collect()
}

fn on_select(handle: &UseStateHandle<String>) -> Callback<Event> {
    let handle = handle.clone();
    Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            handle.set(select.value());
        }
    })
}

fn on_text(handle: &UseStateHandle<String>) -> Callback<InputEvent> {
    let handle = handle.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            handle.set(input.value());
        }
    })
}

/// The access panel.
#[function_component(Access)]
pub fn access(props: &AccessProps) -> Html {
    let state = &props.state;
    let subject = use_state(|| None::<String>);
    let user_text = use_state(|| "jane".to_string());
    let groups_text = use_state(String::new);
    let verb = use_state(|| "list".to_string());
    let resource = use_state(|| "pods".to_string());
    let namespace = use_state(|| "default".to_string());

    let shell = state.shell();
    let cluster = shell.cluster();
    let namespaces: Vec<String> = cluster.namespace_names().into_iter().map(str::to_string).collect();
    // Service accounts, as (username, label): the current namespace's first.
    let mut accounts: Vec<(String, String)> = Vec::new();
    if let Some(r) = by_plural_name("serviceaccounts") {
        let mut order: Vec<&String> = namespaces.iter().filter(|n| **n == *namespace).collect();
        order.extend(namespaces.iter().filter(|n| **n != *namespace));
        for ns in order {
            for object in cluster.store().list(r, Some(ns)) {
                let name = object.metadata().name.clone().unwrap_or_default();
                accounts.push((format!("system:serviceaccount:{ns}:{name}"), format!("{ns}/{name}")));
            }
        }
    }
    // The chosen subject; a service account that is gone falls back to
    // the first one listed.
    let chosen = match subject.as_deref() {
        Some(OTHER) => OTHER.to_string(),
        Some(s) if accounts.iter().any(|(u, _)| u == s) => s.to_string(),
        _ => accounts.first().map(|(u, _)| u.clone()).unwrap_or_default(),
    };
    let (username, groups) = if chosen == OTHER {
        (user_text.trim().to_string(), split_groups(&groups_text))
    } else {
        (chosen.clone(), Vec::new())
    };
    let user = UserInfo::impersonated(&username, &groups, "");
    let attrs = attributes(&verb, &resource, &namespace);
    let answer = (!username.is_empty()).then(|| cluster.access_check(&user, &attrs));
    let command = can_i_command(&verb, &resource, &namespace, &username, &groups);

    let on_subject = {
        let subject = subject.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                subject.set(Some(select.value()));
            }
        })
    };
    let run = {
        let state = state.clone();
        let command = command.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Run(command.clone())))
    };

    let rows: Vec<(&str, &str)> = MATRIX_RESOURCES
        .iter()
        .filter_map(|r| {
            let plural = r.split('/').next().unwrap_or(r);
            by_plural_name(plural).map(|info| (info.group, *r))
        })
        .collect();
    let matrix =
        if username.is_empty() { Vec::new() } else { cluster.access_matrix(&user, &namespace, &rows, &MATRIX_VERBS) };
    let who = cluster.who_can(&attrs);
    let shown_user = if username.is_empty() { "(no user)".to_string() } else { username.clone() };

    html! {
        <div class="access">
            <section aria-labelledby="access-check-title">
                <h3 id="access-check-title">{ "Can this subject do it?" }</h3>
                <div class="question" role="group" aria-label="The request">
                    <label>{ "Subject " }
                        <select aria-label="Subject" onchange={on_subject}>
                            { for accounts.iter().map(|(u, label)| html! {
                                <option value={u.clone()} selected={*u == chosen}>{ format!("service account {label}") }</option>
                            }) }
                            <option value={OTHER} selected={chosen == OTHER}>{ "a user or groups…" }</option>
                        </select>
                    </label>
                    if chosen == OTHER {
                        <label>{ "User " }<input type="text" aria-label="User name" value={(*user_text).clone()} oninput={on_text(&user_text)} /></label>
                        <label>{ "Groups " }<input type="text" aria-label="Groups, separated by commas" placeholder="devs, qa" value={(*groups_text).clone()} oninput={on_text(&groups_text)} /></label>
                    }
                    <label>{ "Verb " }
                        <select aria-label="Verb" onchange={on_select(&verb)}>
                            { for VERBS.iter().map(|v| html! { <option value={*v} selected={*v == verb.as_str()}>{ *v }</option> }) }
                        </select>
                    </label>
                    <label>{ "Resource " }
                        <select aria-label="Resource" onchange={on_select(&resource)}>
                            { for resource_choices().into_iter().map(|r| html! { <option value={r.clone()} selected={r == *resource}>{ r.clone() }</option> }) }
                        </select>
                    </label>
                    <label>{ "Namespace " }
                        <select aria-label="Namespace" onchange={on_select(&namespace)}>
                            { for namespaces.iter().map(|n| html! { <option value={n.clone()} selected={*n == *namespace}>{ n.clone() }</option> }) }
                        </select>
                    </label>
                </div>
                <div class="answer" role="status" aria-live="polite">
                    { match &answer {
                        Some(a) => html! {
                            <>
                                <p class={classes!("verdict", if a.allowed { "yes" } else { "no" })}>
                                    <strong>{ if a.allowed { "yes" } else { "no" } }</strong>
                                    { format!(" — {shown_user} {} {} {} in {}", if a.allowed { "may" } else { "may not" }, *verb, *resource, *namespace) }
                                </p>
                                <ul class="why" aria-label="Why">
                                    { for a.why.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                                    { for a.evaluation_errors.iter().filter(|e| !a.why.iter().any(|w| w.contains(e.as_str()))).map(|e| html! { <li>{ e.clone() }</li> }) }
                                </ul>
                            </>
                        },
                        None => html! { <p class="verdict">{ "Type a user name to ask." }</p> },
                    } }
                </div>
                <div class="command">
                    <code>{ command.clone() }</code>
                    <button type="button" onclick={run} disabled={username.is_empty()}>{ "Run in terminal" }</button>
                </div>
            </section>
            <section aria-labelledby="access-matrix-title">
                <h3 id="access-matrix-title">{ format!("What {shown_user} may do in {}", *namespace) }</h3>
                <table class="matrix">
                    <caption class="visually-hidden">{ format!("Access matrix of {shown_user} in namespace {}: resources by verbs", *namespace) }</caption>
                    <thead><tr><th scope="col">{ "resource" }</th>{ for MATRIX_VERBS.iter().map(|v| html! { <th scope="col">{ *v }</th> }) }</tr></thead>
                    <tbody>
                        { for rows.iter().zip(matrix.iter()).map(|((_, r), cells)| html! {
                            <tr>
                                <th scope="row">{ *r }</th>
                                { for MATRIX_VERBS.iter().zip(cells.iter()).map(|(v, ok)| html! {
                                    <td class={if *ok { "yes" } else { "no" }} title={format!("{v} {r}: {}", if *ok { "allowed" } else { "not allowed" })}>
                                        <span aria-hidden="true">{ if *ok { "✓" } else { "—" } }</span>
                                        <span class="visually-hidden">{ if *ok { "allowed" } else { "not allowed" } }</span>
                                    </td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="access-who-title">
                <h3 id="access-who-title">{ format!("Who can {} {} in {}?", *verb, *resource, *namespace) }</h3>
                <table class="who">
                    <thead><tr><th scope="col">{ "subject" }</th><th scope="col">{ "allowed by" }</th><th scope="col">{ "role" }</th></tr></thead>
                    <tbody>
                        { for who.iter().map(|w| {
                            let ns = w.subject.namespace.as_deref().filter(|n| !n.is_empty()).map(|n| format!("{n}/")).unwrap_or_default();
                            let binding = if w.binding_name.is_empty() {
                                "membership: may do anything".to_string()
                            } else if w.binding_namespace.is_empty() {
                                format!("{} {}", w.binding_kind, w.binding_name)
                            } else {
                                format!("{} {}/{}", w.binding_kind, w.binding_namespace, w.binding_name)
                            };
                            let role = if w.role_ref.name.is_empty() { "—".to_string() } else { format!("{} {}", w.role_ref.kind, w.role_ref.name) };
                            html! {
                                <tr>
                                    <td class="subject">{ format!("{} {ns}{}", w.subject.kind, w.subject.name) }</td>
                                    <td>{ binding }</td>
                                    <td>{ role }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_asks_kubectl_the_same_question() {
        assert_eq!(
            can_i_command("list", "pods", "default", "system:serviceaccount:default:build-robot", &[]),
            "kubectl auth can-i list pods -n default --as=system:serviceaccount:default:build-robot"
        );
        // A subresource goes in --subresource: `pods/exec` would be a name.
        assert_eq!(
            can_i_command("create", "pods/exec", "dev", "jane", &["devs".into(), "my team".into()]),
            "kubectl auth can-i create pods --subresource=exec -n dev --as=jane --as-group=devs '--as-group=my team'"
                .replace("'--as-group=my team'", "--as-group='my team'")
        );
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn choices_and_attributes() {
        let choices = resource_choices();
        let pods = choices.iter().position(|r| r == "pods");
        assert_eq!(choices.iter().position(|r| r == "pods/exec"), pods.map(|p| p + 1));
        assert!(choices.contains(&"serviceaccounts/token".to_string()));
        let a = attributes("create", "serviceaccounts/token", "dev");
        assert_eq!(
            (a.resource.as_str(), a.subresource.as_str(), a.api_group.as_str()),
            ("serviceaccounts", "token", "")
        );
        assert_eq!(attributes("get", "roles", "x").api_group, "rbac.authorization.k8s.io");
        assert_eq!(split_groups(" a, ,b "), ["a", "b"]);
    }
}
