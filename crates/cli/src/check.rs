//! `saplay check EXERCISE --solution SCRIPT`: an exercise run natively, for
//! teachers' CI.
//!
//! The exercise's setup runs in a fresh cluster (as the browser starts
//! it), then the solution script one top-level command at a time (as
//! `saplay run` does; `sleep 90d` moves the clock), then every goal is
//! evaluated and printed as `✓`/`✗`, its description and what the check
//! saw. The exit status is 0 when every goal is met, 1 otherwise, 2 when
//! a file cannot be read or the exercise does not parse. With `--echo`
//! the setup and the script are shown as a terminal session; otherwise
//! only a setup line that fails is shown (on stderr).

use std::io::{self, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use saplay_lessons::Exercise;
use saplay_shell::{Shell, Stream};

use crate::script::{self, Terminal};

/// Discards what a script prints.
struct Quiet;

impl Terminal for Quiet {
    fn write(&mut self, _: Stream, _: &str) -> io::Result<()> {
        Ok(())
    }
}

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Runs the check; returns the exit status.
pub fn run(mut shell: Shell, exercise: &Path, solution: Option<&Path>, echo: bool) -> Result<i32> {
    let text = read(exercise)?;
    let parsed = Exercise::from_yaml(&text);
    let exercise_file = exercise.display();
    let exercise = match parsed {
        Ok(e) => e,
        Err(e) => bail!("{exercise_file}: {e}"),
    };
    let script = solution.map(read).transpose()?;
    let mut terminal = script::Stdio;
    for line in exercise.setup_lines() {
        if echo {
            terminal.write(Stream::Stdout, &script::echo_lines(&line))?;
        }
        let output = shell.run(&line);
        if echo {
            script::print(&mut terminal, &output)?;
        } else if output.exit_code != 0 {
            let first = line.lines().next().unwrap_or_default();
            terminal.write(
                Stream::Stderr,
                &format!("saplay: {exercise_file}: setup line failed ({}): {first}\n", output.exit_code),
            )?;
            terminal.write(Stream::Stderr, &output.terminal_text())?;
        }
    }
    if let Some(source) = &script {
        if echo {
            script::run(&mut shell, source, true, &mut terminal)?;
        } else {
            script::run(&mut shell, source, false, &mut Quiet)?;
        }
    }
    let results = exercise.evaluate(&shell);
    let mut out = io::stdout().lock();
    if echo {
        writeln!(out)?;
    }
    writeln!(out, "{}", exercise.title)?;
    let mut met = 0;
    for r in &results {
        let description = exercise.goal(&r.goal).map(|g| g.description.as_str()).unwrap_or_default();
        let mark = if r.met { "✓" } else { "✗" };
        met += usize::from(r.met);
        writeln!(out, "{mark} {}: {description} ({})", r.goal, r.detail)?;
    }
    writeln!(out, "{met} of {} goals met", results.len())?;
    out.flush()?;
    Ok(if met == results.len() { 0 } else { 1 })
}
