//! `thm store ls | verify | gc`: what the trial store holds, whether every record is sound,
//! and removing what no current card can produce.

use super::args::StoreAction;
use super::out;
use crate::card::{CardSource, Profile};
use crate::check::ClaimRun;
use crate::error::Error;
use crate::registry;
use crate::store::{unit_key, Store};
use crate::theorem::LoadedCard;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn store(action: &StoreAction) -> Result<ExitCode, Error> {
    match action {
        StoreAction::Ls { store } => ls(store),
        StoreAction::Verify { store } => verify(store),
        StoreAction::Gc { store, cards, dry_run } => gc(store, cards, *dry_run),
    }
}

/// Opens an existing store; a missing one is bad input (these commands never create one).
fn existing(root: &Path) -> Result<Store, Error> {
    if !root.join("units").is_dir() {
        return Err(Error::Usage(format!(
            "{}: no trial store here (thm check creates one; --store DIR names another)",
            root.display()
        )));
    }
    Store::open(root)
}

fn ls(root: &Path) -> Result<ExitCode, Error> {
    let store = existing(root)?;
    let mut groups: BTreeMap<(String, String, String, u64), u64> = BTreeMap::new();
    let mut invalid = 0u64;
    for file in store.files()? {
        match file.record {
            Ok(r) => *groups.entry((r.theorem, r.claim, r.profile, r.seed)).or_default() += 1,
            Err(_) => invalid += 1,
        }
    }
    let mut text = format!(
        "{:<30} {:<28} {:<8} {:>20} {:>8}\n",
        "theorem", "claim", "profile", "seed", "units"
    );
    let mut total = 0;
    for ((theorem, claim, profile, seed), n) in &groups {
        text += &format!("{theorem:<30} {claim:<28} {profile:<8} {seed:>20} {n:>8}\n");
        total += n;
    }
    text += &format!("{total} units in {}", root.display());
    if invalid > 0 {
        text += &format!(", {invalid} invalid (thm store verify names them)");
    }
    text.push('\n');
    out(&text);
    Ok(ExitCode::SUCCESS)
}

fn verify(root: &Path) -> Result<ExitCode, Error> {
    let store = existing(root)?;
    let files = store.files()?;
    let leftovers = store.leftovers()?;
    let mut text = String::new();
    let mut bad = 0;
    for f in &files {
        if let Err(why) = &f.record {
            bad += 1;
            text += &format!("invalid: {}: {why}\n", f.path.display());
        }
    }
    for l in &leftovers {
        text += &format!(
            "leftover of an interrupted write (harmless; gc removes it): {}\n",
            l.display()
        );
    }
    text += &format!("{} records, {} valid, {bad} invalid\n", files.len(), files.len() - bad);
    out(&text);
    Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Every card whose units a store may keep: the built-in cards, each held-back claim's card,
/// and the card files given.
fn current_cards(extra: &[PathBuf]) -> Result<Vec<LoadedCard>, Error> {
    let mut cards = registry::builtin_cards()?;
    for card in registry::builtin_cards()? {
        for h in registry::held_back(&card.id)? {
            cards.push(registry::held_back_card(&card.id, &h.claim)?);
        }
    }
    for path in extra {
        cards.push(registry::load_card(&CardSource::read(path)?)?);
    }
    Ok(cards)
}

fn gc(root: &Path, extra: &[PathBuf], dry_run: bool) -> Result<ExitCode, Error> {
    let store = existing(root)?;
    let mut keep: HashSet<String> = HashSet::new();
    for card in current_cards(extra)? {
        for claim in &card.claims {
            for profile in Profile::ALL {
                if let Some(run) = ClaimRun::new(&card, claim, profile, None) {
                    keep.extend(run.units().into_iter().map(|u| unit_key(&run, u)));
                }
            }
        }
    }
    let mut removed = 0u64;
    let mut kept = 0u64;
    let mut doomed: Vec<PathBuf> = store.leftovers()?;
    for f in store.files()? {
        if f.record.is_ok() && keep.contains(&f.key) {
            kept += 1;
        } else {
            doomed.push(f.path);
        }
    }
    for path in &doomed {
        if !dry_run {
            store.remove(path)?;
        }
        removed += 1;
    }
    let verb = if dry_run { "would remove" } else { "removed" };
    out(&format!(
        "{verb} {removed} files (units of other builds, cards, seeds or parameters; invalid \
         records; leftovers), kept {kept} units\n"
    ));
    Ok(ExitCode::SUCCESS)
}
