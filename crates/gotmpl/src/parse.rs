//! The parser: Go's `text/template/parse/parse.go` (Go 1.25) rules and
//! messages, over the token vector of [`crate::lex`].
//!
//! Variables are resolved here, as Go does (`undefined variable "$x"`),
//! and every declaration gets an id, so the translator can give each one
//! its own Jinja name and knows which are ever reassigned.

use crate::Limits;
use crate::ast::{
    Command, Control, ControlKind, Define, File, Node, Number, Operand, Pipe, VarId, VarInfo,
};
use crate::error::{Error, line_of};
use crate::lex::{Kind, Lexed, Token, lex};
use crate::literal::{go_quote, number};
use crate::unquote::{unquote, unquote_char};

/// Parses one template file. `funcs` answers whether a name is a function
/// (Go: `function "x" not defined` at parse time).
pub fn parse(
    name: &str,
    src: &str,
    funcs: &dyn crate::Functions,
    limits: &Limits,
) -> Result<File, Error> {
    if src.len() > limits.max_source_bytes {
        return Err(Error::TooLarge {
            name: name.to_owned(),
            size: src.len(),
            limit: limits.max_source_bytes,
        });
    }
    let Lexed { tokens, error } = lex(src);
    let mut p = Parser {
        name,
        src,
        tokens,
        lex_error: error,
        i: 0,
        last: 0,
        funcs,
        limits,
        vars: Vec::new(),
        scope: Vec::new(),
        range_depth: 0,
        depth: 0,
        nodes: 0,
        defines: Vec::new(),
        defined: std::collections::HashSet::new(),
    };
    let root = p.file()?;
    Ok(File {
        root,
        defines: p.defines,
        vars: p.vars,
    })
}

struct Parser<'a> {
    name: &'a str,
    src: &'a str,
    tokens: Vec<Token>,
    lex_error: Option<String>,
    i: usize,
    /// The most recently read token (Go's `t.token[0]`), for error lines.
    last: usize,
    funcs: &'a dyn crate::Functions,
    limits: &'a Limits,
    vars: Vec<VarInfo>,
    /// Variables in scope: (name, id), innermost last.
    scope: Vec<(String, VarId)>,
    range_depth: usize,
    depth: usize,
    nodes: usize,
    defines: Vec<Define>,
    /// Names of the non-empty `defines`, so each new one is checked in
    /// constant time (a scan made 50,000 defines in one file quadratic).
    defined: std::collections::HashSet<String>,
}

type R<T> = Result<T, Error>;

/// What ends an item list.
enum End {
    End,
    Else,
}

impl Parser<'_> {
    fn tok(&self, i: usize) -> Token {
        self.tokens[i.min(self.tokens.len() - 1)]
    }

    fn text(&self, t: Token) -> &str {
        &self.src[t.start..t.end]
    }

    fn next(&mut self) -> Token {
        let t = self.tok(self.i);
        self.last = self.i.min(self.tokens.len() - 1);
        if self.i < self.tokens.len() {
            self.i += 1;
        }
        t
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek(&self) -> Token {
        self.tok(self.i)
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != Kind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf(&self, message: String) -> Error {
        let at = self.tok(self.last).start;
        Error::Parse {
            name: self.name.to_owned(),
            line: line_of(self.src, at),
            message,
        }
    }

    /// Go's `item.String()`.
    fn describe(&self, t: Token) -> String {
        match t.kind {
            Kind::Eof => "EOF".into(),
            Kind::Error => self.lex_error.clone().unwrap_or_default(),
            Kind::Block
            | Kind::Break
            | Kind::Continue
            | Kind::Define
            | Kind::Else
            | Kind::End
            | Kind::If
            | Kind::Range
            | Kind::Template
            | Kind::With
            | Kind::Dot
            | Kind::Nil => format!("<{}>", self.text(t)),
            _ => {
                let v = self.text(t);
                if v.chars().count() > 10 {
                    let short: String = v.chars().take(10).collect();
                    format!("{}...", go_quote(&short))
                } else {
                    go_quote(v)
                }
            }
        }
    }

    fn unexpected(&self, t: Token, context: &str) -> Error {
        if t.kind == Kind::Error {
            return self.errorf(self.describe(t));
        }
        self.errorf(format!("unexpected {} in {context}", self.describe(t)))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> R<Token> {
        let t = self.next_non_space();
        if t.kind != kind {
            return Err(self.unexpected(t, context));
        }
        Ok(t)
    }

    fn count(&mut self) -> R<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(Error::TooManyNodes {
                name: self.name.to_owned(),
                line: line_of(self.src, self.tok(self.last).start),
                limit: self.limits.max_nodes,
            });
        }
        Ok(())
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(Error::TooDeep {
                name: self.name.to_owned(),
                line: line_of(self.src, self.tok(self.last).start),
                limit: self.limits.max_depth,
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn declare(&mut self, name: &str) -> VarId {
        let id = self.vars.len();
        self.vars.push(VarInfo {
            name: name.to_owned(),
            assigned: false,
        });
        self.scope.push((name.to_owned(), id));
        id
    }

    fn lookup(&self, name: &str) -> Option<VarId> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    /// A fresh body (file, define, block): only `$` is in scope.
    fn body<T>(&mut self, f: impl FnOnce(&mut Self, VarId) -> R<T>) -> R<T> {
        let saved_scope = std::mem::take(&mut self.scope);
        let saved_range = std::mem::take(&mut self.range_depth);
        let dollar = self.declare("$");
        let out = f(self, dollar);
        self.scope = saved_scope;
        self.range_depth = saved_range;
        out
    }

    fn file(&mut self) -> R<Vec<Node>> {
        self.body(|p, _| {
            let mut root = Vec::new();
            while p.peek().kind != Kind::Eof {
                if p.peek().kind == Kind::LeftDelim {
                    let at = p.i;
                    p.next();
                    if p.next_non_space().kind == Kind::Define {
                        p.definition()?;
                        continue;
                    }
                    p.i = at;
                }
                match p.text_or_action()? {
                    Item::Node(n) => root.push(n),
                    Item::End => return Err(p.errorf("unexpected {{end}}".into())),
                    Item::Else => return Err(p.errorf("unexpected {{else}}".into())),
                    Item::Nothing => {}
                }
            }
            Ok(root)
        })
    }

    fn template_name(&mut self, t: Token, context: &str) -> R<String> {
        match t.kind {
            Kind::String | Kind::RawString => unquote(self.text(t)).map_err(|m| self.errorf(m)),
            _ => Err(self.unexpected(t, context)),
        }
    }

    fn definition(&mut self) -> R<()> {
        const CONTEXT: &str = "define clause";
        let t = self.next_non_space();
        if !matches!(t.kind, Kind::String | Kind::RawString) {
            return Err(self.unexpected(t, CONTEXT));
        }
        let name = self.template_name(t, CONTEXT)?;
        self.expect(Kind::RightDelim, CONTEXT)?;
        let (body, dollar, end) = self.body(|p, dollar| {
            let (list, end) = p.item_list()?;
            Ok((list, dollar, end))
        })?;
        if !matches!(end, End::End) {
            return Err(self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}")));
        }
        self.add_define(Define {
            name,
            pos: t.start,
            body,
            dollar,
        })
    }

    /// Go's `Tree.add`: a second non-empty definition of a name in one
    /// file is an error.
    fn add_define(&mut self, d: Define) -> R<()> {
        if !d.is_empty(self.src) && !self.defined.insert(d.name.clone()) {
            return Err(self.errorf(format!(
                "template: multiple definition of template {}",
                go_quote(&d.name)
            )));
        }
        self.defines.push(d);
        Ok(())
    }

    fn item_list(&mut self) -> R<(Vec<Node>, End)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::End => return Ok((list, End::End)),
                Item::Else => return Ok((list, End::Else)),
                Item::Nothing => {}
            }
        }
        Err(self.errorf("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> R<Item> {
        self.count()?;
        let t = self.next_non_space();
        match t.kind {
            Kind::Text => Ok(Item::Node(Node::Text(t.start..t.end))),
            Kind::LeftDelim => self.action(),
            _ => Err(self.unexpected(t, "input")),
        }
    }

    fn action(&mut self) -> R<Item> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Block => return self.block(),
            Kind::Break | Kind::Continue => {
                let word = if t.kind == Kind::Break {
                    "break"
                } else {
                    "continue"
                };
                let close = self.next_non_space();
                if close.kind != Kind::RightDelim {
                    return Err(self.unexpected(close, &format!("{{{{{word}}}}}")));
                }
                if self.range_depth == 0 {
                    return Err(self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                return Ok(Item::Node(if t.kind == Kind::Break {
                    Node::Break(t.start)
                } else {
                    Node::Continue(t.start)
                }));
            }
            Kind::Else => {
                let peek = self.peek_non_space();
                if peek.kind != Kind::If && peek.kind != Kind::With {
                    self.expect(Kind::RightDelim, "else")?;
                }
                return Ok(Item::Else);
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Item::End);
            }
            Kind::If => return self.control(ControlKind::If).map(Item::Node),
            Kind::Range => return self.control(ControlKind::Range).map(Item::Node),
            Kind::With => return self.control(ControlKind::With).map(Item::Node),
            Kind::Template => return self.template().map(Item::Node),
            _ => {}
        }
        self.backup();
        // Variables declared here persist until the enclosing {{end}}.
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Item::Node(Node::Action(pipe)))
    }

    fn control(&mut self, kind: ControlKind) -> R<Node> {
        let context = match kind {
            ControlKind::If => "if",
            ControlKind::With => "with",
            ControlKind::Range => "range",
        };
        self.enter()?;
        let mark = self.scope.len();
        let out = self.control_inner(kind, context);
        self.scope.truncate(mark);
        self.leave();
        out
    }

    fn control_inner(&mut self, kind: ControlKind, context: &str) -> R<Node> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if kind == ControlKind::Range {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if kind == ControlKind::Range {
            self.range_depth -= 1;
        }
        let (list, end) = listed?;
        let else_list = match end {
            End::End => None,
            End::Else => {
                let peek = self.peek().kind;
                if kind == ControlKind::If && peek == Kind::If
                    || kind == ControlKind::With && peek == Kind::With
                {
                    self.next();
                    Some(vec![self.control(kind)?])
                } else {
                    let (else_list, end) = self.item_list()?;
                    if !matches!(end, End::End) {
                        return Err(self.errorf("expected end; found {{else}}".into()));
                    }
                    Some(else_list)
                }
            }
        };
        Ok(Node::Control(Box::new(Control {
            kind,
            pipe,
            list,
            else_list,
        })))
    }

    fn template(&mut self) -> R<Node> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(t, CONTEXT)?;
        let pipe = if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            Some(self.pipeline(CONTEXT, Kind::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template {
            pos: t.start,
            name,
            pipe,
        })
    }

    fn block(&mut self) -> R<Item> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Kind::RightDelim)?;
        self.enter()?;
        let parsed = self.body(|p, dollar| {
            let (list, end) = p.item_list()?;
            Ok((list, dollar, end))
        });
        self.leave();
        let (body, dollar, end) = parsed?;
        if !matches!(end, End::End) {
            return Err(self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}")));
        }
        self.add_define(Define {
            name: name.clone(),
            pos: t.start,
            body,
            dollar,
        })?;
        Ok(Item::Node(Node::Template {
            pos: t.start,
            name,
            pipe: Some(pipe),
        }))
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> R<Pipe> {
        self.enter()?;
        let out = self.pipeline_inner(context, end);
        self.leave();
        out
    }

    fn pipeline_inner(&mut self, context: &str, end: Kind) -> R<Pipe> {
        let start = self.peek_non_space();
        let mut decl_names: Vec<(String, usize)> = Vec::new();
        let mut is_assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
        loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let at = self.i;
            self.next_non_space();
            let after = self.peek();
            let next = self.peek_non_space();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    decl_names.push((self.text(v).to_owned(), v.start));
                    break;
                }
                Kind::Char if self.text(next) == "," => {
                    self.next_non_space();
                    decl_names.push((self.text(v).to_owned(), v.start));
                    if context == "range" && decl_names.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => {
                                return Err(
                                    self.errorf("range can only initialize variables".into())
                                );
                            }
                        }
                    }
                    return Err(self.errorf(format!("too many declarations in {context}")));
                }
                _ => {
                    let _ = after;
                    self.i = at;
                    break;
                }
            }
        }
        let mut cmds = Vec::new();
        loop {
            let t = self.next_non_space();
            match t.kind {
                k if k == end => break,
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    cmds.push(self.command()?);
                }
                _ => return Err(self.unexpected(t, context)),
            }
        }
        if cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Operand::Bool(..)
                    | Operand::Dot(_)
                    | Operand::Nil(_)
                    | Operand::Number(..)
                    | Operand::String(..)
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        // The declared names come into scope after their own pipeline.
        let mut decl = Vec::new();
        for (name, _) in decl_names {
            if is_assign {
                match self.lookup(&name) {
                    Some(id) => {
                        self.vars[id].assigned = true;
                        decl.push(id);
                    }
                    None => {
                        return Err(self.errorf(format!("undefined variable {}", go_quote(&name))));
                    }
                }
            } else {
                decl.push(self.declare(&name));
            }
        }
        Ok(Pipe {
            pos: start.start,
            decl,
            is_assign,
            cmds,
        })
    }

    fn command(&mut self) -> R<Command> {
        self.count()?;
        let pos = self.peek_non_space().start;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(o) = self.operand()? {
                args.push(o);
            }
            let t = self.next();
            match t.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return Err(self.unexpected(t, "operand")),
            }
            break;
        }
        if args.is_empty() {
            return Err(self.errorf("empty command".into()));
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> R<Option<Operand>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().start;
        let mut more = Vec::new();
        while self.peek().kind == Kind::Field {
            let t = self.next();
            more.push(self.text(t)[1..].to_owned());
        }
        Ok(Some(match node {
            Operand::Field { mut names, .. } => {
                names.extend(more);
                Operand::Field {
                    pos: chain_pos,
                    names,
                }
            }
            Operand::Variable {
                var,
                name,
                mut fields,
                ..
            } => {
                fields.extend(more);
                Operand::Variable {
                    pos: chain_pos,
                    var,
                    name,
                    fields,
                }
            }
            Operand::Bool(..)
            | Operand::String(..)
            | Operand::Number(..)
            | Operand::Nil(_)
            | Operand::Dot(_) => {
                let mut text = String::new();
                crate::ast::show::operand(&mut text, &node, &self.vars);
                return Err(self.errorf(format!("unexpected . after term {}", go_quote(&text))));
            }
            other => Operand::Chain {
                pos: chain_pos,
                node: Box::new(other),
                fields: more,
            },
        }))
    }

    fn term(&mut self) -> R<Option<Operand>> {
        let t = self.next_non_space();
        let text = self.text(t);
        Ok(Some(match t.kind {
            Kind::Identifier => {
                if !crate::translate::is_builtin(text) && !self.funcs.has(text) {
                    return Err(self.errorf(format!("function {} not defined", go_quote(text))));
                }
                Operand::Ident(t.start, text.to_owned())
            }
            Kind::Dot => Operand::Dot(t.start),
            Kind::Nil => Operand::Nil(t.start),
            Kind::Variable => {
                let name = text.to_owned();
                match self.lookup(&name) {
                    Some(var) => Operand::Variable {
                        pos: t.start,
                        var,
                        name,
                        fields: Vec::new(),
                    },
                    None => {
                        return Err(self.errorf(format!("undefined variable {}", go_quote(&name))));
                    }
                }
            }
            Kind::Field => Operand::Field {
                pos: t.start,
                names: vec![text[1..].to_owned()],
            },
            Kind::Bool => Operand::Bool(t.start, text == "true"),
            Kind::CharConstant => {
                let c = unquote_char(text).map_err(|m| self.errorf(m))?;
                Operand::Number(
                    t.start,
                    Number::Int(i64::from(u32::from(c))),
                    text.to_owned(),
                )
            }
            Kind::Complex => {
                return Err(self.errorf(format!(
                    "complex constant {text} is not supported by rudder"
                )));
            }
            Kind::Number => {
                let n = number(text).map_err(|m| self.errorf(m))?;
                Operand::Number(t.start, n, text.to_owned())
            }
            Kind::LeftParen => {
                let p = self.pipeline("parenthesized pipeline", Kind::RightParen)?;
                Operand::Pipe(t.start, Box::new(p))
            }
            Kind::String | Kind::RawString => {
                let s = unquote(text).map_err(|m| self.errorf(m))?;
                Operand::String(t.start, s, text.to_owned())
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Item {
    Node(Node),
    End,
    Else,
    #[allow(dead_code)]
    Nothing,
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
