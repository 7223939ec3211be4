//! A card's page: its text, once for all its claims, with links to their pages.

use super::{esc, page, verdict_badge, Facts, Options};
use crate::check::ClaimResult;
use std::fmt::Write as _;

/// The page of one card; `claims` are its claims on this site: (page file, result).
pub(super) fn render(f: &Facts, claims: &[(&str, &ClaimResult)], options: &Options) -> String {
    let mut b = String::new();
    b.push_str("<nav><a href=\"index.html\">← all claims</a></nav>\n<header>\n");
    let _ = writeln!(b, "<h1>Card <code>{}</code></h1>", esc(&f.file));
    if !f.title.is_empty() {
        let _ = writeln!(b, "<p class=\"lede\">{}</p>", esc(&f.title));
    }
    b.push_str("</header>\n<section id=\"claims\">\n<h2>Its claims on this site</h2>\n<ul>\n");
    for (file, r) in claims {
        let _ = writeln!(
            b,
            "<li><a href=\"{}\">{}</a> ({} profile, seed {}) {}</li>",
            esc(file),
            esc(&r.claim),
            r.profile.name(),
            r.seed,
            verdict_badge(r.outcome.verdict)
        );
    }
    b.push_str("</ul>\n</section>\n<section id=\"card\">\n<h2>Text</h2>\n");
    let builtin = if f.builtin { ", the built-in card of its theorem" } else { "" };
    let _ = writeln!(
        b,
        "<p>{} lines, SHA-256 <code class=\"hash\">{}</code>{builtin}.</p>\n<pre class=\"card\">{}</pre>",
        f.text.lines().count(),
        crate::cert::sha256_hex(&f.text),
        esc(&f.text)
    );
    b.push_str("</section>\n");
    page(&format!("Card {}", f.file), &b, false, options)
}
