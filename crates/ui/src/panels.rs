//! The side panels: which exist, and the view of the one shown.

use yew::prelude::*;

use crate::state::{Panel, State};

/// Whether a panel is built yet (all are, now).
pub fn available(panel: Panel) -> bool {
    matches!(
        panel,
        Panel::Explorer | Panel::Editor | Panel::Pod | Panel::Token | Panel::Access | Panel::Audit | Panel::Lessons
    )
}

/// The panel the state shows.
pub fn view(state: &UseReducerHandle<State>) -> Html {
    match state.panel {
        Panel::Explorer => html! { <crate::explorer::Explorer state={state.clone()} /> },
        Panel::Editor => html! { <crate::editor::Editor state={state.clone()} /> },
        Panel::Audit => html! { <crate::audit::Audit state={state.clone()} /> },
        Panel::Access => html! { <crate::access::Access state={state.clone()} /> },
        Panel::Pod => html! { <crate::pod::PodPanel state={state.clone()} /> },
        Panel::Token => html! { <crate::token::TokenPanel state={state.clone()} /> },
        Panel::Lessons => html! { <crate::lessons::LessonsPanel state={state.clone()} /> },
    }
}
