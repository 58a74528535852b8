//! The machine a command runs on and its files: the learner's workstation
//! (files written with redirections and `mkdir`), or a container of a pod
//! after `kubectl exec` (the kubelet's mounts, read-only, over a small
//! writable layer standing for the image's file system).
//!
//! Paths are resolved from the current directory and normalised lexically
//! (`..` and `.`), as the shell's commands see them.

use std::collections::{BTreeMap, BTreeSet};

use saplay_cluster::fs::{components, Entry, EntryKind, FsError};
use saplay_cluster::kubelet::ContainerMounts;
use saplay_cluster::{Cluster, Time};

use crate::files::{FileError, ReadFiles};

/// Files and directories written on one machine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disk {
    /// File contents by absolute path.
    pub files: BTreeMap<String, String>,
    /// Directories made with `mkdir`, by absolute path.
    pub dirs: BTreeSet<String>,
    /// The image's programs removed with `rm`, by absolute path.
    pub removed: BTreeSet<String>,
}

/// Which container a pod shell runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodTarget {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub pod: String,
    /// The container (`-c`), or the pod's first.
    pub container: Option<String>,
}

impl PodTarget {
    /// The key of this container's writable layer.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.namespace, self.pod, self.container.as_deref().unwrap_or(""))
    }
}

/// Directories every workstation has.
const WORKSTATION_DIRS: [&str; 3] = ["/", "/root", "/tmp"];

/// The directories of a Debian 12 image (nginx's, for instance); they
/// stand empty here apart from the programs in `/usr/bin` and what the
/// kubelet mounts.
const IMAGE_DIRS: [&str; 25] = [
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/media",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/lib64",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/run",
];

/// Debian 12's merged `/usr`: the top-level symlinks into it.
const IMAGE_LINKS: [(&str, &str); 4] =
    [("/bin", "usr/bin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64"), ("/sbin", "usr/sbin")];

/// Where the image's programs are (`/bin` leads there).
pub const PROGRAM_DIR: &str = "/usr/bin";

/// dash's and runc's search path when `PATH` is unset.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// One program of the image, in `/usr/bin`.
struct Program {
    name: &'static str,
    /// Its size in bytes in Debian 12 (amd64).
    size: u64,
    /// Its package's build time (Unix seconds).
    built: i64,
    /// The target, for a symlink (`sh` is dash).
    link: Option<&'static str>,
}

const fn program(name: &'static str, size: u64, built: i64) -> Program {
    Program { name, size, built, link: None }
}

/// coreutils 9.1-1's build time: 2022-09-20 15:27:27 UTC.
const COREUTILS: i64 = 1_663_687_647;
/// dash 0.5.12-2's: 2023-01-05 13:20:48 UTC.
const DASH: i64 = 1_672_924_848;

/// The programs the shell implements, as a Debian 12 image (nginx's) has
/// them in `/usr/bin`, in name order: coreutils, dash (and `sh`), bash,
/// grep, hostname and curl. The files are there to be found and listed;
/// reading one gives nothing.
const PROGRAMS: [Program; 31] = [
    program("[", 68_496, COREUTILS),
    program("base64", 48_016, COREUTILS),
    // bash's and curl's dates stand on coreutils' (their builds vary
    // with Debian 12's point releases).
    program("bash", 1_265_648, COREUTILS),
    program("cat", 44_016, COREUTILS),
    program("curl", 280_800, COREUTILS),
    program("cut", 48_112, COREUTILS),
    program("dash", 125_640, DASH),
    program("date", 121_904, COREUTILS),
    program("echo", 43_856, COREUTILS),
    program("env", 48_536, COREUTILS),
    program("false", 35_664, COREUTILS),
    // grep 3.8-5: 2023-01-24 14:43:00 UTC.
    program("grep", 203_152, 1_674_571_380),
    program("head", 48_080, COREUTILS),
    // hostname 3.23+nmu1: 2022-12-19 13:33:11 UTC.
    program("hostname", 22_680, 1_671_456_791),
    program("id", 48_144, COREUTILS),
    program("ls", 151_344, COREUTILS),
    program("mkdir", 97_552, COREUTILS),
    program("printf", 64_432, COREUTILS),
    program("pwd", 43_952, COREUTILS),
    program("rm", 72_752, COREUTILS),
    Program { name: "sh", size: 4, built: DASH, link: Some("dash") },
    program("sleep", 43_888, COREUTILS),
    program("sort", 118_456, COREUTILS),
    program("tail", 76_944, COREUTILS),
    program("test", 60_304, COREUTILS),
    program("touch", 109_616, COREUTILS),
    program("tr", 56_208, COREUTILS),
    program("true", 35_664, COREUTILS),
    program("uniq", 48_080, COREUTILS),
    program("wc", 52_280, COREUTILS),
    program("whoami", 39_792, COREUTILS),
];

/// A view of one machine's files, for one command.
pub struct Files<'a> {
    files: &'a mut BTreeMap<String, String>,
    dirs: &'a mut BTreeSet<String>,
    /// The image's programs removed (a container's only).
    removed: Option<&'a mut BTreeSet<String>>,
    mounts: Option<ContainerMounts>,
    cwd: &'a str,
    now: Time,
}

/// Resolves `path` against `cwd` into a normalised absolute path.
pub fn absolute(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let parts = components(&joined);
    format!("/{}", parts.join("/"))
}

fn from_fs(e: FsError) -> FileError {
    match e {
        FsError::NotFound => FileError::NotFound,
        FsError::NotADirectory => FileError::NotADirectory,
        FsError::IsADirectory => FileError::IsADirectory,
    }
}

fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((p, _)) => p.to_string(),
    }
}

impl<'a> Files<'a> {
    /// The learner's workstation.
    pub fn workstation(disk: &'a mut Disk, cwd: &'a str, now: Time) -> Self {
        Self { files: &mut disk.files, dirs: &mut disk.dirs, removed: None, mounts: None, cwd, now }
    }

    /// A container: its mounts as the kubelet has them now.
    pub fn container(cluster: &Cluster, target: &PodTarget, disk: &'a mut Disk, cwd: &'a str) -> Self {
        let mounts = cluster.container_mounts(&target.namespace, &target.pod, target.container.as_deref()).ok();
        let mounts = Some(mounts.unwrap_or(ContainerMounts { mounts: Vec::new() }));
        let now = cluster.now();
        Self { files: &mut disk.files, dirs: &mut disk.dirs, removed: Some(&mut disk.removed), mounts, cwd, now }
    }

    /// The learner's workstation, from the session's parts.
    pub fn workstation_parts(
        files: &'a mut BTreeMap<String, String>,
        dirs: &'a mut BTreeSet<String>,
        cwd: &'a str,
        now: Time,
    ) -> Self {
        Self { files, dirs, removed: None, mounts: None, cwd, now }
    }

    /// The cluster's clock when this view was taken.
    pub fn now(&self) -> Time {
        self.now
    }

    /// The `.` entry of directory `path` for `ls -la`: a volume's mount
    /// point is a tmpfs root (mode 1777, 40 bytes plus 20 per entry).
    pub fn dot(&self, path: &str) -> Entry {
        let entries = self.read_dir(path).unwrap_or_default();
        let modified = entries.first().map_or(self.now, |e| e.modified);
        let mount_root =
            self.mounts.as_ref().is_some_and(|m| m.mounts.iter().any(|(p, _, _)| absolute("/", p) == path));
        let (mode, size) = if mount_root { (0o1777, 40 + 20 * entries.len() as u64) } else { (0o755, 4096) };
        Entry { name: ".".to_string(), kind: EntryKind::Directory, mode, size, modified }
    }

    /// Whether this is a container's file system.
    pub fn in_container(&self) -> bool {
        self.mounts.is_some()
    }

    /// The current directory.
    pub fn cwd(&self) -> &str {
        self.cwd
    }

    /// `path` made absolute.
    pub fn resolve(&self, path: &str) -> String {
        absolute(self.cwd, path)
    }

    /// `path` with the image's top-level symlinks followed (`/bin/cat` is
    /// `/usr/bin/cat`); the workstation has none.
    fn real(&self, path: &str) -> String {
        if self.in_container() {
            for (link, target) in IMAGE_LINKS {
                match path.strip_prefix(link) {
                    Some(rest) if rest.is_empty() || rest.starts_with('/') => return format!("/{target}{rest}"),
                    _ => {}
                }
            }
        }
        path.to_string()
    }

    /// Whether `path` (absolute) is one of the image's top-level symlinks
    /// (`ls -l /bin` shows the link itself).
    pub fn is_link(&self, path: &str) -> bool {
        self.in_container() && IMAGE_LINKS.iter().any(|(link, _)| *link == path)
    }

    /// The image's program at `path` (absolute), unless it was removed or
    /// a file of the learner's stands in its place.
    fn image_program(&self, path: &str) -> Option<&'static Program> {
        if !self.in_container() {
            return None;
        }
        let path = self.real(path);
        let name = path.strip_prefix(PROGRAM_DIR)?.strip_prefix('/')?;
        let found = PROGRAMS.iter().find(|p| p.name == name)?;
        let gone = self.files.contains_key(&path)
            || self.dirs.contains(&path)
            || self.removed.as_ref().is_some_and(|r| r.contains(&path));
        (!gone).then_some(found)
    }

    /// The program that running the file at `path` (absolute) starts:
    /// `/bin/cat` is `cat`; `None` when no program of the image is there.
    pub fn program(&self, path: &str) -> Option<&'static str> {
        let found = self.image_program(path)?;
        if let Some(target) = found.link {
            self.image_program(&format!("{PROGRAM_DIR}/{target}"))?;
        }
        Some(found.name)
    }

    /// `test -x`: a directory, or a program of the image.
    pub fn is_executable(&self, path: &str) -> bool {
        self.is_dir(path) || self.program(path).is_some()
    }

    fn mounted(&self, path: &str) -> bool {
        let parts = components(path);
        self.mounts.as_ref().is_some_and(|m| m.mounts.iter().any(|(p, _, _)| parts.starts_with(&components(p))))
    }

    fn base_dirs(&self) -> &'static [&'static str] {
        if self.in_container() {
            &IMAGE_DIRS
        } else {
            &WORKSTATION_DIRS
        }
    }

    /// Whether `path` (absolute) is a directory.
    pub fn is_dir(&self, path: &str) -> bool {
        let path = self.real(path);
        let path = path.as_str();
        if let Some(m) = &self.mounts {
            if m.read_dir(path).is_ok() {
                return true;
            }
            if self.mounted(path) {
                return false;
            }
        }
        self.base_dirs().contains(&path)
            || self.dirs.contains(path)
            || self.files.keys().any(|f| f.starts_with(path) && f.as_bytes().get(path.len()) == Some(&b'/'))
    }

    /// Whether anything is at `path`.
    pub fn exists(&self, path: &str) -> bool {
        self.is_dir(path) || self.read(path).is_ok()
    }

    fn read(&self, path: &str) -> Result<String, FileError> {
        let path = self.real(path);
        let path = path.as_str();
        if let Some(m) = &self.mounts {
            match m.read_file(path) {
                Ok(text) => return Ok(text),
                Err(FsError::NotFound) if !self.mounted(path) => {}
                Err(e) => return Err(from_fs(e)),
            }
        }
        match self.files.get(path) {
            Some(text) => Ok(text.clone()),
            // Reads as empty, whatever is written to it.
            None if path == "/dev/null" => Ok(String::new()),
            None if self.image_program(path).is_some() => Ok(String::new()),
            None if self.is_dir(path) => Err(FileError::IsADirectory),
            None if !self.is_dir(&parent(path)) => Err(FileError::NotFound),
            None => Err(FileError::NotFound),
        }
    }

    /// The entries of directory `path`, by name (without `.` and `..`).
    pub fn read_dir(&self, path: &str) -> Result<Vec<Entry>, FileError> {
        let path = self.real(path);
        let path = path.as_str();
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        let mut found = false;
        if let Some(m) = &self.mounts {
            match m.read_dir(path) {
                Ok(list) => {
                    found = true;
                    entries.extend(list.into_iter().map(|e| (e.name.clone(), e)));
                }
                Err(e) if self.mounted(path) => return Err(from_fs(e)),
                Err(_) => {}
            }
        }
        if self.files.contains_key(path) {
            return Err(FileError::NotADirectory);
        }
        if !found && !self.is_dir(path) {
            return Err(FileError::NotFound);
        }
        let prefix = if path == "/" { "/".to_string() } else { format!("{path}/") };
        let child = |p: &str| p.strip_prefix(&prefix).and_then(|rest| rest.split('/').next()).map(str::to_string);
        let dirs = self.base_dirs().iter().copied().chain(self.dirs.iter().map(String::as_str));
        for name in dirs.filter(|d| *d != path).filter_map(child) {
            entries.entry(name.clone()).or_insert_with(|| Entry {
                name,
                kind: EntryKind::Directory,
                mode: 0o755,
                size: 4096,
                modified: self.now,
            });
        }
        for (file, content) in self.files.iter() {
            let Some(name) = child(file) else { continue };
            let is_file = file.len() == prefix.len() + name.len();
            entries.entry(name.clone()).or_insert_with(|| Entry {
                name,
                kind: if is_file { EntryKind::File(content.clone()) } else { EntryKind::Directory },
                mode: if is_file { 0o644 } else { 0o755 },
                size: if is_file { content.len() as u64 } else { 4096 },
                modified: self.now,
            });
        }
        if path == "/" && self.in_container() {
            for (link, target) in IMAGE_LINKS {
                let name = link.trim_start_matches('/').to_string();
                let kind = EntryKind::Symlink(target.to_string());
                let size = target.len() as u64;
                entries.insert(name.clone(), Entry { name, kind, mode: 0o777, size, modified: self.now });
            }
        }
        if path == PROGRAM_DIR {
            for p in PROGRAMS.iter().filter(|p| self.image_program(&format!("{PROGRAM_DIR}/{}", p.name)).is_some()) {
                let name = p.name.to_string();
                let modified = Time::from_unix_seconds(p.built);
                let (kind, mode) = match p.link {
                    Some(target) => (EntryKind::Symlink(target.to_string()), 0o777),
                    None => (EntryKind::File(String::new()), 0o755),
                };
                entries.insert(name.clone(), Entry { name, kind, mode, size: p.size, modified });
            }
        }
        Ok(entries.into_values().collect())
    }

    /// What `path` is, for `ls` on a single operand.
    pub fn entry(&self, path: &str) -> Result<Entry, FileError> {
        let name = path.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("/").to_string();
        if path != "/" {
            if let Ok(siblings) = self.read_dir(&parent(path)) {
                if let Some(e) = siblings.into_iter().find(|e| e.name == name) {
                    return Ok(e);
                }
            }
        }
        if self.is_dir(path) {
            return Ok(Entry { name, kind: EntryKind::Directory, mode: 0o755, size: 4096, modified: self.now });
        }
        let content = self.read(path)?;
        Ok(Entry { name, size: content.len() as u64, kind: EntryKind::File(content), mode: 0o644, modified: self.now })
    }

    fn writable(&self, path: &str) -> Result<(), FileError> {
        if self.mounted(path) {
            return Err(FileError::ReadOnly);
        }
        if self.is_dir(path) {
            return Err(FileError::IsADirectory);
        }
        if !self.is_dir(&parent(path)) {
            return Err(if self.files.contains_key(&parent(path)) {
                FileError::NotADirectory
            } else {
                FileError::NotFound
            });
        }
        Ok(())
    }

    /// Writes (or appends) `text` to the file at `path` (absolute).
    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FileError> {
        if path == "/dev/null" {
            return Ok(());
        }
        let path = self.real(path);
        self.writable(&path)?;
        // The learner's file takes the place of a program of the image.
        if self.image_program(&path).is_some() {
            if let Some(removed) = self.removed.as_mut() {
                removed.insert(path.clone());
            }
        }
        let file = self.files.entry(path).or_default();
        if !append {
            file.clear();
        }
        file.push_str(text);
        Ok(())
    }

    /// `mkdir` (with `-p` when `parents`).
    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FileError> {
        let path = self.real(path);
        let path = path.as_str();
        if self.exists(path) {
            return if parents && self.is_dir(path) { Ok(()) } else { Err(FileError::Exists) };
        }
        if self.mounted(path) {
            return Err(FileError::ReadOnly);
        }
        if !self.is_dir(&parent(path)) {
            if !parents {
                return Err(FileError::NotFound);
            }
            self.mkdir(&parent(path), true)?;
        }
        self.dirs.insert(path.to_string());
        Ok(())
    }

    /// `rm` of a file, or of a directory and what is in it (`recursive`).
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FileError> {
        if self.is_link(path) {
            return Err(FileError::PermissionDenied);
        }
        let path = self.real(path);
        let path = path.as_str();
        if self.image_program(path).is_some() {
            if let Some(removed) = self.removed.as_mut() {
                removed.insert(path.to_string());
            }
            return Ok(());
        }
        if self.mounted(path) {
            return Err(if self.exists(path) { FileError::ReadOnly } else { FileError::NotFound });
        }
        if self.files.remove(path).is_some() {
            return Ok(());
        }
        if !self.is_dir(path) {
            return Err(FileError::NotFound);
        }
        if !recursive {
            return Err(FileError::IsADirectory);
        }
        if self.base_dirs().contains(&path) {
            return Err(FileError::PermissionDenied);
        }
        let prefix = format!("{path}/");
        self.files.retain(|f, _| !f.starts_with(&prefix));
        self.dirs.retain(|d| d != path && !d.starts_with(&prefix));
        Ok(())
    }
}

impl ReadFiles for Files<'_> {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        self.read(&self.resolve(path))
    }

    fn list_files(&self, path: &str) -> Result<Vec<String>, FileError> {
        let path = self.resolve(path);
        let entries = self.read_dir(&path)?;
        Ok(entries.into_iter().filter(|e| matches!(e.kind, EntryKind::File(_))).map(|e| e.name).collect())
    }

    fn list_dirs(&self, path: &str) -> Result<Vec<String>, FileError> {
        let path = self.resolve(path);
        let entries = self.read_dir(&path)?;
        let dirs = entries.into_iter().filter(|e| matches!(e.kind, EntryKind::Directory));
        Ok(dirs.map(|e| e.name).filter(|n| n != "." && n != "..").collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_from_the_current_directory() {
        assert_eq!(absolute("/root", "x"), "/root/x");
        assert_eq!(absolute("/root", "../tmp/./y"), "/tmp/y");
        assert_eq!(absolute("/", ".."), "/");
        assert_eq!(absolute("/root", "/a//b/"), "/a/b");
    }

    #[test]
    fn workstation_files_and_directories() {
        let mut disk = Disk::default();
        let mut files = Files::workstation(&mut disk, "/root", Time::from_unix_seconds(0));
        assert_eq!(files.write("/root/a.yaml", "x", false), Ok(()));
        assert_eq!(files.write("/nope/a", "x", false), Err(FileError::NotFound));
        assert_eq!(files.mkdir("/root/d/e", false), Err(FileError::NotFound));
        assert_eq!(files.mkdir("/root/d/e", true), Ok(()));
        assert_eq!(files.mkdir("/root/d", false), Err(FileError::Exists));
        assert_eq!(files.write("/root/d/e/f", "y", false), Ok(()));
        let names: Vec<String> = files.read_dir("/root").unwrap_or_default().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["a.yaml", "d"]);
        assert_eq!(files.read_file("d/e/f"), Ok("y".to_string()));
        assert_eq!(files.read_file("d"), Err(FileError::IsADirectory));
        assert_eq!(files.remove("/root/d", false), Err(FileError::IsADirectory));
        assert_eq!(files.remove("/root/d", true), Ok(()));
        assert!(!files.exists("/root/d/e/f"));
        assert_eq!(files.read_dir("/root/a.yaml").map(|_| ()), Err(FileError::NotADirectory));
        assert_eq!(files.program("/bin/cat"), None);
        assert!(!files.is_dir("/bin"));
    }

    #[test]
    fn a_container_has_the_images_programs_under_merged_usr() {
        let cluster = Cluster::new(saplay_cluster::ClusterConfig::default());
        let target = PodTarget { namespace: "default".into(), pod: "none".into(), container: None };
        let mut disk = Disk::default();
        let mut files = Files::container(&cluster, &target, &mut disk, "/");
        assert_eq!(files.program("/bin/sh"), Some("sh"));
        assert_eq!(files.program("/usr/bin/cat"), Some("cat"));
        assert_eq!(files.program("/usr/bin/kubectl"), None);
        assert!(files.is_dir("/bin") && files.is_link("/bin") && !files.is_link("/usr/bin"));
        assert_eq!(files.read_file("/bin/cat"), Ok(String::new()));
        assert_eq!(files.remove("/bin/cat", false), Ok(()));
        assert_eq!(files.program("/usr/bin/cat"), None);
        assert_eq!(files.remove("/usr/bin/cat", false), Err(FileError::NotFound));
        assert_eq!(files.write("/bin/ls", "x", false), Ok(()));
        assert_eq!(files.program("/bin/ls"), None);
        assert_eq!(files.remove("/bin/ls", false), Ok(()));
        assert!(!files.exists("/usr/bin/ls"));
        assert_eq!(files.remove("/bin/dash", false), Ok(()));
        assert_eq!(files.program("/bin/sh"), None);
        assert_eq!(files.remove("/bin", true), Err(FileError::PermissionDenied));
        let names: Vec<String> = files.read_dir("/").unwrap_or_default().into_iter().map(|e| e.name).collect();
        assert!(names.iter().any(|n| n == "lib64"), "{names:?}");
    }
}
