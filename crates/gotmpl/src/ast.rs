//! The syntax tree of a Go template file, as Go's `text/template/parse`
//! builds it. Positions are byte offsets into the file's source.

/// A variable declaration's index in [`File::vars`].
pub type VarId = usize;

/// One parsed template file: its own body and the templates it defines
/// (`define` and `block`), in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The file's own body.
    pub root: Vec<Node>,
    /// Named templates defined in the file.
    pub defines: Vec<Define>,
    /// Every variable declaration of the file (`$` of each body included).
    pub vars: Vec<VarInfo>,
}

/// A `{{define "name"}}` (or `{{block "name" …}}`) body.
#[derive(Debug, Clone, PartialEq)]
pub struct Define {
    /// The template's name.
    pub name: String,
    /// Where the name is.
    pub pos: usize,
    /// The body.
    pub body: Vec<Node>,
    /// The body's `$`.
    pub dollar: VarId,
}

impl Define {
    /// Go's `IsEmptyTree`: only spaces and comments. An empty definition
    /// never replaces a non-empty one of the same name.
    pub fn is_empty(&self, src: &str) -> bool {
        is_empty_list(&self.body, src)
    }
}

fn is_empty_list(list: &[Node], src: &str) -> bool {
    list.iter().all(|n| match n {
        Node::Text(r) => src[r.clone()]
            .trim_matches([' ', '\t', '\r', '\n'])
            .is_empty(),
        _ => false,
    })
}

/// What is known about one declared variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarInfo {
    /// Its name, `$` included.
    pub name: String,
    /// Whether any `$x = …` assigns it after its declaration.
    pub assigned: bool,
}

/// A node of a template body.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Literal text (already trimmed by `{{-`/`-}}`): a range of the source.
    Text(std::ops::Range<usize>),
    /// `{{pipeline}}`: prints the value unless the pipeline declares.
    Action(Pipe),
    /// `{{if}}`, `{{with}}` or `{{range}}`.
    Control(Box<Control>),
    /// `{{template "name" pipeline}}` (and the call half of `block`).
    Template {
        /// Where the name is.
        pos: usize,
        /// The template called.
        name: String,
        /// Its dot, `nil` when absent.
        pipe: Option<Pipe>,
    },
    /// `{{break}}`
    Break(usize),
    /// `{{continue}}`
    Continue(usize),
}

impl Node {
    /// Where the node starts in the source (a control's pipeline, a
    /// template call's name).
    pub fn pos(&self) -> usize {
        match self {
            Node::Text(r) => r.start,
            Node::Action(p) => p.pos,
            Node::Control(c) => c.pipe.pos,
            Node::Template { pos, .. } | Node::Break(pos) | Node::Continue(pos) => *pos,
        }
    }
}

/// Which control structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlKind {
    /// `if`
    If,
    /// `with`
    With,
    /// `range`
    Range,
}

/// `{{if|with|range pipeline}} list {{else}} else_list {{end}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// Which structure.
    pub kind: ControlKind,
    /// The tested (or ranged) pipeline.
    pub pipe: Pipe,
    /// The body.
    pub list: Vec<Node>,
    /// The `else` body; `else if`/`else with` are an `if`/`with` inside it.
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline: optional declarations, then commands joined by `|`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    /// Where it starts.
    pub pos: usize,
    /// `$x :=`/`$x =` (two in `range $i, $v :=`).
    pub decl: Vec<VarId>,
    /// `=` rather than `:=`.
    pub is_assign: bool,
    /// The commands.
    pub cmds: Vec<Command>,
}

/// One command: operands separated by spaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Where it starts (Go reports call errors here).
    pub pos: usize,
    /// Its operands; the first is the function, method or value.
    pub args: Vec<Operand>,
}

/// A number literal, converted as Go's `idealConstant` does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An `int`.
    Int(i64),
    /// A `float64` (the text has `.`, `e` or `p`).
    Float(f64),
    /// Fits only a `uint64`: Go fails at run time (`… overflows int`).
    Uint(u64),
}

/// An operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `.A.B`: fields of dot. `pos` is Go's (the second field's, if any).
    Field {
        /// Go's position of the node.
        pos: usize,
        /// The field names.
        names: Vec<String>,
    },
    /// `$x.A.B`.
    Variable {
        /// Go's position of the node.
        pos: usize,
        /// The declaration it refers to.
        var: VarId,
        /// The variable's name (`$x`).
        name: String,
        /// Fields after it.
        fields: Vec<String>,
    },
    /// `(pipeline).A.B`.
    Chain {
        /// Go's position of the node (the first field's).
        pos: usize,
        /// The parenthesised pipeline.
        node: Box<Operand>,
        /// Fields after it.
        fields: Vec<String>,
    },
    /// `.`
    Dot(usize),
    /// `nil`
    Nil(usize),
    /// `true`/`false`
    Bool(usize, bool),
    /// A number or character constant, with its text.
    Number(usize, Number, String),
    /// A string literal: its value and its text as written.
    String(usize, String, String),
    /// A function name.
    Ident(usize, String),
    /// `(pipeline)`.
    Pipe(usize, Box<Pipe>),
}

impl Operand {
    /// Where Go says the node is.
    pub fn pos(&self) -> usize {
        match self {
            Operand::Field { pos, .. }
            | Operand::Variable { pos, .. }
            | Operand::Chain { pos, .. }
            | Operand::Dot(pos)
            | Operand::Nil(pos)
            | Operand::Bool(pos, _)
            | Operand::Number(pos, ..)
            | Operand::String(pos, ..)
            | Operand::Ident(pos, _)
            | Operand::Pipe(pos, _) => *pos,
        }
    }
}

/// Go's `String()` of nodes: the text errors quote (`at <.Values.a>`).
pub(crate) mod show {
    use super::{Command, Operand, Pipe};
    use std::fmt::Write;

    fn fields(out: &mut String, names: &[String]) {
        for n in names {
            out.push('.');
            out.push_str(n);
        }
    }

    pub(crate) fn operand(out: &mut String, o: &Operand, vars: &[super::VarInfo]) {
        match o {
            Operand::Field { names, .. } => fields(out, names),
            Operand::Variable {
                name, fields: f, ..
            } => {
                out.push_str(name);
                fields(out, f);
            }
            Operand::Chain {
                node, fields: f, ..
            } => {
                match node.as_ref() {
                    Operand::Pipe(_, p) => {
                        out.push('(');
                        pipe(out, p, vars);
                        out.push(')');
                    }
                    other => operand(out, other, vars),
                }
                fields(out, f);
            }
            Operand::Dot(_) => out.push('.'),
            Operand::Nil(_) => out.push_str("nil"),
            Operand::Bool(_, b) => {
                let _ = write!(out, "{b}");
            }
            Operand::Number(_, _, text) | Operand::String(_, _, text) => out.push_str(text),
            Operand::Ident(_, name) => out.push_str(name),
            Operand::Pipe(_, p) => pipe(out, p, vars),
        }
    }

    pub(crate) fn command(out: &mut String, c: &Command, vars: &[super::VarInfo]) {
        for (i, a) in c.args.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if let Operand::Pipe(_, p) = a {
                out.push('(');
                pipe(out, p, vars);
                out.push(')');
            } else {
                operand(out, a, vars);
            }
        }
    }

    pub(crate) fn pipe(out: &mut String, p: &Pipe, vars: &[super::VarInfo]) {
        if !p.decl.is_empty() {
            for (i, v) in p.decl.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(vars.get(*v).map_or("$", |v| v.name.as_str()));
            }
            out.push_str(if p.is_assign { " = " } else { " := " });
        }
        for (i, c) in p.cmds.iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            command(out, c, vars);
        }
    }
}
