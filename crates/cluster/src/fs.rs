//! A container's view of its mounted volumes, as files and directories.
//!
//! The kubelet writes each projected volume with the atomic writer's layout
//! (see [`crate::kubelet`]): inside the mount directory there is a hidden
//! timestamped directory holding the files, a `..data` symlink to it, and one
//! symlink per file (`token -> ..data/token`). This module answers "what is
//! at this path" for the shell's `ls`, `cat` and `cd`.

use crate::kubelet::{ContainerMounts, VolumeContents};
use crate::time::Time;

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A directory.
    Directory,
    /// A regular file with its content.
    File(String),
    /// A symbolic link and its target (as written, relative).
    Symlink(String),
}

/// One directory entry, with what `ls -l` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name within its directory.
    pub name: String,
    /// Directory, file or symlink.
    pub kind: EntryKind,
    /// Permission bits.
    pub mode: u32,
    /// Size in bytes, as tmpfs reports it.
    pub size: u64,
    /// Modification time.
    pub modified: Time,
}

/// Why a path could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FsError {
    /// Nothing at that path.
    #[error("No such file or directory")]
    NotFound,
    /// A file where a directory was needed.
    #[error("Not a directory")]
    NotADirectory,
    /// A directory where a file was needed.
    #[error("Is a directory")]
    IsADirectory,
}

/// tmpfs reports 40 bytes plus 20 per entry for a directory.
fn dir_size(entries: usize) -> u64 {
    40 + 20 * entries as u64
}

fn volume_root(mount: &VolumeContents) -> Vec<Entry> {
    let at = mount.written;
    let data_dir = mount.data_dir();
    let mut entries = vec![
        Entry {
            name: data_dir.clone(),
            kind: EntryKind::Directory,
            mode: 0o755,
            size: dir_size(mount.files.len()),
            modified: at,
        },
        Entry {
            name: "..data".to_string(),
            size: data_dir.len() as u64,
            kind: EntryKind::Symlink(data_dir),
            mode: 0o777,
            modified: at,
        },
    ];
    for file in &mount.files {
        let target = format!("..data/{}", file.path);
        entries.push(Entry {
            name: file.path.clone(),
            kind: EntryKind::Symlink(target.clone()),
            mode: 0o777,
            size: target.len() as u64,
            modified: at,
        });
    }
    entries
}

fn data_files(mount: &VolumeContents) -> Vec<Entry> {
    mount
        .files
        .iter()
        .map(|f| Entry {
            name: f.path.clone(),
            kind: EntryKind::File(f.content.clone()),
            mode: f.mode,
            size: f.content.len() as u64,
            modified: mount.written,
        })
        .collect()
}

/// Splits an absolute path into its non-empty components, resolving `.`
/// and `..` lexically.
pub fn components(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts
}

impl ContainerMounts {
    fn mount_for<'a>(&'a self, parts: &[&'a str]) -> Option<(&'a VolumeContents, Vec<&'a str>)> {
        self.mounts.iter().find_map(|(mount_path, _, contents)| {
            let mount_parts = components(mount_path);
            parts.starts_with(&mount_parts).then(|| (contents, parts[mount_parts.len()..].to_vec()))
        })
    }

    /// Whether `path` is a directory on the way to (or inside) a mount.
    fn is_ancestor_of_mount(&self, parts: &[&str]) -> bool {
        self.mounts.iter().any(|(p, _, _)| components(p).starts_with(parts))
    }

    /// The entries of directory `path`, in name order (`ls -a` without
    /// `.` and `..`). Symlinks to directories are followed.
    pub fn read_dir(&self, path: &str) -> Result<Vec<Entry>, FsError> {
        let parts = components(path);
        if let Some((mount, rest)) = self.mount_for(&parts) {
            let mut entries = match rest.as_slice() {
                [] => volume_root(mount),
                [dir] if (*dir == "..data" || *dir == mount.data_dir()) => data_files(mount),
                [dir, _] if (*dir == "..data" || *dir == mount.data_dir()) => return Err(FsError::NotADirectory),
                [name] if mount.files.iter().any(|f| f.path == *name) => return Err(FsError::NotADirectory),
                _ => return Err(FsError::NotFound),
            };
            entries.sort_by(|a, b| a.name.cmp(&b.name));
            return Ok(entries);
        }
        if self.is_ancestor_of_mount(&parts) {
            // Directories leading to a mount point, e.g. /var/run/secrets.
            let mut names: Vec<String> = self
                .mounts
                .iter()
                .filter_map(|(p, _, _)| {
                    let c = components(p);
                    c.starts_with(&parts).then(|| c.get(parts.len()).map(|s| s.to_string())).flatten()
                })
                .collect();
            names.sort();
            names.dedup();
            let modified = self.mounts.first().map(|(_, _, m)| m.written).unwrap_or_default();
            return Ok(names
                .into_iter()
                .map(|name| Entry { name, kind: EntryKind::Directory, mode: 0o755, size: 4096, modified })
                .collect());
        }
        Err(FsError::NotFound)
    }

    /// The content of file `path`, following symlinks.
    pub fn read_file(&self, path: &str) -> Result<String, FsError> {
        let parts = components(path);
        let Some((mount, rest)) = self.mount_for(&parts) else {
            return Err(if self.is_ancestor_of_mount(&parts) { FsError::IsADirectory } else { FsError::NotFound });
        };
        let name = match rest.as_slice() {
            [] => return Err(FsError::IsADirectory),
            [dir] if (*dir == "..data" || *dir == mount.data_dir()) => return Err(FsError::IsADirectory),
            [dir, name] if (*dir == "..data" || *dir == mount.data_dir()) => *name,
            [name] => *name,
            _ => return Err(FsError::NotFound),
        };
        mount.files.iter().find(|f| f.path == name).map(|f| f.content.clone()).ok_or(FsError::NotFound)
    }
}
