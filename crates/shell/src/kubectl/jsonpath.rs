//! kubectl's JSONPath dialect (client-go's `util/jsonpath`): templates such
//! as `{.items[*].metadata.name}`, `{range .items[*]}…{end}`, filters
//! `[?(@.kind=="Pod")]`, slices, unions, recursive descent `..`, quoted
//! text, and the printing rules of `-o jsonpath` and `-o jsonpath-as-json`.
//!
//! Parsing and evaluation report the same error texts as client-go; they
//! never panic, whatever the template. Map keys are visited in sorted order
//! (Go visits them in random order).

use std::borrow::Cow;

use serde_json::Value;

/// How deeply templates may nest filters and unions inside each other.
const MAX_DEPTH: usize = 32;

/// How deeply `{range}` blocks may nest (unclosed ones count as nested).
const MAX_RANGES: usize = 10;

/// One index of an array selector `[start:end:step]`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

/// A node of a parsed template.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// Literal text, outside actions or quoted inside them.
    Text(String),
    /// The nodes of one `{…}` action (or a sub-expression).
    List(Vec<Node>),
    /// `.name`.
    Field(String),
    /// `range`, `end`, or an unknown word.
    Identifier(String),
    /// `[i]`, `[a:b:c]`, `[*]`.
    Array([Param; 3]),
    /// `[?(left OP right)]`, or `[?(left)]` with operator `exists`.
    Filter { left: Vec<Node>, right: Vec<Node>, op: String },
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `.*`.
    Wildcard,
    /// `..`.
    Recursive,
    /// `[a,b]`.
    Union(Vec<Vec<Node>>),
}

/// A parsed JSONPath template, ready to run over objects.
#[derive(Debug, Clone)]
pub struct JsonPath {
    root: Vec<Node>,
    allow_missing_keys: bool,
}

struct Parser {
    input: Vec<char>,
    pos: usize,
    start: usize,
    depth: usize,
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'),
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Go's `%#U`: `U+007B '{'`.
fn go_unicode(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    if c.is_control() {
        code
    } else {
        format!("{code} '{c}'")
    }
}

impl Parser {
    fn new(text: &str, depth: usize) -> Result<Self, String> {
        if depth > MAX_DEPTH {
            return Err("template nests too deeply".to_string());
        }
        Ok(Self { input: text.chars().collect(), pos: 0, start: 0, depth })
    }

    fn peek(&self) -> Option<char> {
        self.input.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.input.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn consume(&mut self) -> String {
        let text: String = self.input.get(self.start..self.pos).unwrap_or_default().iter().collect();
        self.start = self.pos;
        text
    }

    fn starts_with(&self, prefix: &str) -> bool {
        let wanted: Vec<char> = prefix.chars().collect();
        self.input.get(self.pos..).is_some_and(|rest| rest.starts_with(&wanted))
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.input.get(i).copied()
    }

    /// The whole template: text and actions.
    fn parse(mut self) -> Result<Vec<Node>, String> {
        let mut root = Vec::new();
        loop {
            // Text up to the next `{`.
            while !self.starts_with("{") {
                if self.next().is_none() {
                    if self.pos > self.start {
                        root.push(Node::Text(self.consume()));
                    }
                    return Ok(root);
                }
            }
            if self.pos > self.start {
                root.push(Node::Text(self.consume()));
            }
            self.pos += 1;
            self.consume();
            let action = self.parse_action()?;
            root.push(Node::List(action));
        }
    }

    /// The inside of one action, up to and including its `}`.
    fn parse_action(&mut self) -> Result<Vec<Node>, String> {
        let mut cur = Vec::new();
        loop {
            if self.starts_with("}") {
                self.pos += 1;
                self.consume();
                return Ok(cur);
            }
            if self.starts_with("[?(") {
                self.parse_filter(&mut cur)?;
                continue;
            }
            if self.starts_with("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return Err("invalid multiple recursive descent".to_string());
                }
                self.pos += 2;
                self.consume();
                cur.push(Node::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    self.parse_field(&mut cur);
                }
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".to_string()),
                Some(' ' | '@' | '$') => {
                    self.consume();
                }
                Some('[') => self.parse_array(&mut cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(&mut cur, q)?,
                Some('.') => self.parse_field(&mut cur),
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.pos -= 1;
                    self.parse_number(&mut cur)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.pos -= 1;
                    while !is_terminator(self.peek()) {
                        self.pos += 1;
                    }
                    let word = self.consume();
                    match word.as_str() {
                        "true" => cur.push(Node::Bool(true)),
                        "false" => cur.push(Node::Bool(false)),
                        _ => cur.push(Node::Identifier(word)),
                    }
                }
                Some(c) => return Err(format!("unrecognized character in action: {}", go_unicode(c))),
            }
        }
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            match self.peek() {
                Some('\\') => {
                    self.pos += 1;
                    self.next();
                }
                c if is_terminator(c) => break,
                _ => self.pos += 1,
            }
        }
        let value = self.consume();
        if value == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(value.replace('\\', "")));
        }
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c == '.' || c.is_ascii_digit()) {
            self.pos += 1;
        }
        let value = self.consume();
        if let Ok(i) = value.parse::<i64>() {
            cur.push(Node::Int(i));
        } else if let Some(f) = parse_go_float(&value) {
            cur.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".to_string()),
                Some(']') => break,
                _ => {}
            }
        }
        let consumed = self.consume();
        // Without the brackets.
        let mut text: String = consumed.chars().skip(1).collect();
        text.pop();
        if text == "*" {
            text = ":".to_string();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(sub_action(&format!("[{}]", part.trim_matches(' ')), self.depth)?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // ['key']
        if let Some(key) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')).filter(|k| !k.contains('\'')) {
            cur.extend(sub_action(&format!(".{key}"), self.depth)?);
            return Ok(());
        }
        let Some(groups) = slice_groups(&text) else {
            return Err(format!("invalid array index {text}"));
        };
        let mut params = [Param::default(); 3];
        for (i, group) in groups.iter().enumerate() {
            match group {
                Some(number) if i > 0 && number.is_empty() => {}
                Some(number) => {
                    let value: i64 = number.parse().map_err(|_| format!("array index {number} is not a number"))?;
                    if let Some(p) = params.get_mut(i) {
                        *p = Param { value, known: true, derived: false };
                    }
                }
                None if i == 1 => {
                    let value = params[0].value.saturating_add(1);
                    params[1] = Param { value, known: true, derived: true };
                }
                None => {}
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end) = (false, false);
        let mut pair = '"';
        loop {
            let c = self.next();
            match c {
                None | Some('\n') => return Err("unterminated filter".to_string()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if self.pos >= 2 && self.char_at(self.pos - 2) != Some('\\') && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".to_string());
        }
        let mut text = self.consume();
        text.pop();
        text.pop();
        match split_filter(&text) {
            None => {
                let left = sub_action(&text, self.depth)?;
                cur.push(Node::Filter { left, right: Vec::new(), op: "exists".to_string() });
            }
            Some((left, op, right)) => {
                let left = sub_action(left, self.depth)?;
                let right = sub_action(right, self.depth)?;
                cur.push(Node::Filter { left, right, op: op.to_string() });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, quote: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".to_string()),
                Some(c) if c == quote && self.pos >= 2 && self.char_at(self.pos - 2) != Some('\\') => break,
                _ => {}
            }
        }
        let value = self.consume();
        let text = unquote(&value).ok_or_else(|| format!("unquote string {value} error invalid syntax"))?;
        cur.push(Node::Text(text));
        Ok(())
    }
}

/// Parses `{TEXT}` and returns the nodes of its one action.
fn sub_action(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    let nodes = Parser::new(&format!("{{{text}}}"), depth + 1)?.parse()?;
    match nodes.into_iter().next() {
        Some(Node::List(list)) => Ok(list),
        _ => Ok(Vec::new()),
    }
}

/// The groups of `^(-?\d*)(:-?\d*)?(:-?\d*)?$`: the first always present,
/// the others without their colon, `None` when absent.
fn slice_groups(text: &str) -> Option<[Option<String>; 3]> {
    let number = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        digits.chars().all(|c| c.is_ascii_digit())
    };
    let mut pieces = text.split(':');
    let first = pieces.next().unwrap_or_default();
    let second = pieces.next();
    let third = pieces.next();
    if pieces.next().is_some() || ![Some(first), second, third].into_iter().flatten().all(number) {
        return None;
    }
    Some([Some(first.to_string()).filter(|s| !s.is_empty()), second.map(str::to_string), third.map(str::to_string)])
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$` over a filter's text.
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let start = text.find(is_op)?;
    if start == 0 || text.contains('\n') {
        return None;
    }
    let after = text.get(start..)?;
    let run = after.find(|c: char| !is_op(c)).unwrap_or(after.len());
    let (op_end, right_start) = if run == after.len() {
        // The operator run reaches the end: give its last character to the
        // right-hand side, as the regular expression backtracks.
        if run < 2 {
            return None;
        }
        (start + run - 1, start + run - 1)
    } else {
        (start + run, start + run)
    };
    Some((text.get(..start)?, text.get(start..op_end)?, text.get(right_start..)?))
}

/// Go's `strconv.ParseFloat` for the digits-and-dots numbers the parser
/// collects.
fn parse_go_float(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    if body.is_empty() || body == "." || body.matches('.').count() > 1 {
        return None;
    }
    text.parse().ok()
}

/// Go's `strconv.Unquote`, extended to single-quoted strings.
fn unquote(s: &str) -> Option<String> {
    let mut chars: Vec<char> = s.chars().collect();
    let quote = *chars.first()?;
    if chars.len() < 2 || chars.last() != Some(&quote) || !matches!(quote, '"' | '\'') {
        return None;
    }
    chars.pop();
    chars.remove(0);
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c == quote {
            return None;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = *chars.get(i)?;
        i += 1;
        match escape {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' | '"' if escape == quote => out.push(escape),
            'x' | 'u' | 'U' => {
                let len = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.get(i..i + len)?.iter().collect();
                i += len;
                let code = u32::from_str_radix(&hex, 16).ok()?;
                out.push(char::from_u32(code)?);
            }
            '0'..='7' => {
                let digits: String = chars.get(i - 1..i + 2)?.iter().collect();
                i += 2;
                let code = u32::from_str_radix(&digits, 8).ok().filter(|c| *c <= 255)?;
                out.push(char::from_u32(code)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Top-level items after grouping `{range}` … `{end}`.
#[derive(Debug)]
enum Item<'n> {
    Node(&'n Node),
    Range { head: &'n Node, body: Vec<Item<'n>> },
}

fn has_identifier(node: &Node, word: &str) -> bool {
    matches!(node, Node::List(list) if list.iter().any(|n| matches!(n, Node::Identifier(w) if w == word)))
}

/// Groups the nodes from `i` into items; returns them, the index after the
/// block, and whether an `{end}` closed it.
fn group(nodes: &[Node], mut i: usize, nested: bool) -> (Vec<Item<'_>>, usize, bool) {
    let mut items = Vec::new();
    while let Some(node) = nodes.get(i) {
        if nested && has_identifier(node, "end") {
            return (items, i + 1, true);
        }
        if has_identifier(node, "range") {
            let (body, next, closed) = group(nodes, i + 1, true);
            items.push(Item::Range { head: node, body });
            // A range without `{end}` runs its body, then the template goes
            // on after the range as if it were not there (client-go does).
            i = if closed { next } else { i + 1 };
            continue;
        }
        items.push(Item::Node(node));
        i += 1;
    }
    (items, i, false)
}

type V<'a> = Cow<'a, Value>;

impl JsonPath {
    /// Parses a template; the error is client-go's text.
    pub fn parse(template: &str) -> Result<Self, String> {
        let root = Parser::new(template, 0)?.parse()?;
        let mut open = 0usize;
        for node in &root {
            if has_identifier(node, "range") {
                open += 1;
                if open > MAX_RANGES {
                    return Err("ranges nest too deeply".to_string());
                }
            } else if has_identifier(node, "end") {
                open = open.saturating_sub(1);
            }
        }
        Ok(Self { root, allow_missing_keys: true })
    }

    /// Whether a missing field is an empty result (the default) or an error.
    pub fn allow_missing_keys(mut self, allow: bool) -> Self {
        self.allow_missing_keys = allow;
        self
    }

    /// The result sets of the template over `data`, one per node.
    pub fn find_results<'a>(&self, data: &'a Value) -> Result<Vec<Vec<V<'a>>>, String> {
        let (items, _, _) = group(&self.root, 0, false);
        let mut out = Vec::new();
        self.run_block(&items, Cow::Borrowed(data), &mut out, 0)?;
        Ok(out)
    }

    fn run_block<'a>(
        &self,
        items: &[Item<'_>],
        data: V<'a>,
        out: &mut Vec<Vec<V<'a>>>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("ranges nest too deeply".to_string());
        }
        for item in items {
            match item {
                Item::Node(node) => out.push(self.walk(vec![data.clone()], node)?),
                Item::Range { head, body } => {
                    let values = self.walk(vec![data.clone()], head)?;
                    if values.is_empty() {
                        let mut ignored = Vec::new();
                        self.run_block(body, Cow::Owned(Value::Null), &mut ignored, depth + 1)?;
                    }
                    for value in values {
                        self.run_block(body, value, out, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs the template and prints it as `-o jsonpath` does.
    pub fn execute(&self, data: &Value) -> Result<String, String> {
        let mut out = String::new();
        for results in self.find_results(data)? {
            let texts: Vec<String> = results.iter().map(|v| text_of(v.as_ref())).collect();
            out.push_str(&texts.join(" "));
        }
        Ok(out)
    }

    /// Runs the template and prints each result set as an indented JSON
    /// array, as `-o jsonpath-as-json` does.
    pub fn execute_json(&self, data: &Value) -> Result<String, String> {
        let mut out = String::new();
        for results in self.find_results(data)? {
            let array = Value::Array(results.into_iter().map(Cow::into_owned).collect());
            out.push_str(&go_json_indent(&array));
            out.push('\n');
        }
        Ok(out)
    }

    fn walk<'a>(&self, input: Vec<V<'a>>, node: &Node) -> Result<Vec<V<'a>>, String> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(text) => Ok(vec![Cow::Owned(Value::String(text.clone()))]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, *params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(i) => Ok(input.iter().map(|_| Cow::Owned(Value::from(*i))).collect()),
            Node::Float(f) => Ok(input.iter().map(|_| Cow::Owned(Value::from(*f))).collect()),
            Node::Bool(b) => Ok(input.iter().map(|_| Cow::Owned(Value::from(*b))).collect()),
            Node::Wildcard => Ok(input.into_iter().flat_map(children).collect()),
            Node::Recursive => Ok(recursive(input)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for list in lists {
                    out.extend(self.eval_list(input.clone(), list)?);
                }
                Ok(out)
            }
            Node::Identifier(word) => match word.as_str() {
                "range" => Ok(input),
                // Only reached outside a range: ends inside one close it.
                "end" => Err("not in range, nothing to end".to_string()),
                other => Err(format!("unrecognized identifier {other}")),
            },
        }
    }

    fn eval_list<'a>(&self, input: Vec<V<'a>>, nodes: &[Node]) -> Result<Vec<V<'a>>, String> {
        let mut current = input;
        for node in nodes {
            current = self.walk(current, node)?;
        }
        Ok(current)
    }

    fn eval_field<'a>(&self, input: Vec<V<'a>>, name: &str) -> Result<Vec<V<'a>>, String> {
        if input.is_empty() {
            return Ok(input);
        }
        let mut results = Vec::new();
        for value in input {
            match value {
                Cow::Borrowed(Value::Object(map)) => {
                    if let Some(v) = map.get(name) {
                        results.push(Cow::Borrowed(v));
                    }
                }
                Cow::Owned(Value::Object(mut map)) => {
                    if let Some(v) = map.remove(name) {
                        results.push(Cow::Owned(v));
                    }
                }
                _ => {}
            }
        }
        if results.is_empty() && !self.allow_missing_keys {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_filter<'a>(
        &self,
        input: Vec<V<'a>>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Result<Vec<V<'a>>, String> {
        let mut results = Vec::new();
        for value in input {
            let items: Vec<V<'a>> = match value {
                Cow::Borrowed(Value::Array(items)) => items.iter().map(Cow::Borrowed).collect(),
                Cow::Owned(Value::Array(items)) => items.into_iter().map(Cow::Owned).collect(),
                other => return Err(format!("{} is not array or slice and cannot be filtered", go_v(&other))),
            };
            for item in items {
                let lefts = self.eval_list(vec![item.clone()], left);
                if op == "exists" {
                    if lefts.is_ok_and(|l| !l.is_empty()) {
                        results.push(item);
                    }
                    continue;
                }
                let lefts = lefts?;
                let l = match lefts.as_slice() {
                    [] => continue,
                    [one] => one.clone(),
                    _ => return Err("can only compare one element at a time".to_string()),
                };
                let rights = self.eval_list(vec![item.clone()], right)?;
                let r = match rights.as_slice() {
                    [] => continue,
                    [one] => one.clone(),
                    _ => return Err("can only compare one element at a time".to_string()),
                };
                let pass = match op {
                    "<" => less(&l, &r)?,
                    ">" => !(less(&l, &r)? || equal(&l, &r)?),
                    "==" => equal(&l, &r)?,
                    "!=" => !equal(&l, &r)?,
                    "<=" => less(&l, &r)? || equal(&l, &r)?,
                    ">=" => !less(&l, &r)?,
                    other => return Err(format!("unrecognized filter operator {other}")),
                };
                if pass {
                    results.push(item);
                }
            }
        }
        Ok(results)
    }
}

/// The direct children of a value: map values (sorted by key), array
/// items, or a string's bytes.
fn children(value: V<'_>) -> Vec<V<'_>> {
    match value {
        Cow::Borrowed(Value::Object(map)) => map.values().map(Cow::Borrowed).collect(),
        Cow::Borrowed(Value::Array(items)) => items.iter().map(Cow::Borrowed).collect(),
        Cow::Owned(Value::Object(map)) => map.into_iter().map(|(_, v)| Cow::Owned(v)).collect(),
        Cow::Owned(Value::Array(items)) => items.into_iter().map(Cow::Owned).collect(),
        v => match v.as_str() {
            Some(s) => s.bytes().map(|b| Cow::Owned(Value::from(b))).collect(),
            None => Vec::new(),
        },
    }
}

/// `..`: every value that has children, then its descendants, depth first.
fn recursive(input: Vec<V<'_>>) -> Vec<V<'_>> {
    let mut out = Vec::new();
    let mut stack: Vec<V<'_>> = input.into_iter().rev().collect();
    while let Some(value) = stack.pop() {
        // A string's bytes have no children of their own.
        if value.is_string() {
            if value.as_str().is_some_and(|s| !s.is_empty()) {
                out.push(value);
            }
            continue;
        }
        let kids = children(value.clone());
        if kids.is_empty() {
            continue;
        }
        out.push(value);
        stack.extend(kids.into_iter().rev());
    }
    out
}

fn eval_array(input: Vec<V<'_>>, node_params: [Param; 3]) -> Result<Vec<V<'_>>, String> {
    let mut result = Vec::new();
    for value in input {
        if value.is_null() {
            continue;
        }
        let items: Vec<V<'_>> = match value {
            Cow::Borrowed(Value::Array(items)) => items.iter().map(Cow::Borrowed).collect(),
            Cow::Owned(Value::Array(items)) => items.into_iter().map(Cow::Owned).collect(),
            other => return Err(format!("{} is not array or slice", go_type(&other))),
        };
        let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let mut params = node_params;
        if !params[0].known {
            params[0].value = 0;
        }
        if params[0].value < 0 {
            params[0].value += len;
        }
        if !params[1].known {
            params[1].value = len;
        }
        if params[1].value < 0 || (params[1].value == 0 && params[1].derived) {
            params[1].value += len;
        }
        let (start, end) = (params[0].value, params[1].value);
        if start == end {
            return Ok(result);
        }
        if start >= len || start < 0 {
            return Err(format!("array index out of bounds: index {start}, length {len}"));
        }
        if end > len || end < 0 {
            return Err(format!("array index out of bounds: index {}, length {len}", end - 1));
        }
        if start > end {
            return Err(format!("starting index {start} is greater than ending index {end}"));
        }
        let step = if params[2].known {
            if params[2].value <= 0 {
                return Err("step must be > 0".to_string());
            }
            usize::try_from(params[2].value).unwrap_or(usize::MAX)
        } else {
            1
        };
        let (start, end) = (usize::try_from(start).unwrap_or(0), usize::try_from(end).unwrap_or(0));
        result.extend(items.into_iter().skip(start).take(end - start).step_by(step));
    }
    Ok(result)
}

#[derive(PartialEq)]
enum Basic<'v> {
    Int(i64),
    Float(f64),
    Str(&'v str),
    Bool(bool),
}

fn basic(v: &Value) -> Result<Basic<'_>, String> {
    match v {
        Value::Bool(b) => Ok(Basic::Bool(*b)),
        Value::String(s) => Ok(Basic::Str(s)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Basic::Int(i)),
            None => Ok(Basic::Float(n.as_f64().unwrap_or_default())),
        },
        _ => Err("invalid type for comparison".to_string()),
    }
}

fn equal(a: &Value, b: &Value) -> Result<bool, String> {
    match (basic(a)?, basic(b)?) {
        (Basic::Int(x), Basic::Int(y)) => Ok(x == y),
        (Basic::Float(x), Basic::Float(y)) => Ok(x == y),
        (Basic::Str(x), Basic::Str(y)) => Ok(x == y),
        (Basic::Bool(x), Basic::Bool(y)) => Ok(x == y),
        _ => Err("incompatible types for comparison".to_string()),
    }
}

fn less(a: &Value, b: &Value) -> Result<bool, String> {
    match (basic(a)?, basic(b)?) {
        (Basic::Int(x), Basic::Int(y)) => Ok(x < y),
        (Basic::Float(x), Basic::Float(y)) => Ok(x < y),
        (Basic::Str(x), Basic::Str(y)) => Ok(x < y),
        (Basic::Bool(_), Basic::Bool(_)) => Err("invalid type for comparison".to_string()),
        _ => Err("incompatible types for comparison".to_string()),
    }
}

/// How `-o jsonpath` prints one value: maps and lists as compact JSON,
/// scalars as Go's `fmt.Print` does.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::Object(_) | Value::Array(_) => go_json(value),
        other => go_v(other),
    }
}

/// Go's `%v` of a decoded JSON value: `map[a:1 b:x]`, `[a b]`, `<nil>`.
pub fn go_v(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(map) => {
            format!("map[{}]", map.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// Go's `%#v` of a decoded JSON value, as kubectl's debugging output shows
/// the object: `map[string]interface {}{"kind":"Pod", …}`.
pub fn go_sharp_v(value: &Value) -> String {
    match value {
        Value::Null => "interface {}(nil)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::String(s) => go_quote(s),
        Value::Array(items) => {
            format!("[]interface {{}}{{{}}}", items.iter().map(go_sharp_v).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => format!(
            "map[string]interface {{}}{{{}}}",
            map.iter().map(|(k, v)| format!("{}:{}", go_quote(k), go_sharp_v(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Go's `strconv.Quote` (and `%q`).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's type name of a decoded JSON value.
fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "interface {}",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Go's `%v` of a number: integers as they are, floats in `%g` style with
/// the shortest digits (`1.5`, `1e+06`).
fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or_default();
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    format!("{f}")
}

/// Go's `json.Marshal`: compact, keys sorted, `<`, `>`, `&` escaped.
pub fn go_json(value: &Value) -> String {
    escape_html(&serde_json::to_string(value).unwrap_or_default())
}

/// Go's `json.MarshalIndent(v, "", "    ")`.
pub fn go_json_indent(value: &Value) -> String {
    fn write(value: &Value, indent: usize, out: &mut String) {
        let pad = "    ".repeat(indent + 1);
        let close = "    ".repeat(indent);
        match value {
            Value::Array(items) if !items.is_empty() => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    write(item, indent + 1, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&close);
                out.push(']');
            }
            Value::Object(map) if !map.is_empty() => {
                out.push_str("{\n");
                for (i, (key, item)) in map.iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push_str(": ");
                    write(item, indent + 1, out);
                    out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
                }
                out.push_str(&close);
                out.push('}');
            }
            other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
        }
    }
    let mut out = String::new();
    write(value, 0, &mut out);
    escape_html(&out)
}

pub(crate) use saplay_cluster::gojson::escape_html;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {"kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"serviceAccountName": "robot", "n": 3}},
                {"kind": "Pod", "metadata": {"name": "db"}, "spec": {"serviceAccountName": "default", "n": 5}},
                {"kind": "Secret", "metadata": {"name": "tok"}, "data": {"token": "dG9r"}},
            ],
            "metadata": {"resourceVersion": ""},
        })
    }

    fn run(template: &str) -> Result<String, String> {
        JsonPath::parse(template)?.execute(&object())
    }

    #[test]
    fn templates_print_like_kubectl() {
        let rows = [
            ("{.kind}", "List"),
            ("{.items[*].metadata.name}", "web db tok"),
            ("{.items[0].metadata.name}", "web"),
            ("{.items[-1].metadata.name}", "tok"),
            ("{.items[0:2].metadata.name}", "web db"),
            ("{.items[::2].metadata.name}", "web tok"),
            ("{.items[1:].metadata.name}", "db tok"),
            ("{.items[0,2].metadata.name}", "web tok"),
            ("{..name}", "web db tok"),
            ("{.items[?(@.kind==\"Pod\")].metadata.name}", "web db"),
            ("{.items[?(@.kind!='Pod')].metadata.name}", "tok"),
            ("{.items[?(@.spec.n>3)].metadata.name}", "db"),
            ("{.items[?(@.spec.n<=3)].metadata.name}", "web"),
            ("{.items[?(@.data)].metadata.name}", "tok"),
            ("{range .items[*]}{.metadata.name}{\"\\t\"}{end}", "web\tdb\ttok\t"),
            ("name: {.items[0].metadata.name}!", "name: web!"),
            ("{.items[0].metadata.labels}", "{\"app\":\"web\"}"),
            ("{.items[0].spec.n}", "3"),
            ("{.nope}", ""),
            ("{.items[0]['metadata']['name']}", "web"),
            ("{.metadata.resourceVersion}", ""),
            ("{.items[5:5]}", ""),
            ("plain", "plain"),
            ("", ""),
            ("{'a\\'b'}", "a'b"),
            ("{5}", "5"),
            ("{true}", "true"),
        ];
        for (template, want) in rows {
            assert_eq!(run(template), Ok(want.to_string()), "{template}");
        }
    }

    #[test]
    fn errors_are_client_go_texts() {
        let rows = [
            ("{.a[}", "unterminated array"),
            ("{.a", "unclosed action"),
            ("{.a\n}", "unclosed action"),
            ("{.a[x]}", "invalid array index x"),
            ("{.a[99999999999999999999]}", "array index 99999999999999999999 is not a number"),
            ("{.a[?(@.b==1}", "unterminated filter"),
            ("{.a[?(@.b==1)x}", "unclosed array expect ]"),
            ("{\"abc}", "unterminated quoted string"),
            ("{\"\\q\"}", "unquote string \"\\q\" error invalid syntax"),
            ("{....a}", "invalid multiple recursive descent"),
            ("{#}", "unrecognized character in action: U+0023 '#'"),
            ("{\t}", "unrecognized character in action: U+0009"),
            ("{-}", "cannot parse number -"),
            ("{1.2.3}", "cannot parse number 1.2.3"),
        ];
        for (template, want) in rows {
            assert_eq!(JsonPath::parse(template).err().as_deref(), Some(want), "{template}");
        }
        let rows = [
            ("{.items[5]}", "array index out of bounds: index 5, length 3"),
            ("{.items[-5]}", "array index out of bounds: index -2, length 3"),
            ("{.items[0:9]}", "array index out of bounds: index 8, length 3"),
            ("{.items[2:1]}", "starting index 2 is greater than ending index 1"),
            ("{.items[::0]}", "step must be > 0"),
            ("{.kind[0]}", "string is not array or slice"),
            ("{.metadata[*]}", "map[string]interface {} is not array or slice"),
            ("{end}", "not in range, nothing to end"),
            ("{foo}", "unrecognized identifier foo"),
            ("{.items[?(@.spec.n=='x')]}", "incompatible types for comparison"),
            ("{.items[?(@.metadata<1)]}", "invalid type for comparison"),
            ("{.items[?(@.spec.n=1)]}", "unrecognized filter operator ="),
            ("{.kind[?(@.a)]}", "List is not array or slice and cannot be filtered"),
        ];
        for (template, want) in rows {
            assert_eq!(run(template).err().as_deref(), Some(want), "{template}");
        }
        let strict = JsonPath::parse("{.nope}").map(|j| j.allow_missing_keys(false));
        assert_eq!(strict.and_then(|j| j.execute(&object())), Err("nope is not found".to_string()));
    }

    #[test]
    fn malformed_templates_never_panic() {
        let pieces = [
            "{", "}", "[", "]", "?(", ")", "@", ".", "..", "'", "\"", "\\", ":", "-", "*", ",", "=", "range", "end",
            " ", "é", "9",
        ];
        let mut template = String::new();
        for i in 0..2000usize {
            template.push_str(pieces[(i * 7 + i / 3) % pieces.len()]);
            if let Ok(j) = JsonPath::parse(&template) {
                let _ = j.execute(&object());
                let _ = j.execute_json(&object());
            }
        }
        let deep = "{.a".to_string() + &"[?(@".repeat(200);
        assert!(JsonPath::parse(&deep).is_err());
    }

    #[test]
    fn json_output_and_go_values() {
        let j = JsonPath::parse("{.items[*].metadata.name}{\"x\"}").map(|j| j.execute_json(&object()));
        assert_eq!(j, Ok(Ok("[\n    \"web\",\n    \"db\",\n    \"tok\"\n]\n[\n    \"x\"\n]\n".to_string())));
        assert_eq!(go_json(&json!({"a": "x<y&z>"})), "{\"a\":\"x\\u003cy\\u0026z\\u003e\"}");
        assert_eq!(
            go_sharp_v(&json!({"b": [1, "x\n"], "a": null, "c": {}})),
            "map[string]interface {}{\"a\":interface {}(nil), \"b\":[]interface {}{1, \"x\\n\"}, \"c\":map[string]interface {}{}}"
        );
        assert_eq!(go_v(&json!({"b": [1, "x"], "a": true})), "map[a:true b:[1 x]]");
        assert_eq!(go_v(&json!(1.5)), "1.5");
        assert_eq!(go_v(&json!(1e6)), "1e+06");
        assert_eq!(go_v(&json!(123456.0)), "123456");
    }
}
