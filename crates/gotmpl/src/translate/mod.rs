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
    Command, Control, ControlKind, Define, File, Node, Number, Operand, Pipe, VarId, VarInfo, show,
};
use crate::error::Error;

mod expr;

pub use expr::jinja_string;

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
    /// The Jinja name a function is called under: its Helm name unless
    /// told otherwise (`rudder convert` calls Helm's `tpl` as `gotpl`,
    /// because a Jinja chart's `tpl` renders Jinja).
    fn jinja_name<'a>(&self, name: &'a str) -> &'a str {
        name
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

/// Translates a parsed file into one Jinja template that keeps Go's
/// lines, for `rudder convert`: the body with each define that `keep`
/// accepts written where Go has it, as a `{% define %}` block, and every
/// node padded onto its Go line with a newline-only comment. A converted
/// chart's errors then name the Go file's line, as Helm's do, because a
/// Jinja chart's errors name its source's lines (and rudder lifts a
/// `{% define %}` body out with its lines kept). `src` must be the text
/// `file` was parsed from.
pub fn translate_aligned(
    file: &File,
    src: &str,
    funcs: &dyn Functions,
    keep: &dyn Fn(&Define) -> bool,
) -> Result<String, Error> {
    let newlines: Vec<usize> = src
        .bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
        .collect();
    let mut t = Translator::new(file, src, funcs);
    t.align = Some(Align::new(&newlines, 0));
    let mut defines = file.defines.iter().peekable();
    for n in &file.root {
        while let Some(d) = defines.next_if(|d| d.pos < n.pos()) {
            t.define_in_place(d, keep)?;
        }
        t.node(n)?;
    }
    for d in defines {
        t.define_in_place(d, keep)?;
    }
    Ok(t.out)
}

/// Line keeping for [`translate_aligned`].
struct Align<'a> {
    /// Offsets of the Go source's newlines.
    go_newlines: &'a [usize],
    /// Lines of the Jinja file above the translator's output.
    base: usize,
    /// How much of the output has been counted, and its newlines.
    counted: usize,
    seen: usize,
}

impl<'a> Align<'a> {
    fn new(go_newlines: &'a [usize], base: usize) -> Self {
        Align {
            go_newlines,
            base,
            counted: 0,
            seen: 0,
        }
    }

    /// Newlines above `out`'s end in the Jinja file.
    fn jinja_newlines(&mut self, out: &str) -> usize {
        if out.len() < self.counted {
            // The output was cut back (a pipeline translated aside).
            self.counted = 0;
            self.seen = 0;
        }
        self.seen += out.as_bytes()[self.counted..]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = out.len();
        self.base + self.seen
    }
}

/// A translated expression not yet placed, with its spans relative to its
/// start.
struct Expr {
    text: String,
    spans: Vec<Span>,
}

struct Translator<'a> {
    file: &'a File,
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
    /// Set by [`translate_aligned`]: keep each node on its Go line.
    align: Option<Align<'a>>,
}

type R<T> = Result<T, Error>;

impl<'a> Translator<'a> {
    fn new(file: &'a File, src: &'a str, funcs: &'a dyn Functions) -> Self {
        Translator {
            file,
            src,
            funcs,
            vars: &file.vars,
            out: String::with_capacity(src.len() * 2),
            spans: Vec::new(),
            dot: "ctx".to_owned(),
            dot_elem: false,
            elem_vars: vec![false; file.vars.len()],
            temps: 0,
            align: None,
        }
    }

    /// Pads the output with a newline-only comment (which renders
    /// nothing) until it reaches the Go line of `pos`.
    fn sync(&mut self, pos: usize) {
        let Some(a) = &mut self.align else {
            return;
        };
        let want = a.go_newlines.partition_point(|&n| n < pos);
        let have = a.jinja_newlines(&self.out);
        if want > have {
            self.out.push_str("{#");
            self.out.extend(std::iter::repeat_n('\n', want - have));
            self.out.push_str("#}");
        }
    }

    /// A define written where Go has it (see [`translate_aligned`]).
    fn define_in_place(&mut self, d: &Define, keep: &dyn Fn(&Define) -> bool) -> R<()> {
        if !keep(d) {
            return Ok(());
        }
        self.sync(d.pos);
        self.out.push_str("{% define ");
        jinja_string(&mut self.out, &d.name);
        self.out.push_str(" %}");
        let mut body = Translator::new(self.file, self.src, self.funcs);
        if let Some(a) = &mut self.align {
            let base = a.jinja_newlines(&self.out);
            body.align = Some(Align::new(a.go_newlines, base));
        }
        body.list(&d.body)?;
        self.out.push_str(&body.out);
        self.out.push_str("{% enddefine %}");
        Ok(())
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
        self.sync(n.pos());
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
                context.push_str(&crate::literal::go_quote(name));
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
}
