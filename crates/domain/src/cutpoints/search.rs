//! Searching the engine's answer for the first value of a band: bisection, and a
//! search outwards from a guess (exact whatever the guess).

/// The smallest `v` in `lo..=hi` with `pred(v)`, `hi + 1` if none; `pred` must be
/// monotone (false then true).
pub(super) fn first_true(lo: i64, hi: i64, pred: impl Fn(i64) -> bool) -> i64 {
    if pred(lo) {
        return lo;
    }
    if !pred(hi) {
        return hi + 1;
    }
    let (mut a, mut b) = (lo, hi);
    while b - a > 1 {
        let m = a + (b - a) / 2;
        if pred(m) { b = m } else { a = m }
    }
    b
}

/// The smallest `v` in `a + 1..=b` with `pred(v)`, given `pred(a)` false and `pred(b)` true.
pub(super) fn bisect(mut a: i64, mut b: i64, pred: impl Fn(i64) -> bool) -> i64 {
    while b - a > 1 {
        let m = a + (b - a) / 2;
        if pred(m) { b = m } else { a = m }
    }
    b
}

/// [`first_true`] searched outwards from `guess` (steps 1, 2, 4, … then bisection): the
/// same answer for any guess, in two evaluations when the guess is the answer and about
/// `2·log2(error)` otherwise.
pub(super) fn first_true_near(guess: i64, lo: i64, hi: i64, pred: impl Fn(i64) -> bool) -> i64 {
    let g = guess.clamp(lo, hi);
    let mut step = 1;
    if pred(g) {
        let mut t = g;
        loop {
            if t == lo {
                return lo;
            }
            let probe = (t - step).max(lo);
            if !pred(probe) {
                return bisect(probe, t, &pred);
            }
            t = probe;
            step *= 2;
        }
    } else {
        let mut f = g;
        loop {
            if f == hi {
                return hi + 1;
            }
            let probe = (f + step).min(hi);
            if pred(probe) {
                return bisect(f, probe, &pred);
            }
            f = probe;
            step *= 2;
        }
    }
}

/// Cuts of a monotone band function over `lo..=hi` with `n` bands.
pub(super) fn cuts(lo: i64, hi: i64, n: usize, band: impl Fn(i64) -> usize) -> Vec<i64> {
    (1..n)
        .map(|k| first_true(lo, hi, |v| band(v) >= k))
        .collect()
}

/// [`cuts`] searched from `guesses` (one per cut).
pub(super) fn cuts_near(
    guesses: &[i64],
    lo: i64,
    hi: i64,
    band: impl Fn(i64) -> usize,
) -> Vec<i64> {
    guesses
        .iter()
        .enumerate()
        .map(|(i, &g)| first_true_near(g, lo, hi, |v| band(v) > i))
        .collect()
}
