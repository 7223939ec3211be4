//! The figure of one claim: per-trial points, medians, the fitted line, the predicted line and
//! the control, on the axes the claim's law is a straight line on.

use super::plot::{Figure, Line, LineStyle, Scale};
use super::sig;
use crate::check::ClaimResult;
use crate::law::{ClaimKind, Control};
use crate::theorem::{Observation, Panel};

/// Points per drawn line (the `d log d` law is curved on log-log axes).
const LINE_POINTS: usize = 24;

/// Builds the figure of a claim's result.
pub fn claim_figure(r: &ClaimResult) -> Figure {
    let kind = r.prediction.kind;
    let (s, o) = (r.prediction.size.as_str(), r.prediction.observable.as_str());
    let x_scale = match kind {
        ClaimKind::ExponentialDecay | ClaimKind::LinearGrowth => Scale::Linear,
        _ => Scale::Log,
    };
    let mut trial_points = Vec::new();
    for (size, row) in r.sizes.iter().zip(&r.observations) {
        for obs in row {
            match obs {
                Observation::Value(v) => trial_points.push((*size as f64, *v)),
                // A separation: the trial's ratio of the two thresholds, when both crossed.
                Observation::Pair(a, b) => {
                    if let (Observation::Value(f), Observation::Value(l)) = (&**a, &**b) {
                        trial_points.push((*size as f64, l / f));
                    }
                }
                _ => {}
            }
        }
    }
    let medians: Vec<(f64, f64)> = r
        .sizes
        .iter()
        .zip(&r.medians)
        .filter_map(|(size, m)| m.map(|m| (*size as f64, m)))
        .collect();
    let mut lines = Vec::new();
    let (lo, hi) = (r.sizes[0] as f64, r.sizes[r.sizes.len() - 1] as f64);
    let level = |y: f64| vec![(lo, y), (hi, y)];
    match &r.fit {
        Some(fit) if !kind.fits_a_line() => {
            let bound = r.prediction.exponent.value();
            lines.push(Line {
                label: format!(
                    "smallest median {:.2} [{:.2}, {:.2}]",
                    fit.exponent, fit.interval.0, fit.interval.1
                ),
                style: LineStyle::Fitted,
                points: level(fit.exponent),
            });
            lines.push(Line {
                label: format!("bound {}", r.prediction.exponent.describe(r.tolerance)),
                style: LineStyle::Predicted,
                points: level(bound - r.tolerance),
            });
            match &r.control {
                Control::Shift(delta) => lines.push(Line {
                    label: format!("control: bound raised to {}", sig(bound + delta, 3)),
                    style: LineStyle::Control,
                    points: level(bound + delta - r.tolerance),
                }),
                Control::Rival(rival) if r.control_curve.len() == r.sizes.len() => {
                    lines.push(Line {
                        label: format!("control: rival {} ({})", rival.name, rival.law),
                        style: LineStyle::Control,
                        points: r
                            .sizes
                            .iter()
                            .zip(&r.control_curve)
                            .map(|(&s, &e)| (s as f64, bound + e - r.tolerance))
                            .collect(),
                    });
                }
                Control::Rival(_) => {}
            }
        }
        Some(fit) => line_figure(r, fit, &medians, x_scale, &mut lines),
        None => {}
    }
    Figure {
        title: format!(
            "{} / {}: {} ({} profile, seed {})",
            r.theorem,
            r.claim,
            r.prediction.law,
            r.profile.name(),
            r.seed
        ),
        subtitle: format!("{}: {}", r.outcome.verdict, r.outcome.reason),
        x_label: s.to_string(),
        y_label: match kind {
            ClaimKind::ThresholdScaling { .. } => format!("{o}: samples to threshold"),
            ClaimKind::LowerBound => format!("{o}: margin over the bound"),
            ClaimKind::Separation { .. } => format!("{o}(slower) / {o}(faster)"),
            // Decays: the module's own name of the observable (`err`, `R/γ`, ...).
            ClaimKind::LinearGrowth | ClaimKind::PowerDecay | ClaimKind::ExponentialDecay => {
                o.to_string()
            }
        },
        x_scale,
        y_scale: match kind {
            ClaimKind::LowerBound | ClaimKind::LinearGrowth => Scale::Linear,
            _ => Scale::Log,
        },
        trial_points,
        medians,
        lines,
    }
}

/// The fitted, predicted and control lines of a claim judged on a fitted line, drawn through
/// the centroid of the medians in the fit's coordinates.
fn line_figure(
    r: &ClaimResult,
    fit: &crate::check::Fit,
    medians: &[(f64, f64)],
    x_scale: Scale,
    lines: &mut Vec<Line>,
) {
    let kind = r.prediction.kind;
    let coords: Vec<(f64, f64)> = medians.iter().map(|&(x, y)| kind.coordinates(x, y)).collect();
    let n = coords.len() as f64;
    let x_bar = coords.iter().map(|c| c.0).sum::<f64>() / n;
    let y_bar = coords.iter().map(|c| c.1).sum::<f64>() / n;
    let (lo, hi) = (r.sizes[0] as f64, r.sizes[r.sizes.len() - 1] as f64);
    let line_through_centroid = |exponent: f64| -> Vec<(f64, f64)> {
        let slope = kind.slope_of_exponent(exponent);
        (0..LINE_POINTS)
            .map(|i| {
                let t = i as f64 / (LINE_POINTS - 1) as f64;
                let size = match x_scale {
                    Scale::Log => (lo.ln() + t * (hi.ln() - lo.ln())).exp(),
                    Scale::Linear => lo + t * (hi - lo),
                };
                let x = kind.coordinates(size, 1.0).0;
                (size, kind.observable_at(size, y_bar + slope * (x - x_bar)))
            })
            .collect()
    };
    let predicted = r.prediction.exponent.value();
    lines.push(Line {
        label: format!("fitted {:.2} [{:.2}, {:.2}]", fit.exponent, fit.interval.0, fit.interval.1),
        style: LineStyle::Fitted,
        points: line_through_centroid(fit.exponent),
    });
    lines.push(Line {
        label: format!("predicted {}", r.prediction.exponent.describe(r.tolerance)),
        style: LineStyle::Predicted,
        points: line_through_centroid(predicted),
    });
    match &r.control {
        Control::Shift(delta) => lines.push(Line {
            label: format!("control {}", sig(predicted + delta, 3)),
            style: LineStyle::Control,
            points: line_through_centroid(predicted + delta),
        }),
        Control::Rival(rival) => {
            if let Some(points) = curve_through_centroid(r, &r.control_curve, y_bar) {
                lines.push(Line {
                    label: format!("control: rival {} ({})", rival.name, rival.law),
                    style: LineStyle::Control,
                    points,
                });
            }
        }
    }
    if let Some(fs) = &r.finite_size {
        // The finite-size prediction as computed, not rescaled: it states the values.
        lines.push(Line {
            label: format!(
                "finite-size prediction (slope of the ratio {:.3} [{:.3}, {:.3}])",
                fs.slope, fs.interval.0, fs.interval.1
            ),
            style: LineStyle::Reference,
            points: r.sizes.iter().map(|&s| s as f64).zip(fs.predicted.iter().copied()).collect(),
        });
    }
}

/// A curve known up to a constant factor (a rival law), scaled so that it passes through the
/// centroid of the medians in the fit's coordinates: its shape against the data's.
fn curve_through_centroid(r: &ClaimResult, curve: &[f64], y_bar: f64) -> Option<Vec<(f64, f64)>> {
    let kind = r.prediction.kind;
    if curve.len() != r.sizes.len() {
        return None;
    }
    let coords: Vec<(f64, f64)> =
        r.sizes.iter().zip(curve).map(|(&s, &c)| kind.coordinates(s as f64, c)).collect();
    let c_bar = coords.iter().map(|c| c.1).sum::<f64>() / coords.len() as f64;
    Some(
        r.sizes
            .iter()
            .zip(&coords)
            .map(|(&s, &(_, y))| (s as f64, kind.observable_at(s as f64, y - c_bar + y_bar)))
            .collect(),
    )
}

/// The figure of a module's supplementary panel: simulated points and medians, with the
/// analytic curves drawn as predicted (first) and control-styled (the rest) lines.
pub fn panel_figure(p: &Panel) -> Figure {
    let scale = |log: bool| if log { Scale::Log } else { Scale::Linear };
    Figure {
        title: p.title.clone(),
        subtitle: String::new(),
        x_label: p.x_label.clone(),
        y_label: p.y_label.clone(),
        x_scale: scale(p.log_x),
        y_scale: scale(p.log_y),
        trial_points: p.points.clone(),
        medians: p.medians.clone(),
        lines: p
            .curves
            .iter()
            .enumerate()
            .map(|(i, (label, points))| Line {
                label: label.clone(),
                style: match i {
                    0 => LineStyle::Predicted,
                    1 => LineStyle::Control,
                    2 => LineStyle::Reference,
                    _ => LineStyle::Auxiliary,
                },
                points: points.clone(),
            })
            .collect(),
    }
}
