//! The lexer: Go's `text/template/parse/lex.go` (Go 1.25) rules, run to
//! completion into a token vector instead of a goroutine channel.
//!
//! Trim markers (`{{- ` and ` -}}`) are applied here, as in Go: the text
//! tokens around a trimmed action simply lose their spaces, and the parser
//! never sees the markers.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Bool,
    Char,
    CharConstant,
    Number,
    Complex,
    Declare,
    Assign,
    Field,
    Identifier,
    LeftParen,
    RightParen,
    Pipe,
    RawString,
    String,
    Variable,
    Dot,
    Nil,
    // keywords
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
    Eof,
    /// A lexing error; its message is in [`Lexed::error`]. Go's lexer runs
    /// behind the parser, so a parse error before it wins.
    Error,
}

/// The tokens of a file, ending with `Eof` or `Error`.
pub(crate) struct Lexed {
    pub(crate) tokens: Vec<Token>,
    pub(crate) error: Option<String>,
}

/// One token: its kind and where its text is in the source. Text tokens
/// are already trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn keyword(word: &str) -> Option<Kind> {
    Some(match word {
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        _ => return None,
    })
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    start: usize,
    paren_depth: usize,
    tokens: Vec<Token>,
}

/// Splits `src` into tokens.
pub(crate) fn lex(src: &str) -> Lexed {
    let mut l = Lexer {
        src,
        pos: 0,
        start: 0,
        paren_depth: 0,
        tokens: Vec::new(),
    };
    match l.run() {
        Ok(()) => Lexed {
            tokens: l.tokens,
            error: None,
        },
        Err(LexError { at, message }) => {
            l.tokens.push(Token {
                kind: Kind::Error,
                start: at,
                end: at,
            });
            Lexed {
                tokens: l.tokens,
                error: Some(message),
            }
        }
    }
}

/// A lexing error: where and Go's message.
struct LexError {
    at: usize,
    message: String,
}

impl Lexer<'_> {
    fn err(&self, at: usize, message: String) -> LexError {
        LexError { at, message }
    }

    fn emit(&mut self, kind: Kind) {
        self.tokens.push(Token {
            kind,
            start: self.start,
            end: self.pos,
        });
        self.start = self.pos;
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            // Text up to the next left delimiter.
            let Some(x) = self.rest().find(LEFT) else {
                self.pos = self.src.len();
                if self.pos > self.start {
                    self.emit(Kind::Text);
                }
                self.emit(Kind::Eof);
                return Ok(());
            };
            self.pos += x;
            let after = self.pos + LEFT.len();
            let trim = has_left_trim(&self.src[after..]);
            let text_end = if trim {
                self.start
                    + self.src[self.start..self.pos]
                        .trim_end_matches(is_space)
                        .len()
            } else {
                self.pos
            };
            if text_end > self.start {
                let pos = self.pos;
                self.pos = text_end;
                self.emit(Kind::Text);
                self.pos = pos;
            }
            self.start = self.pos;
            self.left_delim(trim)?;
        }
    }

    fn left_delim(&mut self, trim: bool) -> Result<(), LexError> {
        self.pos += LEFT.len();
        let after_marker = if trim { 2 } else { 0 };
        if self.src[self.pos + after_marker..].starts_with("/*") {
            self.pos += after_marker;
            self.start = self.pos;
            return self.comment();
        }
        self.emit(Kind::LeftDelim);
        self.pos += after_marker;
        self.start = self.pos;
        self.paren_depth = 0;
        self.inside_action()
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if rest.starts_with(RIGHT) {
            return (true, false);
        }
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (false, false)
    }

    fn comment(&mut self) -> Result<(), LexError> {
        let open = self.pos;
        self.pos += 2;
        let Some(i) = self.rest().find("*/") else {
            return Err(self.err(open, "unclosed comment".into()));
        };
        self.pos += i + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return Err(self.err(open, "comment ends before closing delimiter".into()));
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
        }
        self.start = self.pos;
        Ok(())
    }

    fn right_delim(&mut self, trim: bool) {
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += RIGHT.len();
        self.emit(Kind::RightDelim);
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.start = self.pos;
        }
    }

    fn inside_action(&mut self) -> Result<(), LexError> {
        loop {
            let (delim, trim) = self.at_right_delim();
            if delim {
                if self.paren_depth == 0 {
                    self.right_delim(trim);
                    return Ok(());
                }
                return Err(self.err(self.start, "unclosed left paren".into()));
            }
            let Some(c) = self.next() else {
                return Err(self.err(self.start, "unclosed action".into()));
            };
            match c {
                c if is_space(c) => {
                    // A space run; a " -}}" after it belongs to the delimiter.
                    self.pos -= c.len_utf8();
                    let mut n = 0;
                    while self.peek().is_some_and(is_space) {
                        self.next();
                        n += 1;
                    }
                    let back = self.pos - 1;
                    if has_right_trim(&self.src[back..]) && self.src[back + 2..].starts_with(RIGHT)
                    {
                        self.pos = back;
                        if n == 1 {
                            self.right_delim(true);
                            return Ok(());
                        }
                    }
                    self.emit(Kind::Space);
                }
                '=' => self.emit(Kind::Assign),
                ':' => {
                    if self.next() != Some('=') {
                        return Err(self.err(self.start, "expected :=".into()));
                    }
                    self.emit(Kind::Declare);
                }
                '|' => self.emit(Kind::Pipe),
                '"' => self.quote()?,
                '`' => self.raw_quote()?,
                '$' => self.variable()?,
                '\'' => self.char_const()?,
                '.' => {
                    if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                        self.pos = self.start;
                        self.number()?;
                    } else {
                        self.field_or_variable(Kind::Field)?;
                    }
                }
                '+' | '-' | '0'..='9' => {
                    self.pos = self.start;
                    self.number()?;
                }
                c if is_alnum(c) => {
                    self.pos = self.start;
                    self.identifier()?;
                }
                '(' => {
                    self.emit(Kind::LeftParen);
                    self.paren_depth += 1;
                }
                ')' => {
                    if self.paren_depth == 0 {
                        return Err(self.err(self.start, "unexpected right paren".into()));
                    }
                    self.emit(Kind::RightParen);
                    self.paren_depth -= 1;
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.emit(Kind::Char),
                c => {
                    return Err(self.err(
                        self.start,
                        format!("unrecognized character in action: {}", unicode_name(c)),
                    ));
                }
            }
        }
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some('}') => true,
            _ => false,
        }
    }

    fn identifier(&mut self) -> Result<(), LexError> {
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            return Err(self.bad_char());
        }
        let word = &self.src[self.start..self.pos];
        let kind = match keyword(word) {
            Some(k) => k,
            None if word == "true" || word == "false" => Kind::Bool,
            None => Kind::Identifier,
        };
        self.emit(kind);
        Ok(())
    }

    fn bad_char(&self) -> LexError {
        let c = self.peek().unwrap_or('\0');
        self.err(self.start, format!("bad character {}", unicode_name(c)))
    }

    fn variable(&mut self) -> Result<(), LexError> {
        if self.at_terminator() {
            self.emit(Kind::Variable);
            return Ok(());
        }
        self.field_or_variable(Kind::Variable)
    }

    fn field_or_variable(&mut self, kind: Kind) -> Result<(), LexError> {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            });
            return Ok(());
        }
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            return Err(self.bad_char());
        }
        self.emit(kind);
        Ok(())
    }

    fn char_const(&mut self) -> Result<(), LexError> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => {
                        return Err(self.err(self.start, "unterminated character constant".into()));
                    }
                    _ => {}
                },
                Some('\n') | None => {
                    return Err(self.err(self.start, "unterminated character constant".into()));
                }
                Some('\'') => break,
                _ => {}
            }
        }
        self.emit(Kind::CharConstant);
        Ok(())
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }

    fn number(&mut self) -> Result<(), LexError> {
        if !self.scan_number() {
            return Err(self.err(
                self.start,
                format!("bad number syntax: {:?}", &self.src[self.start..self.pos]),
            ));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.src[..self.pos].ends_with('i') {
                return Err(self.err(
                    self.start,
                    format!("bad number syntax: {:?}", &self.src[self.start..self.pos]),
                ));
            }
            self.emit(Kind::Complex);
        } else {
            self.emit(Kind::Number);
        }
        Ok(())
    }

    fn quote(&mut self) -> Result<(), LexError> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => {
                        return Err(self.err(self.start, "unterminated quoted string".into()));
                    }
                    _ => {}
                },
                Some('\n') | None => {
                    return Err(self.err(self.start, "unterminated quoted string".into()));
                }
                Some('"') => break,
                _ => {}
            }
        }
        self.emit(Kind::String);
        Ok(())
    }

    fn raw_quote(&mut self) -> Result<(), LexError> {
        match self.rest().find('`') {
            Some(i) => self.pos += i + 1,
            None => return Err(self.err(self.start, "unterminated raw quoted string".into())),
        }
        self.emit(Kind::RawString);
        Ok(())
    }
}

/// Go's `%#U` of a rune: `U+0041 'A'`.
pub(crate) fn unicode_name(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}
