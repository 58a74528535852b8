//! What the learner did, as a list of steps that rebuilds the same state.
//!
//! The simulator is deterministic: the seed, the start instant and the
//! steps (command lines and clock moves) give back the same cluster, the
//! same tokens and the same terminal. So the playground saves and shares
//! its journal, never the cluster itself (no keys leave the page), and
//! replays it on load.

use base64::Engine;
use saplay_cluster::{Cluster, ClusterConfig, Time};
use saplay_shell::{Output, Shell};
use serde::{Deserialize, Serialize};

/// The storage format's version; a newer store is not replayed. Version 2
/// added [`Journal::exercise`]; version 1 stores (without it) still load.
pub const VERSION: u32 = 2;

/// The oldest version still read.
const OLDEST: u32 = 1;

/// What the terminal shows where `kubectl edit` asked for the editor.
pub const EDITOR_OPENED: &str = "(opened in the YAML tab: its Save sends the edit)\n";

/// Takes `kubectl edit`'s request for the editor out of `output`, leaving
/// [`EDITOR_OPENED`] in its place.
pub fn take_editor_request(output: &mut Output) -> Option<saplay_shell::kubectl::edit::EditorRequest> {
    let mut found = None;
    for (_, text) in &mut output.chunks {
        if let Some(request) = saplay_shell::kubectl::edit::take_editor_request(text) {
            text.push_str(EDITOR_OPENED);
            found = Some(request);
        }
    }
    found
}

/// The exercise open in a session: where it came from and its text, so a
/// reload or a share link opens the same exercise (its setup is in the
/// steps, as the command lines it ran).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenExercise {
    /// Where it was loaded from (`exercises/….yaml`, or a file's name).
    pub source: String,
    /// The exercise file's text.
    pub text: String,
}

/// One thing the learner did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Step {
    /// A command line typed (or applied from the editor) in the terminal.
    Run {
        /// The command line.
        line: String,
    },
    /// The clock moved to this instant (Unix seconds).
    AdvanceTo {
        /// The new instant.
        at: i64,
    },
}

/// The seed, start and steps of one playground session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The storage format's version ([`VERSION`]).
    pub version: u32,
    /// The cluster's seed.
    pub seed: u64,
    /// The cluster's start instant (Unix seconds).
    pub start: i64,
    /// What happened, in order.
    pub steps: Vec<Step>,
    /// The exercise open, if any (since version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<OpenExercise>,
}

impl Default for Journal {
    fn default() -> Self {
        let config = ClusterConfig::default();
        Self {
            version: VERSION,
            seed: config.seed,
            start: config.start.unix_seconds(),
            steps: Vec::new(),
            exercise: None,
        }
    }
}

/// Why a saved or shared journal could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// Not JSON of the right shape (or not base64url in a link).
    #[error("the saved playground could not be read ({0})")]
    Corrupt(String),
    /// Written by another version of the playground.
    #[error("the saved playground is from another version ({0})")]
    OtherVersion(u32),
}

/// One command line and what it printed, as the terminal shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The prompt shown before the command.
    pub prompt: String,
    /// The command line.
    pub command: String,
    /// What the shell answered.
    pub output: Output,
}

impl Journal {
    /// Adds a step; consecutive clock moves become one.
    pub fn push(&mut self, step: Step) {
        if let (Step::AdvanceTo { .. }, Some(Step::AdvanceTo { .. })) = (&step, self.steps.last()) {
            self.steps.pop();
        }
        self.steps.push(step);
    }

    /// The cluster configuration this journal starts from.
    pub fn config(&self) -> ClusterConfig {
        ClusterConfig { seed: self.seed, start: Time::from_unix_seconds(self.start) }
    }

    /// A fresh shell with every step replayed, and the terminal's entries.
    pub fn replay(&self) -> (Shell, Vec<Entry>) {
        let mut shell = Shell::new(Cluster::new(self.config()));
        let mut entries = Vec::new();
        for step in &self.steps {
            match step {
                Step::Run { line } => {
                    let prompt = shell.prompt();
                    let mut output = shell.run(line);
                    take_editor_request(&mut output);
                    entries.push(Entry { prompt, command: line.clone(), output });
                }
                Step::AdvanceTo { at } => shell.cluster_mut().advance_to(Time::from_unix_seconds(*at)),
            }
        }
        (shell, entries)
    }

    /// The journal as stored in `localStorage` and export files.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored journal.
    pub fn from_json(text: &str) -> Result<Self, JournalError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if !(u64::from(OLDEST)..=u64::from(VERSION)).contains(&version) {
            return Err(JournalError::OtherVersion(u32::try_from(version).unwrap_or(u32::MAX)));
        }
        let mut journal: Journal = serde_json::from_value(value).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        journal.version = VERSION;
        Ok(journal)
    }

    /// The journal for a share link's fragment (base64url of the JSON).
    pub fn to_fragment(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.to_json())
    }

    /// Reads a share link's fragment.
    pub fn from_fragment(fragment: &str) -> Result<Self, JournalError> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(fragment.trim())
            .map_err(|e| JournalError::Corrupt(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        Self::from_json(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> Journal {
        let mut j = Journal::default();
        j.push(Step::Run { line: "kubectl create sa build-robot".into() });
        j.push(Step::AdvanceTo { at: j.start + 60 });
        j.push(Step::AdvanceTo { at: j.start + 600 });
        j.push(Step::Run { line: "TOKEN=$(kubectl create token build-robot); echo ${#TOKEN}".into() });
        j
    }

    #[test]
    fn clock_moves_coalesce() {
        assert_eq!(journal().steps.len(), 3);
    }

    #[test]
    fn a_replay_gives_the_same_state_and_terminal() {
        let j = journal();
        let (mut a, entries_a) = j.replay();
        let (mut b, entries_b) = Journal::from_fragment(&j.to_fragment()).unwrap_or_default().replay();
        assert_eq!(entries_a, entries_b);
        assert_eq!(entries_a.len(), 2);
        assert_eq!(a.cluster().now().unix_seconds(), j.start + 600);
        let token = "kubectl create token build-robot";
        assert_eq!(a.run(token).stdout(), b.run(token).stdout(), "same seed, same steps: same tokens");
    }

    #[test]
    fn corrupt_and_other_versions_are_refused() {
        assert!(matches!(Journal::from_json("{"), Err(JournalError::Corrupt(_))));
        assert!(matches!(Journal::from_json("[]"), Err(JournalError::OtherVersion(0))));
        assert!(matches!(
            Journal::from_json(r#"{"version":99,"seed":0,"start":0,"steps":[]}"#),
            Err(JournalError::OtherVersion(99))
        ));
        assert!(matches!(
            Journal::from_json(r#"{"version":1,"seed":0,"start":0,"steps":[{"kind":"nope"}]}"#),
            Err(JournalError::Corrupt(_))
        ));
        assert!(Journal::from_fragment("%%%").is_err());
        let j = journal();
        assert_eq!(Journal::from_json(&j.to_json()), Ok(j));
    }

    #[test]
    fn version_1_stores_still_load_and_the_exercise_round_trips() {
        let old = Journal::from_json(r#"{"version":1,"seed":7,"start":0,"steps":[{"kind":"run","line":"ls"}]}"#);
        let old = old.unwrap_or_default();
        assert_eq!((old.seed, old.version, old.exercise.clone()), (7, VERSION, None));
        assert_eq!(old.steps, vec![Step::Run { line: "ls".into() }]);
        let mut j = journal();
        j.exercise = Some(OpenExercise { source: "exercises/x.yaml".into(), text: "id: x\n".into() });
        assert_eq!(Journal::from_fragment(&j.to_fragment()), Ok(j));
        assert!(!Journal::default().to_json().contains("exercise"), "no field when none is open");
    }
}
