//! The two path syntaxes of helm-unittest.
//!
//! * Assert paths (`path:` of `equal`, `documentSelector.path`, …) are
//!   yaml-jsonpath (helm-unittest's fork of vmware-labs/yaml-jsonpath):
//!   `metadata.name`, `$.spec`, `spec.containers[0].image`,
//!   `containers[-1]`, `items[1:3]`, `items[*]`, `.*`, `..name`,
//!   `metadata.annotations["kubernetes.io/ingress.class"]`, `['a','b']`,
//!   and filters `[?(@.name == 'web')]` with `==`, `!=`, `<`, `<=`, `>`,
//!   `>=`, `=~ /re/`, `&&`, `||`, `!` and existence. A path finds every
//!   matching node (`GetValueOfSetPath`); finding none is not an error.
//! * `set:` keys are Helm `--set` style paths (`image.tag`, `a[0].b`,
//!   `a[kubernetes.io/name]` for a key with dots), `BuildValueOfSetPath`.

use rudder_values::{Map, Value};

/// One matcher of a parsed assert path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Child(Vec<String>),
    AllChildren,
    Descend(Box<Step>),
    Index(Vec<Sub>),
    Filter(Expr),
}

#[derive(Debug, Clone, PartialEq)]
enum Sub {
    At(i64),
    Range(Option<i64>, Option<i64>, i64),
    All,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Exists(Term),
    Cmp(Term, Op, Term),
    Regex(Term, String),
}

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Current(Vec<Step>),
    Root(Vec<Step>),
    Literal(Value),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Every node `path` finds in `doc`; an empty path is the document itself.
pub fn find(doc: &Value, path: &str) -> Result<Vec<Value>, String> {
    let steps = Parser::new(path).path()?;
    Ok(apply(doc, doc, &steps).into_iter().cloned().collect())
}

fn apply<'a>(root: &'a Value, start: &'a Value, steps: &[Step]) -> Vec<&'a Value> {
    let mut nodes = vec![start];
    for step in steps {
        let mut next = Vec::new();
        for n in nodes {
            step_into(root, n, step, &mut next);
        }
        nodes = next;
    }
    nodes
}

fn sorted_entries(m: &Map) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = m.iter().collect();
    // helm-unittest re-encodes a manifest with go-yaml v3 before finding,
    // so mapping children come in v3's key order.
    v.sort_by(|a, b| crate::yaml3::key_cmp(a.0, b.0));
    v
}

fn step_into<'a>(root: &'a Value, n: &'a Value, step: &Step, out: &mut Vec<&'a Value>) {
    match step {
        Step::Child(names) => {
            if let Value::Map(m) = n {
                out.extend(names.iter().filter_map(|k| m.get(k)));
            }
        }
        Step::AllChildren => match n {
            Value::Map(m) => out.extend(sorted_entries(m).into_iter().map(|(_, v)| v)),
            Value::List(items) => out.extend(items.iter()),
            _ => {}
        },
        Step::Descend(inner) => {
            let mut all = Vec::new();
            descendants(n, &mut all);
            for d in all {
                step_into(root, d, inner, out);
            }
        }
        Step::Index(subs) => {
            if let Value::List(items) = n {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                for sub in subs {
                    for i in indices(sub, len) {
                        if let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
                            out.push(v);
                        }
                    }
                }
            }
        }
        Step::Filter(expr) => {
            if let Value::List(items) = n {
                out.extend(items.iter().filter(|item| eval(root, item, expr)));
            } else if let Value::Map(m) = n {
                out.extend(
                    sorted_entries(m)
                        .into_iter()
                        .map(|(_, v)| v)
                        .filter(|item| eval(root, item, expr)),
                );
            }
        }
    }
}

fn descendants<'a>(n: &'a Value, out: &mut Vec<&'a Value>) {
    out.push(n);
    match n {
        Value::Map(m) => sorted_entries(m)
            .into_iter()
            .for_each(|(_, v)| descendants(v, out)),
        Value::List(items) => items.iter().for_each(|v| descendants(v, out)),
        _ => {}
    }
}

fn indices(sub: &Sub, len: i64) -> Vec<i64> {
    match sub {
        Sub::All => (0..len).collect(),
        Sub::At(i) if *i < 0 => vec![len + i],
        Sub::At(i) => vec![*i],
        Sub::Range(start, end, step) => {
            let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
            if *step > 0 {
                let (s, e) = (norm(start.unwrap_or(0)), norm(end.unwrap_or(len)));
                (s..e)
                    .step_by(usize::try_from(*step).unwrap_or(1))
                    .collect()
            } else if *step < 0 {
                let s = start.map_or(len - 1, |s| norm(s).min(len - 1));
                let e = end.map_or(-1, norm);
                let mut v = Vec::new();
                let mut i = s;
                while i > e {
                    v.push(i);
                    i += step;
                }
                v
            } else {
                Vec::new()
            }
        }
    }
}

fn eval(root: &Value, item: &Value, e: &Expr) -> bool {
    match e {
        Expr::Or(a, b) => eval(root, item, a) || eval(root, item, b),
        Expr::And(a, b) => eval(root, item, a) && eval(root, item, b),
        Expr::Not(a) => !eval(root, item, a),
        Expr::Exists(t) => !term(root, item, t).is_empty(),
        Expr::Regex(t, re) => match regex::Regex::new(re) {
            Ok(re) => term(root, item, t)
                .iter()
                .any(|v| v.as_str().is_some_and(|s| re.is_match(s))),
            Err(_) => false,
        },
        Expr::Cmp(a, op, b) => {
            let (a, b) = (term(root, item, a), term(root, item, b));
            a.iter().any(|x| b.iter().any(|y| compare(x, *op, y)))
        }
    }
}

fn term(root: &Value, item: &Value, t: &Term) -> Vec<Value> {
    match t {
        Term::Current(steps) => apply(root, item, steps).into_iter().cloned().collect(),
        Term::Root(steps) => apply(root, root, steps).into_iter().cloned().collect(),
        Term::Literal(v) => vec![v.clone()],
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::UInt(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn compare(a: &Value, op: Op, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return match op {
            Op::Eq => x == y,
            Op::Ne => x != y,
            Op::Lt => x < y,
            Op::Le => x <= y,
            Op::Gt => x > y,
            Op::Ge => x >= y,
        };
    }
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        _ => false,
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

/// Characters that end a dotted child name (yaml-jsonpath's lexer).
const NAME_END: &[char] = &[
    '.', '[', ']', ')', ' ', '&', '|', '=', '!', '>', '<', '~', '(', ',',
];

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser { src, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn ws(&mut self) {
        while self.rest().starts_with([' ', '\t']) {
            self.pos += 1;
        }
    }

    fn err(&self, what: &str) -> String {
        format!(
            "invalid path {:?} at position {}: {what}",
            self.src, self.pos
        )
    }

    fn path(&mut self) -> Result<Vec<Step>, String> {
        self.eat("$");
        let mut steps = Vec::new();
        // An undotted first child: `metadata.name`.
        if !self.rest().is_empty() && !self.rest().starts_with(['.', '[']) {
            if self.eat("*") {
                steps.push(Step::AllChildren);
            } else {
                steps.push(Step::Child(vec![self.name()?]));
            }
        }
        self.steps(&mut steps, false)?;
        if !self.rest().is_empty() {
            return Err(self.err("unexpected text"));
        }
        Ok(steps)
    }

    fn name(&mut self) -> Result<String, String> {
        let end = self.rest().find(NAME_END).unwrap_or(self.rest().len());
        if end == 0 {
            return Err(self.err("child name missing"));
        }
        let name = self.rest()[..end].to_owned();
        self.pos += end;
        Ok(name)
    }

    /// Steps until the end, or (inside a filter) until an operator.
    fn steps(&mut self, steps: &mut Vec<Step>, in_filter: bool) -> Result<(), String> {
        loop {
            if self.rest().is_empty() {
                return Ok(());
            }
            if self.eat("..") {
                let inner = if self.eat("*") {
                    Step::AllChildren
                } else if self.rest().starts_with('[') {
                    self.bracket()?
                } else {
                    Step::Child(vec![self.name()?])
                };
                steps.push(Step::Descend(Box::new(inner)));
            } else if self.eat(".") {
                if self.eat("*") {
                    steps.push(Step::AllChildren);
                } else {
                    steps.push(Step::Child(vec![self.name()?]));
                }
            } else if self.rest().starts_with('[') {
                let step = self.bracket()?;
                steps.push(step);
            } else if in_filter {
                return Ok(());
            } else {
                return Err(self.err("expected '.' or '['"));
            }
        }
    }

    fn bracket(&mut self) -> Result<Step, String> {
        self.eat("[");
        self.ws();
        if self.eat("?(") {
            let e = self.or()?;
            self.ws();
            if !self.eat(")") {
                return Err(self.err("missing ')' of the filter"));
            }
            self.ws();
            if !self.eat("]") {
                return Err(self.err("missing ']'"));
            }
            return Ok(Step::Filter(e));
        }
        if self.rest().starts_with(['\'', '"']) {
            let mut names = Vec::new();
            loop {
                self.ws();
                names.push(self.quoted()?);
                self.ws();
                if !self.eat(",") {
                    break;
                }
            }
            if !self.eat("]") {
                return Err(self.err("missing ']' or ','"));
            }
            return Ok(Step::Child(names));
        }
        let end = self
            .rest()
            .find(']')
            .ok_or_else(|| self.err("unmatched '['"))?;
        let inside = self.rest()[..end].trim().to_owned();
        self.pos += end + 1;
        if inside.is_empty() {
            return Err(self.err("subscript missing from []"));
        }
        let mut subs = Vec::new();
        for part in inside.split(',') {
            let part = part.trim();
            let int = |s: &str| -> Result<Option<i64>, String> {
                if s.trim().is_empty() {
                    Ok(None)
                } else {
                    s.trim()
                        .parse()
                        .map(Some)
                        .map_err(|_| format!("invalid array index {part:?} in path {:?}", self.src))
                }
            };
            if part == "*" {
                subs.push(Sub::All);
            } else if part.contains(':') {
                let bits: Vec<&str> = part.split(':').collect();
                let step = match bits.get(2) {
                    Some(s) => int(s)?.unwrap_or(1),
                    None => 1,
                };
                subs.push(Sub::Range(int(bits[0])?, int(bits[1])?, step));
            } else {
                subs.push(Sub::At(int(part)?.unwrap_or(0)));
            }
        }
        Ok(Step::Index(subs))
    }

    fn quoted(&mut self) -> Result<String, String> {
        let q = if self.eat("'") {
            '\''
        } else if self.eat("\"") {
            '"'
        } else {
            return Err(self.err("expected a quoted name"));
        };
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            } else if c == q {
                self.pos += i + 1;
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err(self.err(&format!("missing {q}")))
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        loop {
            self.ws();
            if self.eat("||") {
                let right = self.and()?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.basic()?;
        loop {
            self.ws();
            if self.eat("&&") {
                let right = self.basic()?;
                left = Expr::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn basic(&mut self) -> Result<Expr, String> {
        self.ws();
        if self.rest().starts_with('!') && !self.rest().starts_with("!=") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.basic()?)));
        }
        if self.eat("(") {
            let e = self.or()?;
            self.ws();
            if !self.eat(")") {
                return Err(self.err("missing ')'"));
            }
            return Ok(e);
        }
        let left = self.term()?;
        self.ws();
        if self.eat("=~") {
            self.ws();
            if !self.eat("/") {
                return Err(self.err("a regular expression starts with '/'"));
            }
            let mut re = String::new();
            let mut chars = self.rest().char_indices();
            loop {
                match chars.next() {
                    Some((_, '\\')) => match chars.next() {
                        Some((_, '/')) => re.push('/'),
                        Some((_, c)) => {
                            re.push('\\');
                            re.push(c);
                        }
                        None => return Err(self.err("unterminated regular expression")),
                    },
                    Some((i, '/')) => {
                        self.pos += i + 1;
                        break;
                    }
                    Some((_, c)) => re.push(c),
                    None => return Err(self.err("unterminated regular expression")),
                }
            }
            return Ok(Expr::Regex(left, re));
        }
        let op = [
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("<", Op::Lt),
            (">", Op::Gt),
        ]
        .into_iter()
        .find(|(s, _)| self.rest().starts_with(s));
        match op {
            Some((s, op)) => {
                self.pos += s.len();
                self.ws();
                let right = self.term()?;
                Ok(Expr::Cmp(left, op, right))
            }
            None => match left {
                Term::Literal(_) => Err(self.err("a literal alone is not a filter")),
                t => Ok(Expr::Exists(t)),
            },
        }
    }

    fn term(&mut self) -> Result<Term, String> {
        self.ws();
        if self.eat("@") {
            let mut steps = Vec::new();
            self.steps(&mut steps, true)?;
            return Ok(Term::Current(steps));
        }
        if self.eat("$") {
            let mut steps = Vec::new();
            self.steps(&mut steps, true)?;
            return Ok(Term::Root(steps));
        }
        if self.rest().starts_with(['\'', '"']) {
            return Ok(Term::Literal(Value::String(self.quoted()?)));
        }
        for (word, v) in [
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("null", Value::Null),
        ] {
            if self.eat(word) {
                return Ok(Term::Literal(v));
            }
        }
        let end = self
            .rest()
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(self.rest().len());
        let text = &self.rest()[..end];
        if let Ok(i) = text.parse::<i64>() {
            self.pos += end;
            return Ok(Term::Literal(Value::Int(i)));
        }
        if let Ok(f) = text.parse::<f64>() {
            self.pos += end;
            return Ok(Term::Literal(Value::Float(f)));
        }
        Err(self.err("expected @, $ or a literal"))
    }
}

/// Builds the map a `set:` entry stands for: `a.b[1]` with `v` is
/// `{a: {b: [null, v]}}` (helm-unittest `BuildValueOfSetPath`).
pub fn build_set(path: &str, v: Value) -> Result<Map, String> {
    #[derive(Debug)]
    enum Cursor {
        Key(String),
        Index(usize),
    }
    let bad = |why: &str| format!("set path {path:?}: {why}");
    if path.is_empty() {
        return Err(bad("the path is empty"));
    }
    let mut cursors = Vec::new();
    let chars: Vec<char> = path.chars().collect();
    let mut i = 0;
    let mut expect_key = true;
    while i < chars.len() {
        if expect_key {
            if chars[i] == '[' {
                // `[key.with.dots]`: an escaped key.
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .ok_or_else(|| bad("missing ']'"))?;
                cursors.push(Cursor::Key(chars[i + 1..i + end].iter().collect()));
                i += end + 1;
                expect_key = false;
                continue;
            }
            let start = i;
            while i < chars.len() && !matches!(chars[i], '.' | '[' | ']' | ',' | '{' | '}' | '=') {
                i += 1;
            }
            if i < chars.len() && matches!(chars[i], ',' | '{' | '}' | '=' | ']') {
                return Err(bad(&format!("invalid token found {}", chars[i])));
            }
            if start == i {
                return Err(bad("a key is missing"));
            }
            cursors.push(Cursor::Key(chars[start..i].iter().collect()));
            expect_key = false;
        } else {
            match chars[i] {
                '.' => {
                    i += 1;
                    expect_key = true;
                    if i == chars.len() {
                        return Err(bad("unexpected end"));
                    }
                }
                '[' => {
                    let end = chars[i..]
                        .iter()
                        .position(|&c| c == ']')
                        .ok_or_else(|| bad("missing index value"))?;
                    let text: String = chars[i + 1..i + end].iter().collect();
                    let idx = text
                        .parse::<usize>()
                        .map_err(|_| bad(&format!("{text:?} is not a list index")))?;
                    if idx > rudder_values::MAX_INDEX {
                        return Err(bad("the list index is too large"));
                    }
                    cursors.push(Cursor::Index(idx));
                    i += end + 1;
                }
                c => return Err(bad(&format!("invalid denotation token {c}"))),
            }
        }
    }
    let mut value = v;
    for c in cursors.iter().skip(1).rev() {
        value = match c {
            Cursor::Key(k) => {
                let mut m = Map::new();
                m.insert(k.clone(), value);
                Value::Map(Box::new(m))
            }
            Cursor::Index(n) => {
                let mut l = vec![Value::Null; *n + 1];
                l[*n] = value;
                Value::List(l)
            }
        };
    }
    match cursors.first() {
        Some(Cursor::Key(k)) => {
            let mut m = Map::new();
            m.insert(k.clone(), value);
            Ok(m)
        }
        _ => Err(bad("a set path starts with a key")),
    }
}
