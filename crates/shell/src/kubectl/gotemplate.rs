//! `-o go-template=…` (also `template=`, `go-template-file=`,
//! `templatefile=`): kubectl's template printer. The gotmpl crate runs Go's
//! text/template; this module adds what kubectl puts around it: its two
//! functions (`exists`, `base64decode`), the object as the generic JSON
//! data kubectl decodes (whole numbers as int64, others as float64), and
//! Go's error texts with the line and column Go gives them.

use gotmpl::parse::{Expr, ListNode, Node, Parser, PipeNode};
use gotmpl::{MissingKey, Template, TemplateError, Value as Go};
use serde_json::Value;

use super::jsonpath::{go_json, go_quote, go_v};

/// The name kubectl gives its template, as errors show it.
const NAME: &str = "output";

/// Go's builtin functions, and kubectl's two.
const FUNCTIONS: [&str; 21] = [
    "and",
    "call",
    "html",
    "index",
    "slice",
    "js",
    "len",
    "not",
    "or",
    "print",
    "printf",
    "println",
    "urlquery",
    "eq",
    "ge",
    "gt",
    "le",
    "lt",
    "ne",
    "exists",
    "base64decode",
];

/// A template's error, worded as Go's text/template words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum GoTemplateError {
    /// The template does not parse.
    #[error("template: output:{line}: {message}")]
    Parse {
        /// The line the parser stopped on.
        line: usize,
        /// What it found wrong.
        message: String,
    },
    /// Running it failed at a node of the template.
    #[error("template: output:{line}:{column}: executing \"output\" at <{node}>: {message}")]
    Exec {
        /// The node's line.
        line: usize,
        /// Its byte column, counted from 0 as Go does.
        column: usize,
        /// The node as written (`.data.token`, `base64decode`).
        node: String,
        /// What went wrong.
        message: String,
    },
    /// Running it failed where the engine does not say.
    #[error("template: output: executing \"output\": {0}")]
    Unplaced(String),
}

/// How many `range` iterations one run may make (kubectl: no limit).
const MAX_RANGE_ITERATIONS: u64 = 100_000;

/// Starts and ends the function name in an error of kubectl's functions
/// that Go words without `error calling NAME:` (a wrong argument).
const MARK: char = '\u{1}';

/// A parsed go-template and whether missing keys print `<no value>`.
#[derive(Debug, Clone)]
pub(crate) struct GoTemplate {
    text: String,
    allow_missing: bool,
}

/// A template run that failed: what kubectl printed to stdout (the output
/// made so far, then its debugging text) and its error line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// For stdout.
    pub(crate) stdout: String,
    /// For stderr, `error: …` and a newline.
    pub(crate) error: String,
}

impl GoTemplate {
    /// Parses `text`; Go's parser also refuses a function it does not know.
    pub(crate) fn parse(text: &str, allow_missing: bool) -> Result<Self, GoTemplateError> {
        let (tree, defines) = Parser::new(text, "{{", "}}").and_then(Parser::parse).map_err(|e| parse_error(&e))?;
        // The engine lets a stray `{{end}}` or an unclosed `{{if}}` pass; Go does not.
        if let Some(error) = unbalanced(text) {
            return Err(error);
        }
        // Go's parser also refuses an unknown function and a variable used
        // where none of its name is declared; the first in the text counts.
        let mut first: Option<(usize, usize, String)> = None;
        let mut keep = |offset: usize, line: usize, message: String| {
            if first.as_ref().is_none_or(|(o, _, _)| offset < *o) {
                first = Some((offset, line, message));
            }
        };
        let mut check = |expr: &Expr| {
            if let Expr::Identifier(pos, name) = expr {
                if !FUNCTIONS.contains(&name.as_str()) {
                    keep(pos.offset, pos.line, format!("function {} not defined", go_quote(name)));
                }
            }
        };
        each_expr(&tree, &mut check);
        for define in &defines {
            each_expr(&define.body, &mut check);
        }
        let mut undefined = Vec::new();
        scoped_vars(&tree, &mut vec!["$".to_string()], &mut undefined);
        for define in &defines {
            scoped_vars(&define.body, &mut vec!["$".to_string()], &mut undefined);
        }
        for (offset, line, name) in undefined {
            keep(offset, line, format!("undefined variable {}", go_quote(&name)));
        }
        if let Some((_, line, message)) = first {
            return Err(GoTemplateError::Parse { line, message });
        }
        Ok(Self { text: text.to_string(), allow_missing })
    }

    /// Runs the template over `object`, or kubectl's report of the failure.
    pub(crate) fn execute(&self, object: &Value) -> Result<String, Failure> {
        let missing = if self.allow_missing { MissingKey::Invalid } else { MissingKey::Error };
        let mut out = String::new();
        let run = Template::new(NAME)
            .missing_key(missing)
            // A runaway `range` must not hold the page: far more than any
            // object here has items.
            .max_range_iters(MAX_RANGE_ITERATIONS)
            .func("exists", exists)
            .func("base64decode", base64decode)
            .parse(&self.text)
            .map_err(|e| self.place(&e, object))
            .and_then(|t| t.execute_fmt(&mut out, &to_go(object)).map_err(|e| self.place(&e, object)));
        let Err(error) = run else { return Ok(out) };
        out.push_str(&format!(
            "Error executing template: {error}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
            self.text,
            go_json(object),
            go_v(object)
        ));
        Err(Failure {
            stdout: out,
            error: format!("error: error executing template {}: {error}\n", go_quote(&self.text)),
        })
    }

    /// Go's words and position for an engine error: the node it concerns
    /// is the first in the template that fits.
    fn place(&self, error: &TemplateError, object: &Value) -> GoTemplateError {
        let (message, target) = match error {
            TemplateError::NotIterable(kind) => {
                return self.range_failure(object).unwrap_or_else(|| {
                    GoTemplateError::Unplaced(format!("range can't iterate over a {}", go_type_name(kind)))
                })
            }
            TemplateError::Parse { .. } | TemplateError::Lex { .. } => return parse_error(error),
            TemplateError::MissingKey { key } => {
                (format!("map has no entry for key {}", go_quote(key)), Target::Field(key.clone()))
            }
            TemplateError::IndexOutOfRange { index } => {
                (format!("error calling index: index out of range: {index}"), Target::Call("index".to_string()))
            }
            TemplateError::Exec(message) => {
                if let Some(rest) = message.strip_prefix("can't evaluate field ") {
                    // Go evaluates the field on an `interface {}` holding the value.
                    let field = rest.split_once(" in type ").map_or(rest, |(field, _)| field).to_string();
                    (format!("can't evaluate field {field} in type interface {{}}"), Target::Field(field))
                } else if let Some((name, rest)) = message.strip_prefix(MARK).and_then(|m| m.split_once(MARK)) {
                    (rest.to_string(), Target::Call(name.to_string()))
                } else if let Some(name) = called(message) {
                    (message.clone(), Target::Call(name.to_string()))
                } else {
                    return GoTemplateError::Unplaced(message.clone());
                }
            }
            other => return GoTemplateError::Unplaced(other.to_string()),
        };
        let tree = Parser::new(&self.text, "{{", "}}").and_then(Parser::parse);
        let mut found: Option<(usize, String)> = None;
        if let Ok((tree, defines)) = &tree {
            let mut look = |expr: &Expr| {
                if target.fits(expr) && found.as_ref().is_none_or(|(offset, _)| go_offset(expr) < *offset) {
                    found = Some((go_offset(expr), node_text(expr)));
                }
            };
            each_expr(tree, &mut look);
            for define in defines {
                each_expr(&define.body, &mut look);
            }
        }
        match found {
            Some((offset, node)) => {
                let (line, column) = line_column(&self.text, offset);
                GoTemplateError::Exec { line, column, node, message }
            }
            None => GoTemplateError::Unplaced(message),
        }
    }
}

/// Go's parse error for a block left open or an `{{end}}` or `{{else}}`
/// without its block, found by reading the actions' first words.
fn unbalanced(text: &str) -> Option<GoTemplateError> {
    let line_at = |offset: usize| 1 + text.get(..offset).unwrap_or(text).matches('\n').count();
    let bytes = text.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(start) = text.get(at..).and_then(|rest| rest.find("{{")).map(|i| at + i + 2) {
        let mut i = start;
        if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let word_end =
            (i..bytes.len()).find(|&j| !bytes.get(j).is_some_and(u8::is_ascii_alphanumeric)).unwrap_or(bytes.len());
        let word = text.get(i..word_end).unwrap_or_default();
        match word {
            "if" | "range" | "with" | "define" | "block" => open.push(word),
            "else" if matches!(open.last(), Some(&("if" | "range" | "with"))) => {}
            "else" | "end" if open.is_empty() || word == "else" => {
                return Some(GoTemplateError::Parse {
                    line: line_at(start),
                    message: format!("unexpected {{{{{word}}}}}"),
                })
            }
            "end" => {
                open.pop();
            }
            _ => {}
        }
        // The action ends at the first `}}` outside quotes and comments.
        let mut j = i;
        let mut quote: Option<u8> = None;
        let mut comment = false;
        while j < bytes.len() {
            let c = bytes.get(j).copied().unwrap_or_default();
            match quote {
                Some(q) if c == b'\\' && q != b'`' => j += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if comment => comment = !text.get(j..).is_some_and(|r| r.starts_with("*/")),
                None if text.get(j..).is_some_and(|r| r.starts_with("/*")) => comment = true,
                None if matches!(c, b'"' | b'`' | b'\'') => quote = Some(c),
                None if text.get(j..).is_some_and(|r| r.starts_with("}}")) => break,
                None => {}
            }
            j += 1;
        }
        at = j.saturating_add(2).max(start);
    }
    (!open.is_empty())
        .then(|| GoTemplateError::Parse { line: line_at(text.len()), message: "unexpected EOF".to_string() })
}

impl GoTemplate {
    /// Go's error for a `range` over a value it cannot iterate, for a
    /// `range` at the template's top level, whose dot is the object: the
    /// first there over a field that holds a string, a bool or a float.
    fn range_failure(&self, object: &Value) -> Option<GoTemplateError> {
        let (tree, _) = Parser::new(&self.text, "{{", "}}").and_then(Parser::parse).ok()?;
        tree.nodes.iter().find_map(|node| {
            let Node::Range(branch) = node else { return None };
            let [command] = branch.pipe.commands.as_slice() else { return None };
            let [expr] = command.args.as_slice() else { return None };
            let fields = match expr {
                Expr::Field(_, fields) => fields,
                Expr::Variable(_, name, fields) if name.as_str() == "$" => fields,
                _ => return None,
            };
            let value = fields.iter().try_fold(object, |v, f| v.get(f.as_str()))?;
            let iterable = value.is_array() || value.is_object() || value.is_null() || value.is_i64();
            (!iterable).then(|| {
                let (line, column) = line_column(&self.text, go_offset(expr));
                GoTemplateError::Exec {
                    line,
                    column,
                    node: node_text(expr),
                    message: format!("range can't iterate over {}", go_v(value)),
                }
            })
        })
    }
}

/// A parse or lex error in Go's form: the line, no column.
fn parse_error(error: &TemplateError) -> GoTemplateError {
    match error {
        TemplateError::Parse { line, message, .. } | TemplateError::Lex { line, message, .. } => {
            // Go words a stray character as the operand it cannot read.
            let message = match message.strip_prefix("unexpected character: '").and_then(|m| m.strip_suffix('\'')) {
                Some(c) => format!("unexpected {} in operand", go_quote(c)),
                None => message.clone(),
            };
            GoTemplateError::Parse { line: *line, message }
        }
        other => GoTemplateError::Parse { line: 1, message: other.to_string() },
    }
}

/// The function an error of a call names: `error calling NAME: …` or
/// `wrong number of args for NAME: …`.
fn called(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("error calling ").or_else(|| message.strip_prefix("wrong number of args for "))?;
    rest.split_once(':').map(|(name, _)| name)
}

/// Go's type name for the engine's, as kubectl's data holds them.
fn go_type_name(kind: &str) -> &str {
    match kind {
        "int" => "int64",
        "list" => "[]interface {}",
        "map" => "map[string]interface {}",
        other => other,
    }
}

/// The node an execution error concerns.
enum Target {
    /// A field chain or variable that reads this key.
    Field(String),
    /// A call of this function.
    Call(String),
}

impl Target {
    fn fits(&self, expr: &Expr) -> bool {
        match (self, expr) {
            (Target::Field(key), Expr::Field(_, fields) | Expr::Variable(_, _, fields)) => {
                fields.iter().any(|f| f.as_str() == key)
            }
            (Target::Call(name), Expr::Identifier(_, n)) => n.as_str() == name,
            _ => false,
        }
    }
}

/// Where Go's parser places a node: a field chain at its second field
/// (`.a.b` at `.b`), a variable with fields at its first field.
fn go_offset(expr: &Expr) -> usize {
    match expr {
        Expr::Field(pos, fields) if fields.len() > 1 => pos.offset + 1 + fields.first().map_or(0, |f| f.len()),
        Expr::Variable(pos, name, fields) if !fields.is_empty() => pos.offset + name.len(),
        other => other.pos().offset,
    }
}

/// The node as Go prints it in `at <…>`.
fn node_text(expr: &Expr) -> String {
    match expr {
        Expr::Field(_, fields) => fields.iter().map(|f| format!(".{f}")).collect(),
        Expr::Variable(_, name, fields) => {
            let mut text = name.to_string();
            for field in fields {
                text.push('.');
                text.push_str(field);
            }
            text
        }
        Expr::Identifier(_, name) => name.to_string(),
        _ => String::new(),
    }
}

/// Go's `ErrorContext`: the 1-based line and the byte column from 0.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = 1 + before.matches('\n').count();
    let column = before.rfind('\n').map_or(before.len(), |newline| before.len() - newline - 1);
    (line, column)
}

/// Calls `f` on every expression of `list`, nested ones too.
fn each_expr(list: &ListNode, f: &mut dyn FnMut(&Expr)) {
    for node in &list.nodes {
        match node {
            Node::List(inner) => each_expr(inner, f),
            Node::Action(action) => pipe_exprs(&action.pipe, f),
            Node::If(branch) | Node::Range(branch) | Node::With(branch) => {
                pipe_exprs(&branch.pipe, f);
                each_expr(&branch.body, f);
                if let Some(other) = &branch.else_body {
                    each_expr(other, f);
                }
            }
            Node::Template(call) => {
                if let Some(pipe) = &call.pipe {
                    pipe_exprs(pipe, f);
                }
            }
            Node::Define(define) => each_expr(&define.body, f),
            Node::Text(_) | Node::Break(_) | Node::Continue(_) => {}
        }
    }
}

/// Collects the variables used where no variable of their name is in
/// scope: a pipeline's declarations last to the end of the block that
/// holds them (a control structure's own, to its `{{end}}`).
fn scoped_vars(list: &ListNode, vars: &mut Vec<String>, undefined: &mut Vec<(usize, usize, String)>) {
    fn pipe(p: &PipeNode, vars: &mut Vec<String>, undefined: &mut Vec<(usize, usize, String)>) {
        // Assigning (`$x = …`) to no variable fails only when run, in Go too.
        if !p.is_assign {
            vars.extend(p.decl.iter().map(|name| name.to_string()));
        }
        pipe_exprs(p, &mut |expr| {
            if let Expr::Variable(pos, name, _) = expr {
                if !vars.iter().any(|v| v == name.as_str()) {
                    undefined.push((pos.offset, pos.line, name.to_string()));
                }
            }
        });
    }
    for node in &list.nodes {
        match node {
            Node::List(inner) => scoped_vars(inner, vars, undefined),
            Node::Action(action) => pipe(&action.pipe, vars, undefined),
            Node::If(branch) | Node::Range(branch) | Node::With(branch) => {
                let mark = vars.len();
                pipe(&branch.pipe, vars, undefined);
                scoped_vars(&branch.body, vars, undefined);
                if let Some(other) = &branch.else_body {
                    scoped_vars(other, vars, undefined);
                }
                vars.truncate(mark);
            }
            Node::Template(call) => {
                if let Some(p) = &call.pipe {
                    pipe(p, vars, undefined);
                }
            }
            Node::Define(define) => scoped_vars(&define.body, &mut vec!["$".to_string()], undefined),
            Node::Text(_) | Node::Break(_) | Node::Continue(_) => {}
        }
    }
}

fn pipe_exprs(pipe: &PipeNode, f: &mut dyn FnMut(&Expr)) {
    for command in &pipe.commands {
        for arg in &command.args {
            expr_tree(arg, f);
        }
    }
}

fn expr_tree(expr: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(expr);
    match expr {
        Expr::Pipe(_, pipe) => pipe_exprs(pipe, f),
        Expr::Chain(_, inner, _) => expr_tree(inner, f),
        _ => {}
    }
}

/// The object as kubectl hands it to the engine: JSON decoded with whole
/// numbers as int64 and the others as float64.
fn to_go(value: &Value) -> Go {
    match value {
        Value::Null => Go::Nil,
        Value::Bool(b) => Go::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Go::Int(i),
            None => Go::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Go::from(s.as_str()),
        Value::Array(items) => Go::from(items.iter().map(to_go).collect::<Vec<_>>()),
        Value::Object(map) => {
            Go::from(map.iter().map(|(k, v)| (k.clone(), to_go(v))).collect::<std::collections::BTreeMap<String, Go>>())
        }
    }
}

fn exec_error(message: String) -> TemplateError {
    TemplateError::Exec(message)
}

/// kubectl's `exists ITEM INDEX…`: whether `index ITEM INDEX…` would find a
/// value that is not nil.
fn exists(args: &[Go]) -> gotmpl::Result<Go> {
    let Some((item, indices)) = args.split_first() else {
        return Err(exec_error("wrong number of args for exists: want at least 1 got 0".to_string()));
    };
    let mut current = item.clone();
    for index in indices {
        let next = match (&current, index) {
            (Go::List(items), Go::Int(i)) => usize::try_from(*i).ok().and_then(|i| items.get(i).cloned()),
            (Go::List(items), Go::Uint(i)) => usize::try_from(*i).ok().and_then(|i| items.get(i).cloned()),
            (Go::String(s), Go::Int(i)) => {
                usize::try_from(*i).ok().and_then(|i| s.as_bytes().get(i).map(|b| Go::Int(i64::from(*b))))
            }
            (Go::Map(map), Go::String(key)) => Some(map.get(key).cloned().unwrap_or(Go::Nil)),
            _ => None,
        };
        match next {
            Some(Go::Nil) | None => return Ok(Go::Bool(false)),
            Some(value) => current = value,
        }
    }
    Ok(Go::Bool(!matches!(current, Go::Nil)))
}

/// kubectl's `base64decode STRING`.
fn base64decode(args: &[Go]) -> gotmpl::Result<Go> {
    let [arg] = args else {
        return Err(exec_error(format!("wrong number of args for base64decode: want 1 got {}", args.len())));
    };
    let text = match arg {
        Go::String(s) => s,
        Go::Nil => return Err(exec_error(format!("{MARK}base64decode{MARK}invalid value; expected string"))),
        other => {
            return Err(exec_error(format!(
                "{MARK}base64decode{MARK}wrong type for value; expected string; got {}",
                go_type_name(other.type_name())
            )))
        }
    };
    match go_base64(text.as_bytes()) {
        Ok(bytes) => Ok(Go::from(String::from_utf8_lossy(&bytes).into_owned())),
        Err(at) => Err(exec_error(format!(
            "error calling base64decode: base64 decode failed: illegal base64 data at input byte {at}"
        ))),
    }
}

/// Go's `base64.StdEncoding.DecodeString`: padded, newlines skipped, the
/// error the offset Go reports.
fn go_base64(src: &[u8]) -> Result<Vec<u8>, usize> {
    let skip_newlines = |mut at: usize| {
        while src.get(at).is_some_and(|c| *c == b'\n' || *c == b'\r') {
            at += 1;
        }
        at
    };
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut at = 0;
    loop {
        let mut quantum = [0u8; 4];
        let mut filled = 0;
        let mut finished = false;
        while filled < 4 {
            let Some(&c) = src.get(at) else {
                if filled == 0 {
                    return Ok(out);
                }
                return Err(at - filled);
            };
            at += 1;
            if let Some(v) = crate::coreutils::base64::value(c) {
                quantum[filled] = v;
                filled += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' || filled < 2 {
                return Err(at - 1);
            }
            if filled == 2 {
                // A second `=` must follow the first.
                at = skip_newlines(at);
                match src.get(at) {
                    None => return Err(src.len()),
                    Some(b'=') => at += 1,
                    Some(_) => return Err(at - 1),
                }
            }
            at = skip_newlines(at);
            if at < src.len() {
                return Err(at);
            }
            finished = true;
            break;
        }
        let bits = quantum.iter().fold(0u32, |acc, v| (acc << 6) | u32::from(*v));
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        let keep = if finished { filled - 1 } else { 3 };
        out.extend_from_slice(bytes.get(..keep).unwrap_or_default());
        if finished {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template: &str, allow_missing: bool, object: &Value) -> Result<String, String> {
        let t = GoTemplate::parse(template, allow_missing).map_err(|e| e.to_string())?;
        t.execute(object).map_err(|f| f.error)
    }

    #[test]
    fn runaway_templates_fail_without_panicking() {
        let object = json!({"kind": "List"});
        for (template, want) in [
            ("{{define \"a\"}}{{template \"a\" .}}{{end}}{{template \"a\" .}}", "recursion limit exceeded"),
            ("{{range 100001}}{{end}}", "range iteration budget exhausted"),
        ] {
            let got = run(template, true, &object).err().unwrap_or_default();
            assert!(got.ends_with(&format!("template: output: executing \"output\": {want}\n")), "{template}: {got}");
        }
        assert_eq!(run("{{range 3}}{{.}}{{end}}", true, &object), Ok("012".to_string()));
        let object = json!({"metadata": {"name": "x"}});
        assert_eq!(
            run("{{range .metadata.name}}{{end}}", true, &object),
            Err("error: error executing template \"{{range .metadata.name}}{{end}}\": template: output:1:17: executing \"output\" at <.metadata.name>: range can't iterate over x\n".to_string())
        );
    }

    #[test]
    fn variables_in_scope_run() {
        let object = json!({"items": [{"n": "a"}, {"n": "b"}]});
        let template =
            "{{$sep := \",\"}}{{range $i, $item := .items}}{{if $i}}{{$sep}}{{end}}{{$item.n}}{{end}} {{$.items}}";
        assert_eq!(run(template, true, &object), Ok("a,b [map[n:a] map[n:b]]".to_string()));
    }

    #[test]
    fn templates_print_like_kubectl() {
        let secret = json!({"data": {"token": "dG9rZW4="}, "metadata": {"name": "robot", "n": 3, "f": 0.5, "z": null}, "secrets": [{"name": "a"}, {"name": "b"}]});
        for (template, want) in [
            ("{{.data.token | base64decode}}", "token"),
            ("{{range .secrets}}{{.name}}{{\"\\n\"}}{{end}}", "a\nb\n"),
            ("{{.metadata.n}} {{.metadata.f}} {{.metadata.z}} {{.nope}} {{.nope.x}}", "3 0.5 <no value> <no value> <no value>"),
            ("{{.metadata}}", "map[f:0.5 n:3 name:robot z:<nil>]"),
            ("{{exists . \"metadata\" \"name\"}} {{exists . \"nope\"}} {{exists . \"secrets\" 1 \"name\"}} {{exists . \"secrets\" 2}}", "true false true false"),
            ("{{index .metadata \"name\"}} {{len .secrets}}", "robot 2"),
        ] {
            assert_eq!(run(template, true, &secret), Ok(want.to_string()), "{template}");
        }
    }

    #[test]
    fn errors_are_gos() {
        let object = json!({"metadata": {"name": "x", "z": null}});
        for (template, want) in [
            ("{{.metadata.name", "template: output:1: unclosed action"),
            ("{{foo}}", "template: output:1: function \"foo\" not defined"),
            ("a\n{{.x}}{{bar 1}}", "template: output:2: function \"bar\" not defined"),
            ("{{end}}", "template: output:1: unexpected {{end}}"),
            ("{{$x := 1}}{{$x}}\n{{$y}}", "template: output:2: undefined variable \"$y\""),
            ("{{range $i, $v := .a}}{{$i}}{{$v}}{{end}}{{$v}}", "template: output:1: undefined variable \"$v\""),
            ("{{if true}}{{$z := 1}}{{end}}{{$z}}", "template: output:1: undefined variable \"$z\""),
            ("{{define \"t\"}}{{$q}}{{end}}{{$q := 1}}", "template: output:1: undefined variable \"$q\""),
            ("{{ .kind }", "template: output:1: unexpected \"}\" in operand"),
            ("a\n{{else}}", "template: output:2: unexpected {{else}}"),
            ("{{if .kind}}\n{{\"{{end}}\"}}", "template: output:2: unexpected EOF"),
            ("{{range .a}}{{if .b}}{{end}}{{/* {{end}} */}}", "template: output:1: unexpected EOF"),
        ] {
            assert_eq!(GoTemplate::parse(template, true).err().map(|e| e.to_string()).as_deref(), Some(want));
        }
        for (template, want) in [
            ("{{.nope.x}}", "error: error executing template \"{{.nope.x}}\": template: output:1:7: executing \"output\" at <.nope.x>: map has no entry for key \"nope\"\n"),
            ("{{.nope}}", "error: error executing template \"{{.nope}}\": template: output:1:2: executing \"output\" at <.nope>: map has no entry for key \"nope\"\n"),
            ("{{.metadata.name.x}}", "error: error executing template \"{{.metadata.name.x}}\": template: output:1:11: executing \"output\" at <.metadata.name.x>: can't evaluate field x in type interface {}\n"),
            ("{{\"a\"}}\n{{.metadata.z | base64decode}}", "error: error executing template \"{{\\\"a\\\"}}\\n{{.metadata.z | base64decode}}\": template: output:2:16: executing \"output\" at <base64decode>: invalid value; expected string\n"),
            ("x\n  {{.a.b.c}}", "error: error executing template \"x\\n  {{.a.b.c}}\": template: output:2:6: executing \"output\" at <.a.b.c>: map has no entry for key \"a\"\n"),
        ] {
            assert_eq!(run(template, false, &object), Err(want.to_string()), "{template}");
        }
        assert_eq!(
            run("{{.metadata.name | base64decode}}", true, &object),
            Err("error: error executing template \"{{.metadata.name | base64decode}}\": template: output:1:19: executing \"output\" at <base64decode>: error calling base64decode: base64 decode failed: illegal base64 data at input byte 0\n".to_string())
        );
    }

    #[test]
    fn failures_print_the_debugging_text() {
        let object = json!({"kind": "ServiceAccount", "metadata": {"name": "x", "creationTimestamp": null}});
        let failure = GoTemplate::parse("{{.kind}} {{.nope}}", false).ok().map(|t| t.execute(&object));
        let Some(Err(failure)) = failure else { panic!("fails") };
        assert_eq!(
            failure.stdout,
            "ServiceAccount Error executing template: template: output:1:12: executing \"output\" at <.nope>: map has no entry for key \"nope\". Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.kind}} {{.nope}}\n\traw data was:\n\t\t{\"kind\":\"ServiceAccount\",\"metadata\":{\"creationTimestamp\":null,\"name\":\"x\"}}\n\tobject given to template engine was:\n\t\tmap[kind:ServiceAccount metadata:map[creationTimestamp:<nil> name:x]]\n\n"
        );
    }

    #[test]
    fn base64_fails_where_go_does() {
        for (text, want) in [
            ("dG9rZW4=", Ok(b"token".to_vec())),
            ("dG9r\nZW4=", Ok(b"token".to_vec())),
            ("", Ok(Vec::new())),
            ("YQ==", Ok(b"a".to_vec())),
            ("x", Err(0)),
            ("abc", Err(0)),
            ("YQ=", Err(3)),
            ("YQ==x", Err(4)),
            ("a!bc", Err(1)),
            ("Y===", Err(1)),
        ] {
            assert_eq!(go_base64(text.as_bytes()), want, "{text}");
        }
    }
}
