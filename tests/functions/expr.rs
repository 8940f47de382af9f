//! A Go-template expression of `cases.tsv` (`trunc 3 (upper "abcdef")`,
//! `(genCA "x" 365).Cert`, `typeOf .Values.n`), parsed and printed in the
//! two calling forms of rudder's Jinja dialect: every call as a Go-order
//! global (`trunc(3, upper("abcdef"))`), and the outermost call as a
//! filter whose input is the argument the inventory's `pipe` names
//! (`(upper("abcdef")) | trunc(3)`). Only what the cases use: calls,
//! parenthesised commands, field chains, string/raw-string/number
//! literals, `true`/`false`/`nil`.

use rudder_render::funcs::{Pipe, known};

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    /// A function call (a bare name is a call without arguments).
    Call(String, Vec<Expr>),
    /// A literal, already in Jinja syntax.
    Lit(String),
    /// `.Values.a.b` (the root's fields).
    Root(Vec<String>),
    /// `(cmd).Field.Other`.
    Field(Box<Expr>, Vec<String>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

/// Parses one Go-template command (no pipes).
pub(crate) fn parse(src: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s: src.as_bytes(),
        i: 0,
    };
    let e = p.command()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("{src:?}: trailing text at byte {}", p.i));
    }
    Ok(e)
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn command(&mut self) -> Result<Expr, String> {
        let mut items = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                None | Some(b')') => break,
                _ => items.push(self.operand()?),
            }
        }
        let mut it = items.into_iter();
        match it.next() {
            Some(Expr::Call(name, a)) if a.is_empty() => Ok(Expr::Call(name, it.collect())),
            Some(e) if it.len() == 0 => Ok(e),
            other => Err(format!("a command must start with a function: {other:?}")),
        }
    }

    fn fields(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while self.peek() == Some(b'.') {
            self.i += 1;
            let start = self.i;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
            {
                self.i += 1;
            }
            out.push(String::from_utf8_lossy(&self.s[start..self.i]).into_owned());
        }
        out
    }

    fn operand(&mut self) -> Result<Expr, String> {
        let c = self.peek().ok_or("unexpected end")?;
        let start = self.i;
        match c {
            b'(' => {
                self.i += 1;
                let e = self.command()?;
                if self.peek() != Some(b')') {
                    return Err("unclosed (".into());
                }
                self.i += 1;
                let f = self.fields();
                Ok(if f.is_empty() {
                    e
                } else {
                    Expr::Field(Box::new(e), f)
                })
            }
            b'.' => Ok(Expr::Root(self.fields())),
            b'"' => {
                self.i += 1;
                while let Some(c) = self.peek() {
                    self.i += 1;
                    match c {
                        b'\\' => self.i += 1,
                        b'"' => break,
                        _ => {}
                    }
                }
                // Go's escapes (\" \\ \n \t \x..) read the same in Jinja.
                Ok(Expr::Lit(
                    String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                ))
            }
            b'`' => {
                self.i += 1;
                while self.peek().is_some_and(|c| c != b'`') {
                    self.i += 1;
                }
                let raw = String::from_utf8_lossy(&self.s[start + 1..self.i]).into_owned();
                self.i += 1;
                Ok(Expr::Lit(
                    serde_json::to_string(&raw).map_err(|e| e.to_string())?,
                ))
            }
            c if c == b'-' || c.is_ascii_digit() => {
                self.i += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'+')
                {
                    self.i += 1;
                }
                Ok(Expr::Lit(
                    String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                ))
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.i += 1;
                }
                let w = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                Ok(match w.as_str() {
                    "true" | "false" => Expr::Lit(w),
                    "nil" => Expr::Lit("none".into()),
                    _ => Expr::Call(w, Vec::new()),
                })
            }
            c => Err(format!("unexpected {:?} at byte {start}", c as char)),
        }
    }
}

fn join(fields: &[String]) -> String {
    fields.iter().map(|f| format!(".{f}")).collect()
}

/// Every call as a Go-order global: `trunc(3, "abcdef")`.
pub(crate) fn global(e: &Expr) -> String {
    match e {
        Expr::Call(name, args) => {
            let a: Vec<String> = args.iter().map(global).collect();
            format!("{name}({})", a.join(", "))
        }
        Expr::Lit(s) => s.clone(),
        Expr::Root(f) => join(f).trim_start_matches('.').to_string(),
        Expr::Field(e, f) => format!("{}{}", global(e), join(f)),
    }
}

/// The outermost call as a filter (`("abcdef") | trunc(3)`), its arguments
/// as globals; `None` where the name has no filter form or nothing to pipe.
pub(crate) fn filter(e: &Expr) -> Option<String> {
    match e {
        Expr::Field(inner, f) => filter(inner).map(|s| format!("({s}){}", join(f))),
        Expr::Call(name, args) => {
            let spec = known(name)?;
            let i = match spec.pipe {
                Pipe::None => return None,
                Pipe::First => 0,
                Pipe::Last => args.len().checked_sub(1)?,
                Pipe::Index(i) => usize::from(i),
            };
            let input = args.get(i)?;
            let rest: Vec<String> = args
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, a)| global(a))
                .collect();
            let call = if rest.is_empty() {
                name.clone()
            } else {
                format!("{name}({})", rest.join(", "))
            };
            Some(format!("({}) | {call}", global(input)))
        }
        _ => None,
    }
}

/// The outermost function name (through field accesses).
pub(crate) fn head(e: &Expr) -> Option<&str> {
    match e {
        Expr::Call(n, _) => Some(n),
        Expr::Field(e, _) => head(e),
        _ => None,
    }
}

/// Every function name called anywhere in `e`.
pub(crate) fn names<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
    match e {
        Expr::Call(n, a) => {
            out.push(n);
            for x in a {
                names(x, out);
            }
        }
        Expr::Field(e, _) => names(e, out),
        _ => {}
    }
}
