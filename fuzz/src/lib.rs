//! aixin's fuzz targets: each target in `fuzz_targets/` hands its input to one check in
//! [`checks`], which `tests/fuzz_replay.rs` also runs, on stable, over every committed corpus
//! file and minimised crash. See `docs/fuzzing.md`.

pub mod checks;
