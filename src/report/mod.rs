//! Reports: the only place numbers are formatted.
//!
//! * [`text`]: the per-claim summary that snapshots store, and the verdict table;
//! * [`json`]: one stable record per claim for `--json`;
//! * [`figure`] and [`plot`]: one SVG per claim for `--plot`;
//! * [`html`]: a static results site (a verdict table and one page per claim) for
//!   `--report` and `thm report`.
//!
//! **Architecture Invariant:** reports never contain timestamps, durations, host names,
//! thread counts or absolute paths, so two runs of the same check compare byte for byte.

pub mod figure;
pub mod html;
pub mod json;
pub mod plot;
pub mod text;

/// `x` with `sig` significant figures, in plain notation for moderate magnitudes and
/// scientific notation otherwise: `1.70e3`, `0.0625`, `42.0`.
pub fn sig(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let exp = x.abs().log10().floor() as i32;
    if (-2..sig as i32).contains(&exp) {
        let decimals = (sig as i32 - 1 - exp).max(0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.prec$e}", prec = sig.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::sig;

    #[test]
    fn significant_figures() {
        assert_eq!(sig(1704.2, 3), "1.70e3");
        assert_eq!(sig(0.0625, 3), "0.0625");
        assert_eq!(sig(42.0, 3), "42.0");
        assert_eq!(sig(3.814_697e-6, 3), "3.81e-6");
        assert_eq!(sig(-0.5, 2), "-0.50");
        assert_eq!(sig(f64::INFINITY, 3), "inf");
    }
}
