//! `ls` with `-l`, `-a`, `-1` and `-d`, over a machine's files: one name
//! per line when the output is not a terminal, columns when it is, and
//! `ls -l`'s long rows with the `..data` symlinks the kubelet writes.

use saplay_cluster::fs::{Entry, EntryKind};

use crate::files::FileError;
use crate::machine::Files;
use crate::Output;

/// The terminal width the columns fit in.
const WIDTH: usize = 80;

/// `ls ARGS…`; `tty` says whether the output goes to a terminal.
#[inline(never)]
pub fn run(files: &Files<'_>, args: &[String], tty: bool) -> Output {
    let mut long = false;
    let mut all = false;
    let mut almost_all = false;
    let mut one = !tty;
    let mut directory = false;
    let mut operands = Vec::new();
    for arg in args {
        if let Some(long) = arg.strip_prefix("--").filter(|l| !l.is_empty()) {
            let mut out = Output::status(2);
            out.push(
                crate::Stream::Stderr,
                &format!("ls: unrecognized option '--{long}'\nTry 'ls --help' for more information.\n"),
            );
            return out;
        }
        match arg.strip_prefix('-') {
            Some(flags) if !flags.is_empty() && arg != "-" => {
                for c in flags.chars() {
                    match c {
                        'l' => long = true,
                        'a' => all = true,
                        'A' => almost_all = true,
                        '1' => one = true,
                        'd' => directory = true,
                        'h' | 'F' | 'L' => {}
                        other => {
                            let mut out = Output::status(2);
                            out.push(
                                crate::Stream::Stderr,
                                &format!("ls: invalid option -- '{other}'\nTry 'ls --help' for more information.\n"),
                            );
                            return out;
                        }
                    }
                }
            }
            _ => operands.push(arg.clone()),
        }
    }
    if operands.is_empty() {
        operands.push(".".to_string());
    }
    let now = files_now(files);
    let mut out = Output::status(0);
    let mut singles: Vec<Entry> = Vec::new();
    let mut dirs: Vec<(String, Vec<Entry>)> = Vec::new();
    for operand in &operands {
        let path = files.resolve(operand);
        // `ls -l /bin` shows the symlink; `ls /bin` and `ls -l /bin/` what
        // it leads to.
        let link = long && files.is_link(&path) && !operand.ends_with('/');
        if files.is_dir(&path) && !directory && !link {
            match files.read_dir(&path) {
                Ok(entries) => dirs.push((operand.clone(), entries)),
                Err(e) => report(&mut out, operand, e),
            }
        } else {
            match files.entry(&path) {
                Ok(mut e) => {
                    e.name = operand.clone();
                    singles.push(e);
                }
                Err(e) => report(&mut out, operand, e),
            }
        }
    }
    // Operands are listed in name order, files before directories.
    singles.sort_by(|a, b| a.name.cmp(&b.name));
    dirs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::new();
    if !singles.is_empty() {
        text.push_str(&listing(&singles, long, one, now));
    }
    let headers = operands.len() > 1;
    for (i, (name, entries)) in dirs.iter().enumerate() {
        if headers {
            if i > 0 || !singles.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("{name}:\n"));
        }
        let hidden_shown = all || almost_all;
        let mut shown: Vec<Entry> =
            entries.iter().filter(|e| hidden_shown || !e.name.starts_with('.')).cloned().collect();
        if all {
            let dot = files.dot(&files.resolve(name));
            let parent = Entry {
                name: "..".to_string(),
                kind: EntryKind::Directory,
                mode: 0o755,
                size: 4096,
                modified: dot.modified,
            };
            shown.insert(0, parent);
            shown.insert(0, dot);
        }
        if long {
            // Allocated 1K blocks: symlinks take none, directories one page.
            let blocks: u64 = shown
                .iter()
                .filter(|e| e.name != "." && e.name != "..")
                .map(|e| match e.kind {
                    EntryKind::Symlink(_) => 0,
                    EntryKind::Directory => 4,
                    EntryKind::File(_) => e.size.div_ceil(4096) * 4,
                })
                .sum();
            text.push_str(&format!("total {blocks}\n"));
        }
        text.push_str(&listing(&shown, long, one, now));
    }
    out.push(crate::Stream::Stdout, &text);
    out
}

fn files_now(files: &Files<'_>) -> i64 {
    files.now().unix_seconds()
}

fn report(out: &mut Output, operand: &str, e: FileError) {
    out.push(crate::Stream::Stderr, &format!("ls: cannot access '{operand}': {e}\n"));
    out.exit_code = 2;
}

fn listing(entries: &[Entry], long: bool, one: bool, now: i64) -> String {
    if entries.is_empty() {
        return String::new();
    }
    if long {
        let size_width = entries.iter().map(|e| e.size.to_string().len()).max().unwrap_or(1);
        let mut text = String::new();
        for e in entries {
            let links = match e.kind {
                EntryKind::Directory if e.name == "." || e.name == ".." => 3,
                EntryKind::Directory => 2,
                _ => 1,
            };
            let name = match &e.kind {
                EntryKind::Symlink(target) => format!("{} -> {target}", e.name),
                _ => e.name.clone(),
            };
            let when = stamp(e.modified.unix_seconds(), now);
            let size = e.size;
            text.push_str(&format!("{} {links} root root {size:>size_width$} {when} {name}\n", mode_string(e)));
        }
        return text;
    }
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    if one {
        return names.iter().map(|n| format!("{n}\n")).collect();
    }
    columns(&names)
}

/// GNU ls's column layout: as many columns as fit in the width, filled
/// top to bottom, each as wide as its longest name plus two spaces.
fn columns(names: &[&str]) -> String {
    let lens: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let count = names.len();
    let mut best_rows = count;
    for cols in (1..=count).rev() {
        let rows = count.div_ceil(cols);
        let used_cols = count.div_ceil(rows);
        let widths: Vec<usize> = (0..used_cols)
            .map(|c| (0..rows).filter_map(|r| lens.get(c * rows + r)).copied().max().unwrap_or(0))
            .collect();
        let total: usize = widths.iter().sum::<usize>() + 2 * used_cols.saturating_sub(1);
        if total < WIDTH {
            best_rows = rows;
            break;
        }
    }
    let rows = best_rows.max(1);
    let cols = count.div_ceil(rows);
    let widths: Vec<usize> =
        (0..cols).map(|c| (0..rows).filter_map(|r| lens.get(c * rows + r)).copied().max().unwrap_or(0)).collect();
    let mut text = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for c in 0..cols {
            let Some(name) = names.get(c * rows + r) else { continue };
            line.push_str(name);
            let last_in_row = names.get((c + 1) * rows + r).is_none();
            if !last_in_row {
                let pad = widths.get(c).copied().unwrap_or(0).saturating_sub(name.chars().count()) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn mode_string(e: &Entry) -> String {
    let kind_char = match e.kind {
        EntryKind::Directory => 'd',
        EntryKind::Symlink(_) => 'l',
        EntryKind::File(_) => '-',
    };
    let bits = ['r', 'w', 'x'];
    let mut s = String::from(kind_char);
    for i in (0..9).rev() {
        s.push(if e.mode & (1 << i) != 0 { bits[(8 - i) % 3] } else { '-' });
    }
    if e.mode & 0o1000 != 0 {
        s.pop();
        s.push('t');
    }
    s
}

/// `ls -l`'s date: `Jan 14 09:12` within six months, `Jan 14  2024` else.
fn stamp(secs: i64, now: i64) -> String {
    let t = saplay_cluster::Time::from_unix_seconds(secs).rfc3339();
    // 2025-01-14T09:12:47Z
    let month = t.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let name = months.get(month.saturating_sub(1)).copied().unwrap_or("Jan");
    let day: u32 = t.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
    if (now - secs).abs() < 180 * 86_400 {
        format!("{name} {day:>2} {}", t.get(11..16).unwrap_or("00:00"))
    } else {
        format!("{name} {day:>2}  {}", t.get(0..4).unwrap_or("1970"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_top_to_bottom() {
        assert_eq!(columns(&["a", "b", "c"]), "a  b  c\n");
        let long: Vec<String> = (0..30).map(|i| format!("file-number-{i:02}")).collect();
        let names: Vec<&str> = long.iter().map(String::as_str).collect();
        let text = columns(&names);
        assert!(text.lines().all(|l| l.chars().count() < WIDTH), "{text}");
        assert!(text.starts_with("file-number-00  file-number-06"), "{text}");
    }
}
