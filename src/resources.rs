//! What a unit costs before it runs, and the guard that refuses what the machine cannot hold.
//!
//! Every module estimates, from its validated parameters alone, the **peak heap memory** and
//! the **time** of one trial at one size ([`crate::theorem::TypedTheorem::cost`]). The memory
//! is the arrays the trial holds at once (8 bytes per `f64`, 4 per `f32`); the time is its
//! operation counts at the rates below, measured on the project's 2-core machine
//! (`benches/README.md`). Both are estimates: the memory is checked against a counting
//! allocator for every registered claim at its quick sizes (`tests/it/resources.rs`: within a
//! factor of 3 above a 1 MiB floor; within 1.5x in fact), the time against the measured quick
//! registry (`benches/README.md`, "Resource estimates": within a factor of 3 per claim, except
//! trials that stop at a threshold, whose estimate is their longest run).
//!
//! Before `thm check` or `thm run-shard` runs a claim, [`guard`] adds up the peaks of the
//! largest units that can run at once (one per worker thread) and refuses, with exit code 2
//! and one line, a claim above the limit: `--max-memory`, or else the memory the machine has
//! available (`MemAvailable` in `/proc/meminfo`, lowered to a cgroup's `memory.max` when one
//! is set). A d = 10⁶ kernel claim is refused in milliseconds instead of being killed by the
//! system while it allocates a Gram matrix of terabytes.

use crate::card::Profile;
use crate::error::Error;
use crate::theorem::LoadedClaim;

/// Bytes of one `f64`.
pub const F64: f64 = 8.0;
/// Bytes of one `f32`.
pub const F32: f64 = 4.0;
/// One mebibyte.
pub const MIB: f64 = 1024.0 * 1024.0;

/// Dense level-3 algebra (Cholesky, eigen-decompositions, GEMM with a long inner dimension),
/// single-threaded faer: about 40 GFLOP/s measured (benches/README.md, kernel learners and
/// least squares: 35–44 GFLOP/s).
pub const DENSE_FLOPS_PER_SECOND: f64 = 40e9;
/// Entries written by a memory-bound map (a GEMM with a short inner dimension, a kernel or
/// activation map with a transcendental): about 5–20 ns per entry measured (kernel learners:
/// `gram_matrix` 5–16 ns, GEMM X Xᵀ at d = 32 about 6 ns per entry).
pub const MAPPED_ENTRIES_PER_SECOND: f64 = 1e8;
/// Plain arithmetic and Gaussian draws in scalar loops: about 1 ns per operation.
pub const SCALAR_OPS_PER_SECOND: f64 = 1e9;

/// The estimated cost of one trial at one size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TrialCost {
    /// Peak heap bytes the trial holds at once.
    pub peak_bytes: f64,
    /// Wall seconds on one core of the reference machine.
    pub seconds: f64,
}

impl TrialCost {
    /// A cost from its parts: `f64` values held at once, dense flops, mapped entries and scalar
    /// operations.
    pub fn from_counts(f64_values: f64, dense_flops: f64, mapped: f64, scalar: f64) -> Self {
        TrialCost {
            peak_bytes: f64_values * F64,
            seconds: dense_flops / DENSE_FLOPS_PER_SECOND
                + mapped / MAPPED_ENTRIES_PER_SECOND
                + scalar / SCALAR_OPS_PER_SECOND,
        }
    }

    /// A cost too large to count (a sample budget that overflows): refused by any limit.
    pub fn unbounded() -> Self {
        TrialCost { peak_bytes: f64::INFINITY, seconds: f64::INFINITY }
    }

    /// The larger of two costs in each resource (two phases of a trial, one after the other,
    /// hold their peaks apart and add their times).
    pub fn then(self, next: TrialCost) -> TrialCost {
        TrialCost {
            peak_bytes: self.peak_bytes.max(next.peak_bytes),
            seconds: self.seconds + next.seconds,
        }
    }
}

/// A claim's estimate on one profile: its largest unit, and its units' total.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClaimCost {
    /// The size whose trial holds the most memory.
    pub largest_size: u64,
    /// That trial's cost.
    pub largest: TrialCost,
    /// Seconds of every unit (sizes × trials), on one core.
    pub total_seconds: f64,
    /// Peak bytes of the `threads` largest units running at once.
    pub concurrent_bytes: f64,
    /// How many units that peak counts.
    pub concurrent_units: usize,
}

/// The estimate of `claim` on `profile` with `threads` workers, or `None` if the claim has no
/// sweep for the profile.
pub fn claim_cost(claim: &LoadedClaim, profile: Profile, threads: usize) -> Option<ClaimCost> {
    let sweep = claim.sweep(profile)?;
    let costs: Vec<(u64, TrialCost)> =
        sweep.sizes.iter().map(|&s| (s, claim.simulation.cost(s))).collect();
    let (largest_size, largest) = costs
        .iter()
        .copied()
        .max_by(|a, b| a.1.peak_bytes.total_cmp(&b.1.peak_bytes).then(a.0.cmp(&b.0)))?;
    let trials = sweep.trials as usize;
    let mut peaks: Vec<f64> = costs
        .iter()
        .flat_map(|(_, c)| std::iter::repeat_n(c.peak_bytes, trials.min(threads)))
        .collect();
    peaks.sort_by(|a, b| b.total_cmp(a));
    let concurrent_units = threads.min(peaks.len()).max(1);
    Some(ClaimCost {
        largest_size,
        largest,
        total_seconds: costs.iter().map(|(_, c)| c.seconds).sum::<f64>() * trials as f64,
        concurrent_bytes: peaks.iter().take(concurrent_units).sum(),
        concurrent_units,
    })
}

/// The memory limit a run is held to, and where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryLimit {
    /// Bytes.
    pub bytes: f64,
    /// Where the figure comes from, for the error message.
    pub source: String,
}

impl MemoryLimit {
    /// `--max-memory` if given, else what the machine has available, else `None` (no figure
    /// to hold a run to: a system without `/proc/meminfo`).
    pub fn resolve(max_memory: Option<u64>) -> Option<MemoryLimit> {
        if let Some(bytes) = max_memory {
            return Some(MemoryLimit { bytes: bytes as f64, source: "--max-memory".into() });
        }
        let available = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| meminfo_available(&text))?;
        let cgroup = cgroup_headroom();
        Some(match cgroup {
            Some(room) if room < available => {
                MemoryLimit { bytes: room as f64, source: "the cgroup's memory.max".into() }
            }
            _ => MemoryLimit {
                bytes: available as f64,
                source: "available on this machine (MemAvailable)".into(),
            },
        })
    }
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
fn meminfo_available(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// What a cgroup v2 memory limit leaves: `memory.max - memory.current`, if a limit is set.
fn cgroup_headroom() -> Option<u64> {
    let read = |name: &str| std::fs::read_to_string(format!("/sys/fs/cgroup/{name}")).ok();
    let max: u64 = read("memory.max")?.trim().parse().ok()?;
    let current: u64 = read("memory.current")?.trim().parse().ok()?;
    Some(max.saturating_sub(current))
}

/// Parses a memory size: bytes, or a number with a binary suffix `K`, `M`, `G`, `T`
/// (optionally followed by `iB` or `B`), e.g. `512M`, `1.5G`, `20GiB`.
///
/// # Errors
/// What is accepted, for a size that is not one.
pub fn parse_memory(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits_end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits_end);
    let factor: f64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "K" | "KB" | "KIB" => 1024.0,
        "M" | "MB" | "MIB" => MIB,
        "G" | "GB" | "GIB" => MIB * 1024.0,
        "T" | "TB" | "TIB" => MIB * MIB,
        _ => f64::NAN,
    };
    let value: f64 = number.parse().unwrap_or(f64::NAN);
    let bytes = value * factor;
    if bytes.is_finite() && bytes >= 1.0 && bytes < 2f64.powi(63) {
        Ok(bytes as u64)
    } else {
        Err(format!(
            "`{text}` is not a memory size: give bytes or a number with K, M, G or T (binary \
             units), e.g. 512M or 20G"
        ))
    }
}

/// A byte count for people: `1.5 GiB`, `300 MiB`, `12 KiB`.
pub fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// A duration for people: `0.3 s`, `42 s`, `7.5 min`, `3.2 h`, `12 days`.
pub fn human_seconds(seconds: f64) -> String {
    if seconds < 10.0 {
        format!("{seconds:.1} s")
    } else if seconds < 600.0 {
        format!("{seconds:.0} s")
    } else if seconds < 36_000.0 {
        format!("{:.1} min", seconds / 60.0)
    } else if seconds < 3.0 * 86_400.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86_400.0)
    }
}

/// Refuses the first claim whose largest concurrent units would exceed `limit`: one line with
/// the estimate and what to do. `claims` are (label, claim) pairs, e.g.
/// (`kernel-barrier/krr-staircase-l1`, its loaded claim).
///
/// # Errors
/// [`Error::Resources`] for a claim above the limit.
pub fn guard<'a>(
    claims: impl IntoIterator<Item = (String, &'a LoadedClaim)>,
    profile: Profile,
    threads: usize,
    limit: Option<&MemoryLimit>,
) -> Result<(), Error> {
    let Some(limit) = limit else { return Ok(()) };
    for (label, claim) in claims {
        let Some(cost) = claim_cost(claim, profile, threads) else { continue };
        if cost.concurrent_bytes > limit.bytes {
            let at_once = if cost.concurrent_units > 1 {
                format!(
                    ", {} units at once: {}",
                    cost.concurrent_units,
                    human_bytes(cost.concurrent_bytes)
                )
            } else {
                String::new()
            };
            return Err(Error::Resources(format!(
                "{label} ({}): its largest unit (size {}) needs an estimated {} of memory{at_once}, \
                 above the {} {}; run smaller sizes, fewer --threads, or split it over a cluster \
                 (thm plan), or raise the limit with --max-memory",
                profile.name(),
                cost.largest_size,
                human_bytes(cost.largest.peak_bytes),
                human_bytes(limit.bytes),
                limit.source,
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes_parse_in_binary_units_and_bad_ones_say_what_is_accepted() {
        assert_eq!(parse_memory("512M"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_memory("1.5G"), Ok(3 * 512 * 1024 * 1024));
        assert_eq!(parse_memory("20GiB"), Ok(20 * 1024 * 1024 * 1024));
        assert_eq!(parse_memory("4096"), Ok(4096));
        for bad in ["", "G", "-1G", "1X", "nanG", "1e400", "0"] {
            let e = parse_memory(bad).unwrap_err();
            assert!(e.contains("e.g. 512M"), "{bad}: {e}");
        }
    }

    #[test]
    fn meminfo_gives_available_bytes() {
        let text = "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(meminfo_available(text), Some(20_000_000 * 1024));
        assert_eq!(meminfo_available("MemTotal: 1 kB\n"), None);
    }

    #[test]
    fn people_read_bytes_and_seconds() {
        assert_eq!(human_bytes(512.0), "512 B");
        assert_eq!(human_bytes(1.5 * MIB * 1024.0), "1.5 GiB");
        assert_eq!(human_bytes(8e12), "7.3 TiB");
        assert_eq!(human_seconds(0.26), "0.3 s");
        assert_eq!(human_seconds(90.0), "90 s");
        assert_eq!(human_seconds(4.0 * 86_400.0), "4 days");
    }
}
