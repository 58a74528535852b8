//! `saplay`: the playground's shell on a real terminal.
//!
//! `saplay` on a terminal opens an interactive session (line editing,
//! history, Tab completion); `saplay run FILE` and `saplay run -` (or
//! `saplay` with standard input that is not a terminal) run a script in a
//! fresh cluster, and `saplay -c LINE` one command line. Output goes to
//! stdout and stderr as a terminal would show it; the exit status is the
//! last command's. `--seed` and `--start` make a run reproducible;
//! `--echo` prints each command before its output. `saplay check EXERCISE
//! --solution SCRIPT` runs an exercise (its setup, then the script) and
//! prints each goal's result, exiting 1 if one is not met. This binary is
//! the only
//! place that knows files, terminals and sockets; the shell and the
//! cluster it drives are pure.

mod check;
mod interactive;
mod script;

use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser, Subcommand};
use saplay_cluster::{Cluster, ClusterConfig, Time};
use saplay_shell::Shell;

/// The Service Accounts playground's shell: kubectl, curl and a POSIX-sh
/// subset over a simulated Kubernetes v1.32 cluster.
#[derive(Debug, Parser)]
#[command(name = "saplay", version)]
struct Cli {
    /// Run one command line and exit with its status.
    #[arg(short = 'c', value_name = "COMMAND")]
    command: Option<String>,

    /// Seed for the cluster's random choices (UIDs, keys, tokens).
    #[arg(long, value_name = "N", global = true)]
    seed: Option<u64>,

    /// Instant the cluster's clock starts at, e.g. 2025-01-01T00:00:00Z.
    #[arg(long, value_name = "RFC3339", value_parser = parse_start, global = true)]
    start: Option<Time>,

    /// Print each command, after `$ `, before its output.
    #[arg(long, global = true)]
    echo: bool,

    /// Keep the interactive history in memory only (not in
    /// $HOME/.saplay_history).
    #[arg(long, global = true)]
    no_history: bool,

    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Run a script in a fresh cluster and exit with the last command's
    /// status.
    Run {
        /// The script file, or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Run an exercise (its setup, then the solution script) and print
    /// each goal's result; exit 1 if any goal is not met.
    Check {
        /// The exercise file (YAML, see docs/EXERCISES.md).
        #[arg(value_name = "EXERCISE")]
        exercise: PathBuf,
        /// A script run after the setup, one top-level command at a time,
        /// as `saplay run` runs it.
        #[arg(long, value_name = "SCRIPT")]
        solution: Option<PathBuf>,
    },
}

/// Parses `--start`: RFC 3339 with a time zone.
fn parse_start(value: &str) -> Result<Time, String> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|at| Time::from_unix_millis(at.timestamp_millis()))
        .map_err(|e| format!("{e}; expected RFC 3339, such as 2025-01-01T00:00:00Z"))
}

fn main() {
    let cli = Cli::parse();
    if let (Some(_), Some(action)) = (&cli.command, &cli.action) {
        let name = match action {
            Action::Run { .. } => "run",
            Action::Check { .. } => "check",
        };
        let message = format!("-c cannot be used with '{name}'");
        Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message).exit();
    }
    let code = match start(cli) {
        Ok(code) => code,
        Err(e) if e.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) => {
            // The reader went away (`saplay run x | head`): stop quietly,
            // with the status of a shell killed by SIGPIPE.
            141
        }
        Err(e) => {
            eprintln!("saplay: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

fn start(cli: Cli) -> Result<i32> {
    let defaults = ClusterConfig::default();
    let config = ClusterConfig { seed: cli.seed.unwrap_or(defaults.seed), start: cli.start.unwrap_or(defaults.start) };
    let mut shell = Shell::new(Cluster::new(config));
    let source = match (&cli.command, &cli.action) {
        (Some(line), _) => line.clone(),
        (None, Some(Action::Check { exercise, solution })) => {
            return check::run(shell, exercise, solution.as_deref(), cli.echo);
        }
        (None, Some(Action::Run { file })) if file == "-" => read_stdin()?,
        (None, Some(Action::Run { file })) => {
            let bytes = std::fs::read(file).with_context(|| format!("cannot open {file}"))?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        (None, None) if io::stdin().is_terminal() => {
            let history = if cli.no_history { None } else { history_file() };
            return interactive::run(shell, history);
        }
        (None, None) => read_stdin()?,
    };
    Ok(script::run(&mut shell, &source, cli.echo, &mut script::Stdio)?)
}

/// `$HOME/.saplay_history`, when there is a home.
fn history_file() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|home| PathBuf::from(home).join(".saplay_history"))
}

/// Standard input as text (bytes that are not UTF-8 become U+FFFD).
fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_instants_parse_as_rfc3339() {
        assert_eq!(parse_start("2025-01-01T00:00:00Z"), Ok(Time::from_unix_seconds(1_735_689_600)));
        assert_eq!(parse_start("2025-01-01T01:00:00+01:00"), Ok(Time::from_unix_seconds(1_735_689_600)));
        assert_eq!(parse_start("1970-01-01T00:00:00.5Z"), Ok(Time::from_unix_millis(500)));
        for bad in ["", "yesterday", "2025-01-01", "2025-13-01T00:00:00Z", "2025-01-01T00:00:00"] {
            assert!(parse_start(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
