//! The key of a unit of work: a hash of everything that determines its bits.

use sha2::{Digest, Sha256};

/// Version tag mixed into every key; changing the record format or what a key covers changes
/// it, so an old store is never read as a new one.
pub const KEY_DERIVATION: &str = "thm/unit/v1";

/// Everything that determines the bits of one unit (one trial of one claim at one size).
///
/// Two units with equal ids give the same observation on any run: the build (a hash of the
/// source compiled in, so a code change never reuses a stale unit even without a version
/// bump), the platform (target and the CPU features that change floating-point bits), the
/// card's text, the claim whose streams the unit reads, its resolved parameters, the profile,
/// the master seed, the size and the trial index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitId<'a> {
    /// [`build_identity`]: SHA-256 of the source compiled into this binary.
    pub build: &'a str,
    /// [`platform`]: target triple and CPU features.
    pub platform: &'a str,
    /// SHA-256 of the card's text (hex).
    pub card_sha256: &'a str,
    /// Theorem id.
    pub theorem: &'a str,
    /// The claim whose random streams the unit reads.
    pub claim: &'a str,
    /// The claim's resolved parameters as canonical JSON.
    pub params: &'a str,
    /// `quick` or `full`.
    pub profile: &'a str,
    /// The master seed.
    pub master_seed: u64,
    /// The size (d, N, m, ...).
    pub size: u64,
    /// The trial index at that size.
    pub trial: u64,
}

impl UnitId<'_> {
    /// SHA-256 over the derivation tag and every coordinate, each string length-prefixed so
    /// that no two ids share an encoding; lowercase hex.
    pub fn key(&self) -> String {
        let mut h = Sha256::new();
        let put = |h: &mut Sha256, s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        put(&mut h, KEY_DERIVATION);
        for s in [
            self.build,
            self.platform,
            self.card_sha256,
            self.theorem,
            self.claim,
            self.params,
            self.profile,
        ] {
            put(&mut h, s);
        }
        for v in [self.master_seed, self.size, self.trial] {
            h.update(v.to_le_bytes());
        }
        crate::check::to_hex(&h.finalize())
    }
}

/// SHA-256 of the source compiled into this binary (`src/`, the built-in cards, `build.rs`,
/// `Cargo.toml`, `Cargo.lock`), computed by `build.rs`.
pub fn build_identity() -> &'static str {
    env!("THM_SOURCE_HASH")
}

/// The target triple and the CPU features that change floating-point bits, e.g.
/// `x86_64-unknown-linux-gnu+avx2+fma`.
pub fn platform() -> String {
    let build = crate::cert::Build::current();
    let mut s = build.target;
    for f in build.cpu_features {
        s.push('+');
        s.push_str(&f);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> UnitId<'static> {
        UnitId {
            build: "b",
            platform: "p",
            card_sha256: "c",
            theorem: "t",
            claim: "k",
            params: "{}",
            profile: "quick",
            master_seed: 0,
            size: 16,
            trial: 3,
        }
    }

    #[test]
    fn keys_differ_along_every_coordinate_and_repeat() {
        let base = id();
        assert_eq!(base.key(), id().key());
        assert_eq!(base.key().len(), 64);
        let others = [
            UnitId { build: "b2", ..base },
            UnitId { platform: "p2", ..base },
            UnitId { card_sha256: "c2", ..base },
            UnitId { theorem: "t2", ..base },
            UnitId { claim: "k2", ..base },
            UnitId { params: "{ }", ..base },
            UnitId { profile: "full", ..base },
            UnitId { master_seed: 1, ..base },
            UnitId { size: 17, ..base },
            UnitId { trial: 4, ..base },
        ];
        for o in others {
            assert_ne!(o.key(), base.key(), "{o:?}");
        }
        // Length prefixes keep adjacent strings apart.
        assert_ne!(UnitId { theorem: "ab", claim: "c", ..base }.key(), {
            UnitId { theorem: "a", claim: "bc", ..base }.key()
        });
    }

    #[test]
    fn the_build_identity_is_a_sha256() {
        assert_eq!(build_identity().len(), 64);
        assert!(build_identity().bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
