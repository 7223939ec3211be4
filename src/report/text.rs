//! Plain-text reports: the per-claim summary (what snapshots store) and the verdict table.

use super::sig;
use crate::check::ClaimResult;
use crate::law::ClaimKind;
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
        }
        (Some(f), None) => {
            let _ = writeln!(
                out,
                "bound     {} = {:.2}   bootstrap 95% [{:.2}, {:.2}]",
                r.prediction.fit_description(),
                f.exponent,
                f.ci_bootstrap.0,
                f.ci_bootstrap.1,
            );
        }
        (None, _) => {
            let _ = writeln!(out, "fit       none");
        }
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
    let _ = writeln!(out, "predicted {symbol} {}", r.prediction.exponent.describe(r.tolerance));
    let _ = writeln!(out, "verdict   {}: {}", r.outcome.verdict, r.outcome.reason);
    let _ = writeln!(out, "control   shifted by {:+.2}: {}", r.control_delta, r.outcome.control);
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
            [
                r.theorem.clone(),
                r.claim.clone(),
                r.profile.name().to_string(),
                r.prediction.law.clone(),
                r.prediction.exponent.describe(r.tolerance),
                r.fit.as_ref().map_or("-".into(), |f| {
                    format!("{:.2} [{:.2}, {:.2}]", f.exponent, f.interval.0, f.interval.1)
                }),
                r.outcome.verdict.to_string(),
                format!("{} at {:+.2}", r.outcome.control.verdict, r.control_delta),
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
