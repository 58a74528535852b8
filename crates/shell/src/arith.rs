//! Arithmetic expansion `$(( … ))`: signed 64-bit integers with the C
//! operators the POSIX shell has (`+ - * / %`, comparisons, `&& || !`,
//! bit operators, parentheses), and variable names standing for their
//! values. Errors are worded as dash words them.

use std::collections::BTreeMap;

/// Evaluates `expr` with `vars` (names not set are 0).
pub fn eval(expr: &str, vars: &BTreeMap<String, String>) -> Result<i64, String> {
    evaluate(expr, vars).map_err(|what| match what.strip_prefix("Illegal number") {
        Some(_) => what,
        None => format!("arithmetic expression: {what}: \"{expr}\""),
    })
}

fn evaluate(expr: &str, vars: &BTreeMap<String, String>) -> Result<i64, String> {
    let tokens = tokenize(expr)?;
    let mut parser = Parser { tokens, pos: 0, vars, depth: 0 };
    if parser.tokens.is_empty() {
        return Ok(0);
    }
    let value = parser.binary(0)?;
    if parser.pos < parser.tokens.len() {
        return Err("expecting EOF".to_string());
    }
    Ok(value)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(i64),
    Name(String),
    Op(&'static str),
}

const OPERATORS: [&str; 22] = [
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~", "(",
    ")",
];

fn tokenize(expr: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let value = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                i64::from_str_radix(hex, 16).ok()
            } else if text.len() > 1 && text.starts_with('0') {
                i64::from_str_radix(&text[1..], 8).ok()
            } else {
                text.parse().ok()
            };
            tokens.push(Token::Number(value.ok_or_else(|| "expecting EOF".to_string())?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(**op)) else {
                return Err("expecting primary".to_string());
            };
            i += op.len();
            tokens.push(Token::Op(op));
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    vars: &'a BTreeMap<String, String>,
    depth: usize,
}

fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        _ => return None,
    })
}

impl Parser<'_> {
    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut left = self.unary()?;
        while let Some(Token::Op(op)) = self.tokens.get(self.pos).cloned() {
            let Some(prec) = precedence(op) else { break };
            if prec <= min {
                break;
            }
            self.pos += 1;
            let right = self.binary(prec)?;
            left = apply(op, left, right)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("nested too deeply".to_string());
        }
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        let value = match token {
            Some(Token::Number(n)) => Ok(n),
            Some(Token::Name(name)) => {
                let text = self.vars.get(&name).map(|v| v.trim().to_string()).unwrap_or_default();
                if text.is_empty() {
                    Ok(0)
                } else {
                    text.parse::<i64>().map_err(|_| format!("Illegal number: {text}"))
                }
            }
            Some(Token::Op("-")) => self.unary().map(i64::wrapping_neg),
            Some(Token::Op("+")) => self.unary(),
            Some(Token::Op("!")) => self.unary().map(|v| i64::from(v == 0)),
            Some(Token::Op("~")) => self.unary().map(|v| !v),
            Some(Token::Op("(")) => {
                let value = self.binary(0)?;
                if self.tokens.get(self.pos) != Some(&Token::Op(")")) {
                    return Err("expecting ')'".to_string());
                }
                self.pos += 1;
                Ok(value)
            }
            _ => Err("expecting primary".to_string()),
        };
        self.depth -= 1;
        value
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".to_string()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<<" => a.wrapping_shl(u32::try_from(b & 63).unwrap_or(0)),
        ">>" => a.wrapping_shr(u32::try_from(b & 63).unwrap_or(0)),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        "&&" => i64::from(a != 0 && b != 0),
        "||" => i64::from(a != 0 || b != 0),
        _ => return Err(format!("unknown operator {op}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_evaluate_as_in_sh() {
        let vars: BTreeMap<String, String> = [("N".to_string(), "4".to_string()), ("S".into(), "x".into())].into();
        for (expr, want) in [
            ("1 + 2 * 3", Ok(7)),
            ("(1 + 2) * 3", Ok(9)),
            ("N + 1", Ok(5)),
            ("10 - 4 - 3", Ok(3)),
            ("2 < 3 && N == 4", Ok(1)),
            ("-N % 3", Ok(-1)),
            ("0x10 + 010", Ok(24)),
            ("UNSET + 1", Ok(1)),
            ("", Ok(0)),
            ("1/0", Err("arithmetic expression: division by zero: \"1/0\"".to_string())),
            ("S + 1", Err("Illegal number: x".to_string())),
            ("9223372036854775807 + 1", Ok(i64::MIN)),
        ] {
            assert_eq!(eval(expr, &vars), want, "{expr}");
        }
        assert!(eval("1 +", &vars).is_err());
        assert!(eval(&"(".repeat(10_000), &vars).is_err());
        assert!(eval("1 $ 2", &vars).is_err());
    }
}
