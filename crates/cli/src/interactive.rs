//! The interactive session: a `$ ` prompt with line editing, history and
//! Tab completion (rustyline), `> ` while a command is unfinished.
//!
//! Output that does not end with a newline gets one, since the line
//! editor would draw its prompt over it. Ctrl-C drops the line being typed (and any unfinished command); Ctrl-D
//! on an empty prompt or `exit [N]` ends the session. History is kept in
//! memory and, unless turned off, in a file (`$HOME/.saplay_history`).

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use anyhow::{Context as _, Result};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Editor, Helper};
use saplay_shell::{complete, syntax, Shell, Stream};

use crate::script::{self, Terminal};

/// The primary prompt.
pub const PROMPT: &str = "$ ";
/// The prompt for the next line of an unfinished command.
pub const CONTINUATION: &str = "> ";

/// Rustyline's view of the shell: completion from the live session.
struct ShellHelper {
    shell: Rc<RefCell<Shell>>,
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _: &rustyline::Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let completion = complete::complete(&self.shell.borrow(), line, pos);
        let unique = match completion.candidates.as_slice() {
            [_] => completion.insertion(),
            _ => None,
        };
        let pairs = completion
            .candidates
            .iter()
            .map(|c| Pair { display: c.clone(), replacement: unique.clone().unwrap_or_else(|| c.clone()) })
            .collect();
        Ok((completion.start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {}

impl Helper for ShellHelper {}

/// Runs the interactive session until `exit` or Ctrl-D; returns the exit
/// status.
pub fn run(shell: Shell, history_file: Option<PathBuf>) -> Result<i32> {
    let shell = Rc::new(RefCell::new(shell));
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(1000)
        .context("configuring the line editor")?
        .history_ignore_dups(true)
        .context("configuring the line editor")?
        .build();
    let mut editor: Editor<ShellHelper, DefaultHistory> =
        Editor::with_config(config).context("starting the line editor")?;
    editor.set_helper(Some(ShellHelper { shell: Rc::clone(&shell) }));
    if let Some(path) = &history_file {
        // A missing history file is a first session, not an error.
        let _ = editor.load_history(path);
    }
    let mut terminal = script::Stdio;
    let mut status = 0;
    let mut pending: Option<String> = None;
    let mut history_warned = false;
    loop {
        let prompt = if pending.is_some() { CONTINUATION.to_string() } else { shell.borrow().prompt() };
        let command = match editor.readline(&prompt) {
            Ok(line) => match pending.take() {
                Some(open) => format!("{open}\n{line}"),
                None => line,
            },
            Err(ReadlineError::Interrupted) => {
                pending = None;
                continue;
            }
            Err(ReadlineError::Eof) => match pending.take() {
                // Ctrl-D inside an unfinished command: the shell says what
                // is missing (or ends the here-document there).
                Some(open) => open,
                // In a pod's shell Ctrl-D leaves it, as `exit` does.
                None if shell.borrow().prompt() != PROMPT => "exit".to_string(),
                None => break,
            },
            Err(e) => return Err(e).context("reading the command line"),
        };
        if syntax::is_incomplete(&command) && !command.is_empty() {
            pending = Some(command);
            continue;
        }
        if command.trim().is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(command.as_str());
        if let Some(path) = &history_file {
            if let Err(e) = editor.save_history(path) {
                if !history_warned {
                    terminal
                        .write(Stream::Stderr, &format!("saplay: cannot save history to {}: {e}\n", path.display()))?;
                    history_warned = true;
                }
            }
        }
        let output = shell.borrow_mut().run(&command);
        script::print(&mut terminal, &output)?;
        // The line editor clears the line it draws its prompt on: end
        // output such as `echo -n` or `-o jsonpath=…` with a newline so
        // that it stays on the screen.
        let mut text = output.terminal_text();
        if let Some(request) = saplay_shell::kubectl::edit::take_editor_request(&mut text) {
            text.push_str(&request.as_text());
        }
        if !text.is_empty() && !text.ends_with('\n') {
            terminal.write(Stream::Stdout, "\n")?;
        }
        status = output.exit_code;
        if output.exit_requested {
            break;
        }
    }
    Ok(status)
}
