//! `saplay`: the playground's shell on a real terminal.
//!
//! `saplay -c 'LINE'` runs one command line; `saplay` alone reads lines from
//! standard input (a terminal or a script) and runs each in the same session.
//! This binary is the only place that knows files, terminals and sockets; the
//! shell and the cluster it drives are pure.

use std::io::{self, BufRead, Write};

use anyhow::{bail, Context, Result};
use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::{Output, Shell};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    match args.as_slice() {
        [flag, line] if flag == "-c" => {
            let out = shell.run(line);
            print_output(&out)?;
            std::process::exit(out.exit_code);
        }
        [] => run_lines(&mut shell),
        _ => bail!("usage: saplay [-c COMMAND]"),
    }
}

/// Runs every line of standard input; exits with the last line's status.
fn run_lines(shell: &mut Shell) -> Result<()> {
    let mut last = 0;
    for line in io::stdin().lock().lines() {
        let line = line.context("reading standard input")?;
        let out = shell.run(&line);
        print_output(&out)?;
        last = out.exit_code;
    }
    std::process::exit(last);
}

fn print_output(out: &Output) -> Result<()> {
    io::stdout().write_all(out.stdout.as_bytes())?;
    io::stdout().flush()?;
    io::stderr().write_all(out.stderr.as_bytes())?;
    Ok(())
}
