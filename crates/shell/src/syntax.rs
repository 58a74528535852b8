//! The shell's grammar: a POSIX-sh subset parsed into a small syntax tree.
//!
//! Supported: words with `'…'`, `"…"` and `\` quoting; `$VAR`, `${VAR}`,
//! `${#VAR}`, `${VAR:-word}` and the other POSIX parameter operators, `$?`,
//! `$(…)` and backticks; `VAR=x` assignments before a command; pipelines `|`
//! (with `!`), lists with `&&`, `||`, `;` and newlines; `if/then/elif/else/fi`,
//! `for NAME [in WORDS]; do …; done`, `while`/`until`, `{ …; }` and `( … )`;
//! `#` comments; line continuations; redirections `>`, `>>`, `<`, `2>&1`,
//! `2>file`; here-documents `<<EOF` (expanded), `<<'EOF'` (literal) and
//! `<<-EOF` (leading tabs removed).
//!
//! As dash does, a script is read one complete command (one line, or the
//! lines of a compound command) at a time: [`commands`] yields each with
//! its place in the source, so the lines before a syntax error still run.

use std::ops::Range;

/// One piece of a word. `quoted` says whether it stood inside quotes
/// (quoted expansions are not split into fields).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Part {
    /// Literal text; `quoted` text is never split into fields.
    Text { text: String, quoted: bool },
    /// `$NAME` / `${NAME}` (and the special `$?`, `$#`, `$0`…).
    Var { name: String, quoted: bool },
    /// `${#NAME}`.
    Length { name: String, quoted: bool },
    /// `${NAME<op>word}`.
    Param { name: String, op: ParamOp, word: Word, quoted: bool },
    /// `$(…)` or backticks, holding the inner source.
    Command { source: String, quoted: bool },
    /// `$(( … ))`, holding the expression (expanded before evaluation).
    Arith { source: String, quoted: bool },
}

/// The operators of `${NAME<op>word}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    /// `-` / `:-`: the word when unset (or empty, with the colon).
    Default {
        /// Whether an empty value counts as unset.
        colon: bool,
    },
    /// `=` / `:=`: as `Default`, and assign it.
    Assign {
        /// Whether an empty value counts as unset.
        colon: bool,
    },
    /// `+` / `:+`: the word when set (and not empty, with the colon).
    Alternative {
        /// Whether an empty value counts as unset.
        colon: bool,
    },
    /// `?` / `:?`: an error when unset.
    Error {
        /// Whether an empty value counts as unset.
        colon: bool,
    },
    /// `#` / `##`: remove the shortest / longest matching prefix.
    RemovePrefix {
        /// `##`.
        longest: bool,
    },
    /// `%` / `%%`: remove the shortest / longest matching suffix.
    RemoveSuffix {
        /// `%%`.
        longest: bool,
    },
}

/// A word: parts concatenated.
pub type Word = Vec<Part>;

/// Where a redirection points (`fd` is the redirected descriptor).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Redirect {
    /// `N> word` or `N>> word` (append).
    Out { fd: u8, target: Word, append: bool },
    /// `< word`.
    In { target: Word },
    /// `N>&M`.
    Dup { fd: u8, to: u8 },
    /// A here-document body; `expand` is false for a quoted delimiter.
    HereDoc { body: String, expand: bool },
}

/// A simple command with its assignments and redirections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Simple {
    /// `NAME=value` before the command name.
    pub assignments: Vec<(String, Word)>,
    /// The command name and arguments.
    pub words: Vec<Word>,
    /// Redirections, in order.
    pub redirects: Vec<Redirect>,
}

impl Simple {
    fn is_empty(&self) -> bool {
        self.assignments.is_empty() && self.words.is_empty() && self.redirects.is_empty()
    }
}

/// A compound command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compound {
    /// `if … then …; elif … then …; else …; fi`.
    If {
        /// (condition, body) for the `if` and each `elif`.
        branches: Vec<(Script, Script)>,
        /// The `else` body.
        otherwise: Option<Script>,
    },
    /// `for NAME in WORDS; do BODY; done` (`words` is `None` without `in`).
    For {
        /// The loop variable.
        name: String,
        /// The words after `in`.
        words: Option<Vec<Word>>,
        /// The loop body.
        body: Script,
    },
    /// `while COND; do BODY; done`, or `until` when `until` is set.
    While {
        /// The condition list.
        condition: Script,
        /// The loop body.
        body: Script,
        /// `until` loops while the condition fails.
        until: bool,
    },
    /// `{ LIST; }`.
    Group(Script),
    /// `( LIST )`: runs in a copy of the shell's state.
    Subshell(Script),
}

/// One command of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A simple command.
    Simple(Simple),
    /// A compound command and the redirections after it.
    Compound(Box<Compound>, Vec<Redirect>),
}

/// Commands joined by `|`, optionally negated with `!`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pipeline {
    /// `! pipeline` inverts the status.
    pub negate: bool,
    /// The commands, in order.
    pub commands: Vec<Command>,
}

/// How a pipeline joins the previous one in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// First, or after `;` / newline.
    Always,
    /// `&&`.
    And,
    /// `||`.
    Or,
}

/// A list of pipelines.
pub type Script = Vec<(Joiner, Pipeline)>;

/// A syntax error, worded as Debian's sh (dash) words them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sh: {line}: {message}")]
pub struct SyntaxError {
    /// The line the error was found on (from 1).
    pub line: usize,
    /// What went wrong, e.g. `Syntax error: "fi" unexpected`.
    pub message: String,
    /// Whether the input just ended too early (more lines would fix it).
    pub incomplete: bool,
}

/// Words that are reserved where a command starts.
const RESERVED: [&str; 14] =
    ["if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "{", "}", "!"];

/// Reserved words that end a list.
const CLOSERS: [&str; 7] = ["then", "else", "elif", "fi", "do", "done", "}"];

/// How deeply compound commands may nest.
const MAX_NESTING: usize = 100;

/// Where a list stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A top-level command: ends at a newline.
    Line,
    /// Inside a compound command: newlines separate commands.
    Compound,
    /// Inside `( … )`.
    Subshell,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Here-documents waiting for their bodies: (delimiter, strip tabs).
    pending: Vec<(String, bool)>,
    /// Bodies read so far, in the order of their `<<` operators.
    bodies: Vec<String>,
    /// How many bodies have been put into commands.
    filled: usize,
    /// A here-document ran to the end of the input without its delimiter.
    unterminated_heredoc: bool,
    /// The input ended with a backslash that would join the next line.
    open_backslash: bool,
    depth: usize,
}

/// Parses a whole script (one or more lines).
pub fn parse(source: &str) -> Result<Script, SyntaxError> {
    let mut script = Script::new();
    for command in commands(source) {
        script.extend(command?.0);
    }
    Ok(script)
}

/// The complete commands of `source`, one at a time, each with its byte
/// range in `source`; the iterator ends after the first syntax error.
pub fn commands(source: &str) -> Commands {
    Commands { parser: Parser::new(source), source_len: source.len(), failed: false }
}

/// Whether `source` needs more lines: an open quote, compound command,
/// here-document, or a trailing `|`, `&&`, `||` or `\`.
pub fn is_incomplete(source: &str) -> bool {
    let mut parser = Parser::new(source);
    loop {
        match parser.complete_command() {
            Ok(Some(_)) => {}
            Ok(None) => return parser.unterminated_heredoc || parser.open_backslash,
            Err(e) => return e.incomplete,
        }
    }
}

/// Iterator over complete commands; see [`commands`].
pub struct Commands {
    parser: Parser,
    source_len: usize,
    failed: bool,
}

impl Iterator for Commands {
    type Item = Result<(Script, Range<usize>), SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        self.parser.skip_separating_space();
        let start = self.parser.byte_offset(self.parser.pos);
        match self.parser.complete_command() {
            Ok(Some(script)) => {
                let end = self.parser.byte_offset(self.parser.pos).min(self.source_len);
                Some(Ok((script, start..end)))
            }
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

fn is_delimiter(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '|' | '&' | '<' | '>' | '(' | ')')
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

impl Parser {
    fn new(source: &str) -> Self {
        Self {
            chars: source.chars().collect(),
            pos: 0,
            pending: Vec::new(),
            bodies: Vec::new(),
            filled: 0,
            unterminated_heredoc: false,
            open_backslash: false,
            depth: 0,
        }
    }

    fn byte_offset(&self, pos: usize) -> usize {
        self.chars.iter().take(pos).map(|c| c.len_utf8()).sum()
    }

    fn line(&self) -> usize {
        1 + self.chars.iter().take(self.pos).filter(|c| **c == '\n').count()
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError { line: self.line(), message: format!("Syntax error: {message}"), incomplete: false }
    }

    fn end_of_file(&self, expecting: Option<&str>) -> SyntaxError {
        let message = match expecting {
            Some(word) => format!("Syntax error: end of file unexpected (expecting \"{word}\")"),
            None => "Syntax error: end of file unexpected".to_string(),
        };
        SyntaxError { line: self.line(), message, incomplete: true }
    }

    /// `"X" unexpected` (or `word unexpected`, or end of file) for what
    /// stands at the current position.
    fn unexpected(&self, expecting: Option<&str>) -> SyntaxError {
        let Some(token) = self.peek_token() else { return self.end_of_file(expecting) };
        let shown = if token == "newline" {
            token
        } else if RESERVED.contains(&token.as_str()) || token.chars().all(is_delimiter) {
            format!("\"{token}\"")
        } else {
            "word".to_string()
        };
        match expecting {
            Some(word) => self.error(&format!("{shown} unexpected (expecting \"{word}\")")),
            None => self.error(&format!("{shown} unexpected")),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        let here = self.chars.get(self.pos..self.pos + n);
        if here.is_some_and(|h| h.iter().copied().eq(s.chars())) {
            self.pos += n;
            true
        } else {
            false
        }
    }

    /// The token at the current position (an operator or a word), without
    /// consuming it; `None` at the end.
    fn peek_token(&self) -> Option<String> {
        let c = self.peek()?;
        for op in ["&&", "||", ";;", ">>", "<<", ">&"] {
            if self.chars.get(self.pos..self.pos + 2).is_some_and(|h| h.iter().copied().eq(op.chars())) {
                return Some(op.to_string());
            }
        }
        if c == '\n' {
            return Some("newline".to_string());
        }
        if is_delimiter(c) {
            return Some(c.to_string());
        }
        let end =
            self.chars[self.pos..].iter().position(|c| is_delimiter(*c)).map_or(self.chars.len(), |i| self.pos + i);
        Some(self.chars[self.pos..end].iter().collect())
    }

    /// The reserved word at the current position, if one stands there
    /// unquoted and whole.
    fn peek_reserved(&self) -> Option<&'static str> {
        let token = self.peek_token()?;
        RESERVED.iter().copied().find(|r| *r == token)
    }

    fn eat_reserved(&mut self, word: &str) -> bool {
        if self.peek_reserved() == Some(word) {
            self.pos += word.chars().count();
            true
        } else {
            false
        }
    }

    /// Skips blanks, comments and line continuations (not newlines).
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                    self.open_backslash |= self.pos == self.chars.len();
                }
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips blanks and newlines (reading any here-document bodies).
    fn skip_linebreaks(&mut self) {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.newline();
            } else {
                return;
            }
        }
    }

    /// Between top-level commands: blank lines and comments.
    fn skip_separating_space(&mut self) {
        self.skip_linebreaks();
    }

    /// Consumes a newline and reads the bodies of pending here-documents.
    fn newline(&mut self) {
        self.pos += 1;
        for (delimiter, strip_tabs) in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            let mut found = false;
            while self.pos < self.chars.len() {
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let mut line: String = self.chars[start..self.pos].iter().collect();
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
                if strip_tabs {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == delimiter {
                    found = true;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            // Like dash, the end of the input also ends a here-document.
            self.unterminated_heredoc |= !found;
            self.bodies.push(body);
        }
    }

    /// One top-level command (up to its newline); `None` at the end.
    fn complete_command(&mut self) -> Result<Option<Script>, SyntaxError> {
        self.skip_separating_space();
        if self.peek().is_none() {
            return Ok(None);
        }
        let mut script = self.list(Context::Line)?;
        if script.is_empty() || self.peek().is_some_and(|c| c != '\n') {
            return Err(self.unexpected(None));
        }
        if self.peek() == Some('\n') {
            self.newline();
        }
        // The end of the input ends pending here-documents too.
        for _ in std::mem::take(&mut self.pending) {
            self.unterminated_heredoc = true;
            self.bodies.push(String::new());
        }
        let mut next = self.filled;
        fill_heredocs(&mut script, &self.bodies, &mut next);
        self.filled = next;
        Ok(Some(script))
    }

    /// A list of and-or lists, up to the end of its context.
    fn list(&mut self, context: Context) -> Result<Script, SyntaxError> {
        let mut script = Script::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None => break,
                Some('\n') if context == Context::Line => break,
                Some('\n') => {
                    self.newline();
                    continue;
                }
                Some(')') if context == Context::Subshell => break,
                _ => {}
            }
            if self.peek_reserved().is_some_and(|r| CLOSERS.contains(&r)) {
                break;
            }
            if matches!(self.peek(), Some(';' | '&' | '|' | ')')) {
                return Err(self.unexpected(None));
            }
            self.and_or(&mut script)?;
            self.skip_blanks();
            match self.peek() {
                Some(';') if self.peek_at(1) != Some(';') => self.pos += 1,
                Some('&') if self.peek_at(1) != Some('&') => {
                    return Err(SyntaxError {
                        line: self.line(),
                        message: "background jobs (&) are not supported here".to_string(),
                        incomplete: false,
                    })
                }
                Some('\n') | Some(')') | None => {}
                Some(_) if self.peek_reserved().is_some_and(|r| CLOSERS.contains(&r)) => {}
                Some(_) => return Err(self.unexpected(None)),
            }
        }
        Ok(script)
    }

    fn and_or(&mut self, script: &mut Script) -> Result<(), SyntaxError> {
        let mut joiner = Joiner::Always;
        loop {
            let pipeline = self.pipeline()?;
            script.push((joiner, pipeline));
            self.skip_blanks();
            joiner = if self.eat("&&") {
                Joiner::And
            } else if self.eat("||") {
                Joiner::Or
            } else {
                return Ok(());
            };
            self.skip_linebreaks();
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        self.skip_blanks();
        let negate = self.eat_reserved("!");
        let mut commands = vec![self.command()?];
        loop {
            self.skip_blanks();
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += 1;
                self.skip_linebreaks();
                commands.push(self.command()?);
            } else {
                return Ok(Pipeline { negate, commands });
            }
        }
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        self.skip_blanks();
        let compound = match self.peek_reserved() {
            Some("if") => Some(self.nested(Self::if_clause)?),
            Some("for") => Some(self.nested(Self::for_clause)?),
            Some("while") => Some(self.nested(|p| p.while_clause(false))?),
            Some("until") => Some(self.nested(|p| p.while_clause(true))?),
            Some("{") => Some(self.nested(Self::group)?),
            Some(_) => return Err(self.unexpected(None)),
            None if self.peek() == Some('(') => Some(self.nested(Self::subshell)?),
            None => None,
        };
        if let Some(compound) = compound {
            let mut redirects = Vec::new();
            loop {
                self.skip_blanks();
                if !self.redirect(&mut redirects)? {
                    break;
                }
            }
            if self.peek().is_some_and(|c| !is_delimiter(c)) {
                return Err(self.unexpected(None));
            }
            return Ok(Command::Compound(Box::new(compound), redirects));
        }
        let simple = self.simple()?;
        if simple.is_empty() {
            return Err(self.unexpected(None));
        }
        Ok(Command::Simple(simple))
    }

    fn nested(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<Compound, SyntaxError>,
    ) -> Result<Compound, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return Err(self.error("compound commands nested too deeply"));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    /// A non-empty list inside a compound command.
    fn body(&mut self, context: Context, closer: &str) -> Result<Script, SyntaxError> {
        let script = self.list(context)?;
        if script.is_empty() {
            return Err(if self.peek().is_none() { self.end_of_file(Some(closer)) } else { self.unexpected(None) });
        }
        Ok(script)
    }

    fn expect(&mut self, word: &str) -> Result<(), SyntaxError> {
        self.skip_blanks();
        if self.eat_reserved(word) {
            Ok(())
        } else {
            Err(self.unexpected(Some(word)))
        }
    }

    fn if_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.eat_reserved("if");
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.body(Context::Compound, "then")?;
            self.expect("then")?;
            let body = self.body(Context::Compound, "fi")?;
            branches.push((condition, body));
            if self.eat_reserved("elif") {
                continue;
            }
            if self.eat_reserved("else") {
                otherwise = Some(self.body(Context::Compound, "fi")?);
            }
            self.expect("fi")?;
            return Ok(Compound::If { branches, otherwise });
        }
    }

    fn for_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.eat_reserved("for");
        self.skip_blanks();
        let name = self.word()?;
        let name = match name.as_slice() {
            [Part::Text { text, quoted: false }] if valid_name(text) => text.clone(),
            [] => return Err(self.unexpected(None)),
            _ => return Err(self.error("Bad for loop variable")),
        };
        self.skip_linebreaks();
        let mut words = None;
        if self.eat_reserved("in") {
            let mut list = Vec::new();
            loop {
                self.skip_blanks();
                match self.peek() {
                    Some(';') => {
                        self.pos += 1;
                        break;
                    }
                    Some('\n') => break,
                    None => return Err(self.end_of_file(Some("do"))),
                    Some(c) if is_delimiter(c) => return Err(self.unexpected(None)),
                    Some(_) => list.push(self.word()?),
                }
            }
            words = Some(list);
        } else {
            self.skip_blanks();
            if self.peek() == Some(';') {
                self.pos += 1;
            }
        }
        self.skip_linebreaks();
        self.expect("do")?;
        let body = self.body(Context::Compound, "done")?;
        self.expect("done")?;
        Ok(Compound::For { name, words, body })
    }

    fn while_clause(&mut self, until: bool) -> Result<Compound, SyntaxError> {
        self.eat_reserved(if until { "until" } else { "while" });
        let condition = self.body(Context::Compound, "do")?;
        self.expect("do")?;
        let body = self.body(Context::Compound, "done")?;
        self.expect("done")?;
        Ok(Compound::While { condition, body, until })
    }

    fn group(&mut self) -> Result<Compound, SyntaxError> {
        self.eat_reserved("{");
        let body = self.body(Context::Compound, "}")?;
        self.expect("}")?;
        Ok(Compound::Group(body))
    }

    fn subshell(&mut self) -> Result<Compound, SyntaxError> {
        self.pos += 1; // '('
        let body = self.body(Context::Subshell, ")")?;
        self.skip_blanks();
        if self.peek() != Some(')') {
            return Err(self.unexpected(Some(")")));
        }
        self.pos += 1;
        Ok(Compound::Subshell(body))
    }

    /// Parses a redirection at the current position into `redirects`;
    /// false when none stands there.
    fn redirect(&mut self, redirects: &mut Vec<Redirect>) -> Result<bool, SyntaxError> {
        let Some(c) = self.peek() else { return Ok(false) };
        let fd_digit = c.is_ascii_digit() && matches!(self.peek_at(1), Some('<' | '>'));
        if !(c == '<' || c == '>' || fd_digit) {
            return Ok(false);
        }
        let fd = if fd_digit {
            self.pos += 1;
            c.to_digit(10).and_then(|d| u8::try_from(d).ok()).unwrap_or(1)
        } else if c == '<' {
            0
        } else {
            1
        };
        let op = if fd_digit { self.peek().unwrap_or('>') } else { c };
        if self.eat("<<") {
            let strip_tabs = self.eat("-");
            self.skip_blanks();
            let word = self.word()?;
            if word.is_empty() {
                return Err(self.unexpected(None));
            }
            let expand = word.iter().all(|p| matches!(p, Part::Text { quoted: false, .. }));
            let delimiter: String = word.iter().map(literal_text).collect();
            redirects.push(Redirect::HereDoc { body: String::new(), expand });
            self.pending.push((delimiter, strip_tabs));
            return Ok(true);
        }
        if self.eat(">&") {
            let to = self.peek().and_then(|d| d.to_digit(10)).and_then(|d| u8::try_from(d).ok());
            let Some(to) = to else { return Err(self.error("Bad fd number")) };
            self.pos += 1;
            redirects.push(Redirect::Dup { fd, to });
            return Ok(true);
        }
        let append = self.eat(">>");
        if !append {
            self.pos += 1;
        }
        self.skip_blanks();
        let target = self.word()?;
        if target.is_empty() {
            return Err(self.unexpected(None));
        }
        if op == '<' {
            redirects.push(Redirect::In { target });
        } else {
            redirects.push(Redirect::Out { fd, target, append });
        }
        Ok(true)
    }

    fn simple(&mut self) -> Result<Simple, SyntaxError> {
        let mut command = Simple::default();
        loop {
            self.skip_blanks();
            if self.redirect(&mut command.redirects)? {
                continue;
            }
            match self.peek() {
                None => break,
                Some(c) if is_delimiter(c) => break,
                _ => {}
            }
            let word = self.word()?;
            if word.is_empty() {
                break;
            }
            // NAME=value before the command name is an assignment.
            if command.words.is_empty() {
                if let Some(Part::Text { text, quoted: false }) = word.first() {
                    if let Some((name, rest)) = text.split_once('=') {
                        if valid_name(name) {
                            let mut value: Word = Vec::new();
                            if !rest.is_empty() {
                                value.push(Part::Text { text: rest.to_string(), quoted: false });
                            }
                            value.extend(word.iter().skip(1).cloned());
                            command.assignments.push((name.to_string(), value));
                            continue;
                        }
                    }
                }
            }
            command.words.push(word);
        }
        Ok(command)
    }

    /// Reads one word (possibly empty when at an operator or the end).
    fn word(&mut self) -> Result<Word, SyntaxError> {
        self.word_until(None)
    }

    /// Reads a word; `stop` ends it early (for the word inside `${…}`).
    fn word_until(&mut self, stop: Option<char>) -> Result<Word, SyntaxError> {
        let mut parts: Word = Vec::new();
        let mut text = String::new();
        let flush = |text: &mut String, parts: &mut Word, quoted: bool| {
            if !text.is_empty() || quoted {
                parts.push(Part::Text { text: std::mem::take(text), quoted });
            }
        };
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                break;
            }
            match c {
                c if stop.is_none() && is_delimiter(c) => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            self.pos += 1;
                            self.open_backslash |= self.pos == self.chars.len();
                        }
                        Some(next) => {
                            flush(&mut text, &mut parts, false);
                            parts.push(Part::Text { text: next.to_string(), quoted: true });
                            self.pos += 1;
                        }
                        None => self.open_backslash = true,
                    }
                }
                '\'' => {
                    flush(&mut text, &mut parts, false);
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(self.unterminated());
                    }
                    let quoted: String = self.chars[start..self.pos].iter().collect();
                    self.pos += 1;
                    parts.push(Part::Text { text: quoted, quoted: true });
                }
                '"' => {
                    flush(&mut text, &mut parts, false);
                    self.pos += 1;
                    self.double_quoted(&mut parts)?;
                }
                '$' | '`' => {
                    flush(&mut text, &mut parts, false);
                    if let Some(part) = self.dollar(false)? {
                        parts.push(part);
                    } else {
                        text.push('$');
                    }
                }
                other => {
                    text.push(other);
                    self.pos += 1;
                }
            }
        }
        flush(&mut text, &mut parts, false);
        Ok(parts)
    }

    fn unterminated(&self) -> SyntaxError {
        SyntaxError { line: self.line(), message: "Syntax error: Unterminated quoted string".into(), incomplete: true }
    }

    fn double_quoted(&mut self, parts: &mut Word) -> Result<(), SyntaxError> {
        let mut text = String::new();
        let mut any = false;
        loop {
            match self.peek() {
                None => return Err(self.unterminated()),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.peek_at(1), Some('$' | '`' | '"' | '\\' | '\n')) => {
                    if let Some(c) = self.peek_at(1).filter(|c| *c != '\n') {
                        text.push(c);
                    }
                    self.pos += 2;
                }
                Some('$' | '`') => {
                    if let Some(part) = self.dollar(true)? {
                        if !text.is_empty() {
                            parts.push(Part::Text { text: std::mem::take(&mut text), quoted: true });
                        }
                        parts.push(part);
                        any = true;
                    } else {
                        text.push('$');
                    }
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        if !text.is_empty() || !any {
            parts.push(Part::Text { text, quoted: true });
        }
        Ok(())
    }

    /// Parses `$…` or a backtick substitution at the current position;
    /// `None` for a lone `$`.
    fn dollar(&mut self, quoted: bool) -> Result<Option<Part>, SyntaxError> {
        if self.peek() == Some('`') {
            self.pos += 1;
            let start = self.pos;
            while self.peek().is_some_and(|c| c != '`') {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Err(SyntaxError {
                    line: self.line(),
                    message: "Syntax error: EOF in backquote substitution".into(),
                    incomplete: true,
                });
            }
            let source: String = self.chars[start..self.pos].iter().collect();
            self.pos += 1;
            return Ok(Some(Part::Command { source, quoted }));
        }
        self.pos += 1; // '$'
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                let start = self.pos;
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        '(' => depth += 1,
                        ')' if depth == 0 && self.peek_at(1) == Some(')') => break,
                        ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    self.pos += 1;
                }
                if self.peek().is_none() {
                    return Err(SyntaxError {
                        line: self.line(),
                        message: "Syntax error: Missing '))'".into(),
                        incomplete: true,
                    });
                }
                let source: String = self.chars[start..self.pos].iter().collect();
                self.pos += 2;
                Ok(Some(Part::Arith { source, quoted }))
            }
            Some('(') => {
                self.pos += 1;
                let start = self.pos;
                let mut depth = 1;
                let mut in_single = false;
                let mut in_double = false;
                while let Some(c) = self.peek() {
                    match c {
                        '\\' if !in_single => self.pos += 1,
                        '\'' if !in_double => in_single = !in_single,
                        '"' if !in_single => in_double = !in_double,
                        '(' if !in_single && !in_double => depth += 1,
                        ')' if !in_single && !in_double => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                if self.peek().is_none() {
                    return Err(self.end_of_file(Some(")")));
                }
                let source: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                Ok(Some(Part::Command { source, quoted }))
            }
            Some('{') => {
                self.pos += 1;
                self.braced(quoted).map(Some)
            }
            Some(c @ ('?' | '#' | '$' | '!' | '@' | '*' | '-')) => {
                self.pos += 1;
                Ok(Some(Part::Var { name: c.to_string(), quoted }))
            }
            Some(c) if c.is_ascii_digit() => {
                self.pos += 1;
                Ok(Some(Part::Var { name: c.to_string(), quoted }))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.pos += 1;
                }
                Ok(Some(Part::Var { name: self.chars[start..self.pos].iter().collect(), quoted }))
            }
            _ => Ok(None),
        }
    }

    /// The inside of `${…}`, after the brace.
    fn braced(&mut self, quoted: bool) -> Result<Part, SyntaxError> {
        let missing =
            |p: &Self| SyntaxError { line: p.line(), message: "Syntax error: Missing '}'".into(), incomplete: true };
        let bad = |p: &Self| SyntaxError { line: p.line(), message: "Bad substitution".into(), incomplete: false };
        let length = self.peek() == Some('#') && self.peek_at(1).is_some_and(|c| c != '}');
        if length {
            self.pos += 1;
        }
        let start = self.pos;
        if self.peek().is_some_and(|c| matches!(c, '?' | '#' | '$' | '!' | '@' | '*' | '-') || c.is_ascii_digit()) {
            self.pos += 1;
        } else {
            while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                self.pos += 1;
            }
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let valid = valid_name(&name) || (name.chars().count() == 1 && !name.starts_with(char::is_alphabetic));
        match self.peek() {
            None => return Err(missing(self)),
            Some('}') => {
                self.pos += 1;
                if !valid {
                    return Err(bad(self));
                }
                return Ok(if length { Part::Length { name, quoted } } else { Part::Var { name, quoted } });
            }
            _ if length || !valid => {
                while self.peek().is_some_and(|c| c != '}') {
                    self.pos += 1;
                }
                return Err(if self.peek().is_none() { missing(self) } else { bad(self) });
            }
            _ => {}
        }
        let colon = self.eat(":");
        let op = if self.eat("-") {
            ParamOp::Default { colon }
        } else if self.eat("=") {
            ParamOp::Assign { colon }
        } else if self.eat("+") {
            ParamOp::Alternative { colon }
        } else if self.eat("?") {
            ParamOp::Error { colon }
        } else if !colon && self.eat("##") {
            ParamOp::RemovePrefix { longest: true }
        } else if !colon && self.eat("#") {
            ParamOp::RemovePrefix { longest: false }
        } else if !colon && self.eat("%%") {
            ParamOp::RemoveSuffix { longest: true }
        } else if !colon && self.eat("%") {
            ParamOp::RemoveSuffix { longest: false }
        } else {
            while self.peek().is_some_and(|c| c != '}') {
                self.pos += 1;
            }
            return Err(if self.peek().is_none() { missing(self) } else { bad(self) });
        };
        if self.depth >= MAX_NESTING {
            return Err(bad(self));
        }
        self.depth += 1;
        let word = self.word_until(Some('}'));
        self.depth -= 1;
        let word = word?;
        if self.peek() != Some('}') {
            return Err(missing(self));
        }
        self.pos += 1;
        Ok(Part::Param { name, op, word, quoted })
    }
}

/// The text a word stands for without expansion (here-document delimiters).
fn literal_text(part: &Part) -> String {
    match part {
        Part::Text { text, .. } => text.clone(),
        Part::Var { name, .. } => format!("${name}"),
        Part::Length { name, .. } => format!("${{#{name}}}"),
        Part::Param { name, .. } => format!("${{{name}}}"),
        Part::Command { source, .. } => format!("$({source})"),
        Part::Arith { source, .. } => format!("$(({source}))"),
    }
}

/// Puts here-document bodies into their redirections, in source order.
fn fill_heredocs(script: &mut Script, bodies: &[String], next: &mut usize) {
    fn redirects(list: &mut [Redirect], bodies: &[String], next: &mut usize) {
        for redirect in list {
            if let Redirect::HereDoc { body, .. } = redirect {
                *body = bodies.get(*next).cloned().unwrap_or_default();
                *next += 1;
            }
        }
    }
    for (_, pipeline) in script {
        for command in &mut pipeline.commands {
            match command {
                Command::Simple(simple) => redirects(&mut simple.redirects, bodies, next),
                Command::Compound(compound, after) => {
                    match compound.as_mut() {
                        Compound::If { branches, otherwise } => {
                            for (condition, body) in branches {
                                fill_heredocs(condition, bodies, next);
                                fill_heredocs(body, bodies, next);
                            }
                            if let Some(body) = otherwise {
                                fill_heredocs(body, bodies, next);
                            }
                        }
                        Compound::For { body, .. } => fill_heredocs(body, bodies, next),
                        Compound::While { condition, body, .. } => {
                            fill_heredocs(condition, bodies, next);
                            fill_heredocs(body, bodies, next);
                        }
                        Compound::Group(body) | Compound::Subshell(body) => fill_heredocs(body, bodies, next),
                    }
                    redirects(after, bodies, next);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_like_dash() {
        // Each row was checked against Debian 12's /bin/sh (dash).
        let rows = [
            ("echo \"a", "sh: 1: Syntax error: Unterminated quoted string"),
            ("echo \"a\nb", "sh: 2: Syntax error: Unterminated quoted string"),
            ("echo a | | cat", "sh: 1: Syntax error: \"|\" unexpected"),
            ("echo a &&", "sh: 1: Syntax error: end of file unexpected"),
            ("&& b", "sh: 1: Syntax error: \"&&\" unexpected"),
            ("echo ${a", "sh: 1: Syntax error: Missing '}'"),
            ("echo $(echo a", "sh: 1: Syntax error: end of file unexpected (expecting \")\")"),
            ("echo ${%x}", "sh: 1: Bad substitution"),
            ("; x", "sh: 1: Syntax error: \";\" unexpected"),
            ("if true; then echo", "sh: 1: Syntax error: end of file unexpected (expecting \"fi\")"),
            ("if true; echo; fi", "sh: 1: Syntax error: \"fi\" unexpected (expecting \"then\")"),
            ("fi", "sh: 1: Syntax error: \"fi\" unexpected"),
            ("for x in a b; echo $x; done", "sh: 1: Syntax error: word unexpected (expecting \"do\")"),
            ("for x in a b; do echo $x", "sh: 1: Syntax error: end of file unexpected (expecting \"done\")"),
            ("if", "sh: 1: Syntax error: end of file unexpected (expecting \"then\")"),
            ("(", "sh: 1: Syntax error: end of file unexpected (expecting \")\")"),
            ("if true; then :; else", "sh: 1: Syntax error: end of file unexpected (expecting \"fi\")"),
            ("while true; do", "sh: 1: Syntax error: end of file unexpected (expecting \"done\")"),
            ("then", "sh: 1: Syntax error: \"then\" unexpected"),
            ("if; then :; fi", "sh: 1: Syntax error: \";\" unexpected"),
            ("for 1 in a; do :; done", "sh: 1: Syntax error: Bad for loop variable"),
            ("{ echo a", "sh: 1: Syntax error: end of file unexpected (expecting \"}\")"),
            ("( echo a", "sh: 1: Syntax error: end of file unexpected (expecting \")\")"),
            ("if true; then fi", "sh: 1: Syntax error: \"fi\" unexpected"),
            ("if true then echo a; fi", "sh: 1: Syntax error: \"fi\" unexpected (expecting \"then\")"),
            ("for x in a b do echo; done", "sh: 1: Syntax error: \"done\" unexpected (expecting \"do\")"),
            ("echo a; }", "sh: 1: Syntax error: \"}\" unexpected"),
            ("echo a)", "sh: 1: Syntax error: \")\" unexpected"),
            ("echo 1\nif then", "sh: 2: Syntax error: \"then\" unexpected"),
        ];
        for (source, want) in rows {
            assert_eq!(parse(source).map_err(|e| e.to_string()), Err(want.to_string()), "{source}");
        }
    }

    #[test]
    fn structure() {
        let script =
            parse("A=1 kubectl get sa -n \"$NS\" | cat > out && echo ok || echo no; echo done").unwrap_or_default();
        assert_eq!(script.len(), 4);
        assert_eq!(script[0].1.commands.len(), 2, "a two-command pipeline");
        assert!(matches!(&script[0].1.commands[0], Command::Simple(s) if s.assignments[0].0 == "A"));
        assert_eq!(script[1].0, Joiner::And);
        assert_eq!(script[2].0, Joiner::Or);
        let heredoc = parse("cat <<-EOF > f\n\tline $X\n\tEOF\necho after").unwrap_or_default();
        assert_eq!(heredoc.len(), 2);
        assert!(matches!(&heredoc[0].1.commands[0], Command::Simple(s)
            if matches!(&s.redirects[0], Redirect::HereDoc { body, expand: true } if body == "line $X\n")));
    }

    #[test]
    fn compound_commands() {
        let script =
            parse("if ! kubectl get sa x\nthen echo no\nelif true; then :\nelse echo yes; fi >out").unwrap_or_default();
        assert_eq!(script.len(), 1);
        let Command::Compound(compound, redirects) = &script[0].1.commands[0] else { panic!("compound") };
        assert_eq!(redirects.len(), 1);
        let Compound::If { branches, otherwise } = compound.as_ref() else { panic!("if") };
        assert_eq!(branches.len(), 2);
        assert!(branches[0].0[0].1.negate);
        assert!(otherwise.is_some());
        let script = parse("for ns in default kube-system; do\n  kubectl get sa -n $ns\ndone").unwrap_or_default();
        assert!(matches!(&script[0].1.commands[0], Command::Compound(c, _)
            if matches!(c.as_ref(), Compound::For { name, words: Some(w), body } if name == "ns" && w.len() == 2 && body.len() == 1)));
        let script = parse("while read x; do echo $x; done <<EOF\na\nEOF\n").unwrap_or_default();
        assert!(matches!(&script[0].1.commands[0], Command::Compound(_, r)
            if matches!(&r[0], Redirect::HereDoc { body, .. } if body == "a\n")));
    }

    #[test]
    fn complete_commands_and_their_source() {
        let source = "echo a; echo b\nif true\nthen echo c\nfi\ncat <<EOF\nx\nEOF\n";
        let spans: Vec<String> = commands(source)
            .map(|c| c.map(|(_, range)| source.get(range).unwrap_or_default().trim_end().to_string()))
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        assert_eq!(spans, ["echo a; echo b", "if true\nthen echo c\nfi", "cat <<EOF\nx\nEOF"]);
    }

    #[test]
    fn incomplete_input_is_told_from_errors() {
        for source in [
            "echo \"a",
            "if true; then",
            "echo a |",
            "echo a &&",
            "cat <<EOF\nline",
            "echo a \\",
            "echo a \\\n",
            "for x in a",
            "echo $(",
            "{ echo",
        ] {
            assert!(is_incomplete(source), "{source:?} wants more lines");
        }
        for source in [
            "echo a",
            "fi",
            "echo a | | b",
            "cat <<EOF\nline\nEOF",
            "echo a \\\\",
            "if true; then :; fi",
            "",
            "# note \\",
            "echo 'a\\'",
        ] {
            assert!(!is_incomplete(source), "{source:?} is complete or wrong");
        }
    }

    #[test]
    fn parameter_operators() {
        let script = parse("echo ${NS:-default} ${X#*.} ${#TOKEN}").unwrap_or_default();
        let Command::Simple(simple) = &script[0].1.commands[0] else { panic!("simple") };
        assert!(
            matches!(&simple.words[1][0], Part::Param { name, op: ParamOp::Default { colon: true }, .. } if name == "NS")
        );
        assert!(matches!(&simple.words[2][0], Part::Param { op: ParamOp::RemovePrefix { longest: false }, .. }));
        assert!(matches!(&simple.words[3][0], Part::Length { name, .. } if name == "TOKEN"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let source = "if true; then ".repeat(500) + &"fi; ".repeat(500);
        assert!(parse(&source).is_err());
        let source = "{ ".repeat(10_000);
        assert!(parse(&source).is_err());
        let source = format!("echo {}a{}", "${X:-".repeat(20_000), "}".repeat(20_000));
        assert!(parse(&source).is_err());
    }
}
