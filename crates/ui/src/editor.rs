//! The YAML editor: a text area with line numbers, templates of the
//! chapter's objects, and Apply / Dry run / Delete. Each button runs the
//! matching kubectl command in the terminal, so the learner sees the
//! command, kubectl's answer and any error with its line.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::state::{Action, State};

/// Properties of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// The chapter's objects, as (label, YAML).
pub const TEMPLATES: [(&str, &str); 4] = [
    (
        "ServiceAccount",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\n  namespace: default\nautomountServiceAccountToken: true\n",
    ),
    (
        "Pod",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  serviceAccountName: build-robot\n  containers:\n  - name: nginx\n    image: nginx:1.27\n",
    ),
    (
        "Role",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: pod-reader\n  namespace: default\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"watch\", \"list\"]\n",
    ),
    (
        "RoleBinding",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-pods\n  namespace: default\nsubjects:\n- kind: ServiceAccount\n  name: build-robot\n  namespace: default\nroleRef:\n  kind: Role\n  name: pod-reader\n  apiGroup: rbac.authorization.k8s.io\n",
    ),
];

/// A here-document delimiter that the text does not contain.
fn delimiter(text: &str) -> String {
    let mut word = "EOF".to_string();
    while text.lines().any(|l| l == word) {
        word.push('_');
    }
    word
}

/// The kubectl command the editor runs for `verb` over `text`.
pub fn command(verb: &str, text: &str) -> String {
    let end = delimiter(text);
    let body = text.strip_suffix('\n').unwrap_or(text);
    format!("kubectl {verb} -f - <<'{end}'\n{body}\n{end}")
}

/// The editor panel.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let state = &props.state;
    let area = use_node_ref();
    let text = use_state(|| state.editor_text.clone());
    {
        // "Edit" from the explorer replaces the text.
        let text = text.clone();
        use_effect_with(state.editor_text.clone(), move |incoming| {
            if !incoming.is_empty() {
                text.set(incoming.clone());
            }
        });
    }
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                text.set(area.value());
            }
        })
    };
    let run = |verb: &'static str| {
        let state = state.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            if !text.trim().is_empty() {
                state.dispatch(Action::Run(command(verb, &text)));
            }
        })
    };
    let template = |yaml: &'static str| {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| text.set(yaml.to_string()))
    };
    let lines = text.lines().count().max(1);
    html! {
        <div class="editor">
            <div class="templates" role="group" aria-label="Templates">
                { for TEMPLATES.iter().map(|(label, yaml)| html! {
                    <button type="button" onclick={template(yaml)}>{ *label }</button>
                }) }
            </div>
            <div class="code">
                <pre class="line-numbers" aria-hidden="true">{ (1..=lines).map(|n| format!("{n}\n")).collect::<String>() }</pre>
                <textarea ref={area} value={(*text).clone()} {oninput} spellcheck="false"
                    aria-label="YAML manifest" rows={(lines + 2).to_string()} />
            </div>
            <div class="actions" role="group" aria-label="Editor actions">
                <button type="button" class="primary" onclick={run("apply")}>{ "Apply" }</button>
                <button type="button" onclick={run("apply --dry-run=server")}>{ "Dry run" }</button>
                <button type="button" onclick={run("delete")}>{ "Delete" }</button>
            </div>
            <p class="hint">{ "The buttons run kubectl in the terminal, where its answer (and any error, with its line) appears." }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_quote_the_manifest_as_a_literal_here_document() {
        let text = "kind: X\nname: $HOME\nEOF\n";
        assert_eq!(command("apply", text), "kubectl apply -f - <<'EOF_'\nkind: X\nname: $HOME\nEOF\nEOF_");
    }
}
