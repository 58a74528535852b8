//! The audit view: the API server's requests, newest first, filtered by
//! user, verb and decision.

use saplay_cluster::audit::Decision;
use yew::prelude::*;

use crate::state::State;

/// Properties of [`Audit`].
#[derive(Properties, PartialEq)]
pub struct AuditProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// How many requests the view lists at most.
const SHOWN: usize = 200;

/// The audit panel.
#[function_component(Audit)]
pub fn audit(props: &AuditProps) -> Html {
    let user = use_state(String::new);
    let verb = use_state(String::new);
    let decision = use_state(String::new);
    let shell = props.state.shell();
    let log = shell.cluster().audit_log();
    let field = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                handle.set(input.value());
            }
        })
    };
    let on_decision = {
        let decision = decision.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                decision.set(select.value());
            }
        })
    };
    let rows: Vec<Html> = log
        .events()
        .rev()
        .filter(|e| user.is_empty() || e.user.contains(user.as_str()))
        .filter(|e| verb.is_empty() || e.verb == *verb)
        .filter(|e| decision.is_empty() || e.decision.as_str() == decision.as_str())
        .take(SHOWN)
        .map(|e| {
            // A refused request says why under its row, as the log records
            // it: the authenticator's reason for a 401, the authorizer's
            // for a 403.
            let why = match e.decision {
                Decision::Allow => None,
                Decision::Unauthenticated => Some(&e.authentication),
                Decision::Forbid => Some(&e.authorization),
            }
            .filter(|why| !why.is_empty());
            html! {
                <>
                <tr class={classes!(e.decision.as_str().to_string(), why.is_some().then_some("has-why"))}>
                    <td><time datetime={e.time.rfc3339()}>{ e.time.rfc3339().get(11..19).unwrap_or_default().to_string() }</time></td>
                    <td class="user">
                        if e.user.is_empty() { <span class="muted">{ "(none)" }</span> } else { { &e.user } }
                    </td>
                    <td>{ &e.verb }</td>
                    <td class="uri">{ &e.request_uri }</td>
                    <td>{ e.code }</td>
                    <td title={e.authorization.clone()}>{ e.decision.as_str() }</td>
                </tr>
                if let Some(why) = why {
                    <tr class={classes!("why", e.decision.as_str().to_string())}>
                        <td colspan="6">{ format!("Why: {why}") }</td>
                    </tr>
                }
                </>
            }
        })
        .collect();
    html! {
        <div class="audit">
            <div class="filters" role="group" aria-label="Filters">
                <label>{ "User " }<input type="search" value={(*user).clone()} oninput={field(&user)} placeholder="e.g. system:serviceaccount" /></label>
                <label>{ "Verb " }<input type="search" value={(*verb).clone()} oninput={field(&verb)} placeholder="get, list, create…" /></label>
                <label>{ "Decision " }
                    <select onchange={on_decision} aria-label="Decision">
                        { for ["", "allow", "forbid", "unauthenticated"].iter().map(|d| html! {
                            <option value={d.to_string()} selected={*d == decision.as_str()}>{ if d.is_empty() { "any" } else { d } }</option>
                        }) }
                    </select>
                </label>
            </div>
            <table>
                <caption class="visually-hidden">{ "API requests, newest first" }</caption>
                <thead><tr><th>{ "Time" }</th><th>{ "User" }</th><th>{ "Verb" }</th><th>{ "Request" }</th><th>{ "Code" }</th><th>{ "Decision" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
