//! The terminal: a transcript of commands and their output, and a prompt.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use saplay_shell::Stream;

use crate::state::Entry;

/// Properties of [`Terminal`].
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// What was run so far.
    pub transcript: Vec<Entry>,
    /// Called with a command line when the learner presses Enter.
    pub on_run: Callback<String>,
    /// Called when the learner asks to clear the screen.
    pub on_clear: Callback<()>,
}

/// A terminal that shows the transcript and reads one line at a time.
#[function_component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let input = input.clone();
        let on_run = props.on_run.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let line = field.value();
                field.set_value("");
                on_run.emit(line);
            }
        })
    };
    let onkeydown = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.ctrl_key() && event.key() == "l" {
                event.prevent_default();
                on_clear.emit(());
            }
        })
    };
    html! {
        <section class="terminal" aria-label="Terminal">
            <div class="transcript" role="log" aria-live="polite">
                { for props.transcript.iter().map(entry) }
            </div>
            <form class="prompt-line" {onsubmit}>
                <label class="prompt" for="terminal-input">{ "$" }</label>
                <input id="terminal-input" ref={input} {onkeydown} type="text"
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    aria-label="Command line" />
            </form>
        </section>
    }
}

fn entry(entry: &Entry) -> Html {
    html! {
        <div class="entry">
            <div class="command"><span class="prompt">{ "$ " }</span>{ &entry.command }</div>
            { for entry.output.chunks.iter().map(|(stream, text)| {
                let class = match stream {
                    Stream::Stdout => "stdout",
                    Stream::Stderr => "stderr",
                };
                html! { <pre class={class}>{ text }</pre> }
            }) }
        </div>
    }
}
