//! Fuzzes the pipeline after reading: text in (CSV, TSV or a disclosure text), then recognise,
//! check and write. No grid, however odd, may make recognition, the checks or the writer
//! panic or hang; reading is `read_bytes`'s target, this one is for our own code on what a
//! reader can give.
//!
//! How to run (needs a nightly toolchain and cargo-fuzz; not part of CI):
//!
//! ```text
//! cd fuzz
//! mkdir -p corpus/pipeline
//! for f in ../samples/units/0002_csv-gbk/*.csv; do                # \0: read as a.csv
//!   { printf '\0'; cat "$f"; } > "corpus/pipeline/$(basename "$f" | md5sum | cut -c1-8)"
//! done
//! { printf '\1'; cat ../../shared/seed/*.txt; } > corpus/pipeline/seed   # \1: as a.txt
//! cargo +nightly fuzz run pipeline corpus/pipeline -- -max_len=60000 -rss_limit_mb=2048
//! ```
//!
//! The first input byte picks the file name (and so the reader); the rest is the file.

#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 3] = ["a.csv", "a.txt", "a.tsv"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let Ok(grids) = yusuan::read::read_bytes(name, bytes) else {
        return;
    };
    let Ok(submission) = yusuan::recognize::recognize(&grids) else {
        return;
    };
    let findings = yusuan::check::check(&submission);
    let _ = yusuan::write::workbook(&submission.budget, &findings, &Default::default());
});
