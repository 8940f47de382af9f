//! Helpers shared by the crate's unit tests.

/// Calls `check` with every text made of exactly `len` of `pieces`, in a
/// fixed order (`pieces.len()^len` texts): the exhaustive small inputs the
/// hand-written scanners are checked against their regex or parser twins on.
pub(crate) fn each_text(pieces: &[&str], len: usize, mut check: impl FnMut(&str)) {
    let mut text = String::new();
    let count = u32::try_from(len).map_or(usize::MAX, |len| pieces.len().pow(len));
    for n in 0..count {
        text.clear();
        let mut k = n;
        for _ in 0..len {
            text.push_str(pieces[k % pieces.len()]);
            k /= pieces.len();
        }
        check(&text);
    }
}
