//! The top-level component: page layout, the state reducer, and the only
//! effects (the clock's interval, saving to `localStorage`, reading a
//! share link).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use saplay_shell::complete;

use crate::clock::ClockBar;
use crate::journal::Journal;
use crate::state::{Action, Panel, State};
use crate::storage;
use crate::terminal::Terminal;
use crate::typeahead::TypedAhead;

/// How often the clock's interval fires (real milliseconds).
const TICK_MS: u32 = 250;

/// When to warm the command path up after the first render (real ms).
const WARM_UP_MS: u32 = 30;

/// The state to start from, made before the first render: the journal
/// (a share link or the saved store) replayed into a cluster, and a notice
/// about how it was found. Built in `main`, not in the first render, so
/// that render fits in one of Yew's 16 ms slices: a longer one yields to
/// the browser, and a command typed meanwhile waits for the next task.
#[derive(Clone, Default)]
pub struct StartState(Rc<RefCell<Option<State>>>);

impl StartState {
    /// Builds the cluster of `journal` now, and runs what the learner
    /// typed before the app ran.
    pub fn build(journal: Journal, notice: Option<String>, typed: TypedAhead) -> Self {
        let mut state = State::from_journal(journal);
        state.notice = notice;
        crate::bench::mark("saplay:cluster");
        state.type_ahead(typed);
        Self(Rc::new(RefCell::new(Some(state))))
    }

    fn take(&self) -> State {
        self.0.borrow_mut().take().unwrap_or_default()
    }
}

impl PartialEq for StartState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Properties of [`App`].
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The state to start from (a fresh cluster if none was built).
    #[prop_or_default]
    pub start: StartState,
}

/// The whole playground.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let start = props.start.clone();
    let state = use_reducer(move || start.take());

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

    // Warm the command path up once, just after the first render: Chromium
    // compiles wasm functions on their first call, which made a learner's
    // first command ~100 ms slower than the next. A copy of the learner's
    // shell runs a command nobody sees (the learner's cluster is not
    // touched; copying is much cheaper than starting another cluster).
    {
        let shell = state.shell_handle();
        use_effect_with((), move |_| {
            crate::bench::mark("saplay:first-render");
            let warm_up = Timeout::new(WARM_UP_MS, move || {
                let mut scratch = shell.borrow().clone();
                std::hint::black_box(scratch.run("kubectl get sa"));
            });
            move || drop(warm_up)
        });
    }

    // The side panel's first render waits until the terminal has been
    // painted (the next animation frame) and the page is idle: the prompt,
    // and the answer to a command typed at once, are what a learner needs
    // first. The rest of the module starts coming in then too: its fetch
    // and compilation take the main thread for tens of milliseconds, which
    // once fell between the prompt and the first answer.
    let side_ready = use_state(|| false);
    {
        let side_ready = side_ready.clone();
        use_effect_with((), move |_| {
            let cancel = Rc::new(RefCell::new(None::<js_sys::Function>));
            let pending = cancel.clone();
            let after_frame = Closure::once_into_js(move || {
                *pending.borrow_mut() = Some(crate::split::when_idle(move || {
                    crate::split::prefetch();
                    side_ready.set(true);
                }));
            });
            let frame = web_sys::window().and_then(|w| w.request_animation_frame(after_frame.unchecked_ref()).ok());
            move || {
                if let (Some(window), Some(frame)) = (web_sys::window(), frame) {
                    let _ = window.cancel_animation_frame(frame);
                }
                if let Some(cancel) = cancel.take() {
                    let _ = cancel.call0(&wasm_bindgen::JsValue::NULL);
                }
            }
        });
    }

    // The open exercise's goals, and `?exercise=`.
    crate::lessons::use_lessons(&state);

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
    let namespace = state.shell().session().kubeconfig.namespace().map(str::to_string);
    let embed = storage::embedded();
    let panels: Vec<Panel> = Panel::ALL.iter().copied().filter(|p| crate::panels::available(*p)).collect();

    html! {
        <div class={classes!("playground", embed.then_some("embed"))} data-ready="true">
            <header class="masthead">
                if !embed {
                    <h1>{ "sa-playground" }</h1>
                    <p class="tagline">{ "Kubernetes service accounts, simulated in your browser" }</p>
                }
                if *side_ready {
                    <ClockBar now={state.now()} clock={state.clock} dispatch={state.dispatcher()} />
                    <Session journal={state.journal.clone()} dispatch={state.dispatcher()} />
                }
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
                    {namespace} fill={state.terminal_fill.clone()} pending_at_start={state.pending_at_start.clone()}
                    dispatch={state.dispatcher()} />
                <aside class="side" aria-label="Cluster views">
                    <nav class="tabs" role="tablist" aria-label="Cluster views">
                        { for panels.iter().copied().map(|panel| {
                            let selected = state.panel == panel;
                            let onclick = { let s = state.clone(); move |_| s.dispatch(Action::ShowPanel(panel)) };
                            let onkeydown = {
                                let s = state.clone();
                                let panels = panels.clone();
                                move |event: KeyboardEvent| {
                                    if let Some(next) = tab_after_key(&panels, panel, &event.key()) {
                                        event.prevent_default();
                                        s.dispatch(Action::ShowPanel(next));
                                        focus_tab(next);
                                    }
                                }
                            };
                            html! {
                                <button type="button" role="tab" id={tab_id(panel)} aria-controls="side-panel"
                                    aria-selected={selected.to_string()} tabindex={if selected { "0" } else { "-1" }}
                                    class={classes!("tab", selected.then_some("selected"))} {onclick} {onkeydown}>
                                    { panel.label() }
                                </button>
                            }
                        }) }
                    </nav>
                    // Keyed by the view: another view starts at its top, not at
                    // the last one's scroll position.
                    <div class="panel" id="side-panel" role="tabpanel" aria-labelledby={tab_id(state.panel)}
                        key={tab_id(state.panel)}>
                        if *side_ready {
                            { crate::panels::view(&state) }
                        }
                    </div>
                </aside>
            </main>
        </div>
    }
}

/// The DOM id of a panel's tab.
fn tab_id(panel: Panel) -> String {
    format!("tab-{}", panel.label().to_ascii_lowercase())
}

/// The tab a key moves to from `from`, as the ARIA tabs pattern has it:
/// ←/→ to the previous/next tab (wrapping), Home/End to the first/last.
fn tab_after_key(panels: &[Panel], from: Panel, key: &str) -> Option<Panel> {
    let at = panels.iter().position(|p| *p == from)?;
    let last = panels.len().checked_sub(1)?;
    let to = match key {
        "ArrowRight" => {
            if at >= last {
                0
            } else {
                at + 1
            }
        }
        "ArrowLeft" => {
            if at == 0 {
                last
            } else {
                at - 1
            }
        }
        "Home" => 0,
        "End" => last,
        _ => return None,
    };
    panels.get(to).copied()
}

/// Moves keyboard focus to a panel's tab.
fn focus_tab(panel: Panel) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&tab_id(panel)))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    if let Some(element) = element {
        let _ = element.focus();
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

#[cfg(test)]
mod tests {
    use super::*;

    const TABS: [Panel; 3] = [Panel::Explorer, Panel::Editor, Panel::Audit];

    #[test]
    fn arrows_move_between_tabs_and_wrap() {
        assert_eq!(tab_after_key(&TABS, Panel::Explorer, "ArrowRight"), Some(Panel::Editor));
        assert_eq!(tab_after_key(&TABS, Panel::Audit, "ArrowRight"), Some(Panel::Explorer));
        assert_eq!(tab_after_key(&TABS, Panel::Explorer, "ArrowLeft"), Some(Panel::Audit));
        assert_eq!(tab_after_key(&TABS, Panel::Audit, "ArrowLeft"), Some(Panel::Editor));
    }

    #[test]
    fn home_and_end_go_to_the_ends_and_other_keys_do_nothing() {
        assert_eq!(tab_after_key(&TABS, Panel::Editor, "Home"), Some(Panel::Explorer));
        assert_eq!(tab_after_key(&TABS, Panel::Editor, "End"), Some(Panel::Audit));
        assert_eq!(tab_after_key(&TABS, Panel::Editor, "Enter"), None);
        assert_eq!(tab_after_key(&[], Panel::Editor, "Home"), None);
        assert_eq!(tab_after_key(&TABS, Panel::Pod, "Home"), None);
    }

    #[test]
    fn tab_ids_are_plain() {
        assert_eq!(tab_id(Panel::Editor), "tab-yaml");
    }
}
