//! `kubectl exec POD [-c CONTAINER] -- COMMAND…`: a few commands run inside
//! a container, over the files the kubelet mounted there (`cat`, `ls`,
//! `echo`).

use saplay_cluster::fs::{EntryKind, FsError};
use saplay_cluster::kubelet::ContainerMounts;

use super::{Args, Kubectl};

/// `kubectl exec`.
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    let Some((pod, command)) = args.positional.split_first() else {
        return Err("error: pod, type/name or --filename must be specified\n".to_string());
    };
    let pod = pod.strip_prefix("pod/").or_else(|| pod.strip_prefix("pods/")).unwrap_or(pod);
    if command.is_empty() {
        return Err("error: you must specify at least one command for the container\n".to_string());
    }
    let namespace = k.namespace();
    let container = args.value(&["c", "container"]);
    let mounts = match k.cluster.container_mounts(&namespace, pod, container) {
        Ok(m) => m,
        Err(e) if e.reason() == "NotFound" => return Err(format!("Error from server (NotFound): {}\n", e.message())),
        Err(e) => return Err(format!("error: {}\n", e.message())),
    };
    let (program, rest) = command.split_first().map(|(p, r)| (p.as_str(), r)).unwrap_or(("", &[]));
    let result = match program {
        "cat" => cat(&mounts, rest),
        "ls" => ls(&mounts, rest, k.now_seconds()),
        "echo" => Ok(format!("{}\n", rest.join(" "))),
        other => Err(format!(
            "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{other}\": executable file not found in $PATH: unknown\n"
        )),
    };
    match result {
        Ok(text) => {
            k.print(&text);
            Ok(())
        }
        Err(text) => {
            // "command terminated with exit code N": kubectl exits with N.
            let code =
                text.rsplit("command terminated with exit code ").next().and_then(|n| n.trim().parse::<i32>().ok());
            k.failure_status = code.filter(|_| text.contains("command terminated with exit code"));
            k.eprint(&text);
            Err(String::new())
        }
    }
}

fn cat(mounts: &ContainerMounts, files: &[String]) -> Result<String, String> {
    let mut out = String::new();
    let mut err = String::new();
    for file in files {
        match mounts.read_file(file) {
            Ok(text) => out.push_str(&text),
            Err(FsError::IsADirectory) => err.push_str(&format!("cat: {file}: Is a directory\n")),
            Err(_) => err.push_str(&format!("cat: {file}: No such file or directory\n")),
        }
    }
    if err.is_empty() {
        Ok(out)
    } else {
        Err(format!("{out}{err}command terminated with exit code 1\n"))
    }
}

fn mode_string(kind: &EntryKind, mode: u32) -> String {
    let kind_char = match kind {
        EntryKind::Directory => 'd',
        EntryKind::Symlink(_) => 'l',
        EntryKind::File(_) => '-',
    };
    let bits = ['r', 'w', 'x'];
    let mut s = String::from(kind_char);
    for i in (0..9).rev() {
        s.push(if mode & (1 << i) != 0 { bits[(8 - i) % 3] } else { '-' });
    }
    s
}

fn ls(mounts: &ContainerMounts, args: &[String], now: i64) -> Result<String, String> {
    let flags: String = args.iter().filter(|a| a.starts_with('-')).flat_map(|a| a.chars().skip(1)).collect();
    let long = flags.contains('l');
    let all = flags.contains('a');
    let path = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_else(|| "/".to_string());
    let entries = match mounts.read_dir(&path) {
        Ok(e) => e,
        Err(FsError::NotADirectory) => return Ok(format!("{path}\n")),
        Err(_) => {
            return Err(format!(
                "ls: cannot access '{path}': No such file or directory\ncommand terminated with exit code 2\n"
            ))
        }
    };
    let visible: Vec<_> = entries.iter().filter(|e| all || !e.name.starts_with('.')).collect();
    if !long {
        let names: Vec<&str> = visible.iter().map(|e| e.name.as_str()).collect();
        return Ok(format!("{}\n", names.join("\n")));
    }
    let modified = entries.first().map(|e| e.modified).unwrap_or_default();
    let stamp = |t: saplay_cluster::Time| {
        let secs = t.unix_seconds();
        chrono_format(secs, (now - secs).abs() < 180 * 86_400)
    };
    let mut rows: Vec<(String, u32, u64, String, String)> = Vec::new();
    if all {
        let dir_size = 40 + 20 * entries.len() as u64;
        rows.push(("drwxrwxrwt".to_string(), 3, dir_size, stamp(modified), ".".to_string()));
        rows.push(("drwxr-xr-x".to_string(), 3, 4096, stamp(modified), "..".to_string()));
    }
    for e in &visible {
        let links = if matches!(e.kind, EntryKind::Directory) { 2 } else { 1 };
        let name = match &e.kind {
            EntryKind::Symlink(target) => format!("{} -> {target}", e.name),
            _ => e.name.clone(),
        };
        rows.push((mode_string(&e.kind, e.mode), links, e.size, stamp(e.modified), name));
    }
    let size_width = rows.iter().map(|r| r.2.to_string().len()).max().unwrap_or(1);
    let mut out = "total 4\n".to_string();
    for (mode, links, size, when, name) in rows {
        out.push_str(&format!("{mode} {links} root root {size:>size_width$} {when} {name}\n"));
    }
    Ok(out)
}

/// `ls -l`'s date: `Jan 14 09:12` for recent files, `Jan 14  2024` else.
fn chrono_format(secs: i64, recent: bool) -> String {
    let t = saplay_cluster::Time::from_unix_seconds(secs).rfc3339();
    // 2025-01-14T09:12:47Z
    let month = t.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let name = months.get(month.saturating_sub(1)).copied().unwrap_or("Jan");
    let day: u32 = t.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
    if recent {
        format!("{name} {day:>2} {}", t.get(11..16).unwrap_or("00:00"))
    } else {
        format!("{name} {day:>2}  {}", t.get(0..4).unwrap_or("1970"))
    }
}
