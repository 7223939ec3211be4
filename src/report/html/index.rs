//! `index.html`: the verdict table, one row per claim, each linking to the claim's page.
//!
//! The table is complete without JavaScript. The script (`script.js`) shows the filter
//! controls, which are `hidden` in the markup, and turns the column heads into sort buttons;
//! sort keys are in `data-sort` attributes where a cell's text does not sort (intervals,
//! verdicts).

use super::{esc, page, verdict_badge, Entry, Facts, Options};
use crate::law::{Control, Judge};
use crate::verdict::Verdict;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The verdict table's columns: header and whether its key is numeric.
const COLUMNS: [(&str, bool); 9] = [
    ("theorem", false),
    ("claim", false),
    ("profile", false),
    ("law", false),
    ("predicted", false),
    ("fitted [95%]", true),
    ("verdict", true),
    ("control", false),
    ("reason", false),
];

/// The index page.
pub(super) fn render(
    entries: &[Entry<'_>],
    files: &[String],
    facts: &[Facts],
    options: &Options,
) -> String {
    let count = |v: Verdict| entries.iter().filter(|e| e.result.outcome.verdict == v).count();
    let n = entries.len();
    let mut b = String::new();
    b.push_str("<header>\n<h1>Theorem checks</h1>\n");
    let _ = writeln!(
        b,
        "<p class=\"summary\">{n} claim{}: <span class=\"verdict confirmed\">{} confirmed</span> \
         <span class=\"verdict refuted\">{} refuted</span> \
         <span class=\"verdict inconclusive\">{} inconclusive</span></p>",
        if n == 1 { "" } else { "s" },
        count(Verdict::Confirmed),
        count(Verdict::Refuted),
        count(Verdict::Inconclusive)
    );
    b.push_str(
        "<p class=\"lede\">Each claim predicts how an observable scales with a size; a seeded \
         simulation measures it, a fit gives the exponent with a 95% interval, and the verdict \
         compares that interval with the prediction. A falsification control (a shifted \
         prediction or a rival law) must be refuted by the same data, or the claim has no \
         power. Follow a claim for its statement, figure, numbers and the command that \
         reproduces it.</p>\n</header>\n",
    );
    filters(&mut b, entries);
    b.push_str("<div class=\"scroll\">\n<table id=\"verdicts\" class=\"verdicts\">\n<thead><tr>");
    for (i, (head, numeric)) in COLUMNS.iter().enumerate() {
        let kind = if *numeric { "number" } else { "text" };
        let _ = write!(b, "<th scope=\"col\" data-col=\"{i}\" data-type=\"{kind}\">{head}</th>");
    }
    b.push_str("</tr></thead>\n<tbody>\n");
    for ((e, file), facts) in entries.iter().zip(files).zip(facts) {
        row(&mut b, e, file, facts);
    }
    b.push_str("</tbody>\n</table>\n</div>\n");
    let _ = writeln!(b, "<p id=\"shown\" class=\"shown\" aria-live=\"polite\"></p>");
    for note in &options.notes {
        let _ = writeln!(b, "<p class=\"note\">{}</p>", esc(note));
    }
    page("Theorem checks", &b, true, options)
}

/// The filter controls, hidden until the script shows them (they need it to work).
fn filters(b: &mut String, entries: &[Entry<'_>]) {
    let theorems: BTreeSet<&str> = entries.iter().map(|e| e.result.theorem.as_str()).collect();
    b.push_str("<form id=\"controls\" class=\"controls\" hidden>\n");
    b.push_str("<label>verdict <select id=\"f-verdict\">\n<option value=\"\">all</option>\n");
    for v in [Verdict::Confirmed, Verdict::Refuted, Verdict::Inconclusive] {
        let _ = writeln!(b, "<option value=\"{v}\">{v}</option>");
    }
    b.push_str("</select></label>\n");
    b.push_str("<label>theorem <select id=\"f-theorem\">\n<option value=\"\">all</option>\n");
    for t in theorems {
        let t = esc(t);
        let _ = writeln!(b, "<option value=\"{t}\">{t}</option>");
    }
    b.push_str("</select></label>\n");
    b.push_str(
        "<label>search <input id=\"f-text\" type=\"search\" placeholder=\"claim, law, reason\">\
         </label>\n</form>\n",
    );
}

/// One row of the verdict table.
fn row(b: &mut String, e: &Entry<'_>, file: &str, facts: &Facts) {
    let r = e.result;
    let (law, predicted, fitted) = match r.judge {
        Judge::FiniteSize => (
            format!("{} at each finite {}", r.prediction.law, r.prediction.size),
            format!("slope 0 ± {:.2}", r.tolerance),
            r.finite_size.as_ref().map(|f| {
                (format!("{:.3} [{:.3}, {:.3}]", f.slope, f.interval.0, f.interval.1), f.slope)
            }),
        ),
        Judge::Exponent => (
            r.prediction.law.clone(),
            r.prediction.exponent.describe(r.tolerance),
            r.fit.as_ref().map(|f| {
                (
                    format!("{:.2} [{:.2}, {:.2}]", f.exponent, f.interval.0, f.interval.1),
                    f.exponent,
                )
            }),
        ),
    };
    let control = match &r.control {
        Control::Shift(delta) => format!("{} at {delta:+.2}", r.outcome.control.verdict),
        Control::Rival(rival) => format!("{}: rival {}", r.outcome.control.verdict, rival.name),
    };
    let verdict = r.outcome.verdict;
    let order = match verdict {
        Verdict::Confirmed => 0,
        Verdict::Inconclusive => 1,
        Verdict::Refuted => 2,
    };
    let _ = write!(b, "<tr data-verdict=\"{verdict}\" data-theorem=\"{}\">", esc(&r.theorem));
    let title = if facts.description.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", esc(&facts.description))
    };
    let _ = write!(b, "<td>{}</td>", esc(&r.theorem));
    let _ = write!(b, "<td><a href=\"{}\"{title}>{}</a></td>", esc(file), esc(&r.claim));
    let _ = write!(b, "<td>{}</td>", r.profile.name());
    let _ = write!(b, "<td>{}</td>", esc(&law));
    let _ = write!(b, "<td class=\"num\">{}</td>", esc(&predicted));
    // A finite-size claim's asymptotic exponent is shown under its judged slope.
    let asymptotic = match (r.judge, &r.fit) {
        (Judge::FiniteSize, Some(f)) => {
            format!("<br><span class=\"note\">exponent {:.2}, not judged</span>", f.exponent)
        }
        _ => String::new(),
    };
    match fitted {
        Some((text, value)) if value.is_finite() => {
            let _ = write!(
                b,
                "<td class=\"num\" data-sort=\"{value:e}\">{}{asymptotic}</td>",
                esc(&text)
            );
        }
        Some((text, _)) => {
            let _ = write!(b, "<td class=\"num\" data-sort=\"\">{}{asymptotic}</td>", esc(&text));
        }
        None => b.push_str("<td class=\"num\" data-sort=\"\">-</td>"),
    }
    let _ = write!(b, "<td data-sort=\"{order}\">{}</td>", verdict_badge(verdict));
    let _ = write!(b, "<td>{}</td>", esc(&control));
    let _ = writeln!(b, "<td class=\"reason\">{}</td></tr>", esc(&r.outcome.reason));
}
