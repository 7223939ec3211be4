//! A results site: static HTML that people can browse offline and share.
//!
//! [`site`] turns checked claims into pages: `index.html`, the verdict table (sortable and
//! filterable by a small inlined script, complete without it), and one page per claim,
//! `<theorem>__<claim>@<profile>.html`, with the statement and citation, the predicted law,
//! how the claim was judged (exponent or finite size; shift or rival control), the fit
//! figure and the module's panels as inline SVG, the per-size numbers (with a finite-size
//! claim's predicted values and ratios), the verdict and control with their reasons, and the
//! command that reproduces the result; and one page per card, `<theorem>.card.html`, with
//! its text, linked from its claims' pages.
//!
//! Size: the quick registry's site is under 2 MB. A card's text is on its page only, a
//! claim page shows at most three module panels (the smallest, middle and largest size;
//! `--plot` writes all), a twin links its original's panels instead of repeating them, and
//! trial dots are compact (see [`plot`]).
//!
//! The input is a list of [`Entry`]: a card (loaded, or only its text, e.g. from a
//! certificate) with a [`ClaimResult`], so any producer of results (a check, a certificate,
//! a store) can feed it. [`site`] does no IO: `cli` writes the pages.
//!
//! **Architecture Invariant:** a site is a pure function of its entries and options: no
//! timestamps, durations, host names or paths (a card or certificate is named by its file
//! name only), so the same input gives the same bytes. Pages load nothing: the style, the
//! script and the figures are inlined, and every link points at a page of the site.

mod card;
mod claim;
mod index;

use crate::card::{Citation, Profile};
use crate::cert::Build;
use crate::check::ClaimResult;
use crate::law::{Control, RivalLaw};
use crate::registry;
use crate::report::{figure, plot};
use crate::theorem::{LoadedCard, Panel};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The stylesheet every page inlines.
const STYLE: &str = include_str!("style.css");
/// The index's script: sorting and filtering of the verdict table.
const SCRIPT: &str = include_str!("script.js");

/// Where a claim's card comes from.
#[derive(Clone, Copy)]
pub enum CardInfo<'a> {
    /// A card the registry loaded (statement, citation, hypotheses, the claim's parameters).
    Loaded(&'a LoadedCard),
    /// Only a card's text and file name (e.g. from a certificate whose card no longer
    /// loads): what the page shows is read from the TOML as far as it goes.
    Text {
        /// The card's file name.
        name: &'a str,
        /// The card's TOML text.
        text: &'a str,
    },
}

/// The certificate a result was read from.
#[derive(Clone, Copy)]
pub struct Certified<'a> {
    /// The certificate's file name (no directory), as `thm reproduce` is given it.
    pub file: &'a str,
    /// The build that produced it.
    pub build: &'a Build,
}

/// One claim's result with what its page needs besides.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    /// The claim's card.
    pub card: CardInfo<'a>,
    /// The result.
    pub result: &'a ClaimResult,
    /// The module's supplementary figures, one per size that has one (empty when not
    /// computed, e.g. for a result read from a certificate). A page shows at most three; a
    /// twin's are not shown (its original's page has them).
    pub panels: &'a [(u64, Result<Panel, String>)],
    /// Whether the claim is one a built-in card holds back (`thm check ID/CLAIM --held-back`).
    pub held_back: bool,
    /// The certificate the result was read from, if any.
    pub certificate: Option<Certified<'a>>,
}

/// What a site says besides its entries.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Who made the site, for the footer, e.g. `thm 0.1.0 (commit 1a2b3c)`.
    pub generator: String,
    /// Notes under the verdict table (claims not run, held back), one sentence each.
    pub notes: Vec<String>,
}

/// One file of a site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// File name in the site's directory.
    pub file: String,
    /// The HTML.
    pub html: String,
}

/// The site of `entries`: `index.html` first, then one page per entry, in entry order, then
/// one page per distinct card text (`<theorem>.card.html`), in order of first use.
///
/// Two entries with the same theorem, claim and profile get distinct pages (the later one's
/// name ends in `-2`, `-3`, ...); so do two distinct cards of one theorem
/// (`<theorem>.card-2.html`). A card is shown once, on its page, however many claims it has:
/// the claims' pages link to it.
pub fn site(entries: &[Entry<'_>], options: &Options) -> Vec<Page> {
    let facts: Vec<Facts> = entries.iter().map(Facts::of).collect();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut numbered = |stem: String, ext: &str| {
        let n = taken.entry(format!("{stem}{ext}")).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("{stem}{ext}.html")
        } else {
            format!("{stem}{ext}-{n}.html")
        }
    };
    let files: Vec<String> = entries
        .iter()
        .map(|e| numbered(page_stem(&e.result.theorem, &e.result.claim, e.result.profile), ""))
        .collect();
    // The distinct cards, each with its page and the entries it holds.
    let mut cards: Vec<(String, Vec<usize>)> = Vec::new();
    let mut card_of: Vec<usize> = Vec::with_capacity(entries.len());
    for (i, (e, f)) in entries.iter().zip(&facts).enumerate() {
        let same = cards.iter().position(|(_, held)| {
            let first = held[0];
            entries[first].result.theorem == e.result.theorem && facts[first].text == f.text
        });
        let k = same.unwrap_or_else(|| {
            cards.push((numbered(encode_id(&e.result.theorem), ".card"), Vec::new()));
            cards.len() - 1
        });
        cards[k].1.push(i);
        card_of.push(k);
    }
    let mut pages = vec![Page {
        file: "index.html".into(),
        html: index::render(entries, &files, &facts, options),
    }];
    for (i, (entry, file)) in entries.iter().zip(&files).enumerate() {
        let r = entry.result;
        // A twin's original: the same card's claim it names, on the same profile and seed.
        let original = facts[i].trials_of.as_ref().and_then(|of| {
            (0..entries.len())
                .find(|&j| {
                    let o = entries[j].result;
                    card_of[j] == card_of[i]
                        && o.claim == *of
                        && o.profile == r.profile
                        && o.seed == r.seed
                })
                .map(|j| files[j].as_str())
        });
        let links = claim::Links { card: &cards[card_of[i]].0, original };
        pages.push(Page {
            file: file.clone(),
            html: claim::render(entry, &facts[i], &links, options),
        });
    }
    for (file, held) in &cards {
        let claims: Vec<(&str, &ClaimResult)> =
            held.iter().map(|&i| (files[i].as_str(), entries[i].result)).collect();
        let html = card::render(&facts[held[0]], &claims, options);
        pages.push(Page { file: file.clone(), html });
    }
    pages
}

/// `<theorem>__<claim>@<profile>`, each id with any character outside `[A-Za-z0-9._-]` (and a
/// leading dot) written as `~` and its UTF-8 bytes in hex.
pub fn page_stem(theorem: &str, claim: &str, profile: Profile) -> String {
    format!("{}__{}@{}", encode_id(theorem), encode_id(claim), profile.name())
}

/// An id as part of a file name: any character outside `[A-Za-z0-9._-]` (and a leading dot)
/// written as `~` and its UTF-8 bytes in hex, so that a card's ids cannot make a path, a URL
/// scheme or a hidden file.
fn encode_id(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.char_indices() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || (c == '.' && i > 0) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "~{b:02x}");
            }
        }
    }
    out
}

/// What a page says about a claim's card, from a loaded card or read off its text.
struct Facts {
    /// The card's file name.
    file: String,
    /// The card's text.
    text: String,
    /// The card's title.
    title: String,
    /// The theorem's statement.
    statement: String,
    /// The citation, when it could be read.
    citation: Option<Citation>,
    /// The claim's one-sentence description.
    description: String,
    /// Why the tolerance has its size.
    tolerance_reason: String,
    /// The claim's parameters as the card gives them.
    params: Option<serde_json::Value>,
    /// A twin's original: the claim whose trials this one judges.
    trials_of: Option<String>,
    /// The rival laws the module proposes for the claim besides its control (known only for
    /// a loaded card).
    rivals: Vec<RivalLaw>,
    /// The module's hypotheses (card field, statement).
    hypotheses: Vec<(String, String)>,
    /// What the module simulates.
    simulation: String,
    /// Whether the card is the built-in card of its theorem, byte for byte.
    builtin: bool,
}

impl Facts {
    fn of(entry: &Entry<'_>) -> Facts {
        let r = entry.result;
        let about = registry::theorem(&r.theorem).ok().map(|t| t.about());
        let hypotheses = about
            .map(|a| a.hypotheses.iter().map(|(f, h)| (f.to_string(), h.to_string())).collect())
            .unwrap_or_default();
        let simulation = about.map_or_else(String::new, |a| a.simulation.to_string());
        let builtin = |text: &str| {
            registry::BUILTIN_CARDS.iter().any(|(id, t)| *id == r.theorem && *t == text)
        };
        match entry.card {
            CardInfo::Loaded(card) => {
                let claim = card.claims.iter().find(|c| c.id == r.claim);
                Facts {
                    file: file_name(&card.source.path.to_string_lossy()),
                    text: card.source.text.clone(),
                    title: card.title.clone(),
                    statement: card.statement.clone(),
                    citation: Some(card.citation.clone()),
                    description: claim.map_or_else(String::new, |c| c.description.clone()),
                    tolerance_reason: claim
                        .map_or_else(String::new, |c| c.tolerance_reason.clone()),
                    params: claim.map(|c| c.params.clone()),
                    trials_of: claim.and_then(|c| c.trials_of.clone()),
                    rivals: claim
                        .map(|c| {
                            c.rivals
                                .iter()
                                .filter(|rv| {
                                    !matches!(&r.control, Control::Rival(c) if c.name == rv.name)
                                })
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default(),
                    hypotheses,
                    simulation,
                    builtin: builtin(&card.source.text),
                }
            }
            CardInfo::Text { name, text } => {
                let doc: Option<toml::Table> = toml::from_str(text).ok();
                let str_of = |t: Option<&toml::Table>, key: &str| {
                    t.and_then(|t| t.get(key)).and_then(|v| v.as_str()).unwrap_or("").to_string()
                };
                let claim =
                    doc.as_ref().and_then(|d| d.get("claims")).and_then(|c| c.as_array()).and_then(
                        |claims| {
                            claims.iter().filter_map(|c| c.as_table()).find(|c| {
                                c.get("id").and_then(|i| i.as_str()) == Some(r.claim.as_str())
                            })
                        },
                    );
                Facts {
                    file: file_name(name),
                    text: text.to_string(),
                    title: str_of(doc.as_ref(), "title"),
                    statement: str_of(doc.as_ref(), "statement"),
                    citation: doc
                        .as_ref()
                        .and_then(|d| d.get("citation"))
                        .and_then(|c| c.clone().try_into().ok()),
                    description: str_of(claim, "description"),
                    tolerance_reason: str_of(claim, "tolerance_reason"),
                    params: claim
                        .and_then(|c| c.get("params"))
                        .and_then(|p| serde_json::to_value(p).ok()),
                    trials_of: Some(str_of(claim, "trials_of")).filter(|s| !s.is_empty()),
                    rivals: Vec::new(),
                    hypotheses,
                    simulation,
                    builtin: builtin(text),
                }
            }
        }
    }
}

/// The last component of a path (a card is named by its file name only).
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// `s` with the five characters HTML gives a meaning escaped: safe in text and in a quoted
/// attribute.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A word as a shell would read it back: as is when it is made of safe characters, else in
/// single quotes.
fn shell_word(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=@:+,".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A figure as inline SVG: without its XML prolog, labelled for screen readers, and with its
/// clip path's id made unique in the page (`n`: the figure's index on its page).
fn inline_svg(fig: &plot::Figure, n: usize) -> String {
    let svg = plot::render_svg(fig);
    let svg = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
    let label = if fig.title.is_empty() { "figure".to_string() } else { esc(&fig.title) };
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}\" "), 1)
        .replace("\"thm-plot-area\"", &format!("\"thm-plot-area-{n}\""))
        .replace("url(#thm-plot-area)", &format!("url(#thm-plot-area-{n})"))
}

/// The claim's figure, when it has a sweep to draw.
fn claim_svg(r: &ClaimResult) -> Option<String> {
    (!r.sizes.is_empty() && !r.observations.is_empty())
        .then(|| inline_svg(&figure::claim_figure(r), 0))
}

/// A whole page: head with the inlined style, `body`, footer, and the script when asked.
fn page(title: &str, body: &str, script: bool, options: &Options) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + SCRIPT.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if !options.generator.is_empty() {
        let _ = writeln!(out, "<meta name=\"generator\" content=\"{}\">", esc(&options.generator));
    }
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>");
    out.push_str(body);
    out.push_str("<footer>");
    if options.generator.is_empty() {
        out.push_str("Made by thm.");
    } else {
        let _ = write!(out, "Made by {}.", esc(&options.generator));
    }
    out.push_str(" Each page is self-contained: it loads nothing.</footer>\n");
    if script {
        let _ = write!(out, "<script>\n{SCRIPT}</script>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The CSS class of a verdict.
fn verdict_badge(v: crate::verdict::Verdict) -> String {
    format!("<span class=\"verdict {v}\">{v}</span>")
}

#[cfg(test)]
mod tests;
