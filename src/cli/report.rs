//! Results sites: `thm report CERT... --out DIR`, and `thm check --report DIR` (also what
//! `thm merge --report DIR` runs).
//!
//! [`crate::report::html`] makes the pages; this writes them, each atomically, into a
//! directory created if missing.

use super::args::ReportArgs;
use super::{output, Job};
use crate::card::CardSource;
use crate::cert::{Build, Certificate};
use crate::check::ClaimResult;
use crate::error::Error;
use crate::registry;
use crate::report::html::{self, CardInfo, Certified, Entry, Options, Page};
use crate::theorem::{LoadedCard, Panel};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The footer's "made by": this binary's version and commit (no time, no host).
pub(super) fn generator() -> String {
    let b = Build::current();
    format!("thm {} (commit {})", b.thm_version, b.git_commit)
}

/// Creates the site's directory and checks that a page can be written there, so that a bad
/// `--report` fails before any simulation runs.
///
/// # Errors
/// [`Error::Io`] naming the directory or the page that cannot be written.
pub(super) fn prepare(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    output::check_writable(&dir.join("index.html"))
}

/// Writes a site's pages into `dir` (created if missing), each atomically.
///
/// # Errors
/// [`Error::Io`] naming the file that could not be written.
pub(super) fn write_site(dir: &Path, pages: &[Page]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    for page in pages {
        output::write_atomically(&dir.join(&page.file), page.html.as_bytes())?;
    }
    let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    eprintln!(
        "site written to {} ({} pages, {:.0} kB)",
        dir.join("index.html").display(),
        pages.len(),
        bytes as f64 / 1000.0
    );
    Ok(())
}

/// `thm check --report DIR`: the site of a check's results, with the modules' panels.
///
/// # Errors
/// [`Error::Io`] for a page that cannot be written.
pub(super) fn write_check_site(
    dir: &Path,
    jobs: &[Job],
    results: &[ClaimResult],
    panels: &[Vec<(u64, Result<Panel, String>)>],
    notes: Option<&str>,
) -> Result<(), Error> {
    let entries: Vec<Entry<'_>> = jobs
        .iter()
        .zip(results)
        .zip(panels)
        .map(|((job, r), panels)| Entry {
            card: CardInfo::Loaded(&job.card),
            result: r,
            panels,
            held_back: job.held_back.is_some(),
            certificate: None,
        })
        .collect();
    let notes = notes.iter().flat_map(|n| n.lines().map(String::from)).collect();
    write_site(dir, &html::site(&entries, &Options { generator: generator(), notes }))
}

/// One certified claim, read back.
struct Item {
    /// The certificate's file name.
    file: String,
    /// Index of its certificate in the arguments.
    cert: usize,
    card: Option<LoadedCard>,
    card_name: String,
    card_text: String,
    result: ClaimResult,
    held_back: bool,
}

/// `thm report CERT... --out DIR`.
///
/// # Errors
/// [`Error::Io`] or [`Error::Certificate`] for a certificate that cannot be read, [`Error::Io`]
/// for a page that cannot be written; nothing is written unless every certificate reads.
pub(super) fn report(args: &ReportArgs) -> Result<ExitCode, Error> {
    let mut certificates: Vec<Certificate> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for (n, path) in args.certificates.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Io { path: path.clone(), source })?;
        let certificate = Certificate::parse(path, &text)?;
        let file = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned());
        for (i, c) in certificate.claims.iter().enumerate() {
            let result: ClaimResult =
                serde_json::from_value(c.result.clone()).map_err(|e| Error::Certificate {
                    path: PathBuf::from(path),
                    message: format!(
                        "claim {i} ({}/{}): its result cannot be read: {e}",
                        c.theorem, c.claim
                    ),
                })?;
            // A card that no longer loads (another syntax, a module that changed) is still
            // shown from its text.
            let source = CardSource { path: c.card_name.clone().into(), text: c.card_text.clone() };
            let card = registry::load_card(&source).ok();
            let builtin =
                registry::BUILTIN_CARDS.iter().any(|(id, t)| *id == c.theorem && *t == c.card_text);
            let held_back = !builtin
                && registry::held_back(&c.theorem)
                    .is_ok_and(|h| h.iter().any(|h| h.claim == c.claim));
            items.push(Item {
                file: file.clone(),
                cert: n,
                card,
                card_name: c.card_name.clone(),
                card_text: c.card_text.clone(),
                result,
                held_back,
            });
        }
        certificates.push(certificate);
    }
    prepare(&args.out)?;
    let entries: Vec<Entry<'_>> = items
        .iter()
        .map(|item| Entry {
            card: match &item.card {
                Some(card) => CardInfo::Loaded(card),
                None => CardInfo::Text { name: &item.card_name, text: &item.card_text },
            },
            result: &item.result,
            panels: &[],
            held_back: item.held_back,
            certificate: Some(Certified {
                file: &item.file,
                build: &certificates[item.cert].build,
            }),
        })
        .collect();
    let options = Options { generator: generator(), notes: Vec::new() };
    write_site(&args.out, &html::site(&entries, &options))?;
    Ok(ExitCode::SUCCESS)
}
