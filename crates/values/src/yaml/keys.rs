//! The order go-yaml prints map keys in (`keyList.Less`, v2's and v3's),
//! and the sort it uses, for the emitter.

use std::cmp::Ordering;

/// go-yaml v2 `keyList.Less` for string keys: a "natural" order, not byte
/// order. Non-letters sort before letters, runs of digits compare as
/// numbers (`a9` < `a10`, `1` < `01` < `2`), letters by code point.
/// With `v3`, go-yaml v3's version: right after equal digits a letter
/// sorts before a non-letter (`a1b` < `a1_`; v2: `a1_` < `a1b`).
pub(super) fn key_order(a: &str, b: &str, v3: bool) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    // Sorting a large map compares keys n·log n times: ASCII keys (nearly
    // all) are compared as bytes, which are their characters, without
    // collecting them first.
    if a.is_ascii() && b.is_ascii() {
        return natural_order(a.as_bytes(), b.as_bytes(), v3);
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    natural_order(&ar, &br, v3)
}

/// [`key_order`] on the keys' characters (`u8` for ASCII keys).
fn natural_order<C: Copy + Ord + Into<char>>(ar: &[C], br: &[C], v3: bool) -> Ordering {
    let digit = |c: C| c.into().is_ascii_digit();
    // v3: the last equal character was a digit (`unicode.IsDigit`).
    let mut digits = false;
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            digits = digit(ar[i]);
            continue;
        }
        let al = ar[i].into().is_alphabetic();
        let bl = br[i].into().is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            let a_first = if v3 && digits { al } else { bl };
            return if a_first {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i].into() == '0' || br[i].into() == '0' {
            // Inside a number whose earlier digits are not all zero, a zero
            // is a plain digit, not a leading zero.
            for j in (0..i).rev() {
                if !digit(ar[j]) {
                    break;
                }
                if ar[j].into() != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && digit(ar[ai]) {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(u32::from(ar[ai].into()) - u32::from('0')));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && digit(br[bi]) {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(u32::from(br[bi].into()) - u32::from('0')));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// A stable merge sort that only asks `less`: go-yaml's key order is not
/// guaranteed to be a total order on odd keys, and `sort_by` may panic on
/// an inconsistent comparator; this never does. One scratch copy serves
/// every level (a vector per level made `toYaml` of a large map page in
/// fresh memory over and over).
pub(super) fn merge_sort<T: Copy>(
    mut items: Vec<T>,
    less: impl Fn(&T, &T) -> bool + Copy,
) -> Vec<T> {
    if items.len() > 1 {
        let mut scratch = items.clone();
        sort_with(&mut items, &mut scratch, less);
    }
    items
}

/// Sorts `items` top-down (left half `len / 2`, ties to the left), using
/// `scratch`, of the same length, as working space.
fn sort_with<T: Copy>(items: &mut [T], scratch: &mut [T], less: impl Fn(&T, &T) -> bool + Copy) {
    let mid = items.len() / 2;
    if mid == 0 {
        return;
    }
    sort_with(&mut items[..mid], &mut scratch[..mid], less);
    sort_with(&mut items[mid..], &mut scratch[mid..], less);
    scratch.copy_from_slice(items);
    let (left, right) = scratch.split_at(mid);
    let (mut l, mut r) = (0, 0);
    for slot in items.iter_mut() {
        let take_right = match (left.get(l), right.get(r)) {
            (Some(a), Some(b)) => less(b, a),
            (None, _) => true,
            (_, None) => false,
        };
        if take_right {
            *slot = right[r];
            r += 1;
        } else {
            *slot = left[l];
            l += 1;
        }
    }
}

#[cfg(test)]
pub(super) fn tests_key_less(a: &str, b: &str) -> bool {
    key_order(a, b, false).is_lt()
}

#[cfg(test)]
mod sort_tests {
    use super::{merge_sort, natural_order};
    use proptest::prelude::*;

    proptest! {
        /// ASCII keys are compared as bytes: the same order as on their
        /// characters (digits, zeros, letters, punctuation mixed).
        #[test]
        fn ascii_keys_compare_as_bytes_as_they_do_as_characters(
            a in "[0a-c9_.-]{0,8}",
            b in "[0a-c9_.-]{0,8}",
        ) {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            for v3 in [false, true] {
                prop_assert_eq!(
                    natural_order(a.as_bytes(), b.as_bytes(), v3),
                    natural_order(&ac, &bc, v3)
                );
            }
        }
    }

    /// The sort as first written (a vector per level), kept as the
    /// reference for the order on inconsistent comparators.
    fn reference<T: Copy>(items: Vec<T>, less: impl Fn(&T, &T) -> bool + Copy) -> Vec<T> {
        if items.len() <= 1 {
            return items;
        }
        let mut left = items;
        let right = left.split_off(left.len() / 2);
        let (left, right) = (reference(left, less), reference(right, less));
        let mut out = Vec::new();
        let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
        loop {
            let take_right = match (l.peek(), r.peek()) {
                (Some(a), Some(b)) => less(b, a),
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (None, None) => break,
            };
            out.extend(if take_right { r.next() } else { l.next() });
        }
        out
    }

    #[test]
    fn sorts_as_the_reference_on_consistent_and_inconsistent_orders() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..200 {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 11) as u8, i)
                })
                .collect();
            let by_key = |a: &(u8, usize), b: &(u8, usize)| a.0 < b.0;
            let sorted = merge_sort(items.clone(), by_key);
            assert_eq!(sorted, reference(items.clone(), by_key));
            let mut stable = items.clone();
            stable.sort_by_key(|x| x.0);
            assert_eq!(sorted, stable);
            // Not a total order: the same result as before, no panic.
            let odd = |a: &(u8, usize), b: &(u8, usize)| (a.0 * 7 + b.0 * 3) % 5 < 2;
            assert_eq!(merge_sort(items.clone(), odd), reference(items, odd));
        }
    }
}
