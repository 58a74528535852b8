//! The pod inspector: a pod's mounted files as each container sees them
//! (the projected volume's timestamped directory, the `..data` link and
//! the per-file links), a file's content, and the service-account token
//! the kubelet mounted: when it was issued, when it expires and when the
//! kubelet will replace it, live against the cluster's clock.

use yew::prelude::*;

use saplay_cluster::fs::{Entry, EntryKind};
use saplay_cluster::inspect::MountedTokenInfo;
use saplay_cluster::kubelet::ContainerMounts;
use saplay_cluster::resource::by_plural_name;
use saplay_cluster::store::Key;
use saplay_cluster::{Object, Time};

use crate::state::{Action, ObjectRef, State};
use crate::token::{relative, span, when};

/// Properties of [`PodPanel`].
#[derive(Properties, PartialEq)]
pub struct PodProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// `parent/name` without doubling the slash.
pub fn join(parent: &str, name: &str) -> String {
    format!("{}/{name}", parent.trim_end_matches('/'))
}

/// One line of the tree: an entry, its full path, and its children.
fn tree(mounts: &ContainerMounts, dir: &str, chosen: &UseStateHandle<Option<String>>) -> Html {
    let entries: Vec<Entry> = mounts.read_dir(dir).unwrap_or_default();
    html! {
        <ul>
            { for entries.iter().map(|e| {
                let path = join(dir, &e.name);
                let pick = {
                    let chosen = chosen.clone();
                    let path = path.clone();
                    Callback::from(move |_: MouseEvent| chosen.set(Some(path.clone())))
                };
                let selected = chosen.as_deref() == Some(path.as_str());
                match &e.kind {
                    EntryKind::Directory => html! {
                        <li class="dir"><span class="name">{ format!("{}/", e.name) }</span>{ tree(mounts, &path, chosen) }</li>
                    },
                    EntryKind::Symlink(target) if e.name == "..data" => html! {
                        <li class="link"><span class="name">{ e.name.clone() }</span>
                            <span class="target">{ format!(" → {target}") }</span></li>
                    },
                    EntryKind::Symlink(target) => html! {
                        <li class="link"><button type="button" class={classes!("file", selected.then_some("selected"))}
                            aria-pressed={selected.to_string()} onclick={pick}>{ e.name.clone() }</button>
                            <span class="target">{ format!(" → {target}") }</span></li>
                    },
                    EntryKind::File(content) => html! {
                        <li class="data-file"><button type="button" class={classes!("file", selected.then_some("selected"))}
                            aria-pressed={selected.to_string()} onclick={pick}>{ e.name.clone() }</button>
                            <span class="size">{ format!(" {} bytes", content.len()) }</span></li>
                    },
                }
            }) }
        </ul>
    }
}

fn token_view(info: &MountedTokenInfo, pod: &ObjectRef, now: Time, state: &UseReducerHandle<State>) -> Html {
    let inspect = {
        let state = state.clone();
        let token = info.token.clone();
        let pod = pod.clone();
        Callback::from(move |_: MouseEvent| {
            // Keep this pod chosen here (even once it is gone), then show the token.
            state.dispatch(Action::InspectPod(pod.clone()));
            state.dispatch(Action::InspectToken(token.clone()));
        })
    };
    let at = |t: Time| {
        html! { <><time datetime={t.rfc3339()}>{ when(t) }</time><span class="relative">{ format!(" ({})", relative(now, t)) }</span></> }
    };
    html! {
        <section class="mounted-token" aria-label={format!("Token in volume {}", info.volume)}>
            <h3>{ format!("Token in volume {}", info.volume) }</h3>
            <dl class="facts">
                <dt>{ "File" }</dt>
                <dd>{ for info.mount_paths.iter().map(|(c, p)| html! {
                    <div><code>{ join(p, &info.path) }</code>{ format!(" in container {c}") }</div>
                }) }</dd>
                <dt>{ "Issued" }</dt><dd class="issued">{ at(info.issued_at) }</dd>
                <dt>{ "Expires" }</dt><dd class="expires">{ at(info.expires) }
                    if info.expires.unix_seconds() - info.issued_at.unix_seconds() > info.expiration_seconds + 60 {
                        <div class="hint">{ "later than the kubelet asked: the API server extends the tokens it gives kubelets to a year (--service-account-extend-token-expiration), so that clients which do not re-read the file keep working; the token's warnafter claim keeps the requested lifetime, and the kubelet replaces the file long before either" }</div>
                    }
                </dd>
                <dt>{ "Requested lifetime" }</dt>
                <dd>{ format!("expirationSeconds: {} ({})", info.expiration_seconds, span(info.expiration_seconds)) }</dd>
                <dt>{ "Audience" }</dt><dd><code>{ info.audiences.join(", ") }</code></dd>
                <dt>{ "Kubelet wants a new one" }</dt>
                <dd class="threshold">{ at(info.refresh_threshold) }
                    <div class="hint">{ "at 80 % of the token's life, or after 24 h, whichever comes first" }</div></dd>
                <dt>{ "Next write" }</dt>
                <dd class="next-write">{ match info.next_refresh {
                    Some(t) => at(t),
                    None => html! { { "none scheduled" } },
                } }
                    <div class="hint">{ "at the kubelet's next sync after that: a new timestamped directory, then ..data is switched to it" }</div></dd>
                <dt>{ "..data points to" }</dt><dd><code class="data-dir">{ info.data_dir.clone() }</code></dd>
            </dl>
            <button type="button" onclick={inspect}>{ "Inspect token" }</button>
        </section>
    }
}

/// The pod panel.
#[function_component(PodPanel)]
pub fn pod_panel(props: &PodProps) -> Html {
    let state = &props.state;
    let chosen_file = use_state(|| None::<String>);
    let shell = state.shell();
    let cluster = shell.cluster();
    let now = cluster.now();
    let Some(pods_resource) = by_plural_name("pods") else { return html! {} };
    let mut pods: Vec<ObjectRef> = Vec::new();
    for ns in cluster.namespace_names() {
        for o in cluster.store().list(pods_resource, Some(ns)) {
            let name = o.metadata().name.clone().unwrap_or_default();
            pods.push(ObjectRef { resource: "pods".to_string(), namespace: ns.to_string(), name });
        }
    }
    // The pod asked for, else the first one there is.
    let pod = state.pod.clone().or_else(|| pods.first().cloned());
    let on_pick = {
        let state = state.clone();
        let pods = pods.clone();
        let chosen_file = chosen_file.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else { return };
            let value = select.value();
            if let Some(pod) = pods.iter().find(|p| format!("{}/{}", p.namespace, p.name) == value) {
                chosen_file.set(None);
                state.dispatch(Action::InspectPod(pod.clone()));
            }
        })
    };
    let picker = html! {
        <label class="pod-picker">{ "Pod " }
            <select onchange={on_pick}>
                if pod.as_ref().is_none_or(|p| !pods.contains(p)) {
                    <option value="" selected=true>{ pod.as_ref().map_or("(none)".to_string(), |p| format!("{}/{} (gone)", p.namespace, p.name)) }</option>
                }
                { for pods.iter().map(|p| {
                    let value = format!("{}/{}", p.namespace, p.name);
                    html! { <option value={value.clone()} selected={pod.as_ref() == Some(p)}>{ value }</option> }
                }) }
            </select>
        </label>
    };
    let Some(pod) = pod else {
        return html! {
            <div class="pod-inspector">{ picker }
                <p class="hint">{ "No pods yet. Try kubectl run web --image=nginx." }</p>
            </div>
        };
    };
    let spec = match cluster.store().get(&Key::new(pods_resource, &pod.namespace, &pod.name)) {
        Some(Object::Pod(p)) => p.spec.clone().unwrap_or_default(),
        _ => {
            return html! {
                <div class="pod-inspector">{ picker }
                    <p class="hint">{ format!("The pod {}/{} does not exist (any more).", pod.namespace, pod.name) }</p>
                </div>
            };
        }
    };
    let containers: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    let tokens = cluster.mounted_tokens(&pod.namespace, &pod.name).unwrap_or_default();
    let views: Vec<Html> = containers
        .iter()
        .map(|c| {
            let mounts = cluster.container_mounts(&pod.namespace, &pod.name, Some(c));
            let body = match &mounts {
                Ok(m) if m.mounts.is_empty() => html! { <p class="hint">{ "No volumes mounted." }</p> },
                Ok(m) => html! {
                    <>{ for m.mounts.iter().map(|(path, read_only, _)| html! {
                        <ul class="tree" aria-label={format!("Files under {path}")}>
                            <li class="dir mount"><span class="name">{ path.clone() }</span>
                                if *read_only { <span class="hint">{ " (read-only)" }</span> }
                                { tree(m, path, &chosen_file) }</li>
                        </ul>
                    }) }</>
                },
                Err(e) => html! { <p class="hint">{ e.to_string() }</p> },
            };
            let content = mounts
                .ok()
                .zip(chosen_file.as_ref())
                .and_then(|(m, file)| m.read_file(file).ok().map(|text| (file.clone(), text)));
            html! {
                <section class="container">
                    <h3>{ format!("Container {c}") }</h3>
                    { body }
                    if let Some((file, text)) = content {
                        <figure class="file-content">
                            <figcaption><code>{ file }</code></figcaption>
                            <pre class="output">{ text }</pre>
                        </figure>
                    }
                </section>
            }
        })
        .collect();
    html! {
        <div class="pod-inspector">
            { picker }
            if tokens.is_empty() {
                <p class="hint">{ "No projected service-account token is mounted in this pod." }</p>
            }
            { for tokens.iter().map(|t| token_view(t, &pod, now, state)) }
            { for views }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_with_one_slash() {
        assert_eq!(
            join("/var/run/secrets/kubernetes.io/serviceaccount", "token"),
            "/var/run/secrets/kubernetes.io/serviceaccount/token"
        );
        assert_eq!(join("/data/", "..data"), "/data/..data");
    }
}
