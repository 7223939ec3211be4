//! Dependency-free SVG rendering of one scaling-law figure.
//!
//! A figure shows the measured quantity against the swept size: every
//! individual trial as a small translucent grey dot, the per-size median as a
//! larger black marker, and any number of lines on top (the fitted power law,
//! the theory's predicted law, a control). Axes may be linear or logarithmic;
//! on log-log axes a power law is a straight line whose slope is the exponent.
//!
//! [`render_svg`] is a pure function of its input: the same [`Figure`] always
//! yields byte-identical SVG (fixed decimal formatting, no ids derived from
//! time, randomness or hash-map order). A trial dot is a zero-length round-capped
//! stroke, `<path d="Mx yh0"/>` with one decimal, as compact as a dot can be: a
//! figure may hold thousands. Non-finite points, and non-positive
//! points on a log axis, are skipped; the output never contains `NaN`.

use std::fmt::Write as _;

/// Which axis transform a figure uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Values are placed proportionally to their value.
    Linear,
    /// Values are placed proportionally to `log10(value)`; only positive values are shown.
    Log,
}

/// How a line is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    /// The law fitted to the data: solid blue, 2px.
    Fitted,
    /// The law the theory predicts: dashed orange.
    Predicted,
    /// A control or alternative law: dotted red.
    Control,
    /// A further reference curve of a panel: dash-dotted green.
    Reference,
    /// Any curve beyond those: long-dashed purple.
    Auxiliary,
}

/// A labelled polyline drawn over the data, through `points` in order.
#[derive(Clone, Debug)]
pub struct Line {
    /// Legend text for the line.
    pub label: String,
    /// Colour and dash pattern.
    pub style: LineStyle,
    /// `(x, y)` points in data coordinates, joined in the given order.
    pub points: Vec<(f64, f64)>,
}

/// Everything needed to draw one scaling-law figure.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Title, drawn at the top in 16px.
    pub title: String,
    /// Second line under the title (e.g. the verdict sentence); may be empty.
    pub subtitle: String,
    /// Label under the horizontal axis.
    pub x_label: String,
    /// Label beside the vertical axis.
    pub y_label: String,
    /// Transform of the horizontal axis.
    pub x_scale: Scale,
    /// Transform of the vertical axis.
    pub y_scale: Scale,
    /// One point per (size, trial): small, light, translucent.
    pub trial_points: Vec<(f64, f64)>,
    /// One point per size: larger dark markers.
    pub medians: Vec<(f64, f64)>,
    /// Lines drawn over the points, listed in the legend in this order.
    pub lines: Vec<Line>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 480.0;
const LEFT: f64 = 72.0;
const TOP: f64 = 62.0;
const BOTTOM: f64 = 56.0;
/// Rough advance width of one 12px sans-serif character, for layout only.
const CHAR_W: f64 = 6.8;
const MAX_LEGEND_CHARS: usize = 34;
const NO_DATA: &str = "no finite data to plot";
const SVG_OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="720" height="480" viewBox="0 0 720 480" font-family="sans-serif" font-size="12">"#;
const MID: &str = r#" text-anchor="middle""#;
const END: &str = r#" text-anchor="end""#;
const TRIAL: &str = r##" fill="#999999" fill-opacity="0.5""##;
/// The trial dots' group: the colour of [`TRIAL`] on round-capped strokes 4 wide.
const TRIAL_DOTS: &str = r##" fill="none" stroke="#999999" stroke-opacity="0.5" stroke-width="4" stroke-linecap="round""##;
const MEDIAN: &str = r##" fill="#000000""##;
const GRID: &str = r##" stroke="#e5e5e5""##;

impl Scale {
    /// Transformed coordinate of `v`, or `None` if `v` cannot be drawn on this axis.
    fn fwd(self, v: f64) -> Option<f64> {
        let t = match self {
            Scale::Linear => v,
            Scale::Log if v > 0.0 => v.log10(),
            Scale::Log => return None,
        };
        // The magnitude cap keeps every later span computation finite.
        (t.is_finite() && t.abs() <= 1e300).then_some(t)
    }
}

impl LineStyle {
    /// Stroke attributes: colour, width and dash pattern.
    fn stroke(self) -> &'static str {
        match self {
            LineStyle::Fitted => r##" stroke="#1f77b4" stroke-width="2""##,
            LineStyle::Predicted => {
                r##" stroke="#ff7f0e" stroke-width="2" stroke-dasharray="7,4""##
            }
            LineStyle::Control => r##" stroke="#d62728" stroke-width="2" stroke-dasharray="2,3""##,
            LineStyle::Reference => {
                r##" stroke="#2ca02c" stroke-width="2" stroke-dasharray="9,3,2,3""##
            }
            LineStyle::Auxiliary => {
                r##" stroke="#9467bd" stroke-width="2" stroke-dasharray="12,5""##
            }
        }
    }
}

/// One axis: transformed range `[lo, hi]` mapped linearly onto pixels `[p0, p1]`.
#[derive(Clone, Copy, Debug)]
struct Axis {
    scale: Scale,
    lo: f64,
    hi: f64,
    p0: f64,
    p1: f64,
}

impl Axis {
    /// Axis covering the transformed values `ts` (non-empty) with 5% padding.
    fn fit(scale: Scale, ts: impl Iterator<Item = f64> + Clone, p0: f64, p1: f64) -> Axis {
        let mut lo = ts.clone().fold(f64::INFINITY, f64::min);
        let mut hi = ts.fold(f64::NEG_INFINITY, f64::max);
        if hi - lo <= 1e-9 * lo.abs().max(hi.abs()).max(1e-290) {
            // Degenerate range: widen symmetrically instead of dividing by zero.
            let mid = 0.5 * (lo + hi);
            let half = match scale {
                Scale::Log => 0.5,
                Scale::Linear if mid.abs() > 1e-290 => 0.1 * mid.abs(),
                Scale::Linear => 1.0,
            };
            (lo, hi) = (mid - half, mid + half);
        }
        let pad = 0.05 * (hi - lo);
        let (lo, hi) = (lo - pad, hi + pad);
        Axis { scale, lo, hi, p0, p1 }
    }

    /// Pixel position of an already transformed coordinate `t`.
    fn pos(&self, t: f64) -> f64 {
        self.p0 + (t - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)
    }

    /// Pixel position of the data value `v`, or `None` if it is not drawable.
    fn map(&self, v: f64) -> Option<f64> {
        // No magnitude cap here: ticks may lie beyond the data's extreme values.
        let t = match self.scale {
            Scale::Linear => v,
            Scale::Log => v.log10(),
        };
        Some(self.pos(t)).filter(|p| p.is_finite())
    }

    /// Tick values (in data units) inside the axis range.
    fn ticks(&self) -> Vec<f64> {
        match self.scale {
            Scale::Linear => linear_ticks(self.lo, self.hi),
            Scale::Log => log_ticks(self.lo, self.hi),
        }
    }
}

/// `10^k`, also accurate where the result is subnormal.
fn pow10(k: i32) -> f64 {
    10f64.powf(f64::from(k))
}

/// Multiples of a 1-2-5 step inside `[lo, hi]`, aiming for 4 to 8 ticks.
fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return Vec::new();
    }
    let e = span.log10().floor() as i32;
    let steps = (e - 2..=e + 1).flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * pow10(k)));
    let mut best = (f64::INFINITY, 0.0, -1.0, 1.0); // (badness, first, last, step)
    for step in steps {
        let (a, b) = ((lo / step - 1e-9).ceil(), (hi / step + 1e-9).floor());
        let n = b - a + 1.0;
        let bad = if n < 4.0 { 4.0 - n } else { (n - 8.0).max(0.0) };
        if !(step.is_normal() && n.is_finite() && n < 1e3) {
            continue; // underflowing step or absurd count: never allocate for it
        }
        // Steps grow along the loop, so `<=` prefers the coarsest acceptable step.
        if bad <= best.0 {
            best = (bad, a, b, step);
        }
    }
    let (_, a, b, step) = best; // no acceptable step leaves the empty range 0..=-1
    (a as i64..=b as i64).map(|i| i as f64 * step).collect()
}

/// Ticks for a log axis whose transformed range is `[lo, hi]` (in decades):
/// powers of ten when at least two fit, otherwise 1-2-5 values.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let inside = |v: f64| (lo - 1e-9..=hi + 1e-9).contains(&v.log10());
    let (a, b) = ((lo - 1e-9).ceil() as i32, (hi + 1e-9).floor() as i32);
    let decades = b - a + 1;
    let candidates =
        (lo.floor() as i32..=hi.ceil() as i32).flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * pow10(k)));
    let nice: Vec<f64> = candidates.filter(|&v| inside(v)).collect();
    if decades >= 3 || (decades >= 2 && nice.len() > 8) {
        let step = ((decades + 7) / 8).max(1);
        let ks = (a..=b).filter(|k| k.rem_euclid(step) == 0);
        ks.map(pow10).collect()
    } else if nice.len() >= 2 {
        nice
    } else {
        let t = linear_ticks(10f64.powf(lo), 10f64.powf(hi));
        let t: Vec<f64> = t.into_iter().filter(|&v| v > 0.0 && inside(v)).collect();
        if t.is_empty() {
            nice
        } else {
            t
        }
    }
}

/// Short tick label: `0.5`, `64`, `1e3`, `2e-5`, `2.5e4`.
fn fmt_tick(v: f64) -> String {
    let trim = |s: String| match s.contains('.') {
        true => s.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => s,
    };
    if v == 0.0 || !v.is_finite() {
        return "0".to_string();
    }
    if (0.01..1000.0).contains(&v.abs()) {
        return trim(format!("{v:.3}"));
    }
    let mut e = v.abs().log10().floor() as i32;
    let mut m = trim(format!("{:.2}", v / pow10(e)));
    if m.trim_start_matches('-') == "10" {
        e += 1;
        m = if v < 0.0 { "-1" } else { "1" }.to_string();
    }
    format!("{m}e{e}")
}

/// Escapes the XML special characters `& < > " '`.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Minimal SVG writer; every number is printed with two decimals.
struct Svg(String);

impl Svg {
    /// Appends an empty element `<tag k="v.vv" ... attrs/>`; `attrs` is raw markup.
    fn el(&mut self, tag: &str, nums: &[(&str, f64)], attrs: &str) {
        let _ = write!(self.0, "<{tag}");
        for (k, v) in nums {
            let _ = write!(self.0, r#" {k}="{v:.2}""#);
        }
        let _ = writeln!(self.0, "{attrs}/>");
    }

    /// Appends a `<line>` from `(x1, y1)` to `(x2, y2)`.
    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        let xy = [("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)];
        self.el("line", &xy, attrs);
    }

    /// Appends a `<rect>` `(x, y, width, height)` with corner radius `rx`.
    fn rect(&mut self, (x, y, w, h): (f64, f64, f64, f64), rx: f64, attrs: &str) {
        let r = [("x", x), ("y", y), ("width", w), ("height", h), ("rx", rx)];
        self.el("rect", &r[..if rx > 0.0 { 5 } else { 4 }], attrs);
    }

    /// Appends a `<circle>` of radius `r` centred on `(cx, cy)`.
    fn circle(&mut self, cx: f64, cy: f64, r: f64, attrs: &str) {
        self.el("circle", &[("cx", cx), ("cy", cy), ("r", r)], attrs);
    }

    /// Appends a `<text>` element; `attrs` is raw markup, `content` is escaped.
    fn text(&mut self, x: f64, y: f64, attrs: &str, content: &str) {
        let c = esc(content);
        let _ = writeln!(self.0, r#"<text x="{x:.2}" y="{y:.2}"{attrs}>{c}</text>"#);
    }
}

/// Transformed coordinates of the points of `pts` drawable on both axes, in order.
fn project(fig: &Figure, pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let f = |&(x, y): &(f64, f64)| Some((fig.x_scale.fwd(x)?, fig.y_scale.fwd(y)?));
    pts.iter().filter_map(f).collect()
}

/// What a legend entry shows next to its label.
enum Swatch {
    Trial,
    Median,
    Line(LineStyle),
}

/// Legend entries in order: trials and median (if drawn), then each line.
fn legend(fig: &Figure) -> Vec<(Swatch, String)> {
    let mut out = Vec::new();
    if !project(fig, &fig.trial_points).is_empty() {
        out.push((Swatch::Trial, "trials".to_string()));
    }
    if !project(fig, &fig.medians).is_empty() {
        out.push((Swatch::Median, "median".to_string()));
    }
    for l in &fig.lines {
        let mut label: String = l.label.chars().take(MAX_LEGEND_CHARS).collect();
        if l.label.chars().count() > MAX_LEGEND_CHARS {
            label.pop();
            label.push('…');
        }
        out.push((Swatch::Line(l.style), label));
    }
    out
}

/// Draws the legend box with its top-left corner at `(x, y)` and width `w`.
fn draw_legend(svg: &mut Svg, entries: &[(Swatch, String)], x: f64, y: f64, w: f64) {
    let h = 20.0 * entries.len() as f64 + 8.0;
    svg.rect((x, y, w, h), 0.0, r##" fill="#ffffff" stroke="#cccccc""##);
    for (i, (swatch, label)) in entries.iter().enumerate() {
        let (cx, cy) = (x + 20.0, y + 14.0 + 20.0 * i as f64);
        // Marker swatches are round <rect>s so that `<circle` counts only medians.
        let dot = |r: f64| (cx - r, cy - r, 2.0 * r, 2.0 * r);
        match swatch {
            Swatch::Trial => svg.rect(dot(3.0), 3.0, TRIAL),
            Swatch::Median => svg.rect(dot(4.0), 4.0, MEDIAN),
            Swatch::Line(st) => svg.line(cx - 12.0, cy, cx + 12.0, cy, st.stroke()),
        }
        svg.text(x + 40.0, cy + 4.0, "", label);
    }
}

/// Draws grid lines, tick marks and tick labels for both axes.
fn draw_ticks(svg: &mut Svg, xa: &Axis, ya: &Axis) {
    for v in xa.ticks() {
        let Some(px) = xa.map(v) else { continue };
        svg.line(px, ya.p1, px, ya.p0 + 4.0, GRID);
        svg.text(px, ya.p0 + 17.0, MID, &fmt_tick(v));
    }
    for v in ya.ticks() {
        let Some(py) = ya.map(v) else { continue };
        svg.line(xa.p0 - 4.0, py, xa.p1, py, GRID);
        svg.text(xa.p0 - 7.0, py + 4.0, END, &fmt_tick(v));
    }
}

/// Renders the figure as a standalone SVG document (UTF-8 text).
///
/// Deterministic: the same `fig` always gives byte-identical output.
pub fn render_svg(fig: &Figure) -> String {
    let mut svg = Svg(String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let _ = writeln!(svg.0, "{SVG_OPEN}");
    svg.rect((0.0, 0.0, WIDTH, HEIGHT), 0.0, r##" fill="#ffffff""##);
    let mid_x = WIDTH / 2.0;
    // A long title is set smaller, so that it fits the width (about 0.6 em per character).
    let chars = fig.title.chars().count() as f64;
    let title_size = (16.0f64).min((WIDTH - 16.0) / (0.6 * chars.max(1.0))).max(9.0);
    let big = format!(r#" text-anchor="middle" font-size="{title_size:.1}""#);
    svg.text(mid_x, 24.0, &big, &fig.title);
    if !fig.subtitle.is_empty() {
        let grey = r##" text-anchor="middle" fill="#444444""##;
        svg.text(mid_x, 44.0, grey, &fig.subtitle);
    }
    let trials = project(fig, &fig.trial_points);
    let medians = project(fig, &fig.medians);
    let project_line = |l: &Line| (l.style, project(fig, &l.points));
    let lines: Vec<_> = fig.lines.iter().map(project_line).collect();
    let line_pts = || lines.iter().flat_map(|l| &l.1);
    let all = || trials.iter().chain(&medians).chain(line_pts());
    if all().next().is_none() {
        let grey = r##" text-anchor="middle" fill="#666666""##;
        svg.text(mid_x, HEIGHT / 2.0, grey, NO_DATA);
        return svg.0 + "</svg>\n";
    }

    // Layout: the legend sits right of the plot, as wide as its longest label.
    let entries = legend(fig);
    let chars = entries.iter().map(|e| e.1.chars().count()).max();
    let legend_w = 50.0 + CHAR_W * chars.unwrap_or(0) as f64;
    let legend_space = if entries.is_empty() { 0.0 } else { legend_w + 14.0 };
    let right = WIDTH - 20.0 - legend_space;
    let xa = Axis::fit(fig.x_scale, all().map(|p| p.0), LEFT, right);
    let ya = Axis::fit(fig.y_scale, all().map(|p| p.1), HEIGHT - BOTTOM, TOP);
    let area = (LEFT, TOP, right - LEFT, HEIGHT - BOTTOM - TOP);
    let mid_y = TOP + area.3 / 2.0;

    draw_ticks(&mut svg, &xa, &ya);
    svg.rect(area, 0.0, r##" fill="none" stroke="#333333""##);
    svg.text(LEFT + area.2 / 2.0, HEIGHT - 12.0, MID, &fig.x_label);
    let rotate = format!(r#"{MID} transform="rotate(-90 18.00 {mid_y:.2})""#);
    svg.text(18.0, mid_y, &rotate, &fig.y_label);

    svg.0.push_str("<clipPath id=\"thm-plot-area\">\n");
    svg.rect(area, 0.0, "");
    svg.0.push_str("</clipPath>\n");
    svg.0.push_str("<g clip-path=\"url(#thm-plot-area)\">\n");
    // A trial is a zero-length stroke with round caps (a disc of radius 2), its style on the
    // group: a third of the bytes of a styled <circle>, for what can be thousands of dots.
    // Each dot is its own element, so overlapping dots still darken.
    if !trials.is_empty() {
        let _ = writeln!(svg.0, "<g{TRIAL_DOTS}>");
        for &(x, y) in &trials {
            let _ = writeln!(svg.0, r#"<path d="M{:.1} {:.1}h0"/>"#, xa.pos(x), ya.pos(y));
        }
        svg.0.push_str("</g>\n");
    }
    for (style, pts) in lines.iter().filter(|l| l.1.len() >= 2) {
        let xy = |&(x, y): &(f64, f64)| format!("{:.2},{:.2}", xa.pos(x), ya.pos(y));
        let xy: Vec<String> = pts.iter().map(xy).collect();
        let (xy, stroke) = (xy.join(" "), style.stroke());
        let attrs = format!(r#" points="{xy}" fill="none"{stroke}"#);
        svg.el("polyline", &[], &attrs);
    }
    for &(x, y) in &medians {
        svg.circle(xa.pos(x), ya.pos(y), 4.0, MEDIAN);
    }
    svg.0.push_str("</g>\n");
    if !entries.is_empty() {
        draw_legend(&mut svg, &entries, right + 14.0, TOP, legend_w);
    }
    svg.0 + "</svg>\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(x_scale: Scale, y_scale: Scale) -> Figure {
        Figure {
            title: "k3 exponent".into(),
            subtitle: "confirmed".into(),
            x_label: "width".into(),
            y_label: "samples".into(),
            x_scale,
            y_scale,
            trial_points: Vec::new(),
            medians: Vec::new(),
            lines: Vec::new(),
        }
    }

    fn loglog() -> Figure {
        let xs = [32.0, 64.0, 128.0, 256.0];
        let mut f = fig(Scale::Log, Scale::Log);
        for &x in &xs {
            let y = 3.0 * x * x;
            f.trial_points.extend([(x, 0.8 * y), (x, y), (x, 1.2 * y)]);
            f.medians.push((x, y));
        }
        let line = |label: &str, style, slope: f64| Line {
            label: label.into(),
            style,
            points: xs.iter().map(|&x: &f64| (x, 3.0 * x.powf(slope))).collect(),
        };
        f.lines = vec![
            line("fitted slope 1.93", LineStyle::Fitted, 1.93),
            line("predicted slope 2", LineStyle::Predicted, 2.0),
            line("control slope 2.5", LineStyle::Control, 2.5),
        ];
        f
    }

    #[test]
    fn loglog_figure_renders() {
        let svg = render_svg(&loglog());
        assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("h0\"/>").count(), 12, "trial dots");
        assert_eq!(svg.matches("<circle").count(), 4, "medians");
        assert_eq!(svg.matches("<polyline").count(), 3);
        for l in ["trials", "median", "fitted slope 1.93", "predicted slope 2", "control slope 2.5"]
        {
            assert!(svg.contains(&format!(">{l}</text>")), "missing legend {l}");
        }
        assert!(svg.contains("<clipPath") && svg.contains("stroke-dasharray"));
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "svg contains {bad}");
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(render_svg(&loglog()), render_svg(&loglog()));
    }

    #[test]
    fn invalid_points_on_log_axis_are_skipped() {
        let mut f = fig(Scale::Log, Scale::Log);
        let bad = [f64::NAN, -1.0, 0.0, f64::INFINITY, f64::NEG_INFINITY];
        for &b in &bad {
            f.trial_points.push((b, 1.0));
            f.trial_points.push((10.0, b));
            f.medians.push((b, b));
        }
        f.trial_points.push((10.0, 100.0));
        f.trial_points.push((20.0, 300.0));
        f.lines.push(Line {
            label: "fit".into(),
            style: LineStyle::Fitted,
            points: vec![(10.0, 100.0), (f64::NAN, 1.0), (-5.0, 2.0), (20.0, 300.0)],
        });
        let svg = render_svg(&f);
        assert_eq!(svg.matches("h0\"/>").count(), 2, "trial dots");
        assert_eq!(svg.matches("<circle").count(), 0, "medians");
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(!svg.contains(">median</text>"));
        // A single x value (degenerate range) on a linear axis must not divide by zero.
        let mut g = fig(Scale::Linear, Scale::Linear);
        g.medians = vec![(5.0, 1.0), (5.0, 1.0)];
        let svg = render_svg(&g);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn empty_figure_says_no_data() {
        let mut f = fig(Scale::Log, Scale::Linear);
        f.medians.push((-1.0, 2.0));
        let svg = render_svg(&f);
        assert!(svg.contains("no finite data to plot"));
        assert!(svg.contains(">k3 exponent</text>") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 0);
        assert_eq!(svg.matches("h0\"/>").count(), 0);
    }

    #[test]
    fn text_is_escaped() {
        let mut f = loglog();
        f.title = "<a & b>".into();
        f.lines[0].label = "it's \"fit\"".into();
        let svg = render_svg(&f);
        assert!(svg.contains("&lt;a &amp; b&gt;"));
        assert!(svg.contains("it&apos;s &quot;fit&quot;"));
        assert!(!svg.contains("<a & b>"));
        let mut g = fig(Scale::Linear, Scale::Linear);
        g.title = "<a & b>".into();
        assert!(render_svg(&g).contains("&lt;a &amp; b&gt;"));
    }

    #[test]
    fn ticks_are_sensible() {
        let t = log_ticks(16f64.log10(), 512f64.log10());
        assert!(t.contains(&100.0) && t.len() >= 3 && t.len() <= 8, "{t:?}");
        assert!(t.iter().all(|&v| (16.0..=512.0).contains(&v)), "{t:?}");
        let t = log_ticks(1e-6f64.log10(), 1e-1f64.log10());
        let labels: Vec<String> = t.iter().map(|&v| fmt_tick(v)).collect();
        assert_eq!(labels, ["1e-6", "1e-5", "1e-4", "1e-3", "0.01", "0.1"]);
        let t = linear_ticks(1.0, 8.0);
        assert!((4..=8).contains(&t.len()) && t.contains(&2.0) && t.contains(&8.0), "{t:?}");
        assert!(t.iter().all(|&v| (1.0..=8.0).contains(&v)));
        let t = linear_ticks(0.0, 0.7);
        assert!((4..=8).contains(&t.len()), "{t:?}");
        assert_eq!(fmt_tick(1000.0), "1e3");
        assert_eq!(fmt_tick(2e-5), "2e-5");
        assert_eq!(fmt_tick(0.5), "0.5");
        assert_eq!(fmt_tick(64.0), "64");
        assert_eq!(fmt_tick(0.1 * 3.0), "0.3");
    }
}
