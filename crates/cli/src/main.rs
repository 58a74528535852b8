//! `saplay`: the playground's shell on a real terminal.
//!
//! `saplay -c 'LINE'` runs one command line; `saplay run FILE` runs a
//! script file and `saplay run -` (or `saplay` with standard input that is
//! not a terminal) a script from standard input, in a fresh cluster. Output
//! goes to stdout and stderr as a terminal would show it; the exit status is
//! the last command's. This binary is the only place that knows files,
//! terminals and sockets; the shell and the cluster it drives are pure.

use std::io::{self, Read, Write};

use anyhow::{bail, Context, Result};
use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::{Output, Shell, Stream};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    let script = match args.as_slice() {
        [flag, line] if flag == "-c" => line.clone(),
        [run, file] if run == "run" && file == "-" => read_stdin()?,
        [run, file] if run == "run" => std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?,
        [] => read_stdin()?,
        _ => bail!("usage: saplay [-c COMMAND | run FILE | run -]"),
    };
    let out = shell.run(&script);
    print_output(&out)?;
    std::process::exit(out.exit_code);
}

fn read_stdin() -> Result<String> {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).context("reading standard input")?;
    Ok(text)
}

fn print_output(out: &Output) -> Result<()> {
    for (stream, text) in &out.chunks {
        match stream {
            Stream::Stdout => {
                io::stdout().write_all(text.as_bytes())?;
                io::stdout().flush()?;
            }
            Stream::Stderr => io::stderr().write_all(text.as_bytes())?,
        }
    }
    Ok(())
}
