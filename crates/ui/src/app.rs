//! The top-level component: page layout and the state reducer.

use yew::prelude::*;

use crate::state::{Action, State};
use crate::terminal::Terminal;

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    let on_run = {
        let state = state.clone();
        Callback::from(move |line: String| state.dispatch(Action::Run(line)))
    };
    let on_clear = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Clear))
    };
    html! {
        <div class="playground" data-ready="true">
            <header class="masthead">
                <h1>{ "sa-playground" }</h1>
                <p class="tagline">{ "Kubernetes service accounts, simulated in your browser" }</p>
            </header>
            <Terminal transcript={state.transcript.clone()} {on_run} {on_clear} />
        </div>
    }
}
