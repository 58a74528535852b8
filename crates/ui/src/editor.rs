//! The YAML editor: a text area with line numbers and syntax colours,
//! templates of the chapter's objects, and Apply / Dry run / Delete. Each
//! button runs the matching kubectl command in the terminal, so the learner
//! sees the command and kubectl's answer; problems found before the run
//! (kubectl's own checks) and fields named by the server's errors are also
//! marked at their line.

use saplay_shell::kubectl::{check_manifest, locate_errors, ManifestProblem};
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::highlight::highlight;
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
    with_input(&format!("kubectl {verb} -f -"), text)
}

/// `command` with `text` as its standard input (a quoted here-document).
pub fn with_input(command: &str, text: &str) -> String {
    let end = delimiter(text);
    let body = text.strip_suffix('\n').unwrap_or(text);
    format!("{command} <<'{end}'\n{body}\n{end}")
}

/// The problems to show for `text`: kubectl's client-side checks, and the
/// fields named in the errors of the last run of `command` over it.
fn problems(state: &State, text: &str, command: &str) -> Vec<ManifestProblem> {
    let mut all = check_manifest(text);
    if let Some(entry) = state.transcript.iter().rev().find(|e| e.command == command) {
        all.extend(locate_errors(text, &entry.output.stderr()));
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|p| seen.insert((p.line, p.message.clone())));
    all.sort_by_key(|p| p.line);
    all
}

/// The UTF-16 offset where 1-based `line` starts (for the text area's
/// selection).
fn line_start(text: &str, line: usize) -> u32 {
    let units: usize = text.split('\n').take(line.saturating_sub(1)).map(|l| l.encode_utf16().count() + 1).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The editor panel.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let state = &props.state;
    let area = use_node_ref();
    let overlay = use_node_ref();
    let gutter = use_node_ref();
    let text = use_state(|| state.editor_text.clone());
    // The command last run from the editor, with the text it ran on.
    let ran = use_state(|| None::<(String, String)>);
    {
        // "Edit" from the explorer, and `kubectl edit`, replace the text.
        let text = text.clone();
        use_effect_with((state.editor_seq, state.editor_text.clone()), move |(_, incoming)| {
            if !incoming.is_empty() {
                text.set(incoming.clone());
            }
        });
    }
    {
        // `kubectl edit` hands the object to the editor as kubectl hands it
        // to the learner's: the text takes the keyboard (and scrolls into
        // view where the panels are below the terminal, as in embeds).
        let area = area.clone();
        let editing = state.editing.is_some();
        use_effect_with((state.editor_seq, editing), move |(_, editing)| {
            if *editing {
                if let Some(field) = area.cast::<HtmlTextAreaElement>() {
                    let _ = field.focus();
                }
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
    let onscroll = {
        let (overlay, gutter) = (overlay.clone(), gutter.clone());
        Callback::from(move |e: Event| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                if let Some(pre) = overlay.cast::<HtmlElement>() {
                    pre.set_scroll_top(area.scroll_top());
                    pre.set_scroll_left(area.scroll_left());
                }
                if let Some(numbers) = gutter.cast::<HtmlElement>() {
                    numbers.set_scroll_top(area.scroll_top());
                }
            }
        })
    };
    let run = |verb: &'static str| {
        let state = state.clone();
        let text = text.clone();
        let ran = ran.clone();
        Callback::from(move |_: MouseEvent| {
            if !text.trim().is_empty() {
                let line = command(verb, &text);
                ran.set(Some(((*text).clone(), line.clone())));
                state.dispatch(Action::Run(line));
            }
        })
    };
    // Save of a `kubectl edit`: kubectl gets the text as it would get the
    // editor's file (an empty one cancels the edit).
    let save = {
        let state = state.clone();
        let text = text.clone();
        let ran = ran.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(open) = &state.editing {
                let line = with_input(open, &text);
                ran.set(Some(((*text).clone(), line.clone())));
                state.dispatch(Action::Run(line));
            }
        })
    };
    let stop = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::StopEditing))
    };
    let template = |yaml: &'static str| {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| text.set(yaml.to_string()))
    };
    let found = match &*ran {
        Some((ran_on, line)) if *ran_on == *text => problems(state, &text, line),
        _ => Vec::new(),
    };
    let jump = |line: usize| {
        let area = area.clone();
        let start = line_start(&text, line);
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let _ = area.focus();
                let _ = area.set_selection_range(start, start);
            }
        })
    };
    let lines = text.lines().count().max(1);
    let painted = highlight(&text);
    let numbers = (1..=lines.max(painted.len())).map(|n| {
        let bad = found.iter().any(|p| p.line == n);
        html! { <span class={classes!("ln", bad.then_some("error"))}>{ if bad { format!("\u{2716} {n}\n") } else { format!("{n}\n") } }</span> }
    });
    let overlay_lines = painted.iter().enumerate().map(|(i, pieces)| {
        let here: Vec<&ManifestProblem> = found.iter().filter(|p| p.line == i + 1).collect();
        let last = i + 1 == painted.len();
        html! {
            <>
                <span class={classes!("yl", (!here.is_empty()).then_some("error"))}>
                    { for pieces.iter().map(|(class, piece)| html! { <span class={class.css()}>{ piece.clone() }</span> }) }
                </span>
                { for here.first().map(|p| html! { <span class="lint">{ format!("  \u{2190} {}", p.message) }</span> }) }
                { if last { "" } else { "\n" } }
            </>
        }
    });
    html! {
        <div class="editor">
            <div class="templates" role="group" aria-label="Templates">
                { for TEMPLATES.iter().map(|(label, yaml)| html! {
                    <button type="button" onclick={template(yaml)}>{ *label }</button>
                }) }
            </div>
            <div class="code">
                <pre class="line-numbers" ref={gutter} aria-hidden="true">{ for numbers }</pre>
                <div class="layers">
                    <pre class="highlight" ref={overlay} aria-hidden="true">{ for overlay_lines }{ "\n" }</pre>
                    <textarea ref={area.clone()} value={(*text).clone()} {oninput} {onscroll} spellcheck="false" wrap="off"
                        aria-label="YAML manifest" aria-invalid={(!found.is_empty()).to_string()}
                        aria-describedby="editor-problems" rows={(lines + 2).to_string()} />
                </div>
            </div>
            <div id="editor-problems" class="problems" role="status" aria-live="polite">
                if !found.is_empty() {
                    <ul aria-label="Problems in the manifest">
                        { for found.iter().map(|p| html! {
                            <li><button type="button" class="goto" onclick={jump(p.line)}>{ format!("Line {}", p.line) }</button>{ format!(": {}", p.message) }</li>
                        }) }
                    </ul>
                }
            </div>
            if let Some(open) = &state.editing {
                <div class="actions" role="group" aria-label="Editor actions">
                    <button type="button" class="primary" onclick={save}>{ "Save" }</button>
                    <button type="button" onclick={stop}>{ "Cancel" }</button>
                </div>
                <p class="hint">{ format!("Editing for {open}: Save hands the text to kubectl, as closing its editor would; it sends what changed.") }</p>
            } else {
                <div class="actions" role="group" aria-label="Editor actions">
                    <button type="button" class="primary" onclick={run("apply")}>{ "Apply" }</button>
                    <button type="button" onclick={run("apply --dry-run=server")}>{ "Dry run" }</button>
                    <button type="button" onclick={run("delete")}>{ "Delete" }</button>
                </div>
                <p class="hint">{ "The buttons run kubectl in the terminal, where its whole answer appears; problems it finds in the manifest are also marked at their line here." }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_count_utf16_units() {
        assert_eq!(line_start("ab\n\u{e9}\u{1f600}\nc", 1), 0);
        assert_eq!(line_start("ab\n\u{e9}\u{1f600}\nc", 3), 7);
        assert_eq!(line_start("", 9), 1);
    }

    #[test]
    fn commands_quote_the_manifest_as_a_literal_here_document() {
        let text = "kind: X\nname: $HOME\nEOF\n";
        assert_eq!(command("apply", text), "kubectl apply -f - <<'EOF_'\nkind: X\nname: $HOME\nEOF\nEOF_");
    }
}
