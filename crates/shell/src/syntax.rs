//! The shell's grammar: a POSIX-sh subset parsed into a small syntax tree.
//!
//! Supported: words with `'…'`, `"…"` and `\` quoting; `$VAR`, `${VAR}`,
//! `${#VAR}`, `$?`, `$(…)` and backticks; `VAR=x` assignments before a
//! command; pipelines `|`, lists with `&&`, `||`, `;` and newlines; `#`
//! comments; line continuations; redirections `>`, `>>`, `<`, `2>&1`,
//! `2>file`; here-documents `<<EOF` (expanded), `<<'EOF'` (literal) and
//! `<<-EOF` (leading tabs removed).

/// One piece of a word. `quoted` says whether it stood inside quotes
/// (quoted expansions are not split into fields).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Part {
    /// Literal text; `quoted` text is never split into fields.
    Text { text: String, quoted: bool },
    /// `$NAME` / `${NAME}`.
    Var { name: String, quoted: bool },
    /// `${#NAME}`.
    Length { name: String, quoted: bool },
    /// `$(…)` or backticks, holding the inner source.
    Command { source: String, quoted: bool },
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

/// One command with its assignments and redirections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// `NAME=value` before the command name.
    pub assignments: Vec<(String, Word)>,
    /// The command name and arguments.
    pub words: Vec<Word>,
    /// Redirections, in order.
    pub redirects: Vec<Redirect>,
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
pub type Script = Vec<(Joiner, Vec<Command>)>;

/// A syntax error, worded as Debian's sh (dash) words them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sh: 1: {0}")]
pub struct SyntaxError(pub String);

impl SyntaxError {
    fn new(what: &str) -> Self {
        Self(format!("Syntax error: {what}"))
    }

    fn unexpected(token: &str) -> Self {
        Self::new(&format!("\"{token}\" unexpected"))
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    /// Here-documents waiting for their bodies: (delimiter, strip tabs,
    /// expand, where the body goes: command index, redirect index).
    pending: Vec<(String, bool, bool, usize, usize)>,
    /// Commands finished so far, in document order.
    commands_parsed: usize,
    /// Whether the input ended inside a here-document (before its
    /// delimiter line).
    open_heredoc: bool,
    /// Whether the input ended with a backslash that would join the next
    /// line.
    open_backslash: bool,
    _src: std::marker::PhantomData<&'a str>,
}

/// Parses a script (one or more lines).
pub fn parse(source: &str) -> Result<Script, SyntaxError> {
    Parser::new(source).script()
}

/// Whether `source` is an unfinished command that more lines would
/// complete, where an interactive shell shows its `> ` prompt: an open
/// quote or substitution, a here-document before its delimiter line, a
/// trailing `|`, `&&`, `||` or `\`. A complete command or a real syntax
/// error gives `false`.
pub fn is_incomplete(source: &str) -> bool {
    let mut parser = Parser::new(source);
    match parser.script() {
        Ok(_) => parser.open_heredoc || parser.open_backslash,
        Err(SyntaxError(message)) => {
            message.contains("end of file unexpected")
                || message.ends_with("Unterminated quoted string")
                || message.ends_with("EOF in backquote substitution")
        }
    }
}

fn is_operator_start(c: char) -> bool {
    matches!(c, '|' | '&' | ';' | '<' | '>' | '\n')
}

impl Parser<'_> {
    fn new(source: &str) -> Self {
        Parser {
            chars: source.chars().collect(),
            pos: 0,
            pending: Vec::new(),
            commands_parsed: 0,
            open_heredoc: false,
            open_backslash: false,
            _src: std::marker::PhantomData,
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
        if self.chars[self.pos.min(self.chars.len())..].iter().take(n).copied().eq(s.chars())
            && self.pos + n <= self.chars.len()
        {
            self.pos += n;
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
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn script(&mut self) -> Result<Script, SyntaxError> {
        let mut script: Script = Vec::new();
        let mut joiner = Joiner::Always;
        let mut pipeline: Vec<Command> = Vec::new();
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break };
            if c == '\n' {
                self.pos += 1;
                self.read_heredocs(&mut pipeline, &mut script)?;
                if !pipeline.is_empty() {
                    script.push((joiner, std::mem::take(&mut pipeline)));
                    joiner = Joiner::Always;
                }
                continue;
            }
            if c == ';' {
                self.pos += 1;
                if pipeline.is_empty() {
                    return Err(SyntaxError::unexpected(";"));
                }
                script.push((joiner, std::mem::take(&mut pipeline)));
                joiner = Joiner::Always;
                continue;
            }
            if self.eat("&&") || self.eat("||") {
                let op = if self.chars[self.pos - 1] == '&' { Joiner::And } else { Joiner::Or };
                if pipeline.is_empty() {
                    let shown = if op == Joiner::And { "&&" } else { "||" };
                    return Err(SyntaxError::unexpected(shown));
                }
                script.push((joiner, std::mem::take(&mut pipeline)));
                joiner = op;
                continue;
            }
            if c == '|' {
                self.pos += 1;
                if pipeline.is_empty() {
                    return Err(SyntaxError::unexpected("|"));
                }
                // The next command continues the pipeline, possibly on a
                // later line.
                self.skip_blanks();
                while self.peek() == Some('\n') {
                    self.pos += 1;
                    self.read_heredocs(&mut pipeline, &mut script)?;
                    self.skip_blanks();
                }
                match self.peek() {
                    None => return Err(SyntaxError::new("end of file unexpected")),
                    Some('|') => return Err(SyntaxError::unexpected("|")),
                    Some(';') => return Err(SyntaxError::unexpected(";")),
                    Some('&') => return Err(SyntaxError::unexpected("&")),
                    _ => {}
                }
                let command = self.command()?;
                if command.words.is_empty() && command.assignments.is_empty() {
                    return Err(SyntaxError::new("end of file unexpected"));
                }
                pipeline.push(command);
                continue;
            }
            if c == '&' {
                return Err(SyntaxError("background jobs (&) are not supported here".into()));
            }
            let command = self.command()?;
            if command.words.is_empty() && command.assignments.is_empty() && command.redirects.is_empty() {
                return Err(SyntaxError::unexpected(&c.to_string()));
            }
            if !pipeline.is_empty() {
                return Err(SyntaxError::new("word unexpected"));
            }
            pipeline.push(command);
        }
        self.read_heredocs(&mut pipeline, &mut script)?;

        if !pipeline.is_empty() {
            script.push((joiner, pipeline));
        } else if joiner != Joiner::Always {
            return Err(SyntaxError::new("end of file unexpected"));
        }
        Ok(script)
    }

    /// Reads the bodies of pending here-documents from the lines after the
    /// current position into the commands they belong to.
    fn read_heredocs(&mut self, pipeline: &mut [Command], script: &mut Script) -> Result<(), SyntaxError> {
        let pending = std::mem::take(&mut self.pending);
        for (delimiter, strip_tabs, expand, command_index, redirect_index) in pending {
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
            self.open_heredoc |= !found;
            // The command is either in the open pipeline or already in the
            // script (when the line ended with `;`, `&&` …).
            let all: Vec<&mut Command> =
                script.iter_mut().flat_map(|(_, p)| p.iter_mut()).chain(pipeline.iter_mut()).collect();
            if let Some(command) = all.into_iter().nth(command_index) {
                if let Some(Redirect::HereDoc { body: b, expand: e }) = command.redirects.get_mut(redirect_index) {
                    *b = body;
                    *e = expand;
                }
            }
        }
        Ok(())
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        let mut command = Command::default();
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break };
            // Redirections, with an optional fd digit.
            let fd_digit = c.is_ascii_digit() && matches!(self.peek_at(1), Some('<' | '>'));
            if c == '<' || c == '>' || fd_digit {
                let fd = if fd_digit {
                    self.pos += 1;
                    u8::try_from(c.to_digit(10).unwrap_or(1)).unwrap_or(1)
                } else if c == '<' {
                    0
                } else {
                    1
                };
                if self.eat("<<") {
                    let strip_tabs = self.eat("-");
                    self.skip_blanks();
                    let word = self.word()?;
                    if word.is_empty() {
                        return Err(SyntaxError::new("newline unexpected"));
                    }
                    let expand = word.iter().all(|p| matches!(p, Part::Text { quoted: false, .. }));
                    let delimiter: String = word
                        .iter()
                        .map(|p| match p {
                            Part::Text { text, .. } => text.clone(),
                            Part::Var { name, .. } => format!("${name}"),
                            Part::Length { name, .. } => format!("${{#{name}}}"),
                            Part::Command { source, .. } => format!("$({source})"),
                        })
                        .collect();
                    command.redirects.push(Redirect::HereDoc { body: String::new(), expand });
                    let index = self.commands_parsed;
                    self.pending.push((delimiter, strip_tabs, expand, index, command.redirects.len() - 1));
                    continue;
                }
                if self.eat(">&") {
                    let to =
                        self.peek().and_then(|d| d.to_digit(10)).ok_or_else(|| SyntaxError::new("Bad fd number"))?;
                    self.pos += 1;
                    command.redirects.push(Redirect::Dup { fd, to: u8::try_from(to).unwrap_or(1) });
                    continue;
                }
                let append = self.eat(">>");
                if !append {
                    self.pos += 1;
                }
                self.skip_blanks();
                let target = self.word()?;
                if target.is_empty() {
                    return Err(SyntaxError::new("newline unexpected"));
                }
                if c == '<' {
                    command.redirects.push(Redirect::In { target });
                } else {
                    command.redirects.push(Redirect::Out { fd, target, append });
                }
                continue;
            }
            if is_operator_start(c) {
                break;
            }
            let word = self.word()?;
            if word.is_empty() {
                break;
            }
            // NAME=value before the command name is an assignment.
            if command.words.is_empty() {
                if let Some(Part::Text { text, quoted: false }) = word.first() {
                    if let Some((name, rest)) = text.split_once('=') {
                        let valid = !name.is_empty()
                            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                            && !name.starts_with(|c: char| c.is_ascii_digit());
                        if valid {
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
        self.commands_parsed += 1;
        Ok(command)
    }

    /// Reads one word (possibly empty when at an operator or the end).
    fn word(&mut self) -> Result<Word, SyntaxError> {
        let mut parts: Word = Vec::new();
        let mut text = String::new();
        let flush = |text: &mut String, parts: &mut Word, quoted: bool| {
            if !text.is_empty() || quoted {
                parts.push(Part::Text { text: std::mem::take(text), quoted });
            }
        };
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '|' | '&' | '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
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
                        return Err(SyntaxError::new("Unterminated quoted string"));
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

    fn double_quoted(&mut self, parts: &mut Word) -> Result<(), SyntaxError> {
        let mut text = String::new();
        let mut any = false;
        loop {
            match self.peek() {
                None => return Err(SyntaxError::new("Unterminated quoted string")),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.peek_at(1), Some('$' | '`' | '"' | '\\' | '\n')) => {
                    if self.peek_at(1) != Some('\n') {
                        text.push(self.peek_at(1).unwrap_or('\\'));
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
                return Err(SyntaxError::new("EOF in backquote substitution"));
            }
            let source: String = self.chars[start..self.pos].iter().collect();
            self.pos += 1;
            return Ok(Some(Part::Command { source, quoted }));
        }
        self.pos += 1; // '$'
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let start = self.pos;
                let mut depth = 1;
                let mut in_single = false;
                while let Some(c) = self.peek() {
                    match c {
                        '\'' => in_single = !in_single,
                        '(' if !in_single => depth += 1,
                        ')' if !in_single => {
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
                    return Err(SyntaxError::new("end of file unexpected (expecting \")\")"));
                }
                let source: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                Ok(Some(Part::Command { source, quoted }))
            }
            Some('{') => {
                self.pos += 1;
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '}') {
                    self.pos += 1;
                }
                if self.peek().is_none() {
                    return Err(SyntaxError::new("Missing '}'"));
                }
                let inner: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                match inner.strip_prefix('#') {
                    Some(name) if !name.is_empty() => Ok(Some(Part::Length { name: name.to_string(), quoted })),
                    _ if inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !inner.is_empty() => {
                        Ok(Some(Part::Var { name: inner, quoted }))
                    }
                    _ => Err(SyntaxError("Bad substitution".to_string())),
                }
            }
            Some('?') => {
                self.pos += 1;
                Ok(Some(Part::Var { name: "?".to_string(), quoted }))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_like_dash() {
        let rows = [
            ("echo \"a", "sh: 1: Syntax error: Unterminated quoted string"),
            ("echo a | | cat", "sh: 1: Syntax error: \"|\" unexpected"),
            ("echo a &&", "sh: 1: Syntax error: end of file unexpected"),
            ("&& b", "sh: 1: Syntax error: \"&&\" unexpected"),
            ("echo ${a", "sh: 1: Syntax error: Missing '}'"),
            ("echo $(echo a", "sh: 1: Syntax error: end of file unexpected (expecting \")\")"),
            ("echo ${%x}", "sh: 1: Bad substitution"),
            ("; x", "sh: 1: Syntax error: \";\" unexpected"),
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
        assert_eq!(script[0].1.len(), 2, "a two-command pipeline");
        assert_eq!(script[0].1[0].assignments[0].0, "A");
        assert_eq!(script[1].0, Joiner::And);
        assert_eq!(script[2].0, Joiner::Or);
        let heredoc = parse("cat <<-EOF > f\n\tline $X\n\tEOF\necho after").unwrap_or_default();
        assert_eq!(heredoc.len(), 2);
        assert!(
            matches!(&heredoc[0].1[0].redirects[0], Redirect::HereDoc { body, expand: true } if body == "line $X\n")
        );
    }

    #[test]
    fn incomplete_input_asks_for_more_lines() {
        let rows = [
            ("echo 'a", true),
            ("echo \"a", true),
            ("echo $(date", true),
            ("echo `date", true),
            ("echo a |", true),
            ("echo a &&", true),
            ("echo a ||", true),
            ("echo a \\", true),
            ("cat <<EOF", true),
            ("cat <<EOF\nhello", true),
            ("cat <<-END > f\n\tx\n\tEND", false),
            ("cat <<EOF\nhello\nEOF", false),
            ("echo a |\n  cat", false),
            ("echo a \\\\", false),
            ("echo a # comment \\", false),
            ("echo 'a\\'", false),
            ("echo a\\\\\\", true),
            ("echo a", false),
            ("", false),
            ("# just a comment", false),
            ("echo a | | cat", false),
            ("echo ${a", false),
            ("&& b", false),
        ];
        for (source, want) in rows {
            assert_eq!(is_incomplete(source), want, "{source:?}");
        }
    }

    #[test]
    fn a_pipeline_continues_after_a_newline() {
        let script = parse("echo a |\n\n  cat <<EOF |\nbody\nEOF\n  cat").unwrap_or_default();
        assert_eq!(script.len(), 1);
        assert_eq!(script[0].1.len(), 3);
        assert!(matches!(&script[0].1[1].redirects[0], Redirect::HereDoc { body, .. } if body == "body\n"));
    }
}
