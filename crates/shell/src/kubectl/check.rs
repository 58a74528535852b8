//! Problems in a manifest, at their line, for the YAML editor.
//!
//! [`check_manifest`] runs the checks `kubectl apply -f` makes before it
//! sends anything (the YAML decoding, `apiVersion` and `kind` set, a kind
//! the cluster serves) and says where each problem is. [`locate_errors`]
//! reads kubectl's error output after a run and finds the line of each
//! field it names (`unknown field "spec.containers[0].imagee"`,
//! `spec.containers[0].image: Required value`, …). Lines are 1-based over
//! the whole text, documents and `---` included.

use saplay_cluster::decode::{expand_lists, parse_manifests, DecodeError};
use saplay_cluster::resource;

/// One problem at one line of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestProblem {
    /// 1-based line in the text.
    pub line: usize,
    /// What is wrong, in kubectl's words.
    pub message: String,
}

/// kubectl's words for a YAML syntax error (after `error converting YAML
/// to JSON: `).
pub(super) fn syntax_message(line: Option<usize>, message: &str) -> String {
    let detail = message.split(" at line ").next().unwrap_or(message);
    let detail = detail.split(", while ").next().unwrap_or(detail);
    // go-yaml numbers a scanner error's line from 1 but prints a parser
    // error's as libyaml's mark, which counts from 0: "did not find
    // expected key" names the line above. Either way it prints no line
    // when libyaml's mark is 0, so a scanner error on the first line has
    // none (`yaml: mapping values are not allowed in this context`).
    let line = if PARSER_PROBLEMS.iter().any(|p| detail.starts_with(p)) {
        line.map(|l| l.saturating_sub(1)).filter(|l| *l > 0)
    } else {
        line.filter(|l| *l > 1)
    };
    let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
    format!("yaml: {at}{detail}")
}

/// The problems libyaml's parser (not its scanner) reports.
const PARSER_PROBLEMS: &[&str] = &[
    "did not find expected <document start>",
    "did not find expected node content",
    "did not find expected '-' indicator",
    "did not find expected key",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found duplicate %YAML directive",
    "found incompatible YAML document",
    "found duplicate %TAG directive",
    "found undefined tag handle",
];

/// The client-side checks of `kubectl apply -f` over `text`, each problem
/// at its line. Empty when kubectl would send the objects.
pub fn check_manifest(text: &str) -> Vec<ManifestProblem> {
    match parse_manifests(text) {
        Err(DecodeError::Syntax { line, message, .. }) => {
            return vec![ManifestProblem { line: line.unwrap_or(1).max(1), message: syntax_message(line, &message) }];
        }
        Err(other) => return vec![ManifestProblem { line: 1, message: other.to_string() }],
        Ok(_) => {}
    }
    let mut problems = Vec::new();
    for doc in documents(text) {
        let Ok(values) = parse_manifests(&doc.text) else { continue };
        let first = doc.lines.iter().map(|l| l.no).next().unwrap_or(doc.start);
        for value in expand_lists(values) {
            let api_version = value.get("apiVersion").and_then(|v| v.as_str()).unwrap_or_default();
            let kind = value.get("kind").and_then(|v| v.as_str()).unwrap_or_default();
            let mut missing = Vec::new();
            if api_version.is_empty() {
                missing.push("apiVersion not set");
            }
            if kind.is_empty() {
                missing.push("kind not set");
            }
            if !missing.is_empty() {
                problems.push(ManifestProblem {
                    line: first,
                    message: format!("error validating data: [{}]", missing.join(", ")),
                });
                continue;
            }
            if resource::by_kind(api_version, kind).is_none() {
                problems.push(ManifestProblem {
                    line: doc.line_of(&[Segment::Key("kind".to_string())]).unwrap_or(first),
                    message: format!("no matches for kind {kind:?} in version {api_version:?}"),
                });
            }
        }
    }
    problems
}

/// The lines of the fields kubectl's error output `stderr` names, for the
/// manifest `text` it was run on. Errors that name no field, or a field
/// not found in the text, are left out.
pub fn locate_errors(text: &str, stderr: &str) -> Vec<ManifestProblem> {
    let docs = documents(text);
    let mut problems: Vec<ManifestProblem> = Vec::new();
    let mut hint = Hint::default();
    for raw in stderr.lines() {
        let line = raw.trim_end();
        if let Some(item) = line.strip_prefix("* ") {
            // One of several validation errors under `The Kind "name" is invalid:`.
            if let Some(found) = locate_path(&docs, &hint, item) {
                problems.push(found);
            }
            continue;
        }
        if line.ends_with("resource name may not be empty") {
            // `apply`'s lookup of an object without a name, after the
            // `GroupVersionKind: …` and `Name: "", …` lines that say which.
            if let Some(line) = unnamed(&docs, &hint) {
                problems.push(ManifestProblem { line, message: "resource name may not be empty".to_string() });
            }
        }
        hint = match (Hint::of(line), line.strip_prefix("Name: \"")) {
            (found, _) if found.kind.is_some() => found,
            (_, Some(rest)) => Hint { name: rest.split_once('"').map(|(n, _)| n.to_string()), ..hint },
            _ => Hint::default(),
        };
        if let Some(rest) = line.split_once(" is invalid: ").map(|(_, r)| r).filter(|r| !r.trim().is_empty()) {
            if let Some(found) = locate_path(&docs, &hint, rest) {
                problems.push(found);
            }
        }
        let mut rest = line;
        while let Some((_, after)) = rest.split_once("unknown field \"") {
            let Some((path, tail)) = after.split_once('"') else { break };
            if let Some(at) = find(&docs, &hint, &parse_path(path)) {
                problems.push(ManifestProblem { line: at, message: format!("unknown field {path:?}") });
            }
            rest = tail;
        }
        if let Some((_, after)) = line.split_once("json: cannot unmarshal ") {
            // `… into Go struct field Pod.spec.containers.ports.containerPort of type int32`
            let path = after.split_once("Go struct field ").and_then(|(_, p)| p.split_whitespace().next());
            let path = path.map(|p| p.split_once('.').map(|(_, rest)| rest).unwrap_or(p));
            if let Some(at) = path.and_then(|p| find(&docs, &hint, &parse_path(p))) {
                problems.push(ManifestProblem { line: at, message: format!("cannot unmarshal {after}") });
            }
        }
        if let Some((_, after)) = line.split_once("yaml: line ") {
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(named) = digits.parse::<usize>() {
                // kubectl names the line above for some problems: mark
                // where the parser stopped in this text, when it does.
                let at = match parse_manifests(text) {
                    Err(DecodeError::Syntax { line: Some(at), .. }) => at,
                    _ => named,
                };
                let message = format!("yaml: line {after}");
                problems.push(ManifestProblem { line: at.max(1), message });
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.line, p.message.clone())));
    problems
}

/// `spec.containers[0].image: Required value` → its line.
fn locate_path(docs: &[Document], hint: &Hint, item: &str) -> Option<ManifestProblem> {
    let (path, _) = item.split_once(": ")?;
    let plausible = !path.is_empty()
        && path.chars().all(|c| c.is_ascii_alphanumeric() || "._-[]/".contains(c))
        && !path.starts_with('[');
    if !plausible {
        return None;
    }
    let line =
        find(docs, hint, &parse_path(path)).or_else(|| unnamed(docs, hint).filter(|_| path == "metadata.name"))?;
    Some(ManifestProblem { line, message: item.to_string() })
}

/// The line of a document without a name that fits `hint` (a kind, and
/// the name `""`): its `metadata`, or its first line when it has none.
fn unnamed(docs: &[Document], hint: &Hint) -> Option<usize> {
    if hint.kind.is_none() || hint.name.as_deref().is_some_and(|n| !n.is_empty()) {
        return None;
    }
    let doc = docs
        .iter()
        .find(|d| hint.kind.as_deref() == d.scalar("kind").as_deref() && d.name().unwrap_or_default().is_empty())?;
    doc.line_of(&[Segment::Key("metadata".to_string())]).or_else(|| doc.lines.first().map(|l| l.no))
}

/// Which object an error line is about: `The Pod "web" is invalid`, `Pod
/// in version "v1" cannot be handled as a Pod`.
#[derive(Debug, Default, Clone)]
struct Hint {
    kind: Option<String>,
    name: Option<String>,
}

impl Hint {
    fn of(line: &str) -> Self {
        if let Some(rest) = line.strip_prefix("The ") {
            if let Some((kind, rest)) = rest.split_once(" \"") {
                let name = rest.split_once('"').map(|(n, _)| n.to_string());
                return Self { kind: Some(kind.to_string()), name };
            }
        }
        if let Some((_, after)) = line.split_once(" cannot be handled as a ") {
            let kind = after.split(':').next().unwrap_or_default().trim();
            return Self { kind: Some(kind.to_string()), name: None };
        }
        // `apply`: `Resource: "/v1, Resource=pods", GroupVersionKind: "/v1, Kind=Pod"`.
        if let Some((_, after)) = line.split_once("GroupVersionKind: \"") {
            let kind = after.split_once("Kind=").and_then(|(_, k)| k.split_once('"')).map(|(k, _)| k.to_string());
            return Self { kind, name: None };
        }
        Self::default()
    }
}

/// The first document fitting `hint` in which `path` is found.
fn find(docs: &[Document], hint: &Hint, path: &[Segment]) -> Option<usize> {
    let fits = |d: &&Document| {
        hint.kind.as_deref().is_none_or(|k| d.scalar("kind").as_deref() == Some(k))
            && hint.name.as_deref().is_none_or(|n| d.name().unwrap_or_default() == n)
    };
    docs.iter().filter(fits).find_map(|d| d.line_of(path))
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `spec.containers[0].image` → `spec`, `containers`, `0`, `image`;
/// `metadata.labels[app]` → a key `app`.
fn parse_path(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map(|(k, r)| (k, Some(r))).unwrap_or((part, None));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_string()));
        }
        while let Some(r) = rest {
            let (inside, after) = r.split_once(']').unwrap_or((r, ""));
            out.push(match inside.parse::<usize>() {
                Ok(i) => Segment::Index(i),
                Err(_) => Segment::Key(inside.to_string()),
            });
            rest = after.strip_prefix('[');
        }
    }
    out
}

/// A token at the start of a line: a sequence dash, a `key:`, or anything
/// else.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Dash(usize),
    Key(usize, String),
    Other(usize),
}

impl Token {
    fn column(&self) -> usize {
        match self {
            Token::Dash(c) | Token::Key(c, _) | Token::Other(c) => *c,
        }
    }
}

/// A line that holds YAML content (not blank, not only a comment).
#[derive(Debug, Clone)]
struct Line {
    /// 1-based line number in the whole text.
    no: usize,
    tokens: Vec<Token>,
}

/// One YAML document of the text, with its lines.
#[derive(Debug, Clone)]
struct Document {
    /// The document's own text.
    text: String,
    /// 1-based line where it starts.
    start: usize,
    lines: Vec<Line>,
}

/// Splits `text` at `---` lines into documents (empty ones dropped).
fn documents(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut current = Document { text: String::new(), start: 1, lines: Vec::new() };
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        if raw == "---" || raw.starts_with("--- ") || raw == "..." {
            let next = Document { text: String::new(), start: no + 1, lines: Vec::new() };
            let done = std::mem::replace(&mut current, next);
            if !done.lines.is_empty() {
                docs.push(done);
            }
            continue;
        }
        current.text.push_str(raw);
        current.text.push('\n');
        if let Some(tokens) = tokenize(raw) {
            current.lines.push(Line { no, tokens });
        }
    }
    if !current.lines.is_empty() {
        docs.push(current);
    }
    docs
}

/// The leading tokens of one line; `None` for blank and comment lines.
fn tokenize(raw: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut column = raw.len() - raw.trim_start_matches(' ').len();
    let mut rest = raw.trim_start_matches(' ');
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    loop {
        if rest == "-" || rest.starts_with("- ") {
            tokens.push(Token::Dash(column));
            let after = rest.get(1..).unwrap_or_default();
            let skipped = after.len() - after.trim_start_matches(' ').len();
            column += 1 + skipped;
            rest = after.trim_start_matches(' ');
            if rest.is_empty() || rest.starts_with('#') {
                return Some(tokens);
            }
            continue;
        }
        tokens.push(match key_of(rest) {
            Some(key) => Token::Key(column, key),
            None => Token::Other(column),
        });
        return Some(tokens);
    }
}

/// The key of `key: value` or `key:` (plain or quoted), if the text starts
/// with one.
fn key_of(text: &str) -> Option<String> {
    let quoted = |q: char| -> Option<String> {
        let inner = text.strip_prefix(q)?;
        let (key, after) = inner.split_once(q)?;
        (after == ":" || after.starts_with(": ")).then(|| key.to_string())
    };
    if text.starts_with('"') {
        return quoted('"');
    }
    if text.starts_with('\'') {
        return quoted('\'');
    }
    if text.starts_with(['[', '{', '|', '>', '&', '*', '!']) {
        return None;
    }
    let end = text.find(": ").or_else(|| text.strip_suffix(':').map(str::len))?;
    let key = text.get(..end)?.trim_end();
    (!key.is_empty() && !key.contains(" #")).then(|| key.to_string())
}

/// Where a node's content starts: a line and a token within it, and the
/// end of the node's lines (exclusive).
#[derive(Debug, Clone, Copy)]
struct Region {
    line: usize,
    token: usize,
    end: usize,
}

impl Document {
    /// The top-level scalar `key: value`, unquoted.
    fn scalar(&self, key: &str) -> Option<String> {
        self.value_at(&[Segment::Key(key.to_string())])
    }

    fn name(&self) -> Option<String> {
        self.value_at(&[Segment::Key("metadata".to_string()), Segment::Key("name".to_string())])
    }

    fn value_at(&self, path: &[Segment]) -> Option<String> {
        let (line, exact) = self.walk(path)?;
        if !exact {
            return None;
        }
        let raw = self.text.lines().nth(line.checked_sub(self.start)?)?;
        let (_, value) = raw.split_once(": ")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        Some(value.trim_matches(|c| c == '"' || c == '\'').to_string())
    }

    /// The line of `path`, or of its deepest part found; `None` when not
    /// even its first key is there.
    fn line_of(&self, path: &[Segment]) -> Option<usize> {
        self.walk(path).map(|(line, _)| line)
    }

    /// The line reached and whether the whole path was found.
    fn walk(&self, path: &[Segment]) -> Option<(usize, bool)> {
        self.walk_from(Region { line: 0, token: 0, end: self.lines.len() }, path)
    }

    fn walk_from(&self, start: Region, path: &[Segment]) -> Option<(usize, bool)> {
        let mut region = start;
        let mut found: Option<usize> = None;
        for (depth, segment) in path.iter().enumerate() {
            let next = match segment {
                Segment::Key(key) => self.key_in(region, key),
                Segment::Index(i) => self.item_in(region, *i),
            };
            match next {
                Some((line, inner)) => {
                    found = self.lines.get(line).map(|l| l.no);
                    region = inner;
                }
                None => {
                    // A path without indices (`spec.containers.ports`)
                    // looks through every item of a sequence.
                    if let Segment::Key(_) = segment {
                        let rest = path.get(depth..).unwrap_or_default();
                        let mut i = 0;
                        while let Some((_, item)) = self.item_in(region, i) {
                            if let Some((line, true)) = self.walk_from(item, rest) {
                                return Some((line, true));
                            }
                            i += 1;
                        }
                    }
                    return found.map(|l| (l, false));
                }
            }
        }
        found.map(|l| (l, true))
    }

    /// The first token of the region's first line with content.
    fn first(&self, region: Region) -> Option<(usize, usize)> {
        if region.line >= region.end {
            return None;
        }
        let line = self.lines.get(region.line)?;
        if region.token < line.tokens.len() {
            return Some((region.line, region.token));
        }
        (region.line + 1 < region.end).then_some((region.line + 1, 0))
    }

    /// The token that starts line `index` within the region.
    fn leading(&self, region: Region, index: usize) -> Option<&Token> {
        let token = if index == region.line { region.token } else { 0 };
        self.lines.get(index)?.tokens.get(token)
    }

    fn key_in(&self, region: Region, key: &str) -> Option<(usize, Region)> {
        let (start, token) = self.first(region)?;
        let Some(Token::Key(column, _)) = self.lines.get(start)?.tokens.get(token) else { return None };
        let column = *column;
        let region = Region { line: start, token, end: region.end };
        for index in start..region.end {
            match self.leading(region, index) {
                Some(Token::Key(c, k)) if *c == column && k == key => {
                    return Some((index, self.value_region(index, column, region.end)));
                }
                Some(t) if t.column() < column => return None,
                _ => {}
            }
        }
        None
    }

    /// The lines of the value of the key at `index` (column `column`): the
    /// deeper lines after it, and a sequence at the key's own column.
    fn value_region(&self, index: usize, column: usize, end: usize) -> Region {
        let mut stop = index + 1;
        let compact =
            matches!(self.lines.get(index + 1).and_then(|l| l.tokens.first()), Some(Token::Dash(c)) if *c == column);
        while stop < end {
            let Some(t) = self.lines.get(stop).and_then(|l| l.tokens.first()) else { break };
            let inside = t.column() > column || (compact && matches!(t, Token::Dash(c) if *c == column));
            if !inside {
                break;
            }
            stop += 1;
        }
        Region { line: index + 1, token: 0, end: stop.max(index + 1) }
    }

    fn item_in(&self, region: Region, wanted: usize) -> Option<(usize, Region)> {
        if region.line >= region.end {
            return None;
        }
        let (start, token) = (region.line, region.token);
        let Some(Token::Dash(column)) = self.lines.get(start)?.tokens.get(token) else { return None };
        let column = *column;
        let mut count = 0;
        for index in start..region.end {
            match self.leading(region, index) {
                Some(Token::Dash(c)) if *c == column => {
                    if count == wanted {
                        let mut stop = index + 1;
                        while stop < region.end
                            && self.lines.get(stop).and_then(|l| l.tokens.first()).is_some_and(|t| t.column() > column)
                        {
                            stop += 1;
                        }
                        let inner_token = if index == start { token + 1 } else { 1 };
                        return Some((index, Region { line: index, token: inner_token, end: stop }));
                    }
                    count += 1;
                }
                Some(t) if t.column() < column => return None,
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    imagee: nginx\n    ports:\n    - containerPort: 80\n  - name: sidecar\n    image: busybox\n";

    fn line(text: &str, path: &str) -> Option<usize> {
        documents(text).first().and_then(|d| d.line_of(&parse_path(path)))
    }

    #[test]
    fn paths_find_their_lines() {
        assert_eq!(line(POD, "kind"), Some(2));
        assert_eq!(line(POD, "metadata.name"), Some(4));
        assert_eq!(line(POD, "spec.containers[0].imagee"), Some(8));
        assert_eq!(line(POD, "spec.containers[0].ports[0].containerPort"), Some(10));
        assert_eq!(line(POD, "spec.containers[1].image"), Some(12));
        // Missing at the end: the deepest part found.
        assert_eq!(line(POD, "spec.containers[1].ports"), Some(11));
        // Without indices, the first item that has it.
        assert_eq!(line(POD, "spec.containers.image"), Some(12));
        assert_eq!(line(POD, "status"), None);
        // Indented sequences and quoted keys.
        let role = "kind: Role\nrules:\n  - apiGroups: [\"\"]\n    \"verbz\": [get]\n";
        assert_eq!(line(role, "rules[0].verbz"), Some(4));
    }

    #[test]
    fn a_syntax_error_is_at_its_line() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n bad: 1\n";
        let problems = check_manifest(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 5);
        // kubectl's wording, which names the line above for this problem.
        assert_eq!(problems[0].message, "yaml: line 4: did not find expected key", "{problems:?}");
        // kubectl's own error is marked at the same line, not at the one it names.
        let stderr =
            "error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key\n";
        assert_eq!(locate_errors(text, stderr), problems);
    }

    #[test]
    fn client_side_validation_names_the_document() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n# second\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: Foo\n";
        let problems = check_manifest(text);
        assert_eq!(
            problems,
            vec![
                ManifestProblem {
                    line: 7,
                    message: "error validating data: [apiVersion not set, kind not set]".into()
                },
                ManifestProblem { line: 11, message: "no matches for kind \"Foo\" in version \"v1\"".into() },
            ]
        );
        assert!(check_manifest(POD).is_empty());
        assert!(check_manifest("").is_empty());
    }

    #[test]
    fn server_errors_find_the_fields_they_name() {
        let stderr = "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\"\n";
        assert_eq!(
            locate_errors(POD, stderr),
            vec![ManifestProblem { line: 8, message: "unknown field \"spec.containers[0].imagee\"".into() }]
        );
        let invalid = "The Pod \"web\" is invalid: \n* metadata.name: Invalid value: \"W\": bad\n* spec.containers[1].image: Required value\n";
        let lines: Vec<usize> = locate_errors(POD, invalid).iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 12]);
        let one = "The Pod \"web\" is invalid: spec.containers[0].image: Required value\n";
        assert_eq!(locate_errors(POD, one).first().map(|p| p.line), Some(7));
        let typed = "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec.containers.ports.containerPort of type int32\n";
        assert_eq!(locate_errors(POD, typed).first().map(|p| p.line), Some(10));
        // The right document of several, by kind.
        let two = format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n{POD}");
        assert_eq!(locate_errors(&two, stderr).first().map(|p| p.line), Some(13));
        // A document without a name: `create` names metadata.name, `apply`
        // only the object; both are marked at its metadata (or its first
        // line when it has none), in the document that lacks the name.
        let unnamed = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  namespace: default\n";
        let created =
            "The ServiceAccount \"\" is invalid: metadata.name: Required value: name or generateName is required\n";
        assert_eq!(locate_errors(unnamed, created).iter().map(|p| p.line).collect::<Vec<_>>(), [8]);
        let applied = "error: error when retrieving current configuration of:\nResource: \"/v1, Resource=serviceaccounts\", GroupVersionKind: \"/v1, Kind=ServiceAccount\"\nName: \"\", Namespace: \"default\"\nfrom server for: \"STDIN\": resource name may not be empty\n";
        assert_eq!(
            locate_errors(unnamed, applied),
            vec![ManifestProblem { line: 8, message: "resource name may not be empty".into() }]
        );
        let bare = "apiVersion: v1\nkind: ServiceAccount\n";
        assert_eq!(locate_errors(bare, applied).iter().map(|p| p.line).collect::<Vec<_>>(), [1]);
        assert_eq!(locate_errors(bare, created).iter().map(|p| p.line).collect::<Vec<_>>(), [1]);
        // Another kind's error marks nothing here.
        assert!(locate_errors(bare, &applied.replace("Kind=ServiceAccount", "Kind=Pod")).is_empty());
        // Nothing to find, and garbage, give nothing.
        assert!(locate_errors(POD, "Error from server (Forbidden): pods \"w\" is forbidden: nope\n").is_empty());
        assert!(locate_errors("[[[", "* : x\n* [: y\nThe \"\nunknown field \"").is_empty());
    }
}
