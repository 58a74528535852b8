//! Transcript tests: each file in `tests/transcripts/` is a terminal
//! session — `$ command` lines (continued on `> ` lines, as a terminal's
//! secondary prompt shows them) followed by what the terminal shows
//! (both streams in the order they were written, then `[exit N]` when the
//! status is not 0) —
//! replayed in a fresh shell on a fresh cluster with the default seed and
//! start instant. `#` lines just before a command are comments.
//!
//! To accept new output after a deliberate change, run
//! `UPDATE_TRANSCRIPTS=1 cargo test -p saplay-shell --test transcripts`
//! and review the diff.

use std::fs;
use std::path::Path;

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::Shell;

/// Replays the commands of `text` and returns the transcript as it is now,
/// or why it cannot be written down: an output that does not end with a
/// newline would run into the next `$ ` line, which would then be read as
/// output, not run (end such a command with `; echo`, or its template
/// with `{"\n"}`).
fn replay(text: &str) -> Result<String, String> {
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        // Comment lines introduce the commands after them (a block of `#`
        // lines followed by a `$ ` line) and are kept as they are.
        let introduces_command = lines[i..].iter().find(|l| !l.starts_with('#')).is_none_or(|l| l.starts_with("$ "));
        if line.starts_with('#') && introduces_command {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let Some(first) = line.strip_prefix("$ ") else { continue };
        out.push_str(line);
        out.push('\n');
        let mut command = first.to_string();
        while let Some(more) =
            lines.get(i).and_then(|l| l.strip_prefix("> ").or(if *l == ">" { Some("") } else { None }))
        {
            command.push('\n');
            command.push_str(more);
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
        }
        let result = shell.run(&command);
        let mut shown = result.terminal_text();
        // `kubectl edit` asks the page to open its editor: shown here as
        // the text the editor gets and the command its Save runs.
        if let Some(request) = saplay_shell::kubectl::edit::take_editor_request(&mut shown) {
            shown.push_str(&request.as_text());
        }
        if !shown.is_empty() && !shown.ends_with('\n') {
            return Err(format!("the output of `{first}` does not end with a newline"));
        }
        out.push_str(&shown);
        if result.exit_code != 0 {
            out.push_str(&format!("[exit {}]\n", result.exit_code));
        }
    }
    Ok(out)
}

#[test]
fn transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    // UPDATE_TRANSCRIPTS=1 rewrites every transcript that differs;
    // UPDATE_TRANSCRIPTS=NAME only those whose file name starts with NAME
    // (so one file can be written while others are being worked on).
    let update = std::env::var("UPDATE_TRANSCRIPTS").ok();
    let may_write = |path: &Path| {
        update.as_deref().is_some_and(|only| {
            only == "1" || path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(only))
        })
    };
    let mut failures = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    assert!(!entries.is_empty(), "no transcripts in {}", dir.display());
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let expected = fs::read_to_string(path).unwrap_or_default();
        let actual = match replay(&expected) {
            Ok(actual) => actual,
            Err(why) => {
                failures.push(format!("--- {}\n{why}", path.display()));
                continue;
            }
        };
        if actual != expected {
            if may_write(path) {
                fs::write(path, &actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            } else {
                failures.push(format!("--- {}\n{}", path.display(), first_difference(&expected, &actual)));
            }
        }
    }
    assert!(failures.is_empty(), "transcripts differ (UPDATE_TRANSCRIPTS=1 to accept):\n{}", failures.join("\n"));
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
        }
    }
    format!("lengths differ: expected {} lines, got {}", expected.lines().count(), actual.lines().count())
}
