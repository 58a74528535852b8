//! The UI's one state and the actions that change it.
//!
//! Components never change state themselves: they dispatch an [`Action`] and
//! [`State::reduce`] applies it, asking the shell for every answer. Every
//! change to the cluster is also a [`Step`] of the journal, which is what
//! gets saved and shared.

use std::cell::RefCell;
use std::rc::Rc;

use saplay_cluster::{Cluster, Time};
use saplay_shell::exec::CLEAR_SCREEN;
use saplay_shell::{syntax, Shell};
use yew::Reducible;

pub use crate::journal::Entry;
use crate::journal::{Journal, OpenExercise, Step};
use crate::typeahead::TypedAhead;
use saplay_lessons::{Exercise, GoalResult};

/// The side panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Namespaces and their objects.
    Explorer,
    /// The YAML editor.
    Editor,
    /// A pod's mounted files and token.
    Pod,
    /// A token, decoded and checked.
    Token,
    /// Who may do what.
    Access,
    /// The API server's audit log.
    Audit,
    /// Exercises, the best-practice checks and the presets.
    Lessons,
}

/// The views inside the Lessons panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonsView {
    /// The exercises and the open one.
    Exercise,
    /// The best-practice findings for the live cluster.
    Checks,
    /// The chapter's typical workloads.
    Presets,
}

/// The exercise open, parsed from the journal's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Where it was loaded from.
    pub source: String,
    /// The exercise.
    pub exercise: Exercise,
}

impl Panel {
    /// Every panel, in tab order.
    pub const ALL: [Panel; 7] =
        [Panel::Explorer, Panel::Editor, Panel::Pod, Panel::Token, Panel::Access, Panel::Audit, Panel::Lessons];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Panel::Explorer => "Explorer",
            Panel::Editor => "YAML",
            Panel::Pod => "Pod",
            Panel::Token => "Token",
            Panel::Access => "Access",
            Panel::Audit => "Audit",
            Panel::Lessons => "Lessons",
        }
    }
}

/// An object the learner selected (in the explorer, or by clicking a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    /// The resource's plural, as kubectl takes it (`serviceaccounts`).
    pub resource: String,
    /// The namespace (empty for cluster-scoped objects).
    pub namespace: String,
    /// The object's name.
    pub name: String,
}

/// How the clock runs on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRun {
    /// Whether simulated time passes with real time.
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: u32,
    /// Real milliseconds not yet turned into simulated seconds.
    carry_ms: u64,
}

/// Everything the UI shows.
#[derive(Debug, Clone)]
pub struct State {
    /// The shell session (and through it the cluster). Shared, not cloned,
    /// between successive states: cloning a cluster per keystroke would be
    /// wasteful.
    shell: Rc<RefCell<Shell>>,
    /// What happened, to save and share.
    pub journal: Journal,
    /// The terminal's entries, oldest first.
    pub transcript: Vec<Entry>,
    /// Counts changes to the shell or cluster; views re-read when it moves.
    pub revision: u64,
    /// The clock's own running.
    pub clock: ClockRun,
    /// The side panel shown.
    pub panel: Panel,
    /// The object selected in the explorer.
    pub selected: Option<ObjectRef>,
    /// The token shown in the token inspector.
    pub token: Option<String>,
    /// The pod shown in the pod inspector.
    pub pod: Option<ObjectRef>,
    /// YAML waiting in the editor (templates, "edit" and `kubectl edit`
    /// put it there).
    pub editor_text: String,
    /// Counts what was put in the editor, so the same text put there
    /// twice replaces what was typed over it.
    pub editor_seq: u64,
    /// While a `kubectl edit` is open in the editor: the command its Save
    /// runs (with the text as standard input).
    pub editing: Option<String>,
    /// A message for the learner (a restored or replaced store, …).
    pub notice: Option<String>,
    /// The exercise open (its text is in the journal).
    pub lesson: Option<Rc<Lesson>>,
    /// Why the last exercise file could not be opened.
    pub lesson_error: Option<String>,
    /// The open exercise's goal results, and the revision they are for.
    pub results: Rc<(u64, Vec<GoalResult>)>,
    /// The view shown in the Lessons panel.
    pub lessons_view: LessonsView,
    /// The step to bring into view in the open exercise.
    pub focus_step: Option<String>,
    /// A line for the terminal's input (a "try it"), numbered so the same
    /// line twice fills it twice.
    pub terminal_fill: (u64, String),
    /// The lines of an unfinished command typed before the app ran (the
    /// terminal starts with them; see [`State::type_ahead`]).
    pub pending_at_start: Vec<String>,
}

impl Default for State {
    fn default() -> Self {
        Self::from_journal(Journal::default())
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shell, &other.shell)
            && self.revision == other.revision
            && self.transcript.len() == other.transcript.len()
            && self.clock == other.clock
            && self.panel == other.panel
            && self.selected == other.selected
            && self.token == other.token
            && self.pod == other.pod
            && self.editor_text == other.editor_text
            && self.editor_seq == other.editor_seq
            && self.editing == other.editing
            && self.notice == other.notice
            && self.lesson.as_ref().map(Rc::as_ptr) == other.lesson.as_ref().map(Rc::as_ptr)
            && self.lesson_error == other.lesson_error
            && Rc::ptr_eq(&self.results, &other.results)
            && self.lessons_view == other.lessons_view
            && self.focus_step == other.focus_step
            && self.terminal_fill == other.terminal_fill
    }
}

/// What a learner can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run one command line (or several lines) in the terminal.
    Run(String),
    /// Clear the terminal's screen (Ctrl-L; the cluster stays as it is).
    ClearScreen,
    /// Ctrl-C on a command being typed: the lines so far stay on the
    /// screen, ending in `^C`, as a terminal keeps them (not run, not
    /// journaled).
    Cancel {
        /// The prompt the command started at.
        prompt: String,
        /// Its lines, the last ending in `^C`.
        command: String,
    },
    /// Move the clock forward by this many seconds.
    Advance(i64),
    /// Move the clock to the next thing the cluster has scheduled.
    NextEvent,
    /// Real time passed (milliseconds): the clock runs if it is playing.
    Tick(u64),
    /// Play or pause the clock.
    SetPlaying(bool),
    /// Simulated seconds per real second.
    SetSpeed(u32),
    /// Show a side panel.
    ShowPanel(Panel),
    /// Select an object (and show it in the explorer).
    Select(ObjectRef),
    /// Show a token in the token inspector.
    InspectToken(String),
    /// Show a pod in the pod inspector.
    InspectPod(ObjectRef),
    /// Put YAML in the editor and show it.
    Edit(String),
    /// Leave a `kubectl edit` open in the editor without saving.
    StopEditing,
    /// Start again with a fresh cluster.
    Reset,
    /// Replace the session with a saved or shared journal.
    Load(Journal),
    /// Show a message.
    Notify(String),
    /// Hide the message.
    DismissNotice,
    /// Open an exercise: a fresh cluster, its setup run as commands are,
    /// and the exercise recorded in the journal. A file that does not
    /// parse shows its error in the Lessons panel instead.
    OpenExercise {
        /// Where it came from (`exercises/….yaml` or a file's name).
        source: String,
        /// The file's text.
        text: String,
        /// A step to bring into view.
        step: Option<String>,
    },
    /// An exercise could not be fetched or read.
    ExerciseFailed(String),
    /// Close the exercise (the cluster stays as it is).
    CloseExercise,
    /// Goal results for the open exercise at a revision.
    Evaluated(u64, Vec<GoalResult>),
    /// Put a command line into the terminal's input, not running it.
    FillTerminal(String),
    /// Show a view of the Lessons panel.
    ShowLessons(LessonsView),
    /// Bring a step of the open exercise into view.
    FocusStep(String),
}

impl State {
    /// The state a journal replays to.
    pub fn from_journal(journal: Journal) -> Self {
        let (shell, transcript) = journal.replay();
        // Only a journal with an exercise open parses one at start-up.
        let (lesson, lesson_error) = match &journal.exercise {
            None => (None, None),
            Some(open) => match Exercise::from_yaml(&open.text) {
                Ok(exercise) => (Some(Rc::new(Lesson { source: open.source.clone(), exercise })), None),
                Err(e) => (None, Some(format!("{}: {e}", open.source))),
            },
        };
        Self {
            shell: Rc::new(RefCell::new(shell)),
            journal,
            transcript,
            revision: 0,
            clock: ClockRun { playing: false, speed: 60, carry_ms: 0 },
            panel: Panel::Explorer,
            selected: None,
            token: None,
            pod: None,
            editor_text: String::new(),
            editor_seq: 0,
            editing: None,
            notice: None,
            lesson,
            lesson_error,
            results: Rc::new((u64::MAX, Vec::new())),
            lessons_view: LessonsView::Exercise,
            focus_step: None,
            terminal_fill: (0, String::new()),
            pending_at_start: Vec::new(),
        }
    }

    /// The shell, to read (views ask it and its cluster).
    pub fn shell(&self) -> std::cell::Ref<'_, Shell> {
        self.shell.borrow()
    }

    /// The shell itself, shared (for work outside the reducer that only
    /// reads it, such as the warm-up's copy).
    pub fn shell_handle(&self) -> Rc<RefCell<Shell>> {
        Rc::clone(&self.shell)
    }

    /// The cluster's clock now.
    pub fn now(&self) -> Time {
        self.shell.borrow().cluster().now()
    }

    fn advance_to(&mut self, at: Time) {
        let now = self.now();
        if at.unix_seconds() <= now.unix_seconds() {
            return;
        }
        self.shell.borrow_mut().cluster_mut().advance_to(at);
        self.journal.push(Step::AdvanceTo { at: at.unix_seconds() });
        self.revision += 1;
    }

    /// Takes over what was typed before the app ran: runs each complete
    /// command as the terminal would have on Enter; an unfinished one
    /// (an open quote, a here-document) stays for the terminal to go on
    /// with, as does the line being typed and the focus.
    pub fn type_ahead(&mut self, typed: TypedAhead) {
        let mut pending: Vec<String> = Vec::new();
        for line in typed.lines {
            pending.push(line);
            let source = pending.join("\n");
            if !syntax::is_incomplete(&source) {
                pending.clear();
                self.enter(source);
            }
        }
        self.pending_at_start = pending;
        if typed.focused || !typed.typing.is_empty() {
            self.terminal_fill = (self.terminal_fill.0 + 1, typed.typing);
        }
    }

    /// A command entered at the prompt: an empty line shows a new prompt,
    /// anything else runs.
    fn enter(&mut self, command: String) {
        if command.trim().is_empty() {
            let prompt = self.shell.borrow().prompt();
            self.transcript.push(Entry { prompt, command, output: saplay_shell::Output::default() });
        } else {
            self.run_line(command);
        }
    }

    /// Runs one command line as the terminal does, recording it.
    fn run_line(&mut self, command: String) {
        let prompt = self.shell.borrow().prompt();
        let mut output = self.shell.borrow_mut().run(&command);
        self.journal.push(Step::Run { line: command.clone() });
        self.revision += 1;
        if let Some(request) = crate::journal::take_editor_request(&mut output) {
            self.editor_text = request.text;
            self.editor_seq += 1;
            self.editing = Some(request.command);
            self.panel = Panel::Editor;
        } else if output.exit_code == 0
            && self.editing.as_ref().is_some_and(|open| command.starts_with(&format!("{open} <<")))
        {
            // Saved (or nothing to save): the editor is a plain editor again.
            self.editing = None;
        }
        // `clear` empties the screen, as a terminal does with its
        // escape sequence.
        let cleared = output.chunks.iter().any(|(_, text)| text.contains(CLEAR_SCREEN));
        for (_, text) in &mut output.chunks {
            *text = text.replace(CLEAR_SCREEN, "");
        }
        output.chunks.retain(|(_, text)| !text.is_empty());
        if cleared {
            self.transcript.clear();
        } else {
            self.transcript.push(Entry { prompt, command, output });
        }
    }

    fn cluster_next_deadline(&self) -> Option<Time> {
        let mut shell = self.shell.borrow_mut();
        let cluster: &mut Cluster = shell.cluster_mut();
        cluster.next_deadline()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Run(command) => next.enter(command),
            Action::ClearScreen => next.transcript.clear(),
            Action::Cancel { prompt, command } => {
                next.transcript.push(Entry { prompt, command, output: saplay_shell::Output::default() });
            }
            Action::Advance(seconds) => {
                let at = Time::from_unix_seconds(next.now().unix_seconds().saturating_add(seconds.max(0)));
                next.advance_to(at);
            }
            Action::NextEvent => {
                if let Some(at) = next.cluster_next_deadline() {
                    next.advance_to(at);
                }
            }
            Action::Tick(ms) => {
                if !next.clock.playing {
                    return self;
                }
                let total = next.clock.carry_ms + ms * u64::from(next.clock.speed);
                let seconds = total / 1000;
                next.clock.carry_ms = total % 1000;
                if seconds > 0 {
                    let at = next.now().unix_seconds().saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX));
                    next.advance_to(Time::from_unix_seconds(at));
                }
            }
            Action::SetPlaying(playing) => {
                next.clock.playing = playing;
                next.clock.carry_ms = 0;
            }
            Action::SetSpeed(speed) => next.clock.speed = speed.clamp(1, 86_400),
            Action::ShowPanel(panel) => next.panel = panel,
            Action::Select(object) => {
                next.selected = Some(object);
                next.panel = Panel::Explorer;
            }
            Action::InspectToken(token) => {
                next.token = Some(token);
                next.panel = Panel::Token;
            }
            Action::InspectPod(pod) => {
                next.pod = Some(pod);
                next.panel = Panel::Pod;
            }
            Action::Edit(text) => {
                next.editor_text = text;
                next.editor_seq += 1;
                next.editing = None;
                next.panel = Panel::Editor;
            }
            Action::StopEditing => next.editing = None,
            Action::Reset => {
                let mut fresh = State::from_journal(Journal::default());
                fresh.revision = next.revision + 1;
                fresh.notice = Some("Started again with a fresh cluster.".to_string());
                return Rc::new(fresh);
            }
            Action::Load(journal) => {
                let mut loaded = State::from_journal(journal);
                loaded.revision = next.revision + 1;
                return Rc::new(loaded);
            }
            Action::Notify(message) => next.notice = Some(message),
            Action::DismissNotice => next.notice = None,
            Action::OpenExercise { source, text, step } => {
                let exercise = match Exercise::from_yaml(&text) {
                    Ok(exercise) => exercise,
                    Err(e) => {
                        next.lesson_error = Some(format!("{source}: {e}"));
                        next.panel = Panel::Lessons;
                        next.lessons_view = LessonsView::Exercise;
                        return Rc::new(next);
                    }
                };
                let lines = exercise.setup_lines();
                let journal =
                    Journal { exercise: Some(OpenExercise { source: source.clone(), text }), ..Journal::default() };
                let mut opened = State::from_journal(Journal { exercise: None, ..journal.clone() });
                opened.journal = journal;
                opened.lesson = Some(Rc::new(Lesson { source, exercise }));
                opened.revision = next.revision + 1;
                for line in lines {
                    opened.run_line(line);
                }
                opened.panel = Panel::Lessons;
                opened.focus_step = step;
                opened.clock = next.clock;
                return Rc::new(opened);
            }
            Action::ExerciseFailed(message) => {
                next.lesson_error = Some(message);
                next.panel = Panel::Lessons;
                next.lessons_view = LessonsView::Exercise;
            }
            Action::CloseExercise => {
                next.lesson = None;
                next.lesson_error = None;
                next.journal.exercise = None;
                next.revision += 1;
            }
            Action::Evaluated(revision, results) => {
                if revision != next.revision {
                    return self;
                }
                next.results = Rc::new((revision, results));
            }
            Action::FillTerminal(line) => next.terminal_fill = (next.terminal_fill.0 + 1, line),
            Action::ShowLessons(view) => {
                next.panel = Panel::Lessons;
                next.lessons_view = view;
            }
            Action::FocusStep(step) => {
                next.panel = Panel::Lessons;
                next.lessons_view = LessonsView::Exercise;
                next.focus_step = Some(step);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(lines: &[&str], typing: &str, focused: bool) -> TypedAhead {
        TypedAhead { lines: lines.iter().map(|l| (*l).to_string()).collect(), typing: typing.to_string(), focused }
    }

    fn stdout(entry: &Entry) -> String {
        entry.output.chunks.iter().map(|(_, text)| text.as_str()).collect()
    }

    #[test]
    fn lines_typed_ahead_run_as_the_terminal_runs_them_and_are_journaled() {
        let mut state = State::default();
        state.type_ahead(typed(&["kubectl create serviceaccount early", "", "kubectl get sa -o name"], "", false));
        let commands: Vec<&str> = state.transcript.iter().map(|e| e.command.as_str()).collect();
        assert_eq!(commands, ["kubectl create serviceaccount early", "", "kubectl get sa -o name"]);
        assert_eq!(stdout(&state.transcript[0]), "serviceaccount/early created\n");
        assert_eq!(stdout(&state.transcript[1]), "", "an empty line is a new prompt");
        assert_eq!(stdout(&state.transcript[2]), "serviceaccount/default\nserviceaccount/early\n");
        let runs = state.journal.steps.iter().filter(|s| matches!(s, Step::Run { .. })).count();
        assert_eq!(runs, 2, "what ran is replayed after a reload; the empty line is not");
        assert!(state.pending_at_start.is_empty());
        assert_eq!(state.terminal_fill.0, 0, "nothing typed and no focus: the input is left alone");
    }

    #[test]
    fn kubectl_edit_opens_the_editor_and_its_save_ends_the_edit() {
        let state = Rc::new(State::default());
        let state = state.reduce(Action::Run("kubectl edit sa default".to_string()));
        assert_eq!(state.panel, Panel::Editor);
        assert_eq!(state.editing.as_deref(), Some("kubectl edit serviceaccounts/default -n default"));
        assert!(state.editor_text.starts_with("# Please edit the object below."), "{}", state.editor_text);
        assert!(state.editor_text.contains("\n  name: default\n"), "{}", state.editor_text);
        let opened = state.transcript.last().map(stdout).unwrap_or_default();
        assert_eq!(opened, crate::journal::EDITOR_OPENED, "a note, not the escape sequence");
        // A save kubectl refuses keeps the edit open.
        let renamed = state.editor_text.replace("name: default", "name: other");
        let save = crate::editor::with_input(state.editing.as_deref().unwrap_or_default(), &renamed);
        let state = state.reduce(Action::Run(save));
        assert!(state.editing.is_some());
        assert!(state.transcript.last().is_some_and(|e| e.output.stderr().contains("At least one of apiVersion")));
        // A save that goes through ends it.
        let labelled = state.editor_text.replace("metadata:\n", "metadata:\n  labels:\n    team: blue\n");
        let save = crate::editor::with_input(state.editing.as_deref().unwrap_or_default(), &labelled);
        let state = state.reduce(Action::Run(save));
        assert_eq!(state.transcript.last().map(stdout).as_deref(), Some("serviceaccount/default edited\n"));
        assert_eq!(state.editing, None);
        // The same object opened again replaces what was typed over it.
        let seq = state.editor_seq;
        let state = state.reduce(Action::Run("kubectl edit sa default".to_string()));
        assert_eq!(state.editor_seq, seq + 1);
        // After a reload the terminal shows the note too.
        let replayed = State::from_journal(state.journal.clone());
        let commands: Vec<String> = replayed.transcript.iter().map(stdout).collect();
        assert_eq!(commands.last().map(String::as_str), Some(crate::journal::EDITOR_OPENED));
        assert_eq!(replayed.editing, None, "a reload does not reopen the editor");
    }

    #[test]
    fn a_cancelled_command_stays_on_the_screen_and_runs_nothing() {
        let state = Rc::new(State::default());
        let state = state.reduce(Action::Run("echo before".to_string()));
        let steps = state.journal.steps.len();
        let revision = state.revision;
        let state = state.reduce(Action::Cancel { prompt: "$ ".to_string(), command: "cat <<EOF\nhalf^C".to_string() });
        let last = state.transcript.last().map(|e| (e.prompt.as_str(), e.command.as_str(), stdout(e)));
        assert_eq!(last, Some(("$ ", "cat <<EOF\nhalf^C", String::new())));
        assert_eq!((state.journal.steps.len(), state.revision), (steps, revision), "nothing ran, nothing to save");
        let state = state.reduce(Action::Run("echo after".to_string()));
        let commands: Vec<&str> = state.transcript.iter().map(|e| e.command.as_str()).collect();
        assert_eq!(commands, ["echo before", "cat <<EOF\nhalf^C", "echo after"], "kept in its place");
    }

    #[test]
    fn an_unfinished_command_and_the_line_being_typed_carry_over() {
        let mut state = State::default();
        state.type_ahead(typed(&["echo one", "cat <<EOF", "still typing"], "EO", true));
        assert_eq!(state.transcript.len(), 1);
        assert_eq!(stdout(&state.transcript[0]), "one\n");
        assert_eq!(state.pending_at_start, ["cat <<EOF", "still typing"]);
        assert_eq!(state.terminal_fill, (1, "EO".to_string()));
    }

    #[test]
    fn a_focused_empty_line_keeps_the_focus_and_nothing_typed_changes_nothing() {
        let mut state = State::default();
        state.type_ahead(typed(&[], "", true));
        assert_eq!(state.terminal_fill, (1, String::new()));
        let mut untouched = State::default();
        untouched.type_ahead(TypedAhead::default());
        assert!(untouched.transcript.is_empty() && untouched.journal.steps.is_empty());
        assert_eq!(untouched.terminal_fill, (0, String::new()));
    }
}
