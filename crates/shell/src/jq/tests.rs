//! Unit tests of `jq`: options, formatting, errors and exit statuses.

use super::*;
use crate::files::{FileError, ReadFiles};

struct NoFiles;

impl ReadFiles for NoFiles {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        match path {
            "sa.json" => Ok("{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}\n".to_string()),
            "prog.jq" => Ok(".metadata.name\n".to_string()),
            "dir" => Err(FileError::IsADirectory),
            _ => Err(FileError::NotFound),
        }
    }
}

fn jq(args: &[&str], stdin: Option<&str>) -> (String, String, i32) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let io = Io { stdin, files: &NoFiles };
    let out = run(&args, &io, 1_700_000_000_500);
    (out.stdout(), out.stderr(), out.exit_code)
}

#[test]
fn pretty_prints_with_two_spaces_keeping_key_order() {
    let (out, err, code) = jq(&["."], Some("{\"b\":1.0,\"a\":[1,2],\"c\":{}}"));
    assert_eq!((out.as_str(), err.as_str(), code), ("{\n  \"b\": 1.0,\n  \"a\": [\n    1,\n    2\n  ],\n  \"c\": {}\n}\n", "", 0));
}
