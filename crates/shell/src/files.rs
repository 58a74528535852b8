//! What commands see of a file system: the learner's workstation (files
//! written with redirections) or a pod's container (the kubelet's mounts).
//!
//! Text commands (`grep`, `wc`, `jq`, …) only read files; they take a
//! [`ReadFiles`] and never know which machine they run on.

/// Why a file could not be read, worded as coreutils word it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// ENOENT.
    #[error("No such file or directory")]
    NotFound,
    /// EISDIR.
    #[error("Is a directory")]
    IsADirectory,
    /// ENOTDIR.
    #[error("Not a directory")]
    NotADirectory,
    /// EACCES.
    #[error("Permission denied")]
    PermissionDenied,
    /// EEXIST.
    #[error("File exists")]
    Exists,
    /// EROFS.
    #[error("Read-only file system")]
    ReadOnly,
}

/// Reading files by path (relative paths are taken from the current
/// directory).
pub trait ReadFiles {
    /// The whole content of the file at `path`.
    fn read_file(&self, path: &str) -> Result<String, FileError>;

    /// The names of the regular files in directory `path`, sorted;
    /// `NotADirectory` when `path` is a file.
    fn list_files(&self, path: &str) -> Result<Vec<String>, FileError> {
        let _ = path;
        Err(FileError::NotADirectory)
    }

    /// The names of the subdirectories of directory `path` (not symbolic
    /// links to directories), sorted; `NotADirectory` when `path` is a file.
    fn list_dirs(&self, path: &str) -> Result<Vec<String>, FileError> {
        let _ = path;
        Err(FileError::NotADirectory)
    }
}

/// What a text command gets: its standard input (if any) and the files.
pub struct Io<'a> {
    /// Standard input: from a pipe, `<` or a here-document.
    pub stdin: Option<&'a str>,
    /// The files of the machine the command runs on.
    pub files: &'a dyn ReadFiles,
}

impl Io<'_> {
    /// The text of operand `path`, where `-` means standard input.
    pub fn read(&self, path: &str) -> Result<String, FileError> {
        if path == "-" {
            return Ok(self.stdin.unwrap_or_default().to_string());
        }
        self.files.read_file(path)
    }

    /// Standard input, or nothing when there is none.
    pub fn stdin(&self) -> String {
        self.stdin.unwrap_or_default().to_string()
    }
}
