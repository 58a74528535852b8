//! The markdown-lite of exercise texts: paragraphs, `- ` and `1. ` lists,
//! `code` and **bold**. Parsed into blocks of spans and rendered as Yew
//! nodes, so the text never becomes HTML (nothing in a file is injected).

use yew::prelude::*;

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Plain text.
    Text(String),
    /// `code`.
    Code(String),
    /// **bold**.
    Bold(String),
}

/// A block of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A list (numbered or not) of items.
    List {
        /// Whether its items are numbered.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Span>>,
    },
}

/// The item text if `line` starts a list item, and whether it is numbered.
fn item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = t.get(digits..).and_then(|r| r.strip_prefix(". ")) {
            return Some((true, rest));
        }
    }
    None
}

/// Splits `text` into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<String>)> = None;
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    let flush_list = |list: &mut Option<(bool, Vec<String>)>, blocks: &mut Vec<Block>| {
        if let Some((ordered, items)) = list.take() {
            blocks.push(Block::List { ordered, items: items.iter().map(|i| inline(i)).collect() });
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
        } else if let Some((ordered, rest)) = item(line) {
            flush_paragraph(&mut paragraph, &mut blocks);
            if list.as_ref().is_some_and(|(o, _)| *o != ordered) {
                flush_list(&mut list, &mut blocks);
            }
            list.get_or_insert_with(|| (ordered, Vec::new())).1.push(rest.trim().to_string());
        } else if let Some((_, items)) = list.as_mut().filter(|_| line.starts_with(' ')) {
            // An indented line continues the last item.
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            flush_list(&mut list, &mut blocks);
            paragraph.push(line.trim());
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

/// Splits a line into plain, `code` and **bold** spans; an unclosed mark
/// stays as text.
pub fn inline(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (mark, make): (&str, fn(String) -> Span) = if rest.starts_with("**") {
            ("**", Span::Bold)
        } else if rest.starts_with('`') {
            ("`", Span::Code)
        } else {
            ("", Span::Text)
        };
        if !mark.is_empty() {
            let after = &rest[mark.len()..];
            if let Some(end) = after.find(mark).filter(|e| *e > 0) {
                if !plain.is_empty() {
                    spans.push(Span::Text(std::mem::take(&mut plain)));
                }
                spans.push(make(after[..end].to_string()));
                rest = &after[end + mark.len()..];
                continue;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            plain.push(c);
        }
        rest = chars.as_str();
    }
    if !plain.is_empty() {
        spans.push(Span::Text(plain));
    }
    spans
}

fn spans(spans: &[Span]) -> Html {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => html! { { t.clone() } },
            Span::Code(t) => html! { <code>{ t.clone() }</code> },
            Span::Bold(t) => html! { <strong>{ t.clone() }</strong> },
        })
        .collect()
}

/// The text as Yew nodes.
pub fn render(text: &str) -> Html {
    parse(text)
        .iter()
        .map(|block| match block {
            Block::Paragraph(s) => html! { <p>{ spans(s) }</p> },
            Block::List { ordered: false, items } => {
                html! { <ul>{ for items.iter().map(|i| html! { <li>{ spans(i) }</li> }) }</ul> }
            }
            Block::List { ordered: true, items } => {
                html! { <ol>{ for items.iter().map(|i| html! { <li>{ spans(i) }</li> }) }</ol> }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Span {
        Span::Text(t.to_string())
    }

    #[test]
    fn code_and_bold_inside_text_and_unclosed_marks_stay() {
        assert_eq!(
            inline("Run `kubectl get sa` **now**, a*b"),
            vec![text("Run "), Span::Code("kubectl get sa".into()), text(" "), Span::Bold("now".into()), text(", a*b")]
        );
        assert_eq!(inline("a `b"), vec![text("a `b")]);
        assert_eq!(inline("**"), vec![text("**")]);
        assert_eq!(inline("<b>é</b>"), vec![text("<b>é</b>")], "HTML is text");
    }

    #[test]
    fn paragraphs_join_lines_and_lists_split_off() {
        let blocks = parse("One\ntwo.\n\n- a\n- b `c`\n  more\n1. x\n2. y\nAfter.");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![text("One two.")]),
                Block::List {
                    ordered: false,
                    items: vec![vec![text("a")], vec![text("b "), Span::Code("c".into()), text(" more")]]
                },
                Block::List { ordered: true, items: vec![vec![text("x")], vec![text("y")]] },
                Block::Paragraph(vec![text("After.")]),
            ]
        );
        assert_eq!(parse(""), vec![]);
    }
}
