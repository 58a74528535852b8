//! The cluster explorer: namespaces → service accounts, pods, secrets,
//! roles and bindings; the selected object's `describe` and YAML.

use yew::prelude::*;

use saplay_cluster::resource::by_plural_name;

use crate::state::{Action, ObjectRef, State};

/// Properties of [`Explorer`].
#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// The kinds the explorer lists per namespace, as (plural, heading).
const KINDS: [(&str, &str); 6] = [
    ("serviceaccounts", "Service accounts"),
    ("pods", "Pods"),
    ("secrets", "Secrets"),
    ("roles", "Roles"),
    ("rolebindings", "Role bindings"),
    ("configmaps", "Config maps"),
];

/// Cluster-wide kinds, as (plural, heading).
const CLUSTER_KINDS: [(&str, &str); 2] =
    [("clusterroles", "Cluster roles"), ("clusterrolebindings", "Cluster role bindings")];

/// The explorer panel.
#[function_component(Explorer)]
pub fn explorer(props: &ExplorerProps) -> Html {
    let state = &props.state;
    let namespace = use_state(|| "default".to_string());
    let show_yaml = use_state(|| false);
    let shell = state.shell();
    let store = shell.cluster().store();
    let namespaces: Vec<String> = shell.cluster().namespace_names().into_iter().map(str::to_string).collect();
    let names = |plural: &str, ns: Option<&str>| -> Vec<String> {
        by_plural_name(plural)
            .map(|r| store.list(r, ns).map(|o| o.metadata().name.clone().unwrap_or_default()).collect())
            .unwrap_or_default()
    };
    let select = |resource: &str, ns: &str, name: &str| {
        let state = state.clone();
        let object = ObjectRef { resource: resource.to_string(), namespace: ns.to_string(), name: name.to_string() };
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Select(object.clone())))
    };
    let group = |plural: &'static str, heading: &'static str, ns: Option<&str>| {
        let list = names(plural, ns);
        let ns_text = ns.unwrap_or_default().to_string();
        html! {
            <section class="kind">
                <h3>{ heading }<span class="count">{ format!(" ({})", list.len()) }</span></h3>
                if list.is_empty() {
                    <p class="empty">{ "none" }</p>
                } else {
                    <ul>
                        { for list.iter().map(|name| {
                            let chosen = state.selected.as_ref().is_some_and(|s| s.resource == plural && s.name == *name && s.namespace == ns_text);
                            html! {
                                <li><button type="button" class={classes!("object", chosen.then_some("selected"))}
                                    aria-pressed={chosen.to_string()}
                                    onclick={select(plural, &ns_text, name)}>{ name }</button></li>
                            }
                        }) }
                    </ul>
                }
            </section>
        }
    };
    let detail = state.selected.as_ref().map(|object| {
        let mut args = vec!["describe", object.resource.as_str(), object.name.as_str()];
        let yaml_args = ["get", object.resource.as_str(), object.name.as_str(), "-o", "yaml"];
        let mut yaml_args: Vec<&str> = yaml_args.to_vec();
        if !object.namespace.is_empty() {
            args.extend(["-n", object.namespace.as_str()]);
            yaml_args.extend(["-n", object.namespace.as_str()]);
        }
        let text = if *show_yaml { shell.observe(&yaml_args) } else { shell.observe(&args) };
        let yaml = shell.observe(&yaml_args).stdout();
        let edit = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::Edit(yaml.clone())))
        };
        let inspect = (object.resource == "pods").then(|| {
            let state = state.clone();
            let object = object.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::InspectPod(object.clone())))
        });
        let toggle = {
            let show_yaml = show_yaml.clone();
            Callback::from(move |_: MouseEvent| show_yaml.set(!*show_yaml))
        };
        html! {
            <section class="detail" aria-label={format!("{} {}", object.resource, object.name)}>
                <div class="detail-bar">
                    <h3>{ format!("{}/{}", object.resource, object.name) }</h3>
                    <button type="button" onclick={toggle} aria-pressed={show_yaml.to_string()}>
                        { if *show_yaml { "Describe" } else { "YAML" } }
                    </button>
                    <button type="button" onclick={edit}>{ "Edit" }</button>
                    if let Some(inspect) = inspect {
                        <button type="button" onclick={inspect}>{ "Inspect" }</button>
                    }
                </div>
                <pre class="output">{ text.terminal_text() }</pre>
            </section>
        }
    });
    let on_namespace = {
        let namespace = namespace.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                namespace.set(select.value());
            }
        })
    };
    html! {
        <div class="explorer">
            <label class="namespace">{ "Namespace " }
                <select onchange={on_namespace} aria-label="Namespace">
                    { for namespaces.iter().map(|ns| html! { <option value={ns.clone()} selected={*ns == *namespace}>{ ns }</option> }) }
                </select>
            </label>
            <div class="kinds">
                { for KINDS.iter().map(|(plural, heading)| group(plural, heading, Some(namespace.as_str()))) }
                <details class="cluster-scoped">
                    <summary>{ "Cluster-wide" }</summary>
                    { for CLUSTER_KINDS.iter().map(|(plural, heading)| group(plural, heading, None)) }
                </details>
            </div>
            { detail.unwrap_or_default() }
        </div>
    }
}
