//! Pipelines, commands, operands and function calls: the expressions of
//! a Go template, each placed in the output with its source-map entry.

use super::*;

impl Translator<'_> {
    /// Emits an expression made by [`Self::pipe_to_string`] with its
    /// spans.
    pub(super) fn place(&mut self, e: &Expr) {
        let at = self.out.len();
        self.out.push_str(&e.text);
        self.spans.extend(e.spans.iter().cloned().map(|mut s| {
            s.jinja.start += at;
            s.jinja.end += at;
            s
        }));
    }

    pub(super) fn record(&mut self, start: usize, go_pos: usize, context: String) {
        self.record_call(start, go_pos, context, None);
    }

    pub(super) fn record_call(
        &mut self,
        start: usize,
        go_pos: usize,
        context: String,
        func: Option<String>,
    ) {
        self.spans.push(Span {
            jinja: start..self.out.len(),
            go_pos,
            context,
            func,
        });
    }

    pub(super) fn pipe(&mut self, pipe: &Pipe) -> R<()> {
        // `a | f x | g` is g(f(x, a)): emit from the last command inward.
        self.commands(&pipe.cmds)
    }

    pub(super) fn commands(&mut self, cmds: &[Command]) -> R<()> {
        let Some((last, rest)) = cmds.split_last() else {
            self.out.push_str("none");
            return Ok(());
        };
        let final_arg: Option<&[Command]> = if rest.is_empty() { None } else { Some(rest) };
        self.command(last, final_arg)
    }

    /// Emits the arguments `args` and then the piped value (if any),
    /// comma separated.
    pub(super) fn args(&mut self, args: &[Operand], piped: Option<&[Command]>) -> R<()> {
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

    pub(super) fn command(&mut self, cmd: &Command, piped: Option<&[Command]>) -> R<()> {
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
            // Go's `evalCommand` checks a parenthesized first word before
            // moving its node, so the error names the pipeline around it.
            Operand::Pipe(..) if has_args => {
                let mut ctx = String::new();
                for c in piped.unwrap_or_default().iter().chain([cmd]) {
                    if !ctx.is_empty() {
                        ctx.push_str(" | ");
                    }
                    show::command(&mut ctx, c, self.vars);
                }
                let message = format!("can't give argument to non-function {}", self.show(first));
                let pos = piped
                    .and_then(<[Command]>::first)
                    .map_or(cmd.pos, |c| c.pos);
                self.runtime_error(pos, ctx, &message)
            }
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
    pub(super) fn last_node(&self, pipe: &Pipe) -> (usize, String) {
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
    pub(super) fn dot_helper(&self) -> &'static str {
        if self.dot_elem {
            helpers::FIELD
        } else {
            helpers::FIELD_VAR
        }
    }

    pub(super) fn var_helper(&self, id: VarId) -> &'static str {
        if self.elem_vars.get(id).copied().unwrap_or(false) {
            helpers::FIELD
        } else {
            helpers::FIELD_VAR
        }
    }

    pub(super) fn show(&self, o: &Operand) -> String {
        let mut s = String::new();
        show::operand(&mut s, o, self.vars);
        s
    }

    pub(super) fn runtime_error(&mut self, pos: usize, context: String, message: &str) -> R<()> {
        let start = self.out.len();
        let _ = write!(self.out, "{}(", helpers::ERROR);
        jinja_string(&mut self.out, message);
        self.out.push(')');
        self.record(start, pos, context);
        Ok(())
    }

    /// `(pipeline).A.B`, or a method call on `B` when arguments follow.
    pub(super) fn chain(
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
    pub(super) fn fields(
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
    pub(super) fn operand(&mut self, o: &Operand) -> R<()> {
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
    pub(super) fn call(&mut self, cmd: &Command, name: &str, piped: Option<&[Command]>) -> R<()> {
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
                    other => self.funcs.jinja_name(other),
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
    pub(super) fn capture(&mut self, f: impl FnOnce(&mut Self) -> R<()>) -> R<Expr> {
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
    pub(super) fn filter_call(
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
/// `s` as a Jinja string literal. `{%` is written `{\u0025`, so no text
/// inside a string can read as a tag to a scan of the source (the Jinja
/// dialect lifts `{% define %}` blocks out before compiling).
pub fn jinja_string(out: &mut String, s: &str) {
    out.push('"');
    let mut brace = false;
    for c in s.chars() {
        let after_brace = std::mem::replace(&mut brace, c == '{');
        match c {
            '%' if after_brace => out.push_str("\\u0025"),
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

pub(super) fn number(out: &mut String, n: Number) {
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
