//! The terminal: the transcript, and a prompt line with history (↑/↓),
//! Tab completion, `> ` continuation lines for unfinished commands,
//! multi-line paste, Ctrl-C and Ctrl-L. Object names and tokens in the
//! output are buttons that open them in the explorer or the token panel.

use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use saplay_shell::links::{self, Target};
use saplay_shell::syntax;
use saplay_shell::Stream;

use crate::state::{Action, Entry, ObjectRef, State};

/// Properties of [`Terminal`].
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// What was run so far.
    pub transcript: Vec<Entry>,
    /// The prompt for the next command (`$ `, or a pod shell's).
    pub prompt: String,
    /// Earlier command lines, oldest first (↑ walks back through them).
    pub history: Vec<String>,
    /// Called with a complete command (possibly several lines).
    pub on_run: Callback<String>,
    /// Called on Ctrl-L.
    pub on_clear: Callback<()>,
    /// Tab completion: (line, cursor) → what to offer.
    pub on_complete: Callback<(String, usize), Offer>,
    /// The kubeconfig's namespace (for names in `kubectl get` tables).
    pub namespace: Option<String>,
    /// Where clicks on names and tokens go.
    pub dispatch: UseReducerDispatcher<State>,
    /// A line to put into the input (a lesson's "try it"), numbered.
    #[prop_or_default]
    pub fill: (u64, String),
    /// The lines of an unfinished command to start with (typed before
    /// the app ran).
    #[prop_or_default]
    pub pending_at_start: Vec<String>,
}

/// What Tab offers: where the word starts, the candidates, and the text
/// one press inserts.
pub type Offer = (usize, Vec<String>, Option<String>);

/// A terminal that shows the transcript and reads commands.
#[function_component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let input = use_node_ref();
    let log = use_node_ref();
    // Lines of an unfinished command (open quote, here-document, `|` …).
    let pending = use_state(|| props.pending_at_start.clone());
    // Where ↑/↓ stand in the history (`None`: the line being typed).
    let history_at = use_state(|| None::<usize>);
    // What the last Tab offered, shown under the prompt.
    let offered = use_state(Vec::<String>::new);

    {
        // Keep the newest output in view. Not for an empty log (its top is
        // its end): reading its height would lay the page out in the middle
        // of the first render, which then overruns Yew's 16 ms slice and
        // leaves a command typed at once waiting for the next task.
        let log = log.clone();
        let count = props.transcript.len();
        let pending_len = pending.len();
        use_effect_with((count, pending_len), move |_| {
            if count + pending_len > 0 {
                if let Some(element) = log.cast::<HtmlElement>() {
                    element.set_scroll_top(element.scroll_height());
                }
            }
        });
    }

    {
        // A "try it" fills the input line, ready to run with Enter.
        let input = input.clone();
        use_effect_with(props.fill.clone(), move |(n, line)| {
            if *n > 0 {
                if let Some(field) = input.cast::<HtmlInputElement>() {
                    field.set_value(line);
                    let _ = field.focus();
                }
            }
        });
    }

    let submit = {
        let pending = pending.clone();
        let on_run = props.on_run.clone();
        let history_at = history_at.clone();
        let offered = offered.clone();
        move |text: String| {
            let mut lines = (*pending).clone();
            lines.extend(text.split('\n').map(str::to_string));
            let source = lines.join("\n");
            history_at.set(None);
            offered.set(Vec::new());
            if syntax::is_incomplete(&source) {
                pending.set(lines);
            } else {
                pending.set(Vec::new());
                if !source.trim().is_empty() || !lines.is_empty() {
                    on_run.emit(source);
                }
            }
        }
    };

    let onkeydown = {
        let input = input.clone();
        let props_history = props.history.clone();
        let history_at = history_at.clone();
        let on_clear = props.on_clear.clone();
        let on_complete = props.on_complete.clone();
        let offered = offered.clone();
        let pending = pending.clone();
        let dispatch = props.dispatch.clone();
        let submit = submit.clone();
        let prompt = props.prompt.clone();
        Callback::from(move |event: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let key = event.key();
            if event.ctrl_key() && key == "l" {
                event.prevent_default();
                on_clear.emit(());
            } else if event.ctrl_key() && key == "c" {
                event.prevent_default();
                let mut lines = (*pending).clone();
                lines.push(format!("{}^C", field.value()));
                dispatch.dispatch(Action::Cancel { prompt: prompt.clone(), command: lines.join("\n") });
                field.set_value("");
                pending.set(Vec::new());
                offered.set(Vec::new());
            } else if key == "Enter" {
                event.prevent_default();
                let line = field.value();
                field.set_value("");
                submit(line);
            } else if key == "ArrowUp" || key == "ArrowDown" {
                event.prevent_default();
                if props_history.is_empty() {
                    return;
                }
                let last = props_history.len() - 1;
                let at = match (*history_at, key.as_str()) {
                    (None, "ArrowUp") => Some(last),
                    (Some(i), "ArrowUp") => Some(i.saturating_sub(1)),
                    (Some(i), _) if i < last => Some(i + 1),
                    _ => None,
                };
                field.set_value(at.and_then(|i| props_history.get(i)).map_or("", String::as_str));
                history_at.set(at);
            } else if key == "Tab" && !event.shift_key() && !field.value().is_empty() {
                // Tab completes; on an empty line, and with Shift, it moves
                // the focus as everywhere else, so the keyboard never gets
                // trapped in the terminal.
                event.prevent_default();
                let line = field.value();
                let cursor = field.selection_start().ok().flatten().map_or(line.len(), |c| {
                    // The DOM counts UTF-16 units; the shell wants bytes.
                    line.chars()
                        .scan(0usize, |units, ch| {
                            *units += ch.len_utf16();
                            Some((*units, ch.len_utf8()))
                        })
                        .take_while(|(units, _)| *units <= c as usize)
                        .map(|(_, bytes)| bytes)
                        .sum()
                });
                let (start, candidates, insertion) = on_complete.emit((line.clone(), cursor));
                if let Some(insert) = insertion {
                    let before = line.get(..start).unwrap_or_default();
                    let after = line.get(cursor..).unwrap_or_default();
                    let value = format!("{before}{insert}{after}");
                    field.set_value(&value);
                    let caret = (before.len() + insert.len()) as u32;
                    let _ = field.set_selection_range(caret, caret);
                }
                offered.set(if candidates.len() > 1 { candidates } else { Vec::new() });
            }
        })
    };

    let onpaste = {
        let input = input.clone();
        let submit = submit.clone();
        Callback::from(move |event: Event| {
            let Ok(event) = event.dyn_into_clipboard() else { return };
            let Some(text) = event.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
            if !text.contains('\n') {
                return;
            }
            // Several lines: run them as a terminal would, the last
            // unfinished one staying at the prompt.
            event.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let typed = field.value();
            field.set_value("");
            let text = text.replace("\r\n", "\n");
            let (complete, rest) = match text.strip_suffix('\n') {
                Some(all) => (all.to_string(), String::new()),
                None => match text.rsplit_once('\n') {
                    Some((head, tail)) => (head.to_string(), tail.to_string()),
                    None => (String::new(), text.clone()),
                },
            };
            submit(format!("{typed}{complete}"));
            field.set_value(&rest);
        })
    };

    let focus = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting =
                web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed());
            if !selecting {
                if let Some(field) = input.cast::<HtmlInputElement>() {
                    let _ = field.focus();
                }
            }
        })
    };

    let prompt = if pending.is_empty() { props.prompt.clone() } else { "> ".to_string() };
    html! {
        <section class="terminal" aria-label="Terminal" onclick={focus}>
            <div class="transcript" role="log" aria-live="polite" ref={log}>
                if props.history.is_empty() && props.transcript.is_empty() && pending.is_empty() {
                    // A first visit's empty screen says where to start.
                    <p class="welcome">
                        { "Type a command and press Enter: try " }<code>{ "kubectl get serviceaccounts" }</code>
                        { ", or " }<code>{ "help" }</code>{ " for what this terminal knows. Guided exercises are in the Lessons tab." }
                    </p>
                }
                { for props.transcript.iter().map(|e| html! {
                    <EntryView entry={e.clone()} namespace={props.namespace.clone()} dispatch={props.dispatch.clone()} />
                }) }
                { for pending.iter().enumerate().map(|(i, line)| {
                    let shown = if i == 0 { props.prompt.clone() } else { "> ".to_string() };
                    html! { <pre class="command"><span class="prompt">{ shown }</span>{ line }</pre> }
                }) }
            </div>
            if !offered.is_empty() {
                <pre class="completions" aria-live="polite">{ columns(&offered) }</pre>
            }
            <div class="prompt-line">
                <label class="prompt" for="terminal-input">{ prompt.trim_end().to_string() }</label>
                <input id="terminal-input" ref={input} {onkeydown} {onpaste} type="text"
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    aria-label="Command line" aria-describedby="terminal-help" />
            </div>
            <p id="terminal-help" class="visually-hidden">
                { "Enter runs the command. Up and down arrows walk the history, Tab completes (on an empty line Tab, and Shift+Tab always, leave the terminal), Ctrl-C cancels the line, Ctrl-L clears the screen." }
            </p>
        </section>
    }
}

/// Tab's candidates laid out in columns, as a shell lists them.
fn columns(candidates: &[String]) -> String {
    let width = candidates.iter().map(|c| c.chars().count()).max().unwrap_or(0) + 2;
    let per_line = (80 / width.max(1)).max(1);
    candidates
        .chunks(per_line)
        .map(|row| row.iter().map(|c| format!("{c:<width$}")).collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Properties of [`EntryView`].
#[derive(Properties, PartialEq)]
struct EntryProps {
    entry: Entry,
    namespace: Option<String>,
    dispatch: UseReducerDispatcher<State>,
}

/// `text` with the spans `links` names turned into buttons; the text
/// itself (and so kubectl's columns) stays byte for byte the same.
fn linked(text: &str, found: &[links::Link], dispatch: &UseReducerDispatcher<State>) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut at = 0;
    for link in found {
        let (Some(before), Some(label)) = (text.get(at..link.range.start), text.get(link.range.clone())) else {
            continue;
        };
        parts.push(html! { { before.to_string() } });
        let (action, class, title) = match &link.target {
            Target::Token => {
                (Action::InspectToken(label.to_string()), "token", "Open this token in the token inspector".to_string())
            }
            Target::Object { resource, namespace, name } => {
                let object = ObjectRef { resource: resource.clone(), namespace: namespace.clone(), name: name.clone() };
                let title = match namespace.as_str() {
                    "" => format!("Open {resource}/{name} in the explorer"),
                    ns => format!("Open {resource}/{name} in namespace {ns} in the explorer"),
                };
                (Action::Select(object), "object", title)
            }
        };
        let onclick = {
            let dispatch = dispatch.clone();
            Callback::from(move |event: MouseEvent| {
                event.stop_propagation();
                dispatch.dispatch(action.clone());
            })
        };
        parts.push(html! {
            <button type="button" class={classes!("term-link", class)} {title} {onclick}>{ label.to_string() }</button>
        });
        at = link.range.end;
    }
    parts.push(html! { { text.get(at..).unwrap_or_default().to_string() } });
    html! { <>{ for parts }</> }
}

/// One command and its output. A component of its own so that Yew skips
/// entries that did not change.
#[function_component(EntryView)]
fn entry_view(props: &EntryProps) -> Html {
    let entry = &props.entry;
    let mut lines = entry.command.split('\n');
    let first = lines.next().unwrap_or_default().to_string();
    html! {
        <div class="entry">
            <pre class="command"><span class="prompt">{ entry.prompt.clone() }</span>{ first }</pre>
            { for lines.map(|line| html! {
                <pre class="command"><span class="prompt">{ "> " }</span>{ line }</pre>
            }) }
            { for entry.output.chunks.iter().map(|(stream, text)| {
                match stream {
                    Stream::Stdout => {
                        let found = links::find(&entry.command, text, props.namespace.as_deref());
                        html! { <pre class="stdout">{ linked(text, &found, &props.dispatch) }</pre> }
                    }
                    Stream::Stderr => html! { <pre class="stderr">{ text }</pre> },
                }
            }) }
        </div>
    }
}

/// Paste events arrive as plain `Event`s in Yew's `onpaste`.
trait ClipboardCast {
    fn dyn_into_clipboard(self) -> Result<web_sys::ClipboardEvent, Event>;
}

impl ClipboardCast for Event {
    fn dyn_into_clipboard(self) -> Result<web_sys::ClipboardEvent, Event> {
        use wasm_bindgen::JsCast;
        self.dyn_into::<web_sys::ClipboardEvent>()
    }
}
