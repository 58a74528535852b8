//! The Lessons panel: the shipped exercises, a file picker and a drop zone
//! for teachers' files, the open exercise's steps with their "try it"
//! buttons and live goals, progress kept per exercise in `localStorage`,
//! and the result file a learner exports. The Checks and Presets views are
//! in [`crate::checks`].
//!
//! Nothing here decides a goal: [`saplay_lessons::Exercise::evaluate`]
//! does, on the live cluster, after each change ([`use_lessons`]) and only
//! while an exercise is open.

use std::collections::BTreeMap;

use gloo_timers::callback::Timeout;
use saplay_lessons::{Exercise, GoalResult, TryIt, SHIPPED};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::markdown;
use crate::state::{Action, LessonsView, State};
use crate::storage;

/// The `localStorage` key prefix of the progress per exercise id.
const PROGRESS_KEY: &str = "sa-playground/progress/";

/// What a learner achieved in one exercise (kept across reloads).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// When the exercise was first opened (Unix milliseconds).
    pub started: f64,
    /// Each goal met, with when it was first met (Unix milliseconds).
    pub goals: BTreeMap<String, f64>,
}

impl Progress {
    /// Adds the goals met in `results` that were not yet, at `now`;
    /// whether anything changed.
    pub fn record(&mut self, results: &[GoalResult], now: f64) -> bool {
        let mut changed = false;
        for r in results.iter().filter(|r| r.met) {
            if !self.goals.contains_key(&r.goal) {
                self.goals.insert(r.goal.clone(), now);
                changed = true;
            }
        }
        changed
    }

    /// The result file: the exercise, each goal with when it was first
    /// met, and the time from the start to the last goal met (or to now
    /// while some are still open).
    pub fn result(&self, exercise: &Exercise, results: &[GoalResult], now: f64) -> serde_json::Value {
        let all_met = exercise.goals.iter().all(|g| self.goals.contains_key(&g.id));
        let end = if all_met { self.goals.values().copied().fold(self.started, f64::max) } else { now };
        let goals: Vec<serde_json::Value> = exercise
            .goals
            .iter()
            .map(|g| {
                serde_json::json!({
                    "id": g.id,
                    "description": g.description,
                    "met": results.iter().any(|r| r.goal == g.id && r.met),
                    "firstMet": self.goals.get(&g.id).map(|t| iso(*t)),
                })
            })
            .collect();
        serde_json::json!({
            "exercise": { "id": exercise.id, "title": exercise.title },
            "goalsMet": self.goals.len(),
            "goalsTotal": exercise.goals.len(),
            "goals": goals,
            "started": iso(self.started),
            "finished": all_met.then(|| iso(end)),
            "totalSeconds": ((end - self.started) / 1000.0).max(0.0).round(),
        })
    }
}

/// A Unix-milliseconds instant as ISO 8601.
fn iso(ms: f64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).to_iso_string().as_string().unwrap_or_default()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The stored progress of exercise `id` (empty when none or unreadable).
pub fn load_progress(id: &str) -> Progress {
    local_storage()
        .and_then(|s| s.get_item(&format!("{PROGRESS_KEY}{id}")).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_progress(id: &str, progress: &Progress) {
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(progress)) {
        let _ = storage.set_item(&format!("{PROGRESS_KEY}{id}"), &text);
    }
}

/// Whether `path` names a file on this site: relative, no `..`, no scheme.
pub fn same_origin_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains("://")
        && !path.starts_with('/')
        && !path.starts_with('\\')
        && !path.contains(':')
        && !path.split(['/', '\\']).any(|p| p == "..")
}

/// The `?exercise=` parameter, decoded.
fn exercise_param() -> Option<String> {
    crate::storage::query_params().into_iter().find_map(|(name, value)| {
        let value = value.filter(|_| name == "exercise")?;
        js_sys::decode_uri_component(&value.replace('+', " ")).ok()?.as_string()
    })
}

/// Fetches a file of this site as text.
async fn fetch_text(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |e: wasm_bindgen::JsValue| format!("{path}: could not be fetched ({})", describe(&e));
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(path)).await.map_err(failed)?;
    let response: web_sys::Response = response.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(format!("{path}: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    text.as_string().ok_or_else(|| format!("{path}: not text"))
}

fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

/// Fetches an exercise of this site and opens it (or shows why not).
pub fn open_url(dispatch: UseReducerDispatcher<State>, path: String, step: Option<String>) {
    if !same_origin_path(&path) {
        dispatch.dispatch(Action::ExerciseFailed(format!(
            "{path}: exercises load only from this site (a relative path such as exercises/00-chapter.yaml)"
        )));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_text(&path).await {
            Ok(text) => dispatch.dispatch(Action::OpenExercise { source: path, text, step }),
            Err(message) => dispatch.dispatch(Action::ExerciseFailed(message)),
        }
    });
}

/// The panel's effects, for the whole page: opens `?exercise=` once (if
/// the saved session has it open already, it shows it without running its
/// setup again), and evaluates the open exercise's goals after each
/// change, recording progress.
#[hook]
pub fn use_lessons(state: &UseReducerHandle<State>) {
    {
        let dispatch = state.dispatcher();
        let open = state.lesson.as_ref().map(|l| l.source.clone());
        use_effect_with((), move |_| match exercise_param() {
            Some(path) if open.as_deref() == Some(path.as_str()) => {
                dispatch.dispatch(Action::ShowLessons(LessonsView::Exercise))
            }
            Some(path) => open_url(dispatch, path, None),
            None => {}
        });
    }
    let state = state.clone();
    let key = (state.revision, state.lesson.as_ref().map(|l| std::rc::Rc::as_ptr(l) as usize));
    use_effect_with(key, move |(revision, open)| {
        let revision = *revision;
        // After the paint, so a command's output shows first.
        let timer = open.map(|_| {
            Timeout::new(0, move || {
                let Some(lesson) = state.lesson.clone() else { return };
                let results = lesson.exercise.evaluate(&state.shell());
                let mut progress = load_progress(&lesson.exercise.id);
                let now = now_ms();
                let fresh = progress.started == 0.0;
                if fresh {
                    progress.started = now;
                }
                if progress.record(&results, now) || fresh {
                    save_progress(&lesson.exercise.id, &progress);
                }
                state.dispatch(Action::Evaluated(revision, results));
            })
        });
        move || drop(timer)
    });
}

/// Properties of [`LessonsPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonsProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// The Lessons panel.
#[function_component(LessonsPanel)]
pub fn lessons_panel(props: &LessonsProps) -> Html {
    let state = &props.state;
    let view = state.lessons_view;
    let switch = |to: LessonsView, label: &'static str| {
        let s = state.clone();
        html! {
            <button type="button" aria-pressed={(view == to).to_string()} class={classes!((view == to).then_some("selected"))}
                onclick={move |_| s.dispatch(Action::ShowLessons(to))}>{ label }</button>
        }
    };
    html! {
        <div class="lessons">
            <div class="views" role="group" aria-label="Lessons views">
                { switch(LessonsView::Exercise, "Exercises") }
                { switch(LessonsView::Checks, "Checks") }
                { switch(LessonsView::Presets, "Presets") }
            </div>
            { match view {
                LessonsView::Exercise => html! { <ExerciseView state={state.clone()} /> },
                LessonsView::Checks => html! { <crate::checks::Checks state={state.clone()} /> },
                LessonsView::Presets => html! { <crate::checks::Presets dispatch={state.dispatcher()} /> },
            } }
        </div>
    }
}

/// Whether to leave the learner's work for a fresh cluster: at once when
/// there is nothing to lose (`busy` false), else when they say so.
pub(crate) fn sure_to_start_afresh(busy: bool, question: &str) -> bool {
    !busy || web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Opens a file's text as an exercise.
fn open_text(dispatch: &UseReducerDispatcher<State>, name: String) -> impl FnOnce(String) + 'static {
    let dispatch = dispatch.clone();
    move |text| dispatch.dispatch(Action::OpenExercise { source: name, text, step: None })
}

/// The list, the loaders and the open exercise.
#[function_component(ExerciseView)]
fn exercise_view(props: &LessonsProps) -> Html {
    let state = &props.state;
    let dragging = use_state(|| false);
    {
        // Bring the step asked for into view.
        let step = state.focus_step.clone();
        let opened = state.lesson.is_some();
        use_effect_with((step, opened), |(step, _)| {
            let element =
                step.as_ref().and_then(|s| web_sys::window()?.document()?.get_element_by_id(&format!("step-{s}")));
            if let Some(element) = element {
                element.scroll_into_view();
                if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
        });
    }
    let dispatch = state.dispatcher();
    let pick = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let name = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files()?.get(0))
                .map_or_else(String::new, |f| f.name());
            storage::read_chosen_file(&event, open_text(&dispatch, name));
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dispatch = dispatch.clone();
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            if let Some(file) = event.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                storage::read_file(&file, open_text(&dispatch, file.name()));
            }
        })
    };
    let open_source = state.lesson.as_ref().map(|l| l.source.clone());
    let busy = !state.journal.steps.is_empty();
    html! {
        <div class={classes!("exercises", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            if let Some(error) = &state.lesson_error {
                <div class="lesson-error" role="alert">
                    <strong>{ "This exercise could not be opened." }</strong>
                    <pre>{ error.clone() }</pre>
                </div>
            }
            if let Some(lesson) = &state.lesson {
                <OpenLesson state={state.clone()} />
                <hr />
                <h3 class="sub">{ format!("Opened from {}", lesson.source) }</h3>
            }
            <nav aria-label="Shipped exercises">
                <ul class="shipped">
                    { for SHIPPED.iter().map(|(path, title)| {
                        let dispatch = dispatch.clone();
                        let current = open_source.as_deref() == Some(*path);
                        // One click would otherwise drop the learner's work
                        // (as Reset would, which asks too).
                        let onclick = move |_: MouseEvent| {
                            if sure_to_start_afresh(busy, &format!("Open \"{title}\"? It starts a fresh cluster; what you did so far is lost.")) {
                                open_url(dispatch.clone(), path.to_string(), None);
                            }
                        };
                        html! {
                            <li><button type="button" class={classes!("link", current.then_some("current"))}
                                aria-current={current.then_some("true")} {onclick}>{ *title }</button></li>
                        }
                    }) }
                </ul>
            </nav>
            <div class="loaders">
                <label class="button">{ "Open an exercise file…" }
                    <input type="file" accept=".yaml,.yml,application/yaml,text/yaml" class="visually-hidden" onchange={pick} />
                </label>
                <span class="hint">{ "or drop a .yaml file here. Opening an exercise starts a fresh cluster." }</span>
            </div>
        </div>
    }
}

/// The open exercise: description, progress, steps and goals.
#[function_component(OpenLesson)]
fn open_lesson(props: &LessonsProps) -> Html {
    let state = &props.state;
    let Some(lesson) = state.lesson.clone() else { return html! {} };
    let exercise = &lesson.exercise;
    let (evaluated_at, results) = &*state.results;
    let current = *evaluated_at == state.revision;
    let met = exercise.goals.iter().filter(|g| results.iter().any(|r| r.goal == g.id && r.met)).count();
    let total = exercise.goals.len();
    let export = {
        let lesson = lesson.clone();
        let results = results.clone();
        Callback::from(move |_: MouseEvent| {
            let progress = load_progress(&lesson.exercise.id);
            let result = progress.result(&lesson.exercise, &results, now_ms());
            let text = serde_json::to_string_pretty(&result).unwrap_or_default();
            storage::download(&format!("{}-result.json", lesson.exercise.id), &text);
        })
    };
    let close = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::CloseExercise))
    };
    let goal = |id: &str| {
        let Some(goal) = exercise.goal(id) else { return html! {} };
        let result = results.iter().find(|r| r.goal == id);
        let (class, sign, word) = match result {
            Some(r) if r.met => ("met", "\u{2713}", "met"),
            Some(_) => ("unmet", "\u{2717}", "not yet"),
            None => ("pending", "\u{2026}", "checking"),
        };
        html! {
            <li class={classes!("goal", class)} data-goal={goal.id.clone()}>
                <span class="sign" aria-hidden="true">{ sign }</span>
                <span class="visually-hidden">{ format!("{word}: ") }</span>
                <span class="what">{ goal.description.clone() }</span>
                if let Some(r) = result {
                    <span class="detail">{ r.detail.clone() }</span>
                }
            </li>
        }
    };
    let in_steps: std::collections::BTreeSet<&str> =
        exercise.steps.iter().flat_map(|s| s.goals.iter().map(String::as_str)).collect();
    let others: Vec<&str> = exercise.goals.iter().map(|g| g.id.as_str()).filter(|g| !in_steps.contains(g)).collect();
    html! {
        <article class="lesson" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{ exercise.title.clone() }</h2>
            <div class="text">{ markdown::render(&exercise.description) }</div>
            <p class="progress" role="status" aria-live="polite">
                <meter min="0" max={total.to_string()} value={met.to_string()} aria-hidden="true"></meter>
                { format!(" {met} of {total} goals met") }
                if !current { <span class="hint">{ " (checking…)" }</span> }
            </p>
            <div class="actions" role="group" aria-label="Exercise actions">
                <button type="button" onclick={export}>{ "Export result" }</button>
                <button type="button" onclick={close}>{ "Close exercise" }</button>
            </div>
            <ol class="steps">
                { for exercise.steps.iter().map(|step| {
                    let done = step.met(results);
                    html! {
                        <li class={classes!("step", done.then_some("done"))} id={format!("step-{}", step.id)} tabindex="-1">
                            <h3>{ step.title.clone() }{ if done { " \u{2713}" } else { "" } }</h3>
                            <div class="text">{ markdown::render(&step.text) }</div>
                            if !step.try_it.is_empty() {
                                <ul class="try-it">
                                    { for step.try_it.iter().map(|t| try_it(state, t)) }
                                </ul>
                            }
                            if !step.goals.is_empty() {
                                <ul class="goals" aria-label={format!("Goals of {}", step.title)}>
                                    { for step.goals.iter().map(|g| goal(g)) }
                                </ul>
                            }
                        </li>
                    }
                }) }
            </ol>
            if !others.is_empty() {
                <h3>{ "Other goals" }</h3>
                <ul class="goals">{ for others.iter().map(|g| goal(g)) }</ul>
            }
        </article>
    }
}

/// One "try it" button: fills the terminal or opens the editor.
fn try_it(state: &UseReducerHandle<State>, action: &TryIt) -> Html {
    let dispatch = state.dispatcher();
    match action {
        TryIt::Terminal { command } => {
            let line = command.trim_end_matches('\n').to_string();
            let shown = line.clone();
            let onclick = move |_: MouseEvent| dispatch.dispatch(Action::FillTerminal(line.clone()));
            html! {
                <li><button type="button" class="try" {onclick}>{ "Try in terminal" }</button><code>{ shown }</code></li>
            }
        }
        TryIt::Editor { manifest } => {
            let text = manifest.clone();
            let kind = manifest.lines().find_map(|l| l.strip_prefix("kind:")).map(str::trim).unwrap_or("manifest");
            let label = format!("a {kind}");
            let onclick = move |_: MouseEvent| dispatch.dispatch(Action::Edit(text.clone()));
            html! {
                <li><button type="button" class="try" {onclick}>{ "Open in editor" }</button><span>{ label }</span></li>
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_paths_of_this_site_load() {
        assert!(same_origin_path("exercises/00-chapter.yaml"));
        assert!(same_origin_path("my/own.yaml"));
        for bad in [
            "",
            "https://evil.example/x.yaml",
            "//evil.example/x.yaml",
            "/etc/x",
            "../x.yaml",
            "a/../../x",
            "javascript:alert(1)",
            "data:text/yaml,x",
        ] {
            assert!(!same_origin_path(bad), "{bad}");
        }
    }

    #[test]
    fn progress_keeps_the_first_time_a_goal_was_met() {
        let mut p = Progress { started: 1000.0, goals: BTreeMap::new() };
        let r = |goal: &str, met| GoalResult { goal: goal.into(), met, detail: String::new() };
        assert!(p.record(&[r("a", true), r("b", false)], 2000.0));
        assert!(!p.record(&[r("a", true)], 3000.0), "already met");
        assert!(p.record(&[r("a", false), r("b", true)], 4000.0));
        assert_eq!(p.goals, BTreeMap::from([("a".to_string(), 2000.0), ("b".to_string(), 4000.0)]));
    }
}
