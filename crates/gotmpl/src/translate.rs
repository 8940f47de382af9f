//! The translator: a parsed Go template file into minijinja source.
//!
//! Go's semantics are kept by construction, not approximated:
//!
//! * Dot is tracked at compile time as a Jinja expression: `ctx` at the
//!   top of a file or define, a fresh temporary inside `with`, the loop
//!   variable inside `range`. `$` is always `ctx`, which is never rebound.
//! * Every Go variable declaration gets its own Jinja name (`__v3`), so
//!   Go's block scoping and shadowing survive Jinja's flat `if` scope; a
//!   variable that is ever reassigned (`$x = …`) is a `namespace`, so the
//!   assignment is seen after the `range` iteration that made it.
//! * Field access, method calls, comparisons, `len`, `index`, `print`,
//!   ranging and so on call runtime helpers ([`helpers`]) that implement
//!   Go's rules; `and`/`or`/`not` are Jinja's, which short-circuit and
//!   return operands exactly as Go 1.18+ does.
//! * Every other function `f a b` (with a piped value `x`) becomes
//!   `f(a, b, x)`: a global under its Helm name, taking Go's arguments in
//!   Go's order.
//!
//! Each emitted expression that can fail is recorded in a [`SourceMap`]
//! with the Go node it came from, so a runtime error can name the Go file,
//! line, column and action as Go does.

use std::fmt::Write;

use crate::ast::{
    Command, Control, ControlKind, File, Node, Number, Operand, Pipe, VarId, VarInfo, show,
};
use crate::error::Error;

/// The runtime helpers translated templates call. The render crate
/// registers a function under each name.
pub mod helpers {
    /// `__gf(base, "A", "B")`: Go's field chain `.A.B` on `base` (dot or a
    /// field): a nil receiver is an error (`nil pointer evaluating
    /// interface {}.B`), zero-argument methods of Helm's objects are
    /// called.
    pub const FIELD: &str = "__gf";
    /// `__gfv(base, "A")`: the same chain on a variable or parenthesised
    /// value, where Go yields no value instead of failing on a nil base.
    pub const FIELD_VAR: &str = "__gfv";
    /// `__gm(receiver, "Name", args…)`: a method called with arguments
    /// (`.Files.Get "x"`, `.Capabilities.APIVersions.Has "v1"`).
    pub const METHOD: &str = "__gm";
    /// `__gprint(args…)`: Go's `fmt.Sprint`.
    pub const PRINT: &str = "__gprint";
    /// `__gprintln(args…)`: Go's `fmt.Sprintln`.
    pub const PRINTLN: &str = "__gprintln";
    /// `__gprintf(format, args…)`: Go's `fmt.Sprintf`.
    pub const PRINTF: &str = "__gprintf";
    /// `__geq(a, b, …)`: Go's `eq` (true when `a` equals any other).
    pub const EQ: &str = "__geq";
    /// `__gne(a, b)`
    pub const NE: &str = "__gne";
    /// `__glt(a, b)`
    pub const LT: &str = "__glt";
    /// `__gle(a, b)`
    pub const LE: &str = "__gle";
    /// `__ggt(a, b)`
    pub const GT: &str = "__ggt";
    /// `__gge(a, b)`
    pub const GE: &str = "__gge";
    /// `__glen(x)`: Go's `len` (bytes of a string).
    pub const LEN: &str = "__glen";
    /// `__gindex(x, keys…)`
    pub const INDEX: &str = "__gindex";
    /// `__grange(x)`: `[key, value]` pairs: a map's in sorted key order, a
    /// list's with their index, `0..n` for an integer.
    pub const RANGE_PAIRS: &str = "__grange";
    /// `__grange1(x)`: the values `__grange` pairs hold.
    pub const RANGE_VALUES: &str = "__grange1";
    /// `__gtemplate("name", dot)`: `{{template "name" dot}}`.
    pub const TEMPLATE: &str = "__gtemplate";
    /// `__ghtml(args…)`
    pub const HTML: &str = "__ghtml";
    /// `__gjs(args…)`
    pub const JS: &str = "__gjs";
    /// `__gurlquery(args…)`
    pub const URLQUERY: &str = "__gurlquery";
    /// `__gcall(f, args…)`
    pub const CALL: &str = "__gcall";
    /// `__gerr("message")`: an error Go raises at run time for something
    /// the parser accepts (`nil is not a command`).
    pub const ERROR: &str = "__gerr";
}

/// Go's builtin functions: always defined, translated to helpers. `slice`
/// is not among them: Helm's function map replaces it with Sprig's.
pub const BUILTINS: &[&str] = &[
    "and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or",
    "print", "printf", "println", "urlquery",
];

/// Whether `name` is one of Go's builtin template functions.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// How a function that is not a Go builtin is called from Jinja.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `name(args…, piped)`: a global taking Go's arguments in Go's order
    /// (the contract with the function library).
    Global,
    /// `(subject | name(others…))`: a Jinja filter whose input is one of
    /// Go's arguments and whose other arguments keep Go's order.
    Filter(Subject),
}

/// Which of Go's arguments is a filter's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The last (where Go's pipe puts a value).
    Last,
    /// The first (`hasKey $m "k"`, `append $l 1`).
    First,
    /// The second (`regexReplaceAll re s repl`).
    Second,
}

/// The functions a template may call besides Go's builtins.
pub trait Functions {
    /// Whether `name` is defined (Go: `function "x" not defined` at parse
    /// time).
    fn has(&self, name: &str) -> bool;
    /// How to call it; [`Call::Global`] unless told otherwise.
    fn call(&self, _name: &str) -> Call {
        Call::Global
    }
}

impl<F: Fn(&str) -> bool> Functions for F {
    fn has(&self, name: &str) -> bool {
        self(name)
    }
}

/// One translated template (a file's body or one define).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// minijinja source.
    pub source: String,
    /// Where its expressions came from.
    pub map: SourceMap,
}

/// One translated define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefineOutput {
    /// The template's name.
    pub name: String,
    /// Go's `IsEmptyTree` of the body: an empty definition never replaces
    /// a non-empty one.
    pub empty: bool,
    /// The translated body.
    pub output: Output,
}

/// A whole file: its body and its defines in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The file's own body.
    pub main: Output,
    /// Its defines and blocks.
    pub defines: Vec<DefineOutput>,
}

/// Emitted expressions and the Go nodes they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    spans: Vec<Span>,
}

/// One emitted expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in the Jinja source.
    pub jinja: std::ops::Range<usize>,
    /// Go's position of the node (byte offset in the Go file).
    pub go_pos: usize,
    /// Go's `String()` of the node: `at <…>` in error messages.
    pub context: String,
    /// The function called, when the expression is a function call: Go
    /// wraps its errors as `error calling NAME: …`.
    pub func: Option<String>,
}

impl SourceMap {
    /// The innermost recorded expression containing the Jinja byte range
    /// `at` (what minijinja reports for an error).
    pub fn find(&self, at: std::ops::Range<usize>) -> Option<&Span> {
        self.spans
            .iter()
            .filter(|s| s.jinja.start <= at.start && at.end <= s.jinja.end)
            .min_by_key(|s| s.jinja.end - s.jinja.start)
            .or_else(|| {
                // minijinja may report a narrower or shifted range: the
                // innermost expression containing its start.
                self.spans
                    .iter()
                    .filter(|s| s.jinja.start <= at.start && at.start < s.jinja.end)
                    .min_by_key(|s| s.jinja.end - s.jinja.start)
            })
    }

    /// Every span, in emission order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }
}

/// Translates a parsed file. `src` must be the text it was parsed from.
pub fn translate_file(file: &File, src: &str, funcs: &dyn Functions) -> Result<Translation, Error> {
    let main = Translator::new(file, src, funcs).body(&file.root)?;
    let mut defines = Vec::with_capacity(file.defines.len());
    for d in &file.defines {
        defines.push(DefineOutput {
            name: d.name.clone(),
            empty: d.is_empty(src),
            output: Translator::new(file, src, funcs).body(&d.body)?,
        });
    }
    Ok(Translation { main, defines })
}

/// A translated expression not yet placed, with its spans relative to its
/// start.
struct Expr {
    text: String,
    spans: Vec<Span>,
}

struct Translator<'a> {
    src: &'a str,
    funcs: &'a dyn Functions,
    vars: &'a [VarInfo],
    out: String,
    spans: Vec<Span>,
    dot: String,
    /// Dot is a range element: Go holds it as an interface, and a field
    /// of a nil one fails (rather than yielding no value).
    dot_elem: bool,
    /// Variables bound to range elements, likewise.
    elem_vars: Vec<bool>,
    temps: usize,
}

type R<T> = Result<T, Error>;

impl<'a> Translator<'a> {
    fn new(file: &'a File, src: &'a str, funcs: &'a dyn Functions) -> Self {
        Translator {
            src,
            funcs,
            vars: &file.vars,
            out: String::with_capacity(src.len() * 2),
            spans: Vec::new(),
            dot: "ctx".to_owned(),
            dot_elem: false,
            elem_vars: vec![false; file.vars.len()],
            temps: 0,
        }
    }

    fn body(mut self, list: &[Node]) -> R<Output> {
        self.list(list)?;
        Ok(Output {
            source: self.out,
            map: SourceMap { spans: self.spans },
        })
    }

    fn temp(&mut self, prefix: &str) -> String {
        self.temps += 1;
        format!("__{prefix}{}", self.temps)
    }

    fn is_dollar(&self, id: VarId) -> bool {
        self.vars.get(id).is_some_and(|v| v.name == "$")
    }

    /// The Jinja expression reading variable `id`.
    fn var(&self, id: VarId) -> String {
        if self.is_dollar(id) {
            return "ctx".to_owned();
        }
        if self.vars[id].assigned {
            format!("__v{id}.v")
        } else {
            format!("__v{id}")
        }
    }

    /// `{% set %}` declaring variable `id` with the Jinja expression `e`.
    fn declare(&mut self, id: VarId, e: &str) {
        if self.vars[id].assigned {
            let _ = write!(self.out, "{{% set __v{id} = namespace(v={e}) %}}");
        } else {
            let _ = write!(self.out, "{{% set __v{id} = {e} %}}");
        }
    }

    /// `{% set %}` assigning an existing variable (`$x = …`).
    fn assign(&mut self, id: VarId, e: &str) {
        let _ = write!(self.out, "{{% set __v{id}.v = {e} %}}");
    }

    fn list(&mut self, list: &[Node]) -> R<()> {
        for n in list {
            self.node(n)?;
        }
        Ok(())
    }

    fn text(&mut self, t: &str) {
        if t.contains("{%") || t.contains("{#") || t.contains("{{") || t.ends_with('{') {
            self.out.push_str("{{ ");
            jinja_string(&mut self.out, t);
            self.out.push_str(" }}");
        } else {
            self.out.push_str(t);
        }
    }

    fn node(&mut self, n: &Node) -> R<()> {
        match n {
            Node::Text(r) => {
                let t = &self.src[r.clone()];
                self.text(t);
            }
            Node::Action(pipe) => {
                if pipe.decl.is_empty() {
                    self.out.push_str("{{ ");
                    self.pipe(pipe)?;
                    self.out.push_str(" }}");
                } else {
                    let e = self.pipe_to_string(pipe)?;
                    self.bind(pipe, &e);
                }
            }
            Node::Control(c) => self.control(c)?,
            Node::Template { pos, name, pipe } => {
                let mut context = String::from("{{template ");
                context.push_str(&crate::parse::go_quote(name));
                if let Some(p) = pipe {
                    context.push(' ');
                    show::pipe(&mut context, p, self.vars);
                }
                context.push_str("}}");
                self.out.push_str("{{ ");
                let start = self.out.len();
                let _ = write!(self.out, "{}(", helpers::TEMPLATE);
                jinja_string(&mut self.out, name);
                self.out.push_str(", ");
                match pipe {
                    Some(p) => self.pipe(p)?,
                    None => self.out.push_str("none"),
                }
                self.out.push(')');
                self.record(start, *pos, context);
                self.out.push_str(" }}");
            }
            Node::Break(_) => self.out.push_str("{% break %}"),
            Node::Continue(_) => self.out.push_str("{% continue %}"),
        }
        Ok(())
    }

    /// Binds a pipeline's declared (or assigned) variables to `e`.
    fn bind(&mut self, pipe: &Pipe, e: &Expr) {
        for &id in &pipe.decl {
            let assigned = self.vars[id].assigned;
            if pipe.is_assign {
                let _ = write!(self.out, "{{% set __v{id}.v = ");
                self.place(e);
                self.out.push_str(" %}");
            } else if assigned {
                let _ = write!(self.out, "{{% set __v{id} = namespace(v=");
                self.place(e);
                self.out.push_str(") %}");
            } else {
                let _ = write!(self.out, "{{% set __v{id} = ");
                self.place(e);
                self.out.push_str(" %}");
            }
        }
    }

    /// Translates a pipeline aside, to be placed later with [`Self::place`].
    fn pipe_to_string(&mut self, pipe: &Pipe) -> R<Expr> {
        let mark = self.out.len();
        let spans = self.spans.len();
        self.pipe(pipe)?;
        let text = self.out[mark..].to_owned();
        self.out.truncate(mark);
        let spans = self
            .spans
            .drain(spans..)
            .map(|mut s| {
                s.jinja.start -= mark;
                s.jinja.end -= mark;
                s
            })
            .collect();
        Ok(Expr { text, spans })
    }

    fn control(&mut self, c: &Control) -> R<()> {
        match c.kind {
            ControlKind::If => {
                let e = self.pipe_to_string(&c.pipe)?;
                self.out.push_str("{% if ");
                if c.pipe.decl.is_empty() {
                    self.place(&e);
                } else {
                    self.out.truncate(self.out.len() - "{% if ".len());
                    self.bind(&c.pipe, &e);
                    let v = self.var(c.pipe.decl[0]);
                    let _ = write!(self.out, "{{% if {v}");
                }
                self.out.push_str(" %}");
                self.list(&c.list)?;
                self.else_of_if(c.else_list.as_deref())?;
                self.out.push_str("{% endif %}");
            }
            ControlKind::With => {
                let e = self.pipe_to_string(&c.pipe)?;
                let w = self.temp("w");
                let _ = write!(self.out, "{{% set {w} = ");
                self.place(&e);
                self.out.push_str(" %}");
                let w_expr = Expr {
                    text: w.clone(),
                    spans: Vec::new(),
                };
                self.bind(&c.pipe, &w_expr);
                let _ = write!(self.out, "{{% if {w} %}}");
                let outer = std::mem::replace(&mut self.dot, w);
                let outer_elem = std::mem::replace(&mut self.dot_elem, false);
                let body = self.list(&c.list);
                self.dot = outer;
                self.dot_elem = outer_elem;
                body?;
                if let Some(else_list) = &c.else_list {
                    self.out.push_str("{% else %}");
                    self.list(else_list)?;
                }
                self.out.push_str("{% endif %}");
            }
            ControlKind::Range => self.range(c)?,
        }
        Ok(())
    }

    /// `{{else if}}` chains become `{% elif %}` (no nesting to grow
    /// minijinja's parser stack); anything else a nested block.
    fn else_of_if(&mut self, else_list: Option<&[Node]>) -> R<()> {
        let Some(else_list) = else_list else {
            return Ok(());
        };
        if let [Node::Control(inner)] = else_list
            && inner.kind == ControlKind::If
            && inner.pipe.decl.is_empty()
        {
            let e = self.pipe_to_string(&inner.pipe)?;
            self.out.push_str("{% elif ");
            self.place(&e);
            self.out.push_str(" %}");
            self.list(&inner.list)?;
            return self.else_of_if(inner.else_list.as_deref());
        }
        self.out.push_str("{% else %}");
        self.list(else_list)
    }

    fn range(&mut self, c: &Control) -> R<()> {
        let e = self.pipe_to_string(&c.pipe)?;
        let (go_pos, context) = self.last_node(&c.pipe);
        let decl = &c.pipe.decl;
        let elem = self.temp("e");
        match decl.len() {
            0 | 1 => {
                let _ = write!(self.out, "{{% for {elem} in ");
                let start = self.out.len();
                let _ = write!(self.out, "{}(", helpers::RANGE_VALUES);
                self.place(&e);
                self.out.push(')');
                self.record(start, go_pos, context);
                self.out.push_str(" %}");
                if let Some(&v) = decl.first() {
                    if c.pipe.is_assign {
                        self.assign(v, &elem);
                    } else {
                        self.declare(v, &elem);
                    }
                }
            }
            _ => {
                let key = self.temp("k");
                let _ = write!(self.out, "{{% for {key}, {elem} in ");
                let start = self.out.len();
                let _ = write!(self.out, "{}(", helpers::RANGE_PAIRS);
                self.place(&e);
                self.out.push(')');
                self.record(start, go_pos, context.clone());
                self.out.push_str(" %}");
                if c.pipe.is_assign {
                    self.assign(decl[0], &key);
                    self.assign(decl[1], &elem);
                } else {
                    self.declare(decl[0], &key);
                    self.declare(decl[1], &elem);
                }
            }
        }
        if let Some(&v) = decl.last() {
            self.elem_vars[v] = true;
        }
        let outer = std::mem::replace(&mut self.dot, elem);
        let outer_elem = std::mem::replace(&mut self.dot_elem, true);
        let body = self.list(&c.list);
        self.dot = outer;
        self.dot_elem = outer_elem;
        body?;
        if let Some(else_list) = &c.else_list {
            self.out.push_str("{% else %}");
            self.list(else_list)?;
        }
        self.out.push_str("{% endfor %}");
        Ok(())
    }

    /// Emits an expression made by [`Self::pipe_to_string`] with its
    /// spans.
    fn place(&mut self, e: &Expr) {
        let at = self.out.len();
        self.out.push_str(&e.text);
        self.spans.extend(e.spans.iter().cloned().map(|mut s| {
            s.jinja.start += at;
            s.jinja.end += at;
            s
        }));
    }

    fn record(&mut self, start: usize, go_pos: usize, context: String) {
        self.record_call(start, go_pos, context, None);
    }

    fn record_call(&mut self, start: usize, go_pos: usize, context: String, func: Option<String>) {
        self.spans.push(Span {
            jinja: start..self.out.len(),
            go_pos,
            context,
            func,
        });
    }

    fn pipe(&mut self, pipe: &Pipe) -> R<()> {
        // `a | f x | g` is g(f(x, a)): emit from the last command inward.
        self.commands(&pipe.cmds)
    }

    fn commands(&mut self, cmds: &[Command]) -> R<()> {
        let Some((last, rest)) = cmds.split_last() else {
            self.out.push_str("none");
            return Ok(());
        };
        let final_arg: Option<&[Command]> = if rest.is_empty() { None } else { Some(rest) };
        self.command(last, final_arg)
    }

    /// Emits the arguments `args` and then the piped value (if any),
    /// comma separated.
    fn args(&mut self, args: &[Operand], piped: Option<&[Command]>) -> R<()> {
        let mut first = true;
        for a in args {
            if !first {
                self.out.push_str(", ");
            }
            first = false;
            self.operand(a)?;
        }
        if let Some(p) = piped {
            if !first {
                self.out.push_str(", ");
            }
            self.commands(p)?;
        }
        Ok(())
    }

    fn command(&mut self, cmd: &Command, piped: Option<&[Command]>) -> R<()> {
        let has_args = cmd.args.len() > 1 || piped.is_some();
        let first = &cmd.args[0];
        match first {
            Operand::Field { pos, names } => {
                let ctx = self.show(first);
                let dot = self.dot.clone();
                let helper = self.dot_helper();
                self.fields(&dot, helper, names, &cmd.args[1..], piped, *pos, ctx)
            }
            Operand::Variable {
                pos, var, fields, ..
            } if !fields.is_empty() => {
                let ctx = self.show(first);
                let base = self.var(*var);
                let helper = self.var_helper(*var);
                self.fields(&base, helper, fields, &cmd.args[1..], piped, *pos, ctx)
            }
            Operand::Chain { pos, node, fields } => {
                let ctx = self.show(first);
                if matches!(node.as_ref(), Operand::Nil(_)) {
                    let message = format!("indirection through explicit nil in {ctx}");
                    return self.runtime_error(*pos, ctx, &message);
                }
                self.chain(node, fields, &cmd.args[1..], piped, *pos, ctx)
            }
            Operand::Ident(pos, name) => {
                let _ = pos;
                self.call(cmd, name, piped)
            }
            Operand::Nil(pos) => self.runtime_error(*pos, "nil".into(), "nil is not a command"),
            other => {
                if has_args {
                    let ctx = self.show(other);
                    let message = format!("can't give argument to non-function {ctx}");
                    return self.runtime_error(other.pos(), ctx, &message);
                }
                self.operand(other)
            }
        }
    }

    /// The node Go last evaluated in a pipeline (where it reports a range
    /// over a value that cannot be ranged): the last command's operand, or
    /// the command when it calls a function.
    fn last_node(&self, pipe: &Pipe) -> (usize, String) {
        let Some(cmd) = pipe.cmds.last() else {
            return (pipe.pos, String::new());
        };
        let mut s = String::new();
        if cmd.args.len() == 1 && pipe.cmds.len() == 1 {
            show::operand(&mut s, &cmd.args[0], self.vars);
            return (cmd.args[0].pos(), s);
        }
        show::command(&mut s, cmd, self.vars);
        (cmd.pos, s)
    }

    /// The field helper for a chain on dot: a nil range element fails, a
    /// nil dot of a define yields no value (Go unwrapped it).
    fn dot_helper(&self) -> &'static str {
        if self.dot_elem {
            helpers::FIELD
        } else {
            helpers::FIELD_VAR
        }
    }

    fn var_helper(&self, id: VarId) -> &'static str {
        if self.elem_vars.get(id).copied().unwrap_or(false) {
            helpers::FIELD
        } else {
            helpers::FIELD_VAR
        }
    }

    fn show(&self, o: &Operand) -> String {
        let mut s = String::new();
        show::operand(&mut s, o, self.vars);
        s
    }

    fn runtime_error(&mut self, pos: usize, context: String, message: &str) -> R<()> {
        let start = self.out.len();
        let _ = write!(self.out, "{}(", helpers::ERROR);
        jinja_string(&mut self.out, message);
        self.out.push(')');
        self.record(start, pos, context);
        Ok(())
    }

    /// `(pipeline).A.B`, or a method call on `B` when arguments follow.
    fn chain(
        &mut self,
        node: &Operand,
        fields: &[String],
        args: &[Operand],
        piped: Option<&[Command]>,
        pos: usize,
        ctx: String,
    ) -> R<()> {
        let start = self.out.len();
        let has_args = !args.is_empty() || piped.is_some();
        let (chain, last) = if has_args {
            fields.split_at(fields.len() - 1)
        } else {
            (fields, &[][..])
        };
        if has_args {
            let _ = write!(self.out, "{}(", helpers::METHOD);
        }
        if !chain.is_empty() {
            let _ = write!(self.out, "{}(", helpers::FIELD_VAR);
        }
        self.operand(node)?;
        for f in chain {
            self.out.push_str(", ");
            jinja_string(&mut self.out, f);
        }
        if !chain.is_empty() {
            self.out.push(')');
        }
        if let Some(name) = last.first() {
            self.out.push_str(", ");
            jinja_string(&mut self.out, name);
            self.out.push_str(", ");
            self.args(args, piped)?;
            self.out.push(')');
        }
        self.record(start, pos, ctx);
        Ok(())
    }

    /// A field chain on `base` (`__gf(base, "A", "B")`), or a method call
    /// on its last field when arguments follow.
    #[allow(clippy::too_many_arguments)]
    fn fields(
        &mut self,
        base: &str,
        helper: &str,
        names: &[String],
        args: &[Operand],
        piped: Option<&[Command]>,
        pos: usize,
        ctx: String,
    ) -> R<()> {
        let start = self.out.len();
        let has_args = !args.is_empty() || piped.is_some();
        if has_args {
            let (chain, last) = names.split_at(names.len() - 1);
            let _ = write!(self.out, "{}(", helpers::METHOD);
            if chain.is_empty() {
                self.out.push_str(base);
            } else {
                let _ = write!(self.out, "{helper}({base}");
                for f in chain {
                    self.out.push_str(", ");
                    jinja_string(&mut self.out, f);
                }
                self.out.push(')');
            }
            self.out.push_str(", ");
            jinja_string(&mut self.out, &last[0]);
            self.out.push_str(", ");
            self.args(args, piped)?;
            self.out.push(')');
        } else {
            let _ = write!(self.out, "{helper}({base}");
            for f in names {
                self.out.push_str(", ");
                jinja_string(&mut self.out, f);
            }
            self.out.push(')');
        }
        self.record(start, pos, ctx);
        Ok(())
    }

    /// An operand in argument position (Go's `evalArg`).
    fn operand(&mut self, o: &Operand) -> R<()> {
        match o {
            Operand::Field { pos, names } => {
                let ctx = self.show(o);
                let dot = self.dot.clone();
                let helper = self.dot_helper();
                self.fields(&dot, helper, names, &[], None, *pos, ctx)?;
            }
            Operand::Variable {
                pos, var, fields, ..
            } => {
                let base = self.var(*var);
                if fields.is_empty() {
                    self.out.push_str(&base);
                } else {
                    let ctx = self.show(o);
                    let helper = self.var_helper(*var);
                    self.fields(&base, helper, fields, &[], None, *pos, ctx)?;
                }
            }
            Operand::Chain { pos, node, fields } => {
                let ctx = self.show(o);
                if matches!(node.as_ref(), Operand::Nil(_)) {
                    let message = format!("indirection through explicit nil in {ctx}");
                    return self.runtime_error(*pos, ctx, &message);
                }
                self.chain(node, fields, &[], None, *pos, ctx)?;
            }
            Operand::Dot(_) => {
                let d = self.dot.clone();
                self.out.push_str(&d);
            }
            Operand::Nil(_) => self.out.push_str("none"),
            Operand::Bool(_, b) => self.out.push_str(if *b { "true" } else { "false" }),
            Operand::Number(pos, Number::Uint(_), text) => {
                let message = format!("{text} overflows int");
                self.runtime_error(*pos, text.clone(), &message)?;
            }
            Operand::Number(_, n, _) => number(&mut self.out, *n),
            Operand::String(_, s, _) => jinja_string(&mut self.out, s),
            Operand::Ident(pos, name) => {
                // A function as an argument is called without arguments.
                let cmd = Command {
                    pos: *pos,
                    args: vec![o.clone()],
                };
                self.call(&cmd, name, None)?;
            }
            Operand::Pipe(_, p) => {
                self.out.push('(');
                self.pipe(p)?;
                self.out.push(')');
            }
        }
        Ok(())
    }

    /// A function call: Go's builtins to helpers (or Jinja's `and`, `or`,
    /// `not`), everything else `name(args…, piped)`.
    fn call(&mut self, cmd: &Command, name: &str, piped: Option<&[Command]>) -> R<()> {
        let mut context = String::new();
        show::command(&mut context, cmd, self.vars);
        let args = &cmd.args[1..];
        let n = args.len() + usize::from(piped.is_some());
        let start = self.out.len();
        match name {
            "and" | "or" => {
                if n == 0 {
                    return self.runtime_error(
                        cmd.pos,
                        name.to_owned(),
                        &format!("wrong number of args for {name}: want at least 1 got 0"),
                    );
                }
                self.out.push('(');
                let sep = if name == "and" { " and " } else { " or " };
                let mut first = true;
                for a in args {
                    if !first {
                        self.out.push_str(sep);
                    }
                    first = false;
                    self.operand(a)?;
                }
                if let Some(p) = piped {
                    if !first {
                        self.out.push_str(sep);
                    }
                    self.commands(p)?;
                }
                self.out.push(')');
            }
            "not" => {
                if n != 1 {
                    return self.runtime_error(
                        cmd.pos,
                        name.to_owned(),
                        &format!("wrong number of args for not: want 1 got {n}"),
                    );
                }
                self.out.push_str("(not ");
                self.args(args, piped)?;
                self.out.push(')');
            }
            _ => {
                let target = match name {
                    "call" => helpers::CALL,
                    "eq" => helpers::EQ,
                    "ge" => helpers::GE,
                    "gt" => helpers::GT,
                    "html" => helpers::HTML,
                    "index" => helpers::INDEX,
                    "js" => helpers::JS,
                    "le" => helpers::LE,
                    "len" => helpers::LEN,
                    "lt" => helpers::LT,
                    "ne" => helpers::NE,
                    "print" => helpers::PRINT,
                    "printf" => helpers::PRINTF,
                    "println" => helpers::PRINTLN,
                    "urlquery" => helpers::URLQUERY,
                    other => other,
                };
                let call = if is_builtin(name) {
                    Call::Global
                } else {
                    self.funcs.call(name)
                };
                match call {
                    Call::Filter(subject) if n > 0 => {
                        self.filter_call(name, subject, args, piped)?;
                    }
                    _ => {
                        self.out.push_str(target);
                        self.out.push('(');
                        self.args(args, piped)?;
                        self.out.push(')');
                    }
                }
            }
        }
        self.record_call(start, cmd.pos, context, Some(name.to_owned()));
        Ok(())
    }
}

impl Translator<'_> {
    /// Runs `f` aside and returns what it emitted, to be placed later.
    fn capture(&mut self, f: impl FnOnce(&mut Self) -> R<()>) -> R<Expr> {
        let mark = self.out.len();
        let spans = self.spans.len();
        f(self)?;
        let text = self.out[mark..].to_owned();
        self.out.truncate(mark);
        let spans = self
            .spans
            .drain(spans..)
            .map(|mut s| {
                s.jinja.start -= mark;
                s.jinja.end -= mark;
                s
            })
            .collect();
        Ok(Expr { text, spans })
    }

    /// `(subject | name(others…))`.
    fn filter_call(
        &mut self,
        name: &str,
        subject: Subject,
        args: &[Operand],
        piped: Option<&[Command]>,
    ) -> R<()> {
        let mut all = Vec::with_capacity(args.len() + 1);
        for a in args {
            all.push(self.capture(|t| t.operand(a))?);
        }
        if let Some(p) = piped {
            all.push(self.capture(|t| t.commands(p))?);
        }
        let at = match subject {
            Subject::Last => all.len() - 1,
            Subject::First => 0,
            Subject::Second => 1.min(all.len() - 1),
        };
        let subj = all.remove(at);
        self.out.push('(');
        self.place(&subj);
        let _ = write!(self.out, " | {name}(");
        for (i, e) in all.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.place(e);
        }
        self.out.push_str("))");
        Ok(())
    }
}

/// A Jinja string literal holding `s` exactly.
pub(crate) fn jinja_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn number(out: &mut String, n: Number) {
    match n {
        Number::Uint(u) => {
            let _ = write!(out, "{u}");
        }
        Number::Int(i) if i < 0 => {
            let _ = write!(out, "({i})");
        }
        Number::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Number::Float(f) => {
            let text = format!("{f:?}");
            if f < 0.0 {
                let _ = write!(out, "({text})");
            } else {
                out.push_str(&text);
            }
        }
    }
}
