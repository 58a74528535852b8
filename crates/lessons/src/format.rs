//! The exercise file format: YAML read strictly into [`Exercise`].
//!
//! Every map is closed: a key the format does not know is an error naming
//! its line, as is a step naming a goal that does not exist, a bad regular
//! expression, duration or JSONPath. docs/EXERCISES.md is the teacher's
//! guide; docs/exercise.schema.json the schema editors can use.

use serde::Deserialize;

use crate::check::Check;

/// A parsed exercise file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Exercise {
    /// The exercise's id (kebab-case), e.g. `leaked-token`.
    pub id: String,
    /// A title for lists and headings.
    pub title: String,
    /// What the exercise is about: short markdown-lite text.
    #[serde(default)]
    pub description: String,
    /// The starting state.
    #[serde(default)]
    pub setup: Setup,
    /// The steps, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The goals the checks decide.
    #[serde(default)]
    pub goals: Vec<Goal>,
}

/// The starting state: manifests applied with `kubectl apply`, then
/// command lines run as the learner's shell would.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Setup {
    /// YAML documents (one or several per entry, `---` separated).
    #[serde(default)]
    pub manifests: Vec<String>,
    /// Shell command lines (`sleep 90d` moves the clock).
    #[serde(default)]
    pub commands: Vec<String>,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Step {
    /// The step's id (kebab-case); findings of the checker link to steps
    /// of the chapter lesson by it.
    pub id: String,
    /// Its heading.
    pub title: String,
    /// Markdown-lite: paragraphs, `code`, **bold**, `- ` lists.
    #[serde(default)]
    pub text: String,
    /// Actions that fill the terminal or the editor.
    #[serde(default)]
    pub try_it: Vec<TryIt>,
    /// Ids of the goals this step checks.
    #[serde(default)]
    pub goals: Vec<String>,
}

/// A "try it" action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum TryIt {
    /// Put a command line into the terminal.
    Terminal {
        /// The command line.
        command: String,
    },
    /// Open a manifest in the editor.
    Editor {
        /// The YAML text.
        manifest: String,
    },
}

impl Step {
    /// Whether every goal of this step is met in `results` (a step with
    /// no goals never is).
    pub fn met(&self, results: &[GoalResult]) -> bool {
        !self.goals.is_empty() && self.goals.iter().all(|g| results.iter().any(|r| &r.goal == g && r.met))
    }
}

impl TryIt {
    /// The command line that performs the action: the terminal's command,
    /// or `kubectl apply` of the editor's manifest (as its Apply does).
    pub fn line(&self) -> String {
        match self {
            TryIt::Terminal { command } => command.trim_end_matches('\n').to_string(),
            TryIt::Editor { manifest } => apply_line(manifest),
        }
    }
}

/// `kubectl apply -f -` with `manifest` as a here-document.
pub fn apply_line(manifest: &str) -> String {
    format!("kubectl apply -f - <<'SAPLAY_EOF'\n{}\nSAPLAY_EOF", manifest.trim_end_matches('\n'))
}

/// A goal: a description for the learner and the check that decides it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Goal {
    /// The goal's id (kebab-case), unique in the exercise.
    pub id: String,
    /// What the learner has to achieve, in one sentence.
    pub description: String,
    /// The check.
    pub check: Check,
}

/// What is wrong with an exercise file, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location(*line, *column))]
pub struct ExerciseError {
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

impl ExerciseError {
    fn at(line: Option<usize>, message: impl Into<String>) -> Self {
        Self { line, column: None, message: message.into() }
    }
}

/// `a-b-c`: lower-case letters, digits and single dashes inside.
pub(crate) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The first line (1-based) at or after `from` whose text contains
/// `needle` as a whole word.
fn line_of(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.lines().enumerate().skip(from.saturating_sub(1)).find_map(|(i, l)| {
        let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        let hit = if needle.chars().all(word) {
            l.split(|c: char| !word(c)).any(|w| w == needle)
        } else {
            l.contains(needle)
        };
        hit.then_some(i + 1)
    })
}

impl Exercise {
    /// Reads an exercise file; errors name the line.
    pub fn from_yaml(text: &str) -> Result<Exercise, ExerciseError> {
        // Checks and try-it actions are one-key maps (`object: {…}`), not
        // YAML tags.
        let deserializer = serde_yaml::Deserializer::from_str(text);
        let parsed: Result<Exercise, _> = serde_yaml::with::singleton_map_recursive::deserialize(deserializer);
        let exercise: Exercise = parsed.map_err(|e| {
            let loc = e.location();
            let mut message = e.to_string();
            // The library appends " at line L column C"; we lead with it.
            if let Some(at) = message.find(" at line ") {
                message.truncate(at);
            }
            let mut line = loc.as_ref().map(|l| l.line());
            let mut column = loc.as_ref().map(|l| l.column());
            // An unknown key is reported at its map: point at the key.
            for lead in ["unknown field `", "unknown variant `"] {
                let key = message.split(lead).nth(1).and_then(|r| r.split('`').next());
                if let (Some(key), Some(at)) = (key, line) {
                    if let Some(found) = line_of(text, key, at) {
                        column = text.lines().nth(found - 1).and_then(|l| l.find(key)).map(|c| c + 1);
                        line = Some(found);
                    }
                }
            }
            ExerciseError { line, column, message }
        })?;
        exercise.validate(text)?;
        Ok(exercise)
    }

    /// The checks serde cannot make: ids, references, patterns.
    fn validate(&self, text: &str) -> Result<(), ExerciseError> {
        let id_line = |id: &str| line_of(text, id, 1);
        if !is_kebab(&self.id) {
            return Err(ExerciseError::at(
                id_line(&self.id),
                format!("id {:?} must be kebab-case (a-z, 0-9 and -)", self.id),
            ));
        }
        let goals_at = text.lines().position(|l| l.starts_with("goals:")).map_or(1, |i| i + 1);
        let mut seen = std::collections::BTreeSet::new();
        for goal in &self.goals {
            let line = line_of(text, &goal.id, goals_at);
            if !is_kebab(&goal.id) {
                return Err(ExerciseError::at(line, format!("goal id {:?} must be kebab-case", goal.id)));
            }
            if !seen.insert(goal.id.as_str()) {
                return Err(ExerciseError::at(line, format!("goal id {:?} is used twice", goal.id)));
            }
            goal.check.validate().map_err(|m| ExerciseError::at(line, format!("goal {}: {m}", goal.id)))?;
        }
        let steps_at = text.lines().position(|l| l.starts_with("steps:")).map_or(1, |i| i + 1);
        let mut steps = std::collections::BTreeSet::new();
        for step in &self.steps {
            let at = line_of(text, &step.id, steps_at);
            if !is_kebab(&step.id) {
                return Err(ExerciseError::at(at, format!("step id {:?} must be kebab-case", step.id)));
            }
            if !steps.insert(step.id.as_str()) {
                return Err(ExerciseError::at(at, format!("step id {:?} is used twice", step.id)));
            }
            for g in &step.goals {
                if !seen.contains(g.as_str()) {
                    let line = line_of(text, g, at.unwrap_or(steps_at));
                    return Err(ExerciseError::at(
                        line,
                        format!("step {} names goal {g:?}, which is not among the goals", step.id),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The command lines [`Exercise::start`] runs, in order: each manifest
    /// as a `kubectl apply` with a here-document, then the commands.
    pub fn setup_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.setup.manifests.iter().map(String::as_str).map(apply_line).collect();
        lines.extend(self.setup.commands.iter().map(|c| c.trim_end_matches('\n').to_string()));
        lines.retain(|l| !l.trim().is_empty());
        lines
    }

    /// Runs the setup in `shell` (a fresh one): the manifests with
    /// `kubectl apply`, then the commands. Returns what each printed.
    pub fn start(&self, shell: &mut saplay_shell::Shell) -> Vec<saplay_shell::Output> {
        self.setup_lines().iter().map(|line| shell.run(line)).collect()
    }

    /// Evaluates every goal on the live cluster and on what the learner
    /// ran since the setup; read-only, never audited.
    pub fn evaluate(&self, shell: &saplay_shell::Shell) -> Vec<GoalResult> {
        let context = crate::check::Context::new(shell, &self.setup_lines());
        self.goals
            .iter()
            .map(|g| {
                let (met, detail) = g.check.evaluate(&context);
                GoalResult { goal: g.id.clone(), met, detail }
            })
            .collect()
    }

    /// The goal with id `id`.
    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }
}

/// One goal's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalResult {
    /// The goal's id.
    pub goal: String,
    /// Whether it is met now.
    pub met: bool,
    /// What the check saw, in one sentence.
    pub detail: String,
}
