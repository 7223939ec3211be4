//! Plain-text reports: the per-claim summary (what snapshots store) and the verdict table.

use super::sig;
use crate::check::{finite_size, ClaimResult, LACK_OF_FIT_LEVEL};
use crate::law::{ClaimKind, Control, Judge};
use crate::theorem::LoadedCard;
use crate::verdict::Verdict;
use std::fmt::Write;

/// What the reports add after a claim's trial count when its trials share their draws across
/// sizes (card `shared_draws`): the text report here and `thm show`.
pub const SHARED_DRAWS_NOTE: &str = " (each one draw shared by every size)";

/// The per-claim summary: predicted law, per-size thresholds, fit, verdict and control,
/// rounded (3 significant figures; exponents to 2 decimals) so that it reads as a result and
/// changes only when a result does.
pub fn claim_report(card: &LoadedCard, r: &ClaimResult) -> String {
    let (s, o) = (r.prediction.size.as_str(), r.prediction.observable.as_str());
    let mut out = String::new();
    let kind = r.prediction.kind;
    let _ = writeln!(out, "theorem   {} / {}   ({})", r.theorem, r.claim, kind.name());
    let _ = writeln!(out, "source    {}", card.citation.short());
    let _ = writeln!(out, "law       {}   ({})", r.prediction.law, r.prediction.rationale);
    let shared = if r.shared_draws { SHARED_DRAWS_NOTE } else { "" };
    let _ = writeln!(
        out,
        "profile   {}   seed {}   trials {}{shared}",
        r.profile.name(),
        r.seed,
        r.trials
    );
    let label = format!("{o}({s})");
    let width = (label.chars().count() + 2).max(10);
    let mut sizes = format!("{s:<width$}");
    let mut medians = format!("{label:<width$}");
    for size in &r.sizes {
        let _ = write!(sizes, "{:<10}", size);
    }
    for m in &r.medians {
        let _ = write!(medians, "{:<10}", m.map_or("censored".into(), |v| sig(v, 3)));
    }
    if r.observations.is_empty() {
        let _ = write!(medians, "not run");
    }
    let _ = writeln!(out, "{}", sizes.trim_end());
    let _ = writeln!(out, "{}", medians.trim_end());
    match (&r.fit, f_line(r)) {
        (Some(f), Some((ci_t, r2, theil_sen))) => {
            let _ = writeln!(
                out,
                "fit       {}   a = {:.2}   t 95% [{:.2}, {:.2}]   bootstrap 95% [{:.2}, {:.2}]   R² = {:.3}   Theil–Sen {:.2}",
                r.prediction.fit_description(),
                f.exponent,
                ci_t.0,
                ci_t.1,
                f.ci_bootstrap.0,
                f.ci_bootstrap.1,
                r2,
                theil_sen
            );
            let _ = writeln!(out, "          {}", interval_note(f.lack_of_fit_p, f.interval));
        }
        (Some(f), None) => {
            let _ = writeln!(
                out,
                "bound     {} = {:.2}   interval [{:.2}, {:.2}] (intersection–union: smallest one-sided lower bound, smallest upper bound)",
                r.prediction.fit_description(),
                f.exponent,
                f.interval.0,
                f.interval.1,
            );
            if let Some(bounds) = &f.bounds {
                let b: Vec<String> = bounds
                    .iter()
                    .map(|(lo, hi)| format!("[{}, {}]", sig(*lo, 3), sig(*hi, 3)))
                    .collect();
                let _ = writeln!(out, "          per size {}", b.join(" "));
            }
        }
        (None, _) => {
            let _ = writeln!(out, "fit       none");
        }
    }
    if let Some(fs) = &r.finite_size {
        let predicted: Vec<String> = fs.predicted.iter().map(|&v| sig(v, 3)).collect();
        let _ = writeln!(out, "finite    predicted {label}: {}", predicted.join(" "));
        let _ = writeln!(out, "          from {}", fs.provenance);
        let ratios: Vec<String> = fs
            .ratios
            .iter()
            .map(|(v, (lo, hi))| format!("{} [{}, {}]", sig(*v, 3), sig(*lo, 3), sig(*hi, 3)))
            .collect();
        let what = if kind == ClaimKind::LinearGrowth { "difference" } else { "ratio" };
        let _ = writeln!(out, "          measured / predicted ({what}) {}", ratios.join("  "));
        let _ = writeln!(
            out,
            "          slope of {} against {} = {:.3}   t 95% [{:.3}, {:.3}]   bootstrap 95% [{:.3}, {:.3}]",
            finite_size::residual_label(kind, o),
            finite_size::x_label(kind, s),
            fs.slope,
            fs.ci_t.0,
            fs.ci_t.1,
            fs.ci_bootstrap.0,
            fs.ci_bootstrap.1
        );
        let _ = writeln!(out, "          {}", interval_note(fs.lack_of_fit_p, fs.interval));
    }
    if let Some(sides) = r.fit.as_ref().and_then(|f| f.sides.as_ref()) {
        for (name, side) in ["faster", "slower"].iter().zip(sides) {
            let medians: Vec<String> = side.medians.iter().map(|&m| sig(m, 3)).collect();
            let _ = writeln!(
                out,
                "{name:<9} {o}: {}   a = {:.2}   t 95% [{:.2}, {:.2}]   bootstrap 95% [{:.2}, {:.2}]",
                medians.join(" "),
                side.exponent,
                side.ci_t.0,
                side.ci_t.1,
                side.ci_bootstrap.0,
                side.ci_bootstrap.1
            );
        }
    }
    let symbol = match r.prediction.kind {
        ClaimKind::LowerBound => "margin",
        ClaimKind::Separation { .. } => "a_slower - a_faster",
        _ => "a =",
    };
    match r.judge {
        Judge::Exponent => {
            let _ =
                writeln!(out, "predicted {symbol} {}", r.prediction.exponent.describe(r.tolerance));
        }
        Judge::FiniteSize => {
            let _ = writeln!(
                out,
                "predicted slope 0.00 ± {:.2} (finite-size; the asymptotic {symbol} {} is reported above, not judged)",
                r.tolerance,
                r.prediction.exponent.describe(r.tolerance)
            );
        }
    }
    let _ = writeln!(out, "verdict   {}: {}", r.outcome.verdict, r.outcome.reason);
    let _ = writeln!(out, "control   {}: {}", control_label(&r.control), r.outcome.control);
    if let Some(e) = &r.exploration {
        let _ = writeln!(out, "explore   {} (exploratory: measured, not judged)", e.quantity);
        if let Some(why) = &e.not_fitted {
            let _ = writeln!(out, "          not fitted: {why}");
        }
        let ratio = e.ratio.as_ref().map(|f| {
            let name = match (e.series.first(), e.series.last()) {
                (Some((first, _)), Some((last, _))) => format!("{last} / {first}"),
                _ => "ratio".into(),
            };
            (name, f)
        });
        for (name, f) in e.series.iter().map(|(n, f)| (n.clone(), f)).chain(ratio) {
            let medians: Vec<String> = f.medians.iter().map(|&m| sig(m, 3)).collect();
            let _ = writeln!(
                out,
                "          {name}: {}   slope {:.2}   t 95% [{:.2}, {:.2}]   bootstrap 95% [{:.2}, {:.2}]",
                medians.join(" "),
                f.exponent,
                f.ci_t.0,
                f.ci_t.1,
                f.ci_bootstrap.0,
                f.ci_bootstrap.1
            );
        }
    }
    out
}

/// One line per exploratory measurement: its slopes with their intervals, labelled as not
/// judged.
fn exploration_line(r: &ClaimResult) -> Option<String> {
    let e = r.exploration.as_ref()?;
    let body = match &e.not_fitted {
        Some(why) => format!("not fitted: {why}"),
        None => {
            let interval = |f: &crate::check::SideFit| {
                format!("{:.2} [{:.2}, {:.2}]", f.exponent, f.interval.0, f.interval.1)
            };
            let mut parts: Vec<String> =
                e.series.iter().map(|(n, f)| format!("{n} {}", interval(f))).collect();
            if let Some(f) = &e.ratio {
                parts.push(format!("ratio {}", interval(f)));
            }
            format!("slopes {}", parts.join(", "))
        }
    };
    Some(format!("{}/{}: exploratory, not judged: {}: {body}", r.theorem, r.claim, e.quantity))
}

/// Which interval the verdict used, and why.
fn interval_note(lack_of_fit_p: Option<f64>, interval: (f64, f64)) -> String {
    let used = format!("interval used [{:.3}, {:.3}]", interval.0, interval.1);
    match lack_of_fit_p {
        None => format!("{used} (unweighted: the hull of the t and bootstrap intervals)"),
        Some(p) if p < LACK_OF_FIT_LEVEL => format!(
            "{used} (weighted by the bootstrap variances; lack of fit, p = {}: the hull of both)",
            sig(p, 2)
        ),
        Some(p) => format!(
            "{used} (weighted by the bootstrap variances; the line fits, p = {}: the bootstrap interval)",
            sig(p, 2)
        ),
    }
}

/// How a control reads in a report: `shifted by +0.50` or `rival d-log-d (n* ~ d log d)`.
pub fn control_label(control: &Control) -> String {
    match control {
        Control::Shift(delta) => format!("shifted by {delta:+.2}"),
        Control::Rival(rival) => format!("rival {} ({})", rival.name, rival.law),
    }
}

/// The line-only parts of a fit: t interval, R², Theil–Sen (absent for a lower bound).
fn f_line(r: &ClaimResult) -> Option<((f64, f64), f64, f64)> {
    let f = r.fit.as_ref()?;
    Some((f.ci_t?, f.r_squared?, f.theil_sen?))
}

/// The verdict table of a `thm check`: one row per claim, then the reasons.
pub fn verdict_table(results: &[ClaimResult]) -> String {
    let mut out = String::new();
    let header =
        ["theorem", "claim", "profile", "law", "predicted", "fitted [95%]", "verdict", "control"];
    let rows: Vec<[String; 8]> = results
        .iter()
        .map(|r| {
            let control = match &r.control {
                Control::Shift(delta) => format!("{} at {delta:+.2}", r.outcome.control.verdict),
                Control::Rival(rival) => format!("{}: {}", r.outcome.control.verdict, rival.name),
            };
            let (law, predicted, fitted) = match (r.judge, &r.finite_size) {
                (Judge::FiniteSize, fs) => (
                    format!("{} at each finite {}", r.prediction.law, r.prediction.size),
                    format!("slope 0 ± {:.2}", r.tolerance),
                    fs.as_ref().map_or("-".into(), |f| {
                        format!("{:.3} [{:.3}, {:.3}]", f.slope, f.interval.0, f.interval.1)
                    }),
                ),
                (Judge::Exponent, _) => (
                    r.prediction.law.clone(),
                    r.prediction.exponent.describe(r.tolerance),
                    r.fit.as_ref().map_or("-".into(), |f| {
                        format!("{:.2} [{:.2}, {:.2}]", f.exponent, f.interval.0, f.interval.1)
                    }),
                ),
            };
            [
                r.theorem.clone(),
                r.claim.clone(),
                r.profile.name().to_string(),
                law,
                predicted,
                fitted,
                r.outcome.verdict.to_string(),
                control,
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (c, w) in cells.iter().zip(widths) {
            let pad = w - c.chars().count();
            let _ = write!(l, "{c}{}  ", " ".repeat(pad));
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header.map(String::from)));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }
    let _ = writeln!(out);
    for r in results {
        let _ =
            writeln!(out, "{}/{}: {}: {}", r.theorem, r.claim, r.outcome.verdict, r.outcome.reason);
        if let Some(line) = exploration_line(r) {
            let _ = writeln!(out, "{line}");
        }
    }
    let count = |v: Verdict| results.iter().filter(|r| r.outcome.verdict == v).count();
    let _ = writeln!(
        out,
        "\n{} claim{}: {} confirmed, {} refuted, {} inconclusive",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        count(Verdict::Confirmed),
        count(Verdict::Refuted),
        count(Verdict::Inconclusive)
    );
    out
}
