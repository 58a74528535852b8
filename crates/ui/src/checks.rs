//! The Lessons panel's Checks and Presets views: the best-practice
//! findings for the live cluster (asked of [`saplay_lessons::best_practices`]
//! only while the view is shown), each with a one-click fix, and the
//! chapter's typical workloads loadable in one click. Fixes and presets
//! run their command lines in the terminal (`Action::Run`), so the journal
//! records them.

use saplay_lessons::{best_practices, presets, Severity, SHIPPED};
use yew::prelude::*;

use crate::state::{Action, State};

/// Properties of [`Checks`].
#[derive(Properties, PartialEq)]
pub struct ChecksProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// The id of the chapter lesson (the first shipped exercise).
const CHAPTER_ID: &str = "chapter";

/// The best-practice findings.
#[function_component(Checks)]
pub fn checks(props: &ChecksProps) -> Html {
    let state = &props.state;
    let findings = {
        let state = state.clone();
        use_memo(state.revision, move |_| best_practices(state.shell().cluster()))
    };
    let chapter_open = state.lesson.as_ref().is_some_and(|l| l.exercise.id == CHAPTER_ID);
    let busy = !state.journal.steps.is_empty();
    let open_step = |step: &'static str| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            if chapter_open {
                dispatch.dispatch(Action::FocusStep(step.to_string()));
                return;
            }
            let sure = crate::lessons::sure_to_start_afresh(
                busy,
                "Open the chapter lesson at this step? It starts a fresh cluster.",
            );
            if let (true, Some((path, _))) = (sure, SHIPPED.first()) {
                crate::lessons::open_url(dispatch.clone(), path.to_string(), Some(step.to_string()));
            }
        })
    };
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    html! {
        <div class="checks">
            <p class="summary" role="status">
                if findings.is_empty() {
                    { "No best-practice finding on this cluster." }
                } else {
                    { format!("{} findings: {} danger, {} warning, {} info.", findings.len(), count(Severity::Danger), count(Severity::Warning), count(Severity::Info)) }
                }
            </p>
            <ul class="findings">
                { for findings.iter().map(|f| {
                    let fix = {
                        let dispatch = state.dispatcher();
                        let lines = f.fix.clone();
                        Callback::from(move |_: MouseEvent| {
                            for line in &lines {
                                dispatch.dispatch(Action::Run(line.clone()));
                            }
                        })
                    };
                    html! {
                        <li class={classes!("finding", f.severity.as_str())} data-check={f.check}>
                            <div class="head">
                                <span class={classes!("severity", f.severity.as_str())}>{ f.severity.as_str() }</span>
                                <code class="check">{ f.check }</code>
                                <span class="object">{ f.object.clone() }</span>
                            </div>
                            <p class="why">
                                { f.why.clone() }
                                if let Some(step) = f.lesson_step {
                                    { " " }
                                    <button type="button" class="link" onclick={open_step(step)}>{ "Read the lesson step" }</button>
                                }
                            </p>
                            if !f.fix.is_empty() {
                                <div class="fix">
                                    <button type="button" class="primary" onclick={fix}
                                        aria-label={format!("Fix {} on {}", f.check, f.object)}>{ "Fix" }</button>
                                    <code>{ f.fix.join("\n") }</code>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Properties of [`Presets`].
#[derive(Properties, PartialEq)]
pub struct PresetsProps {
    /// Where actions go.
    pub dispatch: UseReducerDispatcher<State>,
}

/// The chapter's typical workloads.
#[function_component(Presets)]
pub fn presets_view(props: &PresetsProps) -> Html {
    html! {
        <ul class="presets">
            { for presets().iter().map(|p| {
                let load = {
                    let dispatch = props.dispatch.clone();
                    let lines = p.lines();
                    Callback::from(move |_: MouseEvent| {
                        for line in &lines {
                            dispatch.dispatch(Action::Run(line.clone()));
                        }
                    })
                };
                html! {
                    <li class="preset" data-preset={p.id}>
                        <h3>{ p.title }</h3>
                        <p>{ p.description }</p>
                        <button type="button" class="primary" onclick={load} aria-label={format!("Load {}", p.title)}>{ "Load" }</button>
                        <ul class="try-it">
                            { for p.explore.iter().map(|line| {
                                let dispatch = props.dispatch.clone();
                                let line = line.to_string();
                                let shown = line.clone();
                                html! {
                                    <li><button type="button" class="try" onclick={move |_: MouseEvent| dispatch.dispatch(Action::FillTerminal(line.clone()))}>{ "Try in terminal" }</button><code>{ shown }</code></li>
                                }
                            }) }
                        </ul>
                    </li>
                }
            }) }
        </ul>
    }
}
