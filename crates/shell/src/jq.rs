//! `jq`: jq 1.7.1 over standard input and the session's files.
//!
//! The filter language is the jaq interpreter (`jaq-core`, `jaq-std`,
//! `jaq-json`); reading JSON, printing results, the command line, exit
//! statuses and error messages follow jq 1.7.1. A few builtins are replaced
//! so that they behave as jq's do: `tostring`, `tojson`, `fromjson`,
//! `@base64d`, `debug`, `stderr`, `halt_error`, `now` (the cluster's clock),
//! `env` and `input_filename`. The date builtins, string formats, regular
//! expressions and math functions are our own natives (`natives`), so that
//! `jaq-std` is used without its time-zone-database-laden `time` feature.

mod json;
mod natives;

use std::cell::RefCell;

use jaq_core::data::HasLut;
use jaq_core::load::{self, lex, Arena, File, Loader};
use jaq_core::native::{self, v, Fun};
use jaq_core::{Compiler, Ctx, DataT, Error, Exn, Vars};
use jaq_json::Val;
use jaq_std::input::{HasInputs, Inputs, RcIter};

use crate::files::Io;
use crate::{Output, Stream};
use json::Layout;

/// The version `jq --version` reports.
const VERSION: &str = "jq-1.7.1";

/// What jq prints after a usage error.
const TRY_HELP: &str = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n";

/// How much a single `jq` may print (a learner's `repeat(1)` ends here).
const MAX_OUTPUT_BYTES: usize = 4 << 20;

/// How deeply a filter may nest brackets: jaq's parser recurses per
/// level, and a learner's `[[[[…` must not overflow the page's stack.
const MAX_FILTER_NESTING: usize = 100;

/// The deepest nesting of `(`, `[` and `{` outside string literals.
fn filter_nesting(filter: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for c in filter.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// `jq ARGS…`; `now_millis` is the cluster's clock, for `now`.
#[inline(never)]
pub(crate) fn run(args: &[String], io: &Io<'_>, now_millis: i64) -> Output {
    let opts = match parse_args(args) {
        Ok(Parsed::Run(opts)) => opts,
        Ok(Parsed::Print(text)) => {
            let mut out = Output::status(0);
            out.push(Stream::Stdout, &text);
            return out;
        }
        Err(message) => {
            let mut out = Output::status(2);
            out.push(Stream::Stderr, &message);
            return out;
        }
    };
    Jq { opts, io, now: now_millis as f64 / 1000.0 }.run()
}

/// The command line, as jq 1.7.1 reads it.
#[derive(Debug, Default, Clone, PartialEq)]
struct Opts {
    null_input: bool,
    raw_input: bool,
    slurp: bool,
    raw_output: bool,
    join_output: bool,
    nul_output: bool,
    ascii: bool,
    sort_keys: bool,
    exit_status: bool,
    seq: bool,
    from_file: bool,
    /// `None`: 2 spaces; `Some("")`: compact.
    indent: Option<String>,
    compact: bool,
    program: Option<String>,
    files: Vec<String>,
    /// `--arg`/`--argjson`/`--slurpfile`/`--rawfile`, in order.
    named: Vec<(String, NamedValue)>,
    positional: Vec<Val>,
}

/// A named argument before files are read.
#[derive(Debug, Clone, PartialEq)]
enum NamedValue {
    Value(Val),
    SlurpFile(String),
    RawFile(String),
}

enum Parsed {
    Run(Opts),
    Print(String),
}

fn usage_error(message: &str) -> String {
    format!("jq: {message}\n{TRY_HELP}")
}

/// Which positional words follow `--args` / `--jsonargs`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rest {
    Files,
    Strings,
    Json,
}

fn parse_args(args: &[String]) -> Result<Parsed, String> {
    let mut opts = Opts::default();
    let mut rest = Rest::Files;
    let mut options_done = false;
    let mut i = 0;
    let take = |i: &mut usize, n: usize| -> Option<Vec<String>> {
        let values = args.get(*i + 1..*i + 1 + n)?.to_vec();
        *i += n;
        Some(values)
    };
    while let Some(arg) = args.get(i) {
        let text = arg.as_str();
        let is_option = !options_done && text.starts_with('-') && text != "-";
        if !is_option {
            if opts.program.is_none() {
                opts.program = Some(arg.clone());
            } else {
                match rest {
                    Rest::Files => opts.files.push(arg.clone()),
                    Rest::Strings => opts.positional.push(Val::from(arg.clone())),
                    Rest::Json => match json::parse_one(arg) {
                        Ok(v) => opts.positional.push(v),
                        Err(_) => return Err(usage_error("Invalid JSON text passed to --jsonargs")),
                    },
                }
            }
            i += 1;
            continue;
        }
        if text == "--" {
            options_done = true;
            i += 1;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            match long {
                "slurp" => opts.slurp = true,
                "raw-output" => opts.raw_output = true,
                "raw-output0" => {
                    opts.raw_output = true;
                    opts.nul_output = true;
                }
                "join-output" => {
                    opts.raw_output = true;
                    opts.join_output = true;
                }
                "compact-output" => opts.compact = true,
                "color-output" | "monochrome-output" | "unbuffered" => {}
                "ascii-output" => opts.ascii = true,
                "sort-keys" => opts.sort_keys = true,
                "raw-input" => opts.raw_input = true,
                "null-input" => opts.null_input = true,
                "from-file" => opts.from_file = true,
                "exit-status" => opts.exit_status = true,
                "seq" => opts.seq = true,
                "tab" => opts.indent = Some("\t".to_string()),
                "args" => rest = Rest::Strings,
                "jsonargs" => rest = Rest::Json,
                "indent" => {
                    let Some(values) = take(&mut i, 1) else {
                        return Err(usage_error("--indent takes one parameter"));
                    };
                    let n: i64 = values.concat().parse().unwrap_or(i64::MAX);
                    match n {
                        -1 => opts.indent = Some("\t".to_string()),
                        0..=7 => opts.indent = Some(" ".repeat(n as usize)),
                        _ => return Err(usage_error("--indent takes a number between -1 and 7")),
                    }
                }
                "arg" | "argjson" | "slurpfile" | "rawfile" => {
                    let example = match long {
                        "arg" => "--arg varname value",
                        "argjson" => "--argjson varname text",
                        "slurpfile" => "--slurpfile varname filename",
                        _ => "--rawfile varname filename",
                    };
                    let Some(values) = take(&mut i, 2) else {
                        return Err(usage_error(&format!("--{long} takes two parameters (e.g. {example})")));
                    };
                    let (name, value) = match values.as_slice() {
                        [name, value] => (name.clone(), value.clone()),
                        _ => return Err(usage_error(&format!("--{long} takes two parameters (e.g. {example})"))),
                    };
                    let value = match long {
                        "arg" => NamedValue::Value(Val::from(value)),
                        "argjson" => match json::parse_one(&value) {
                            Ok(v) => NamedValue::Value(v),
                            Err(_) => return Err(usage_error("invalid JSON text passed to --argjson")),
                        },
                        "slurpfile" => NamedValue::SlurpFile(value),
                        _ => NamedValue::RawFile(value),
                    };
                    opts.named.push((name, value));
                }
                "help" => return Ok(Parsed::Print(help(true))),
                "version" => return Ok(Parsed::Print(format!("{VERSION}\n"))),
                "stream" | "stream-errors" => {
                    return Err("jq: --stream is not available in this playground\n".to_string());
                }
                _ => return Err(usage_error(&format!("Unknown option {text}"))),
            }
            i += 1;
            continue;
        }
        // Short options, possibly several in one word (`-rc`).
        let letters = &text[1..];
        if !letters.chars().all(|c| "srjcCMaSRnfehV".contains(c)) {
            return Err(usage_error(&format!("Unknown option {text}")));
        }
        for c in letters.chars() {
            match c {
                's' => opts.slurp = true,
                'r' => opts.raw_output = true,
                'j' => {
                    opts.raw_output = true;
                    opts.join_output = true;
                }
                'c' => opts.compact = true,
                'a' => opts.ascii = true,
                'S' => opts.sort_keys = true,
                'R' => opts.raw_input = true,
                'n' => opts.null_input = true,
                'f' => opts.from_file = true,
                'e' => opts.exit_status = true,
                'h' => return Ok(Parsed::Print(help(true))),
                'V' => return Ok(Parsed::Print(format!("{VERSION}\n"))),
                _ => {}
            }
        }
        i += 1;
    }
    Ok(Parsed::Run(opts))
}

/// jq's usage text: the whole option list for `--help`, else the short
/// form that points at `--help`.
fn help(long: bool) -> String {
    let mut text = String::from(
        "jq - commandline JSON processor [version 1.7.1]

Usage:\tjq [options] <jq filter> [file...]
\tjq [options] --args <jq filter> [strings...]
\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]

jq reads JSON texts from its input, runs the given filter on each of
them and writes each result as JSON to standard output.

The filter . passes every input through unchanged, only reformatted.
The jq(1) manual page and https://jqlang.github.io/jq/ describe the
whole filter language.

Example:

\t$ echo '{\"foo\": 0}' | jq .
\t{
\t  \"foo\": 0
\t}

",
    );
    if !long {
        text.push_str(TRY_HELP);
        return text;
    }
    text.push_str(
        "Command options:
  -n, --null-input          run the filter once, on `null`;
  -R, --raw-input           read each input line as a string;
  -s, --slurp               collect all inputs into one array and run
                            the filter once on it;
  -c, --compact-output      print each result on one line;
  -r, --raw-output          print strings as their bare text;
      --raw-output0         like -r, with a NUL after each result;
  -j, --join-output         like -r, without a newline after results;
  -a, --ascii-output        escape every non-ASCII character;
  -S, --sort-keys           print object keys in sorted order;
  -C, --color-output        colour the output;
  -M, --monochrome-output   do not colour the output;
      --tab                 indent with one tab per level;
      --indent n            indent with n spaces per level (0 to 7);
      --unbuffered          write each result at once;
      --stream              read inputs as a stream of path events;
      --stream-errors       like --stream, reporting parse errors;
      --seq                 use the application/json-seq format;
  -f, --from-file file      read the filter from a file;
  -L directory              look for modules in a directory;
      --arg name value      bind $name to the string value;
      --argjson name value  bind $name to the parsed JSON value;
      --slurpfile name file bind $name to an array of the JSON values
                            in the file;
      --rawfile name file   bind $name to the text of the file;
      --args                take the remaining words as string
                            arguments;
      --jsonargs            take the remaining words as JSON
                            arguments;
  -e, --exit-status         derive the exit status from the last result;
  -V, --version             print the version;
  --build-configuration     print how jq was built;
  -h, --help                print this help;
  --                        end the options;

$ARGS.named holds the named arguments and $ARGS.positional the
positional ones.
",
    );
    text
}

/// The run-time data the native filters see.
struct JqData;

impl DataT for JqData {
    type V<'a> = Val;
    type Data<'a> = &'a Env<'a>;
}

/// Shared state of one jq run.
struct Env<'a> {
    lut: &'a jaq_core::Lut<JqData>,
    inputs: Inputs<'a, Val>,
    out: &'a RefCell<Output>,
    now: f64,
    /// Where the last input came from (`<stdin>:N` or `FILE:N`) and its
    /// file name.
    current: &'a RefCell<Option<(String, Option<String>)>>,
}

impl Env<'_> {
    /// jq's position for error messages.
    fn position(&self) -> String {
        self.current.borrow().as_ref().map_or_else(|| "<unknown>".to_string(), |(p, _)| p.clone())
    }
}

impl<'a> HasLut<'a, JqData> for &'a Env<'a> {
    fn lut(&self) -> &'a jaq_core::Lut<JqData> {
        self.lut
    }
}

impl<'a> HasInputs<'a, Val> for &'a Env<'a> {
    fn inputs(&self) -> Inputs<'a, Val> {
        self.inputs
    }
}

/// One input text: its name for messages and its content.
struct Source {
    /// `None` for standard input.
    name: Option<String>,
    text: String,
}

/// One input value and where it came from.
struct Input {
    value: Result<Val, String>,
    position: String,
    filename: Option<String>,
}

/// `N` in `<stdin>:N`: jq reads its input a line at a time and counts the
/// lines it has read when the value is complete.
fn lines_read(text: &str, consumed: usize) -> usize {
    let upto = match text.get(consumed.saturating_sub(1)..).and_then(|t| t.find('\n')) {
        Some(i) => consumed.saturating_sub(1) + i + 1,
        None => text.len(),
    };
    text.get(..upto).unwrap_or(text).matches('\n').count()
}

fn position(source: &Source, lines: usize) -> String {
    format!("{}:{lines}", source.name.as_deref().unwrap_or("<stdin>"))
}

/// The input values in order: JSON texts, raw lines, or one slurped value.
fn read_inputs(sources: &[Source], opts: &Opts) -> Vec<Input> {
    let mut inputs = Vec::new();
    if opts.raw_input {
        if opts.slurp {
            let text: String = sources.iter().map(|s| s.text.as_str()).collect();
            let last = sources.last();
            inputs.push(Input {
                value: Ok(Val::from(text)),
                position: last.map_or("<unknown>".to_string(), |s| position(s, s.text.matches('\n').count())),
                filename: last.and_then(|s| s.name.clone()),
            });
            return inputs;
        }
        for source in sources {
            let mut lines = 0;
            for line in source.text.split_inclusive('\n') {
                lines += usize::from(line.ends_with('\n'));
                inputs.push(Input {
                    value: Ok(Val::from(line.strip_suffix('\n').unwrap_or(line).to_string())),
                    position: position(source, lines),
                    filename: source.name.clone(),
                });
            }
        }
        return inputs;
    }
    let mut slurped = Vec::new();
    for source in sources {
        let mut reader = json::Reader::new(&source.text);
        while let Some(result) = reader.next_value() {
            let position = position(source, lines_read(&source.text, reader.offset()));
            match result {
                Ok((v, _)) if opts.slurp => slurped.push(v),
                Ok((v, _)) => inputs.push(Input { value: Ok(v), position, filename: source.name.clone() }),
                Err(e) => {
                    inputs.push(Input { value: Err(e.to_string()), position, filename: source.name.clone() });
                    return inputs;
                }
            }
        }
    }
    if opts.slurp {
        let last = sources.last();
        inputs.push(Input {
            value: Ok(Val::from_iter(slurped)),
            position: last.map_or("<unknown>".to_string(), |s| position(s, s.text.matches('\n').count())),
            filename: last.and_then(|s| s.name.clone()),
        });
    }
    inputs
}

struct Jq<'a> {
    opts: Opts,
    io: &'a Io<'a>,
    now: f64,
}

/// jq's exit statuses inside one run.
const OK: i32 = 0;
const OK_NULL_KIND: i32 = -1;
const OK_NO_OUTPUT: i32 = -4;
const ERROR_SYSTEM: i32 = 2;
const ERROR_COMPILE: i32 = 3;
const ERROR_UNKNOWN: i32 = 5;

impl Jq<'_> {
    fn run(&self) -> Output {
        let mut out = Output::status(0);
        let opts = &self.opts;
        // The filter: the first word, a file with -f, or `.` when input is
        // piped in and there is no filter.
        let program = match (&opts.program, opts.from_file) {
            (Some(path), true) => match self.io.read(path) {
                Ok(text) => text,
                Err(e) => {
                    out.push(Stream::Stderr, &format!("jq: error: Could not open {path}: {e}\n"));
                    out.exit_code = ERROR_SYSTEM;
                    return out;
                }
            },
            (Some(program), false) => program.clone(),
            (None, _) if self.io.stdin.is_some() => ".".to_string(),
            (None, _) => {
                out.push(Stream::Stderr, &help(false));
                out.exit_code = ERROR_SYSTEM;
                return out;
            }
        };
        let program = if program.trim().is_empty() { ".".to_string() } else { program };

        // Named arguments, files read now.
        let mut input_errors = false;
        let mut named: Vec<(String, Val)> = Vec::new();
        for (name, value) in &opts.named {
            let value = match value {
                NamedValue::Value(v) => v.clone(),
                NamedValue::SlurpFile(path) | NamedValue::RawFile(path) => {
                    let text = match self.io.read(path) {
                        Ok(text) => text,
                        Err(e) => {
                            out.push(Stream::Stderr, &format!("jq: error: Could not open {path}: {e}\n"));
                            out.exit_code = ERROR_SYSTEM;
                            return out;
                        }
                    };
                    if matches!(value, NamedValue::RawFile(_)) {
                        Val::from(text)
                    } else {
                        match json::parse_all(&text) {
                            (values, None) => Val::from_iter(values),
                            (_, Some(e)) => {
                                out.push(Stream::Stderr, &format!("jq: Bad JSON in --slurpfile {name} {path}: {e}\n"));
                                out.exit_code = ERROR_SYSTEM;
                                return out;
                            }
                        }
                    }
                }
            };
            named.push((name.clone(), value));
        }

        // Sources: the files, else standard input.
        let mut sources = Vec::new();
        if opts.files.is_empty() {
            sources.push(Source { name: None, text: self.io.stdin() });
        }
        for path in &opts.files {
            match self.io.read(path) {
                Ok(text) => sources.push(Source { name: Some(path.clone()), text }),
                Err(e) => {
                    out.push(Stream::Stderr, &format!("jq: error: Could not open file {path}: {e}\n"));
                    input_errors = true;
                }
            }
        }

        // Global variables: $ENV, $__prog_args-free $ARGS, the named ones.
        let mut names: Vec<String> = vec!["$ENV".to_string(), "$ARGS".to_string()];
        let mut values: Vec<Val> = vec![Val::obj(Default::default())];
        let named_obj: jaq_json::Map = named.iter().map(|(k, v)| (Val::from(k.clone()), v.clone())).collect();
        let args_obj: jaq_json::Map = [
            (Val::from("positional".to_string()), Val::from_iter(opts.positional.iter().cloned())),
            (Val::from("named".to_string()), Val::obj(named_obj)),
        ]
        .into_iter()
        .collect();
        values.push(Val::obj(args_obj));
        for (name, value) in named {
            names.push(format!("${name}"));
            values.push(value);
        }

        let filter = match compile(&program, &names) {
            Ok(filter) => filter,
            Err(message) => {
                out.push(Stream::Stderr, &message);
                out.exit_code = ERROR_COMPILE;
                return out;
            }
        };

        let all = read_inputs(&sources, opts);
        let mut positions = Vec::new();
        let mut queue = Vec::new();
        for input in all {
            positions.push((input.position, input.filename));
            queue.push(input.value);
        }
        let positions = RefCell::new(positions.into_iter());
        let queue = RefCell::new(queue.into_iter());
        let current: RefCell<Option<(String, Option<String>)>> = RefCell::new(None);

        // The stream `input`/`inputs` and the main loop share; taking a
        // value moves the position jq reports in errors.
        let end = sources.last().map(|s| (position(s, s.text.matches('\n').count()), s.name.clone()));
        let stream = RcIter::new(std::iter::from_fn(|| {
            let Some(next) = queue.borrow_mut().next() else {
                *current.borrow_mut() = end.clone();
                return None;
            };
            if let Some(pos) = positions.borrow_mut().next() {
                *current.borrow_mut() = Some(pos);
            }
            Some(next)
        }));
        let shared: &RcIter<dyn Iterator<Item = Result<Val, String>> + '_> = &stream;
        let out_cell = RefCell::new(out);
        let env = Env { lut: &filter.lut, inputs: shared, out: &out_cell, now: self.now, current: &current };
        let vars = Vars::new(values);
        let mut ret = OK_NO_OUTPUT;
        let mut last_result: i32 = -1;
        let mut halted = None;

        let env = &env;
        let run_one = |input: Val| -> (i32, Option<i32>) {
            let ctx = Ctx::<JqData>::new(env, vars.clone());
            let mut ret = OK_NO_OUTPUT;
            for result in filter.id.run((ctx, input)) {
                // A filter such as `repeat(1)` never ends: stop it before
                // the page runs out of memory.
                if env.out.borrow().chunks.iter().map(|(_, t)| t.len()).sum::<usize>() > MAX_OUTPUT_BYTES {
                    env.out.borrow_mut().push(
                        Stream::Stderr,
                        &format!("jq: error: output stopped after {MAX_OUTPUT_BYTES} bytes (the playground's limit)\n"),
                    );
                    return (ERROR_UNKNOWN, None);
                }
                match result {
                    Ok(v) => {
                        ret = if matches!(v, Val::Null | Val::Bool(false)) { OK_NULL_KIND } else { OK };
                        let text = self.format(&v);
                        env.out.borrow_mut().push(Stream::Stdout, &text);
                    }
                    Err(exn) => match exn.get_err() {
                        Ok(err) => {
                            let message = error_message(err, &env.position());
                            env.out.borrow_mut().push(Stream::Stderr, &message);
                            return (ERROR_UNKNOWN, None);
                        }
                        Err(exn) => {
                            let code = exn.get_halt().unwrap_or(ERROR_UNKNOWN);
                            return (ret, Some(code));
                        }
                    },
                }
            }
            (ret, None)
        };

        if opts.null_input {
            let (r, h) = run_one(Val::Null);
            ret = r;
            if r <= 0 && r != OK_NO_OUTPUT {
                last_result = i32::from(r != OK_NULL_KIND);
            }
            halted = h;
        } else {
            for next in shared {
                match next {
                    Ok(v) => {
                        let (r, h) = run_one(v);
                        ret = r;
                        if r <= 0 && r != OK_NO_OUTPUT {
                            last_result = i32::from(r != OK_NULL_KIND);
                        }
                        if h.is_some() {
                            halted = h;
                            break;
                        }
                    }
                    Err(message) => {
                        env.out.borrow_mut().push(Stream::Stderr, &format!("jq: parse error: {message}\n"));
                        ret = ERROR_UNKNOWN;
                        break;
                    }
                }
            }
        }
        let mut out = out_cell.into_inner();
        if let Some(code) = halted {
            out.exit_code = code;
            return out;
        }
        if input_errors {
            ret = ERROR_SYSTEM;
        }
        out.exit_code = if opts.exit_status {
            if ret != OK_NO_OUTPUT {
                ret.abs()
            } else {
                match last_result {
                    -1 => 4,
                    0 => 1,
                    _ => 0,
                }
            }
        } else {
            ret.max(0)
        };
        out
    }

    /// One result as jq prints it, with its separator.
    fn format(&self, v: &Val) -> String {
        let opts = &self.opts;
        let mut text = String::new();
        if opts.seq {
            text.push('\u{1e}');
        }
        match v {
            Val::TStr(s) if opts.raw_output && !opts.ascii => text.push_str(&String::from_utf8_lossy(s)),
            _ => {
                let indent = if opts.compact {
                    None
                } else {
                    match &opts.indent {
                        None => Some("  ".to_string()),
                        Some(i) if i.is_empty() => None,
                        Some(i) => Some(i.clone()),
                    }
                };
                let layout = Layout { indent, sort_keys: opts.sort_keys, ascii: opts.ascii };
                text.push_str(&json::write(v, &layout));
            }
        }
        if opts.nul_output {
            text.push('\0');
        } else if !opts.join_output {
            text.push('\n');
        }
        text
    }
}

/// jq builtins that jaq's standard library lacks.
const EXTRA_DEFS: &str = r#"
def IN(s): any(. == s; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; key): reduce stream as $x ({}; .[$x | key | tostring] = $x);
def INDEX(key): INDEX(.[]; key);
def have_literal_numbers: true;
def date: todate;
def dateadd(u; n): . + n;
def datesub(u; n): . - n;
"#;

/// Parses and compiles `program` with jq's builtins; a compile error comes
/// back as jq's message.
///
/// jaq turns numbers in string interpolation (`"\(10/2)"`) into text its
/// own way (`5.0`); jq prints them as it prints numbers (`5`). Once the
/// program is known to compile, interpolated strings are compiled as
/// `@text "…"`, whose `@text` is jq's.
fn compile(program: &str, globals: &[String]) -> Result<jaq_core::Filter<JqData>, String> {
    if filter_nesting(program) > MAX_FILTER_NESTING {
        return Err(format!(
            "jq: error: the filter nests brackets more than {MAX_FILTER_NESTING} deep (the playground's limit)\njq: 1 compile error\n"
        ));
    }
    let filter = compile_as_written(program, globals)?;
    let rewritten = with_text_format(program);
    if rewritten == program {
        return Ok(filter);
    }
    Ok(compile_as_written(&rewritten, globals).unwrap_or(filter))
}

/// `program` with `@text ` before each interpolated string that has no
/// format of its own.
fn with_text_format(program: &str) -> String {
    fn walk(program: &str, tokens: &[lex::Token<&str>], starts: &mut Vec<usize>) {
        let mut previous_is_format = false;
        for lex::Token(text, tok) in tokens {
            match tok {
                lex::Tok::Str(parts) => {
                    let interpolated = parts.iter().any(|p| matches!(p, lex::StrPart::Term(_)));
                    if interpolated && !previous_is_format {
                        starts.push(offset_in(program, text));
                    }
                    for part in parts {
                        if let lex::StrPart::Term(t) = part {
                            walk(program, std::slice::from_ref(t), starts);
                        }
                    }
                }
                lex::Tok::Block(inner) => walk(program, inner, starts),
                _ => {}
            }
            previous_is_format = matches!(tok, lex::Tok::Fmt);
        }
    }
    let Ok(tokens) = lex::Lexer::new(program).lex() else { return program.to_string() };
    let mut starts = Vec::new();
    walk(program, &tokens, &mut starts);
    starts.sort_unstable();
    starts.dedup();
    let mut out = String::with_capacity(program.len() + 6 * starts.len());
    let mut last = 0;
    for start in starts {
        let Some(chunk) = program.get(last..start) else { return program.to_string() };
        out.push_str(chunk);
        out.push_str("@text ");
        last = start;
    }
    out.push_str(program.get(last..).unwrap_or(""));
    out
}

fn compile_as_written(program: &str, globals: &[String]) -> Result<jaq_core::Filter<JqData>, String> {
    // Definitions jq words differently are replaced by natives below.
    let replaced_defs = ["tostring", "@text", "@base64d", "halt_error", "@sh"];
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .filter(|d| !(replaced_defs.contains(&d.name) && !(d.name == "halt_error" && d.args.is_empty())));
    let replaced_funs = [
        "input",
        "ltrimstr",
        "rtrimstr",
        "now",
        "env",
        "debug_empty",
        "stderr_empty",
        "tojson",
        "fromjson",
        "localtime",
        "strflocaltime",
    ];
    let funs = jaq_core::funs::<JqData>()
        .chain(jaq_std::base_funs::<JqData>())
        .chain(jaq_std::input::funs::<JqData>().into_vec().into_iter().map(|f| native::run::<JqData>(f)))
        .chain(jaq_json::funs::<JqData>())
        .filter(|(name, _, _)| !replaced_funs.contains(name))
        .chain(natives::funs().into_iter().map(|f| native::run::<JqData>(f)))
        .chain(own_funs());
    let extra = load::parse(EXTRA_DEFS, |p| p.defs()).unwrap_or_default();
    let loader = Loader::new(defs.chain(extra));
    let arena = Arena::default();
    let modules = loader.load(&arena, File { code: program, path: () }).map_err(|errors| {
        let mut messages = Vec::new();
        for (_, error) in errors {
            match error {
                load::Error::Lex(errs) => {
                    for (_, rest) in errs {
                        messages.push(syntax_error(program, rest, true));
                    }
                }
                load::Error::Parse(errs) => {
                    for (_, found) in errs {
                        messages.push(syntax_error(program, found, false));
                    }
                }
                load::Error::Io(errs) => {
                    for (path, message) in errs {
                        messages.push(format!("{message} (module {path})\n"));
                    }
                }
            }
        }
        compile_errors(messages.into_iter().take(1).collect())
    })?;
    let globals: Vec<&str> = globals.iter().map(String::as_str).collect();
    Compiler::default().with_funs(funs).with_global_vars(globals).compile(modules).map_err(|errors| {
        let mut messages = Vec::new();
        for (_, errs) in errors {
            for (name, undefined) in errs {
                let what = match undefined {
                    jaq_core::compile::Undefined::Filter(arity) => format!("{name}/{arity}"),
                    jaq_core::compile::Undefined::Label => format!("$*label-{name}"),
                    _ => name.to_string(),
                };
                let start = offset_in(program, name);
                messages.push(format!("jq: error: {what} is not defined {}", located(program, start)));
            }
        }
        compile_errors(messages)
    })
}

fn compile_errors(messages: Vec<String>) -> String {
    let n = messages.len().max(1);
    let plural = if n == 1 { "" } else { "s" };
    format!("{}jq: {n} compile error{plural}\n", messages.concat())
}

/// Where `part` (a slice the parser returned) starts in `program`; the
/// end when it is not a slice of it.
fn offset_in(program: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .checked_sub(program.as_ptr() as usize)
        .filter(|&start| start <= program.len() && program.is_char_boundary(start))
        .unwrap_or(program.len())
}

/// A syntax error in jq's words (bison's token names, approximately).
fn syntax_error(program: &str, found: &str, lexing: bool) -> String {
    let token = if found.is_empty() {
        "end of file".to_string()
    } else if lexing {
        let c = found.chars().next().unwrap_or(' ');
        if c == '"' || found.trim().is_empty() {
            "end of file".to_string()
        } else {
            "INVALID_CHARACTER".to_string()
        }
    } else {
        let c = found.chars().next().unwrap_or(' ');
        if c == '"' {
            "QQSTRING_START".to_string()
        } else if c == '$' {
            "'$'".to_string()
        } else if c.is_ascii_digit() {
            "LITERAL".to_string()
        } else if c.is_alphabetic() || c == '_' {
            match found {
                "if" | "then" | "elif" | "else" | "end" | "as" | "def" | "reduce" | "foreach" | "try" | "catch"
                | "label" | "import" | "include" | "and" | "or" | "__loc__" => found.to_string(),
                _ => "IDENT".to_string(),
            }
        } else if found.len() == 1 || found.chars().count() == 1 {
            format!("'{found}'")
        } else {
            found.to_string()
        }
    };
    // jq shows the line of the error and pads it to the error's column.
    let start = if found.is_empty() {
        program.trim_end().rfind(|c: char| !c.is_whitespace()).unwrap_or(0)
    } else {
        offset_in(program, found)
    };
    let token = match found.chars().next() {
        Some(']' | ')' | '}') => "INVALID_CHARACTER, expecting end of file".to_string(),
        _ => token,
    };
    format!("jq: error: syntax error, unexpected {token} (Unix shell quoting issues?) {}", located(program, start))
}

/// jq's ` at <top-level>, line N:` with the line and padding to the column.
fn located(program: &str, start: usize) -> String {
    let line_start = program.get(..start).and_then(|p| p.rfind('\n')).map_or(0, |i| i + 1);
    let line_end = program.get(start..).and_then(|p| p.find('\n')).map_or(program.len(), |i| start + i + 1);
    let line = program.get(..start).unwrap_or("").matches('\n').count() + 1;
    let text = program.get(line_start..line_end).unwrap_or("");
    let column = program.get(line_start..start).map_or(0, |p| p.chars().count());
    format!("at <top-level>, line {line}:\n{text}{}\n", " ".repeat(column))
}

/// The natives that replace jaq's where jq behaves differently.
fn own_funs() -> impl Iterator<Item = Fun<JqData>> {
    let funs: [native::Filter<jaq_core::RunPtr<JqData>>; 17] = [
        ("input", v(0), |cv| {
            // jq 1.7.1 reports a read past the last input as `break`.
            let mut inputs = cv.0.data().inputs;
            let next = inputs.next();
            native::bome(next.unwrap_or_else(|| Err("break".to_string())).map_err(Error::str))
        }),
        ("@csv", v(0), |cv| native::bome(row(&cv.1, "csv"))),
        ("@tsv", v(0), |cv| native::bome(row(&cv.1, "tsv"))),
        ("@sh", v(0), |cv| native::bome(shell_words(&cv.1))),
        ("ltrimstr", v(1), |mut cv| {
            let fix = cv.0.pop_var();
            native::bome(Ok(trim_fix(cv.1, &fix, true)))
        }),
        ("rtrimstr", v(1), |mut cv| {
            let fix = cv.0.pop_var();
            native::bome(Ok(trim_fix(cv.1, &fix, false)))
        }),
        ("tostring", v(0), |cv| {
            let s = match &cv.1 {
                Val::TStr(_) => cv.1.clone(),
                other => Val::from(json::write(other, &Layout::compact())),
            };
            native::bome(Ok(s))
        }),
        ("@text", v(0), |cv| {
            let s = match &cv.1 {
                Val::TStr(_) => cv.1.clone(),
                other => Val::from(json::write(other, &Layout::compact())),
            };
            native::bome(Ok(s))
        }),
        ("tojson", v(0), |cv| native::bome(Ok(Val::from(json::write(&cv.1, &Layout::compact()))))),
        ("fromjson", v(0), |cv| {
            let r = match &cv.1 {
                Val::TStr(s) => {
                    let text = String::from_utf8_lossy(s).into_owned();
                    json::parse_one(&text).map_err(|e| Error::str(format!("{e} (while parsing '{text}')")))
                }
                other => Err(Error::str(format!("{} only strings can be parsed", describe(other)))),
            };
            native::bome(r)
        }),
        ("@base64d", v(0), |cv| {
            let text = match &cv.1 {
                Val::TStr(s) => String::from_utf8_lossy(s).into_owned(),
                other => json::write(other, &Layout::compact()),
            };
            native::bome(
                base64_decode(&text)
                    .map(Val::from)
                    .map_err(|why| Error::str(format!("{} {why}", describe(&Val::from(text.clone()))))),
            )
        }),
        ("now", v(0), |cv| native::bome(Ok(Val::from(cv.0.data().now)))),
        ("env", v(0), |_| native::bome(Ok(Val::obj(Default::default())))),
        ("input_filename", v(0), |cv| {
            let name = cv.0.data().current.borrow().as_ref().and_then(|(_, f)| f.clone());
            native::bome(Ok(name.map_or(Val::Null, Val::from)))
        }),
        ("debug_empty", v(0), |cv| {
            let line = format!("[\"DEBUG:\",{}]\n", json::write(&cv.1, &Layout::compact()));
            cv.0.data().out.borrow_mut().push(Stream::Stderr, &line);
            Box::new(std::iter::empty())
        }),
        ("stderr_empty", v(0), |cv| {
            let text = match &cv.1 {
                Val::TStr(s) => String::from_utf8_lossy(s).into_owned(),
                other => json::write(other, &Layout::compact()),
            };
            cv.0.data().out.borrow_mut().push(Stream::Stderr, &text);
            Box::new(std::iter::empty())
        }),
        ("halt_error", v(1), |mut cv| {
            let code = cv.0.pop_var();
            let code = match code {
                Val::Num(jaq_json::Num::Int(i)) => i32::try_from(i).unwrap_or(5),
                _ => return native::bome(Err(Error::str("halt_error/1: number required"))),
            };
            let text = match &cv.1 {
                Val::TStr(s) => String::from_utf8_lossy(s).into_owned(),
                other => format!("{}\n", json::write(other, &Layout::compact())),
            };
            cv.0.data().out.borrow_mut().push(Stream::Stderr, &text);
            Box::new(std::iter::once(Err(Exn::halt(code))))
        }),
    ];
    funs.into_iter().map(|f| native::run::<JqData>(f))
}

/// `ltrimstr`/`rtrimstr`: anything but a matching string comes back as
/// it was.
fn trim_fix(v: Val, fix: &Val, prefix: bool) -> Val {
    if let (Val::TStr(s), Val::TStr(f)) = (&v, fix) {
        let stripped = if prefix { s.strip_prefix(&f[..]) } else { s.strip_suffix(&f[..]) };
        if let Some(rest) = stripped {
            return Val::from(String::from_utf8_lossy(rest).into_owned());
        }
    }
    v
}

/// `@csv` and `@tsv` of an array.
fn row(v: &Val, format: &str) -> Result<Val, Error<Val>> {
    let Val::Arr(items) = v else {
        return Err(Error::str(format!("{} cannot be {format}-formatted, only an array can be", describe(v))));
    };
    let mut cells = Vec::new();
    for item in items.iter() {
        let cell = match item {
            Val::Null => String::new(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => json::format_num(n),
            Val::TStr(s) | Val::BStr(s) => {
                let s = String::from_utf8_lossy(s);
                if format == "csv" {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
                }
            }
            other => return Err(Error::str(format!("{} is not valid in a csv row", describe(other)))),
        };
        cells.push(cell);
    }
    Ok(Val::from(cells.join(if format == "csv" { "," } else { "\t" })))
}

/// `@sh`: words quoted for a POSIX shell.
fn shell_words(v: &Val) -> Result<Val, Error<Val>> {
    let items: Vec<Val> = match v {
        Val::Arr(a) => a.iter().cloned().collect(),
        other => vec![other.clone()],
    };
    let mut words = Vec::new();
    for item in &items {
        match item {
            Val::TStr(s) | Val::BStr(s) => {
                words.push(format!("'{}'", String::from_utf8_lossy(s).replace('\'', "'\\''")))
            }
            Val::Arr(_) | Val::Obj(_) => {
                return Err(Error::str(format!("{} can not be escaped for shell", describe(item))))
            }
            other => words.push(json::write(other, &Layout::compact())),
        }
    }
    Ok(Val::from(words.join(" ")))
}

/// `@base64d` as jq 1.7.1 decodes: the standard alphabet, stopping at the
/// first `=`, padding optional; bytes that are not UTF-8 become U+FFFD.
fn base64_decode(text: &str) -> Result<String, &'static str> {
    let mut bytes = Vec::new();
    let mut code: u32 = 0;
    let mut count = 0;
    for c in text.bytes().take_while(|&c| c != b'=') {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err("is not valid base64 data"),
        };
        code = (code << 6) | u32::from(sextet);
        count += 1;
        if count == 4 {
            bytes.extend_from_slice(&[(code >> 16) as u8, (code >> 8) as u8, code as u8]);
            code = 0;
            count = 0;
        }
    }
    match count {
        3 => bytes.extend_from_slice(&[(code >> 10) as u8, (code >> 2) as u8]),
        2 => bytes.push((code >> 4) as u8),
        1 => return Err("trailing base64 byte found"),
        _ => {}
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// jq's name for the type of `v`.
fn kind(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

/// `kind (value)` with the value cut to 11 bytes and `...`, as jq's
/// error messages show values.
fn describe(v: &Val) -> String {
    let text = json::write(v, &Layout::compact());
    let shown = if text.len() > 14 {
        let mut cut = 11;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &text[..cut])
    } else {
        text
    };
    format!("{} ({shown})", kind(v))
}

/// A run-time error as jq prints it: `jq: error (at POS): MESSAGE`.
fn error_message(err: Error<Val>, at: &str) -> String {
    match err.into_val() {
        Val::TStr(s) => {
            let text = String::from_utf8_lossy(&s).into_owned();
            format!("jq: error (at {at}): {}\n", jq_wording(&text))
        }
        other => format!("jq: error (at {at}) (not a string): {}\n", json::write(&other, &Layout::compact())),
    }
}

/// Rewords jaq's error messages as jq 1.7.1's.
fn jq_wording(message: &str) -> String {
    let value_then = |text: &str, sep: &str| -> Option<(Val, String)> {
        let (v, end) = json::parse_prefix(text)?;
        let rest = text.get(end..)?.strip_prefix(sep)?;
        Some((v, rest.to_string()))
    };
    if let Some(rest) = message.strip_prefix("cannot index ") {
        if let Some((v, index)) = value_then(rest, " with ") {
            if let Some((i, _)) = json::parse_prefix(&index) {
                return match (&v, &i) {
                    (_, Val::TStr(s)) => {
                        format!("Cannot index {} with string \"{}\"", kind(&v), String::from_utf8_lossy(s))
                    }
                    _ => format!("Cannot index {} with {}", kind(&v), kind(&i)),
                };
            }
        }
    }
    if let Some(rest) = message.strip_prefix("cannot use ") {
        if let Some((v, what)) = value_then(rest, " as ") {
            if what.starts_with("iterable") {
                return format!("Cannot iterate over {}", describe(&v));
            }
            return format!("{} cannot be used as {what}", describe(&v));
        }
    }
    if let Some(rest) = message.strip_prefix("cannot calculate ") {
        if let Some((l, rest)) = json::parse_prefix(rest).and_then(|(l, end)| Some((l, rest.get(end..)?))) {
            let ops = [
                (" + ", "added"),
                (" - ", "subtracted"),
                (" * ", "multiplied"),
                (" / ", "divided"),
                (" % ", "divided"),
            ];
            for (op, verb) in ops {
                if let Some(r) = rest.strip_prefix(op).and_then(json::parse_prefix) {
                    let zero = matches!(&r.0, Val::Num(n) if json::format_num(n) == "0");
                    if op == " % " && zero {
                        return format!(
                            "{} and {} cannot be divided (remainder) because the divisor is zero",
                            describe(&l),
                            describe(&r.0)
                        );
                    }
                    return format!("{} and {} cannot be {verb}", describe(&l), describe(&r.0));
                }
            }
        }
    }
    if let Some(text) = message.strip_suffix(" has no length") {
        if let Some((v, _)) = json::parse_prefix(text) {
            return format!("{} has no length", describe(&v));
        }
    }
    if let Some(rest) = message.strip_prefix("invalid path expression with input ") {
        if let Some((v, _)) = json::parse_prefix(rest) {
            return format!("Invalid path expression with result {}", json::write(&v, &Layout::compact()));
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests;
