//! Arithmetic (Sprig's `numeric.go` and the arithmetic entries of
//! `functions.go`): `add`, `sub`, `mul`, `div`, `mod`, `add1`, `max`,
//! `min`, `biggest` on `int64`; `addf`, `subf`, `mulf`, `divf`, `add1f`,
//! `maxf`, `minf`, `floor`, `ceil`, `round` on `float64`; `seq` and
//! `toDecimal`.
//!
//! Every argument is converted as Sprig converts it: `cast.ToInt64` for the
//! integer functions (floats truncate, `"0x1F"` is 31, unparsable text is 0)
//! and `cast.ToFloat64` for the float ones. Integer arithmetic wraps on
//! overflow as Go's does. Where Helm panics (integer division or modulo by
//! zero, `divf` by zero) rudder returns an error naming the function, so the
//! render fails with exit status 1 as Helm's does.
//!
//! The float functions go through shopspring/decimal in Sprig: each operand
//! becomes the decimal of its shortest text (`0.1` is exactly 0.1) and the
//! result is rounded back to the nearest `float64`, so `addf 0.1 0.2` is
//! `0.3`, not `0.30000000000000004`. [`Dec`] does the same exactly while the
//! digits fit in an `i128`, and falls back to `f64` arithmetic past that.

use super::conversion::{float64, int64};
use super::{fail, int_arg};
use minijinja::Error;
use minijinja::value::{Rest, Value};

/// Helm `add1 X`: `int64(X) + 1`.
pub fn add1(v: Value) -> i64 {
    int64(v).wrapping_add(1)
}

/// Helm `add A B …`: the `int64` sum (0 for no arguments).
pub fn add(args: Rest<Value>) -> i64 {
    args.iter()
        .fold(0i64, |a, b| a.wrapping_add(int64(b.clone())))
}

/// Helm `sub A B`: `int64(A) - int64(B)`.
pub fn sub(a: Value, b: Value) -> i64 {
    int64(a).wrapping_sub(int64(b))
}

/// Helm `div A B`: Go's truncating `int64` division; by zero is an error
/// (a panic in Helm).
pub fn div(a: Value, b: Value) -> Result<i64, Error> {
    let (a, b) = (int64(a), int64(b));
    if b == 0 {
        return Err(fail("div: runtime error: integer divide by zero"));
    }
    Ok(a.wrapping_div(b))
}

/// Helm `mod A B`: Go's `%` (the sign of `A`); by zero is an error.
pub fn modulo(a: Value, b: Value) -> Result<i64, Error> {
    let (a, b) = (int64(a), int64(b));
    if b == 0 {
        return Err(fail("mod: runtime error: integer divide by zero"));
    }
    Ok(a.wrapping_rem(b))
}

/// Helm `mul A B …`: the `int64` product.
pub fn mul(a: Value, rest: Rest<Value>) -> i64 {
    rest.iter()
        .fold(int64(a), |p, b| p.wrapping_mul(int64(b.clone())))
}

/// Helm `max A B …` (also `biggest`): the largest, as `int64`.
pub fn max(a: Value, rest: Rest<Value>) -> i64 {
    rest.iter()
        .map(|b| int64(b.clone()))
        .fold(int64(a), i64::max)
}

/// Helm `min A B …`: the smallest, as `int64`.
pub fn min(a: Value, rest: Rest<Value>) -> i64 {
    rest.iter()
        .map(|b| int64(b.clone()))
        .fold(int64(a), i64::min)
}

/// Helm `maxf A B …`: Go's `math.Max` fold (NaN wins).
pub fn maxf(a: Value, rest: Rest<Value>) -> f64 {
    rest.iter()
        .map(|b| float64(b.clone()))
        .fold(float64(a), |x, y| {
            if x.is_nan() || y.is_nan() {
                f64::NAN
            } else {
                x.max(y)
            }
        })
}

/// Helm `minf A B …`: Go's `math.Min` fold (NaN wins).
pub fn minf(a: Value, rest: Rest<Value>) -> f64 {
    rest.iter()
        .map(|b| float64(b.clone()))
        .fold(float64(a), |x, y| {
            if x.is_nan() || y.is_nan() {
                f64::NAN
            } else {
                x.min(y)
            }
        })
}

/// Helm `floor X`: `math.Floor(float64(X))`.
pub fn floor(v: Value) -> f64 {
    float64(v).floor()
}

/// Helm `ceil X`: `math.Ceil(float64(X))`.
pub fn ceil(v: Value) -> f64 {
    float64(v).ceil()
}

/// Helm `round X PLACES [ROUND_ON]`: Sprig's rounding: up when the
/// fraction at `PLACES` is at least `ROUND_ON` (default 0.5), else down.
pub fn round(v: Value, places: &Value, round_on: Option<Value>) -> Result<f64, Error> {
    let places = int_arg("round", "number of places", places)?;
    let on = round_on.map_or(0.5, float64);
    let pow = 10f64.powf(places as f64);
    let digit = pow * float64(v);
    let frac = digit.fract();
    let r = if frac >= on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(r / pow)
}

/// Helm `toDecimal X`: `X` printed and read as an octal integer (`"0777"`
/// is 511); anything unparsable is 0.
pub fn to_decimal(v: Value) -> i64 {
    let s = super::gofmt::format_value(&v);
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    // strconv.ParseInt(s, 8, 64) takes digits 0-7 and `_` only with base 0.
    if digits.is_empty() || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return 0;
    }
    let magnitude = i128::from_str_radix(digits, 8).unwrap_or(i128::MAX);
    let n = if neg { -magnitude } else { magnitude };
    i64::try_from(n).unwrap_or(0)
}

/// Helm `seq [START [STEP]] END`: the integers as one space-separated
/// string (`seq 3` is `"1 2 3"`, `seq 5 -2 1` is `"5 3 1"`).
pub fn seq(args: Rest<Value>) -> Result<String, Error> {
    let p = args
        .iter()
        .map(|a| int_arg("seq", "bound", a))
        .collect::<Result<Vec<i64>, Error>>()?;
    let (start, end, step) = match p[..] {
        [end] => (1, end, if end < 1 { -1 } else { 1 }),
        [start, end] => (start, end, if end < start { -1 } else { 1 }),
        [start, step, end] => {
            if end < start && step > 0 {
                return Ok(String::new());
            }
            (start, end, step)
        }
        _ => return Ok(String::new()),
    };
    let inc = if end < start { -1 } else { 1 };
    let items = super::lists::until_step_impl("seq", start, end.wrapping_add(inc), step)?;
    let items = super::seq_items(&items).unwrap_or_default();
    Ok(items
        .iter()
        .map(super::gofmt::format_value)
        .collect::<Vec<_>>()
        .join(" "))
}

/// A decimal `digits × 10^-scale`, as shopspring/decimal holds it.
#[derive(Debug, Clone, Copy)]
struct Dec {
    digits: i128,
    scale: u32,
}

/// Decimal places `divf` keeps (shopspring's `DivisionPrecision`).
const DIVISION_PRECISION: u32 = 16;

impl Dec {
    /// The decimal of `f`'s shortest text (shopspring `NewFromFloat`).
    fn from_f64(f: f64) -> Option<Dec> {
        if !f.is_finite() {
            return None;
        }
        let text = format!("{f:e}");
        let (mantissa, exp) = text.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: i128 = format!("{int_part}{frac_part}").parse().ok()?;
        let scale = frac_part.len() as i32 - exp;
        if scale >= 0 {
            Some(Dec {
                digits,
                scale: scale as u32,
            })
        } else {
            let mul = 10i128.checked_pow((-scale) as u32)?;
            Some(Dec {
                digits: digits.checked_mul(mul)?,
                scale: 0,
            })
        }
    }

    fn rescale(self, scale: u32) -> Option<i128> {
        self.digits
            .checked_mul(10i128.checked_pow(scale.checked_sub(self.scale)?)?)
    }

    fn add(self, o: Dec) -> Option<Dec> {
        let scale = self.scale.max(o.scale);
        Some(Dec {
            digits: self.rescale(scale)?.checked_add(o.rescale(scale)?)?,
            scale,
        })
    }

    fn neg(self) -> Dec {
        Dec {
            digits: -self.digits,
            scale: self.scale,
        }
    }

    fn mul(self, o: Dec) -> Option<Dec> {
        Some(Dec {
            digits: self.digits.checked_mul(o.digits)?,
            scale: self.scale.checked_add(o.scale)?,
        })
    }

    /// `self / o` rounded half away from zero to 16 places (shopspring
    /// `DivRound`). `None` also for a zero divisor.
    fn div(self, o: Dec) -> Option<Dec> {
        if o.digits == 0 {
            return None;
        }
        // self.digits·10^(P+1+o.scale-self.scale) / o.digits, one extra
        // digit for the rounding.
        let shift = (DIVISION_PRECISION + 1 + o.scale).checked_sub(self.scale)?;
        let num = self.digits.checked_mul(10i128.checked_pow(shift)?)?;
        let q = num / o.digits;
        let rem_digit = q % 10;
        let mut q = q / 10;
        let sign = if (self.digits < 0) != (o.digits < 0) {
            -1
        } else {
            1
        };
        if rem_digit.abs() >= 5 {
            q += sign;
        }
        Some(Dec {
            digits: q,
            scale: DIVISION_PRECISION,
        })
    }

    fn to_f64(self) -> f64 {
        let text = if self.scale == 0 {
            self.digits.to_string()
        } else {
            format!("{}e-{}", self.digits, self.scale)
        };
        text.parse().unwrap_or(f64::NAN)
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Sprig's `execDecimalOp`: folds `rest` into `a` with `op`.
fn decimal_fold(func: &str, a: f64, rest: &[Value], op: Op) -> Result<f64, Error> {
    let mut acc = a;
    let mut dec = Dec::from_f64(a);
    for b in rest {
        let b = float64(b.clone());
        if matches!(op, Op::Div) && b == 0.0 {
            // shopspring's `Div` panics with "decimal division by 0".
            return Err(fail(format!("{func}: decimal division by 0")));
        }
        let exact = dec.zip(Dec::from_f64(b)).and_then(|(x, y)| match op {
            Op::Add => x.add(y),
            Op::Sub => x.add(y.neg()),
            Op::Mul => x.mul(y),
            Op::Div => x.div(y),
        });
        acc = match exact {
            Some(d) => d.to_f64(),
            None => match op {
                Op::Add => acc + b,
                Op::Sub => acc - b,
                Op::Mul => acc * b,
                Op::Div => acc / b,
            },
        };
        dec = exact.or_else(|| Dec::from_f64(acc));
    }
    Ok(acc)
}

/// Helm `add1f X`: `X + 1` in decimal.
pub fn add1f(v: Value) -> Result<f64, Error> {
    decimal_fold("add1f", float64(v), &[Value::from(1)], Op::Add)
}

/// Helm `addf A B …`: the decimal sum (0 for no arguments).
pub fn addf(args: Rest<Value>) -> Result<f64, Error> {
    decimal_fold("addf", 0.0, &args, Op::Add)
}

/// Helm `subf A B …`: `A - B - …` in decimal.
pub fn subf(a: Value, rest: Rest<Value>) -> Result<f64, Error> {
    decimal_fold("subf", float64(a), &rest, Op::Sub)
}

/// Helm `mulf A B …`: the decimal product.
pub fn mulf(a: Value, rest: Rest<Value>) -> Result<f64, Error> {
    decimal_fold("mulf", float64(a), &rest, Op::Mul)
}

/// Helm `divf A B …`: `A / B / …`, each quotient rounded to 16 places; by
/// zero is an error (a panic in Helm).
pub fn divf(a: Value, rest: Rest<Value>) -> Result<f64, Error> {
    decimal_fold("divf", float64(a), &rest, Op::Div)
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_function("add1", add1);
    env.add_function("add", add);
    env.add_function("sub", sub);
    env.add_function("div", div);
    env.add_function("mod", modulo);
    env.add_function("mul", mul);
    env.add_function("max", max);
    env.add_function("biggest", max);
    env.add_function("min", min);
    env.add_function("maxf", maxf);
    env.add_function("minf", minf);
    env.add_function("floor", floor);
    env.add_function("ceil", ceil);
    env.add_function("round", round);
    env.add_function("toDecimal", to_decimal);
    env.add_function("seq", seq);
    env.add_function("add1f", add1f);
    env.add_function("addf", addf);
    env.add_function("subf", subf);
    env.add_function("mulf", mulf);
    env.add_function("divf", divf);
}
