//! A claim's page: statement and citation, predicted law, how it was judged, figures,
//! per-size numbers, the fit, verdict and control, the card and how to reproduce the result.

use super::{claim_svg, esc, inline_svg, page, shell_word, verdict_badge, Entry, Facts, Options};

use crate::check::{finite_size, ClaimResult, FiniteSizeFit, Fit, LACK_OF_FIT_LEVEL};
use crate::law::{ClaimKind, Control, Judge};
use crate::report::text::SHARED_DRAWS_NOTE;
use crate::report::{figure, sig};
use crate::theorem::{Observation, Panel};
use std::fmt::Write as _;

/// The page of one claim.
pub(super) fn render(e: &Entry<'_>, facts: &Facts, links: &Links<'_>, options: &Options) -> String {
    let r = e.result;
    let mut b = String::new();
    b.push_str("<nav><a href=\"index.html\">← all claims</a></nav>\n<header>\n");
    let _ = writeln!(
        b,
        "<h1>{} / {} <span class=\"profile\">{} profile, seed {}</span></h1>",
        esc(&r.theorem),
        esc(&r.claim),
        r.profile.name(),
        r.seed
    );
    if !facts.description.is_empty() {
        let _ = writeln!(b, "<p class=\"lede\">{}</p>", esc(&facts.description));
    }
    let _ = writeln!(
        b,
        "<p class=\"verdict-line\">{} {}</p>\n</header>",
        verdict_badge(r.outcome.verdict),
        esc(&r.outcome.reason)
    );
    theorem(&mut b, facts);
    claim(&mut b, r, facts);
    judged(&mut b, r, facts);
    figures(&mut b, e, facts, links.original);
    per_size(&mut b, r);
    fit(&mut b, r);
    verdict(&mut b, r);
    exploration(&mut b, r);
    reproduce(&mut b, e, facts);
    card(&mut b, facts, links.card);
    page(&format!("{} / {} ({})", r.theorem, r.claim, r.profile.name()), &b, false, options)
}

/// A definition list's entry; `value` is markup.
fn item(b: &mut String, term: &str, value: &str) {
    let _ = writeln!(b, "<dt>{}</dt><dd>{value}</dd>", esc(term));
}

fn interval(i: (f64, f64), decimals: usize) -> String {
    format!("[{:.decimals$}, {:.decimals$}]", i.0, i.1)
}

fn theorem(b: &mut String, f: &Facts) {
    b.push_str("<section id=\"theorem\">\n<h2>Theorem</h2>\n");
    if !f.title.is_empty() {
        let _ = writeln!(b, "<p class=\"title\">{}</p>", esc(&f.title));
    }
    if !f.statement.is_empty() {
        let statement = f.statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(b, "<blockquote>{}</blockquote>", esc(&statement));
    }
    if let Some(c) = &f.citation {
        let arxiv = if c.arxiv.is_empty() { String::new() } else { format!(" arXiv:{}.", c.arxiv) };
        let _ = writeln!(
            b,
            "<p class=\"cite\">{} ({}). <cite>{}</cite>.{} {}.</p>",
            esc(&c.authors.join(", ")),
            c.year,
            esc(&c.title),
            esc(&arxiv),
            esc(&c.locator)
        );
    }
    if !f.hypotheses.is_empty() {
        b.push_str("<details>\n<summary>Hypotheses and simulation</summary>\n<ul>\n");
        for (field, h) in &f.hypotheses {
            let _ = writeln!(b, "<li>{} <code>[{}]</code></li>", esc(h), esc(field));
        }
        b.push_str("</ul>\n");
        if !f.simulation.is_empty() {
            let _ = writeln!(b, "<p>Simulated: {}</p>", esc(&f.simulation));
        }
        b.push_str("</details>\n");
    }
    b.push_str("</section>\n");
}

fn claim(b: &mut String, r: &ClaimResult, f: &Facts) {
    let p = &r.prediction;
    b.push_str("<section id=\"claim\">\n<h2>Predicted law</h2>\n<dl>\n");
    item(b, "law", &format!("<strong>{}</strong>", esc(&p.law)));
    item(b, "why", &esc(&p.rationale));
    item(b, "kind", &esc(p.kind.name()));
    item(b, "predicted", &esc(&format!("{} {}", symbol(p.kind), p.exponent.describe(r.tolerance))));
    let reason = if f.tolerance_reason.is_empty() {
        String::new()
    } else {
        format!(": {}", f.tolerance_reason)
    };
    item(b, "tolerance", &esc(&format!("{}{reason}", r.tolerance)));
    let sizes: Vec<String> = r.sizes.iter().map(u64::to_string).collect();
    let shared = if r.shared_draws { SHARED_DRAWS_NOTE } else { "" };
    item(
        b,
        "sweep",
        &esc(&format!("{} = {}; {} trials per size{shared}", p.size, sizes.join(", "), r.trials)),
    );
    if let Some(of) = &f.trials_of {
        item(
            b,
            "trials",
            &format!(
                "those of claim <code>{}</code> (a twin: the same streams, judged another way)",
                esc(of)
            ),
        );
    }
    if let Some(params) = &f.params {
        let json = serde_json::to_string(params).unwrap_or_default();
        item(b, "parameters", &format!("<code>{}</code>", esc(&json)));
    }
    b.push_str("</dl>\n</section>\n");
}

/// What the judged number is called, per kind.
fn symbol(kind: ClaimKind) -> &'static str {
    match kind {
        ClaimKind::LowerBound => "margin",
        ClaimKind::Separation { .. } => "a_slower - a_faster",
        _ => "a =",
    }
}

fn judged(b: &mut String, r: &ClaimResult, f: &Facts) {
    let p = &r.prediction;
    b.push_str("<section id=\"judged\">\n<h2>How it was judged</h2>\n");
    let (lo, hi) = p.exponent.accepted_set(r.tolerance);
    match r.judge {
        Judge::Exponent if p.kind.fits_a_line() => {
            let _ = writeln!(
                b,
                "<p><strong>On the exponent.</strong> The per-size medians are fitted as \
                 <code>{}</code>; the claim is confirmed when the fitted exponent's 95% interval \
                 lies inside the predicted set [{}, {}], refuted when it is disjoint from it.</p>",
                esc(&p.fit_description()),
                sig(lo, 3),
                sig(hi, 3)
            );
        }
        Judge::Exponent => {
            let _ = writeln!(
                b,
                "<p><strong>At every size.</strong> No line is fitted: the judged value is the \
                 smallest per-size median margin over the bound (<code>{}</code>), with an \
                 intersection–union interval; it must lie in [{}, {}].</p>",
                esc(&p.fit_description()),
                sig(lo, 3),
                sig(hi, 3)
            );
        }
        Judge::FiniteSize => {
            let _ = writeln!(
                b,
                "<p><strong>Finite size.</strong> The measured medians are compared with the \
                 theory's value at each size: the slope of <code>{}</code> against <code>{}</code> \
                 must be 0 ± {}. The asymptotic exponent is fitted and reported, not judged.</p>",
                esc(&finite_size::residual_label(p.kind, &p.observable)),
                esc(&finite_size::x_label(p.kind, &p.size)),
                r.tolerance
            );
            if let Some(fs) = &r.finite_size {
                let _ = writeln!(b, "<p>Prediction from {}.</p>", esc(&fs.provenance));
            }
        }
    }
    match &r.control {
        Control::Shift(delta) => {
            let _ = writeln!(
                b,
                "<p><strong>Control: shift.</strong> The same data must refute the prediction \
                 shifted by {} (to {}), or the claim has no power.</p>",
                esc(&format!("{delta:+}")),
                esc(&p.exponent.shifted(*delta).describe(r.tolerance))
            );
        }
        Control::Rival(rival) => {
            let _ = writeln!(
                b,
                "<p><strong>Control: rival law <code>{}</code>,</strong> {}: {} The same data \
                 must refute it, or the claim has no power.</p>",
                esc(&rival.name),
                esc(&rival.law),
                esc(&sentence(&rival.why))
            );
        }
    }
    if !f.rivals.is_empty() {
        b.push_str("<details>\n<summary>Other rival laws the module proposes (not judged)</summary>\n<ul>\n");
        for rival in &f.rivals {
            let _ = writeln!(
                b,
                "<li><code>{}</code>, {}: {}</li>",
                esc(&rival.name),
                esc(&rival.law),
                esc(&sentence(&rival.why))
            );
        }
        b.push_str("</ul>\n</details>\n");
    }
    b.push_str("</section>\n");
}

/// `s` ending with a full stop.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The pages a claim's page links to besides the index.
pub(super) struct Links<'a> {
    /// The page of the claim's card.
    pub card: &'a str,
    /// For a twin: the page of the claim whose trials it judges, when it is on the site.
    pub original: Option<&'a str>,
}

/// The most module panels a page shows: the smallest, the middle and the largest size (a
/// claim may have one per size; a site of every claim would pass megabytes).
const MAX_PANELS: usize = 3;

/// Which of `n` panels a page shows: all up to [`MAX_PANELS`], else the first, the middle and
/// the last.
fn shown_panels(n: usize) -> Vec<usize> {
    if n <= MAX_PANELS {
        (0..n).collect()
    } else {
        vec![0, n / 2, n - 1]
    }
}

fn figures(b: &mut String, e: &Entry<'_>, f: &Facts, original: Option<&str>) {
    let r = e.result;
    b.push_str("<section id=\"figures\">\n<h2>Figures</h2>\n");
    match claim_svg(r) {
        Some(svg) => {
            let _ = writeln!(
                b,
                "<figure>\n{svg}<figcaption>Grey dots: trials; black: medians per size; lines: \
                 the fit, the prediction and the control.</figcaption>\n</figure>"
            );
        }
        None => b.push_str("<p>No figure: the trials did not run.</p>\n"),
    }
    // A twin's panels are its original's (the same streams): shown there, once.
    if let Some(of) = &f.trials_of {
        let claim = match original {
            Some(page) => format!("<a href=\"{}\">{}</a>", esc(page), esc(of)),
            None => format!("<code>{}</code>", esc(of)),
        };
        let _ =
            writeln!(b, "<p class=\"note\">The module's panels are those of claim {claim}.</p>");
        b.push_str("</section>\n");
        return;
    }
    let size = esc(&r.prediction.size);
    let drawn: Vec<(u64, &Panel)> =
        e.panels.iter().filter_map(|(at, p)| p.as_ref().ok().map(|p| (*at, p))).collect();
    let shown = shown_panels(drawn.len());
    for (n, &i) in shown.iter().enumerate() {
        let (at, p) = drawn[i];
        let svg = inline_svg(&figure::panel_figure(p), n + 1);
        let _ = writeln!(
            b,
            "<figure>\n{svg}<figcaption>Module panel at {size} = {at}.</figcaption>\n</figure>"
        );
    }
    if shown.len() < drawn.len() {
        let sizes: Vec<String> = shown.iter().map(|&i| drawn[i].0.to_string()).collect();
        let _ = writeln!(
            b,
            "<p class=\"note\">Module panels at {size} = {} only, of the {} sizes that have one \
             (the smallest, the middle and the largest); <code>{} --plot DIR</code> draws them \
             all.</p>",
            sizes.join(", "),
            drawn.len(),
            esc(&rerun(e, f).0)
        );
    }
    for (at, panel) in e.panels {
        if let Err(why) = panel {
            let _ = writeln!(b, "<p class=\"note\">No panel at {size} = {at}: {}</p>", esc(why));
        }
    }
    b.push_str("</section>\n");
}

/// Counts of (values, censored, failed) trials in one size's row.
fn tally(row: &[Observation]) -> (usize, usize, usize) {
    fn kind(o: &Observation) -> usize {
        match o {
            Observation::Value(_) => 0,
            Observation::Censored(_) => 1,
            Observation::Failed(_) => 2,
            Observation::Pair(a, b) => kind(a).max(kind(b)),
            Observation::Annotated(o, _) => kind(o),
        }
    }
    let mut t = [0; 3];
    for o in row {
        t[kind(o)] += 1;
    }
    (t[0], t[1], t[2])
}

fn per_size(b: &mut String, r: &ClaimResult) {
    if r.sizes.is_empty() {
        return;
    }
    let (s, o) = (esc(&r.prediction.size), esc(&r.prediction.observable));
    let fs: Option<&FiniteSizeFit> = r.finite_size.as_ref();
    let fit: Option<&Fit> = r.fit.as_ref();
    let sides = fit.and_then(|f| f.sides.as_ref());
    let bounds = fit.and_then(|f| f.bounds.as_ref());
    b.push_str("<section id=\"sizes\">\n<h2>Per size</h2>\n<div class=\"scroll\">\n<table>\n");
    let _ = write!(b, "<thead><tr><th scope=\"col\">{s}</th><th scope=\"col\">median {o}</th>");
    if fs.is_some() {
        let what = if r.prediction.kind == ClaimKind::LinearGrowth {
            "measured − predicted"
        } else {
            "measured / predicted"
        };
        let _ =
            write!(b, "<th scope=\"col\">predicted {o}</th><th scope=\"col\">{what} [95%]</th>");
    }
    if sides.is_some() {
        let _ = write!(b, "<th scope=\"col\">faster {o}</th><th scope=\"col\">slower {o}</th>");
    }
    if bounds.is_some() {
        b.push_str("<th scope=\"col\">one-sided bounds</th>");
    }
    b.push_str("<th scope=\"col\">trials: value / censored / failed</th></tr></thead>\n<tbody>\n");
    for (i, size) in r.sizes.iter().enumerate() {
        let _ = write!(b, "<tr><td class=\"num\">{size}</td>");
        let median = match (r.medians.get(i), r.observations.is_empty()) {
            (_, true) => "not run".to_string(),
            (Some(Some(m)), _) => sig(*m, 3),
            _ => "censored".to_string(),
        };
        let _ = write!(b, "<td class=\"num\">{median}</td>");
        if let Some(fs) = fs {
            let cell = |v: Option<String>| v.unwrap_or_else(|| "-".into());
            let predicted = cell(fs.predicted.get(i).map(|v| sig(*v, 3)));
            let ratio =
                cell(fs.ratios.get(i).map(|(v, (lo, hi))| {
                    format!("{} [{}, {}]", sig(*v, 3), sig(*lo, 3), sig(*hi, 3))
                }));
            let _ = write!(b, "<td class=\"num\">{predicted}</td><td class=\"num\">{ratio}</td>");
        }
        if let Some(sides) = sides {
            for side in sides {
                let m = side.medians.get(i).map_or("-".into(), |m| sig(*m, 3));
                let _ = write!(b, "<td class=\"num\">{m}</td>");
            }
        }
        if let Some(bounds) = bounds {
            let cell = bounds
                .get(i)
                .map_or("-".into(), |(lo, hi)| format!("[{}, {}]", sig(*lo, 3), sig(*hi, 3)));
            let _ = write!(b, "<td class=\"num\">{cell}</td>");
        }
        let (v, c, f) = r.observations.get(i).map_or((0, 0, 0), |row| tally(row));
        let _ = writeln!(b, "<td class=\"num\">{v} / {c} / {f}</td></tr>");
    }
    b.push_str("</tbody>\n</table>\n</div>\n");
    let failures: Vec<String> = r
        .sizes
        .iter()
        .zip(&r.observations)
        .filter_map(|(size, row)| {
            row.iter().find_map(|o| match o {
                Observation::Failed(why) => Some(format!("{s} = {size}: {}", esc(why))),
                _ => None,
            })
        })
        .collect();
    if !failures.is_empty() {
        let _ =
            writeln!(b, "<p class=\"note\">First failure per size: {}</p>", failures.join("; "));
    }
    b.push_str("</section>\n");
}

/// Which interval the verdict used, and why (as the text report says it).
fn interval_note(lack_of_fit_p: Option<f64>) -> String {
    match lack_of_fit_p {
        None => "unweighted: the hull of the t and bootstrap intervals".into(),
        Some(p) if p < LACK_OF_FIT_LEVEL => format!(
            "weighted by the bootstrap variances; lack of fit (p = {}): the hull of both",
            sig(p, 2)
        ),
        Some(p) => format!(
            "weighted by the bootstrap variances; the line fits (p = {}): the bootstrap interval",
            sig(p, 2)
        ),
    }
}

fn fit(b: &mut String, r: &ClaimResult) {
    if r.fit.is_none() && r.finite_size.is_none() {
        return;
    }
    b.push_str("<section id=\"fit\">\n<h2>Fit</h2>\n");
    if let Some(f) = &r.fit {
        let judged = if r.judge == Judge::FiniteSize { " (reported, not judged)" } else { "" };
        let _ = writeln!(b, "<h3>{}{judged}</h3>\n<dl>", esc(&r.prediction.fit_description()));
        let name = if r.prediction.kind.fits_a_line() { "exponent" } else { "smallest margin" };
        item(b, name, &format!("{:.3}", f.exponent));
        if let Some(ci) = f.ci_t {
            item(b, "Student-t 95%", &interval(ci, 3));
        }
        item(b, "bootstrap 95%", &interval(f.ci_bootstrap, 3));
        item(
            b,
            "interval used",
            &esc(&format!(
                "{} ({})",
                interval(f.interval, 3),
                if r.prediction.kind.fits_a_line() {
                    interval_note(f.lack_of_fit_p)
                } else {
                    "intersection–union: smallest one-sided lower bound, smallest upper bound"
                        .into()
                }
            )),
        );
        if let Some(r2) = f.r_squared {
            item(b, "R²", &format!("{r2:.3}"));
        }
        if let Some(ts) = f.theil_sen {
            item(b, "Theil–Sen", &format!("{ts:.3}"));
        }
        b.push_str("</dl>\n");
        if let Some(sides) = &f.sides {
            b.push_str("<table>\n<thead><tr><th scope=\"col\">learner</th><th scope=\"col\">exponent</th><th scope=\"col\">Student-t 95%</th><th scope=\"col\">bootstrap 95%</th></tr></thead>\n<tbody>\n");
            for (name, side) in ["faster", "slower"].iter().zip(sides) {
                let _ = writeln!(
                    b,
                    "<tr><td>{name}</td><td class=\"num\">{:.3}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    side.exponent,
                    interval(side.ci_t, 3),
                    interval(side.ci_bootstrap, 3)
                );
            }
            b.push_str("</tbody>\n</table>\n");
        }
    }
    if let Some(fs) = &r.finite_size {
        let (kind, p) = (r.prediction.kind, &r.prediction);
        let _ = writeln!(
            b,
            "<h3>Finite size: slope of {} against {} (judged)</h3>\n<dl>",
            esc(&finite_size::residual_label(kind, &p.observable)),
            esc(&finite_size::x_label(kind, &p.size))
        );
        item(b, "slope", &format!("{:.3}", fs.slope));
        item(b, "Student-t 95%", &interval(fs.ci_t, 3));
        item(b, "bootstrap 95%", &interval(fs.ci_bootstrap, 3));
        item(
            b,
            "interval used",
            &esc(&format!("{} ({})", interval(fs.interval, 3), interval_note(fs.lack_of_fit_p))),
        );
        b.push_str("</dl>\n");
    }
    b.push_str("</section>\n");
}

fn verdict(b: &mut String, r: &ClaimResult) {
    let o = &r.outcome;
    b.push_str("<section id=\"verdict\">\n<h2>Verdict</h2>\n<dl>\n");
    item(b, "verdict", &format!("{} {}", verdict_badge(o.verdict), esc(&o.reason)));
    item(b, "claim alone", &format!("{} {}", verdict_badge(o.claim.verdict), esc(&o.claim.reason)));
    let label = match &r.control {
        Control::Shift(delta) => format!("control (shift {delta:+.2})"),
        Control::Rival(rival) => format!("control (rival {}: {})", rival.name, rival.law),
    };
    item(b, &label, &format!("{} {}", verdict_badge(o.control.verdict), esc(&o.control.reason)));
    b.push_str(
        "</dl>\n<p class=\"note\">The control must be refuted: when it is not, the data \
                had no power and the verdict is inconclusive.</p>\n</section>\n",
    );
}

fn exploration(b: &mut String, r: &ClaimResult) {
    let Some(e) = &r.exploration else { return };
    b.push_str("<section id=\"exploration\">\n<h2>Exploratory (measured, not judged)</h2>\n");
    let _ = writeln!(b, "<p>{}</p>", esc(&e.quantity));
    if let Some(why) = &e.not_fitted {
        let _ = writeln!(b, "<p class=\"note\">Not fitted: {}</p>", esc(why));
    }
    let ratio = e.ratio.as_ref().map(|f| {
        let name = match (e.series.first(), e.series.last()) {
            (Some((first, _)), Some((last, _))) => format!("{last} / {first}"),
            _ => "ratio".into(),
        };
        (name, f)
    });
    let rows: Vec<(String, &crate::check::SideFit)> =
        e.series.iter().map(|(n, f)| (n.clone(), f)).chain(ratio).collect();
    if !rows.is_empty() {
        b.push_str("<div class=\"scroll\">\n<table>\n<thead><tr><th scope=\"col\">series</th><th scope=\"col\">medians</th><th scope=\"col\">slope</th><th scope=\"col\">Student-t 95%</th><th scope=\"col\">bootstrap 95%</th></tr></thead>\n<tbody>\n");
        for (name, f) in rows {
            let medians: Vec<String> = f.medians.iter().map(|&m| sig(m, 3)).collect();
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&name),
                medians.join(" "),
                f.exponent,
                interval(f.ci_t, 2),
                interval(f.ci_bootstrap, 2)
            );
        }
        b.push_str("</tbody>\n</table>\n</div>\n");
    }
    b.push_str("</section>\n");
}

/// The command that re-runs a claim, and what to know to run it.
fn rerun(e: &Entry<'_>, f: &Facts) -> (String, &'static str) {
    let r = e.result;
    let (target, note) = if f.builtin || e.held_back {
        (format!("{}/{}", r.theorem, r.claim), "")
    } else {
        (
            f.file.clone(),
            " (from the directory that holds the card, under Card below; it checks every claim \
             of the card)",
        )
    };
    let held = if e.held_back { " --held-back" } else { "" };
    let command = format!(
        "thm check {} --profile {} --seed {}{held}",
        shell_word(&target),
        r.profile.name(),
        r.seed
    );
    (command, note)
}

fn reproduce(b: &mut String, e: &Entry<'_>, f: &Facts) {
    let r = e.result;
    b.push_str("<section id=\"reproduce\">\n<h2>Reproduce</h2>\n<dl>\n");
    item(b, "seed", &r.seed.to_string());
    item(b, "results hash", &format!("<code class=\"hash\">{}</code>", esc(&r.results_hash)));
    let (command, note) = rerun(e, f);
    item(b, "re-run", &format!("<pre><code>{}</code></pre>{}", esc(&command), esc(note)));
    if let Some(c) = &e.certificate {
        let build = c.build;
        item(
            b,
            "certificate",
            &format!(
                "<pre><code>thm reproduce {}</code></pre>re-runs it and reports identical bits \
                 or the first difference. Built by thm {} at commit <code>{}</code> with {}, \
                 for {}{}.",
                esc(&shell_word(c.file)),
                esc(&build.thm_version),
                esc(&build.git_commit),
                esc(&build.rustc),
                esc(&build.target),
                if build.cpu_features.is_empty() {
                    String::new()
                } else {
                    esc(&format!(" with {}", build.cpu_features.join(", ")))
                }
            ),
        );
    }
    b.push_str("</dl>\n</section>\n");
}

fn card(b: &mut String, f: &Facts, card_page: &str) {
    b.push_str("<section id=\"card\">\n<h2>Card</h2>\n");
    let _ = writeln!(
        b,
        "<p><a href=\"{}\"><code>{}</code></a> ({} lines, SHA-256 <code class=\"hash\">{}</code>): \
         the whole card this claim was run from.</p>",
        esc(card_page),
        esc(&f.file),
        f.text.lines().count(),
        crate::cert::sha256_hex(&f.text)
    );
    b.push_str("</section>\n");
}
