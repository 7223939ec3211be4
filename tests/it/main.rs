//! The integration tests, one binary (matklad's advice): claims against their snapshots, the
//! harness on synthetic laws with known answers, the command line as a user meets it (and the
//! typed experiment designs it refuses), the bad-input corpus and seeded mutations of the
//! cards, cards whose claims carry one profile, statistics properties, golden values (also of
//! the special functions), tidy checks, and the results site in a real browser.

mod browser;
mod cli;
mod corpus;
mod coverage;
mod designs;
mod fuzz;
mod golden;
mod harness;
mod profiles;
mod props;
mod resources;
mod slurm;
mod special;
mod store;
mod theorems;
mod tidy;
