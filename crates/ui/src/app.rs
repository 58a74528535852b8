//! The top-level component: page layout, the state reducer, and the only
//! effects (the clock's interval, saving to `localStorage`, reading a
//! share link).

use gloo_timers::callback::Interval;
use yew::prelude::*;

use saplay_shell::complete;

use crate::clock::ClockBar;
use crate::journal::Journal;
use crate::state::{Action, Panel, State};
use crate::storage;
use crate::terminal::Terminal;

/// How often the clock's interval fires (real milliseconds).
const TICK_MS: u32 = 250;

/// Properties of [`App`].
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The journal to start from (a share link or the saved store), and
    /// a notice about how it was found.
    #[prop_or_default]
    pub start: Option<(Journal, Option<String>)>,
}

/// The whole playground.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let start = props.start.clone();
    let state = use_reducer(move || match start {
        Some((journal, notice)) => {
            let mut state = State::from_journal(journal);
            state.notice = notice;
            state
        }
        None => State::default(),
    });

    // The clock: one interval for the whole page, ticking only while playing.
    {
        let dispatcher = state.dispatcher();
        let playing = state.clock.playing;
        use_effect_with(playing, move |playing| {
            let interval =
                playing.then(|| Interval::new(TICK_MS, move || dispatcher.dispatch(Action::Tick(u64::from(TICK_MS)))));
            move || drop(interval)
        });
    }

    // Save after every change to the cluster.
    {
        let journal = state.journal.clone();
        use_effect_with(state.revision, move |_| storage::save(&journal));
    }

    let dispatch = |make: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |value: String| state.dispatch(make(value)))
    };
    let on_run = dispatch(Action::Run);
    let on_clear = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::ClearScreen))
    };
    let on_complete = {
        let state = state.clone();
        Callback::from(move |(line, cursor): (String, usize)| {
            let completion = complete::complete(&state.shell(), &line, cursor);
            let insertion = completion.insertion();
            (completion.start, completion.candidates, insertion)
        })
    };
    let history = state.shell().session().history.clone();
    let prompt = state.shell().prompt();
    let namespace = state.shell().session().kubeconfig.namespace.clone();
    let embed = storage::embedded();

    html! {
        <div class={classes!("playground", embed.then_some("embed"))} data-ready="true">
            <header class="masthead">
                if !embed {
                    <h1>{ "sa-playground" }</h1>
                    <p class="tagline">{ "Kubernetes service accounts, simulated in your browser" }</p>
                }
                <ClockBar now={state.now()} clock={state.clock} dispatch={state.dispatcher()} />
                <Session journal={state.journal.clone()} dispatch={state.dispatcher()} />
            </header>
            if let Some(notice) = &state.notice {
                <div class="notice" role="status">
                    <span>{ notice.clone() }</span>
                    <button type="button" aria-label="Dismiss the message"
                        onclick={let s = state.clone(); move |_| s.dispatch(Action::DismissNotice)}>{ "×" }</button>
                </div>
            }
            <main class="workspace">
                <Terminal transcript={state.transcript.clone()} {prompt} {history} {on_run} {on_clear} {on_complete}
                    {namespace} dispatch={state.dispatcher()} />
                <aside class="side" aria-label="Cluster views">
                    <nav class="tabs" role="tablist">
                        { for Panel::ALL.iter().copied().filter(|p| crate::panels::available(*p)).map(|panel| {
                            let selected = state.panel == panel;
                            let onclick = { let s = state.clone(); move |_| s.dispatch(Action::ShowPanel(panel)) };
                            html! {
                                <button type="button" role="tab" aria-selected={selected.to_string()}
                                    class={classes!("tab", selected.then_some("selected"))} {onclick}>
                                    { panel.label() }
                                </button>
                            }
                        }) }
                    </nav>
                    <div class="panel" role="tabpanel">
                        { crate::panels::view(&state) }
                    </div>
                </aside>
            </main>
        </div>
    }
}

/// Properties of [`Session`].
#[derive(Properties, PartialEq)]
pub struct SessionProps {
    /// What happened so far.
    pub journal: Journal,
    /// Where actions go.
    pub dispatch: UseReducerDispatcher<State>,
}

/// Reset, export, import and share.
#[function_component(Session)]
pub fn session(props: &SessionProps) -> Html {
    let reset = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message("Start again with a fresh cluster? Everything you did is lost.").ok()
                })
                .unwrap_or(false);
            if sure {
                dispatch.dispatch(Action::Reset);
            }
        })
    };
    let export = {
        let journal = props.journal.clone();
        Callback::from(move |_: MouseEvent| storage::download("sa-playground.json", &journal.to_json()))
    };
    let import = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let dispatch = dispatch.clone();
            storage::read_chosen_file(&event, move |text| match Journal::from_json(&text) {
                Ok(journal) => {
                    dispatch.dispatch(Action::Load(journal));
                    dispatch.dispatch(Action::Notify("Loaded the playground from the file.".to_string()));
                }
                Err(e) => dispatch.dispatch(Action::Notify(format!("Could not load that file: {e}."))),
            });
        })
    };
    let share = {
        let journal = props.journal.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let link = storage::share_link(&journal);
            let message = match storage::copy_to_clipboard(&link) {
                true => "A link that rebuilds this playground was copied to the clipboard.".to_string(),
                false => format!("Share this link: {link}"),
            };
            dispatch.dispatch(Action::Notify(message));
        })
    };
    html! {
        <div class="session" role="group" aria-label="Session">
            <button type="button" onclick={reset}>{ "Reset" }</button>
            <button type="button" onclick={export}>{ "Export" }</button>
            <label class="button">{ "Import" }
                <input type="file" accept="application/json,.json" class="visually-hidden" onchange={import} />
            </label>
            <button type="button" onclick={share}>{ "Share link" }</button>
        </div>
    }
}
