//! Fuzzes `yusuan::read::read_bytes`: no input bytes, under any file name, may panic, hang or
//! exhaust memory.
//!
//! How to run (needs a nightly toolchain and cargo-fuzz; not part of CI):
//!
//! ```text
//! rustup toolchain install nightly
//! cargo install cargo-fuzz
//! cd fuzz
//! mkdir -p corpus/read_bytes
//! cp ../tests/fixtures/read/* corpus/read_bytes/      # seed with real workbooks
//! cargo +nightly fuzz run read_bytes corpus/read_bytes -- -max_len=200000 -rss_limit_mb=2048
//! ```
//!
//! The first input byte picks the file name (and so the extension the reader sees); the rest
//! is the file's content.

#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 10] = [
    "a.xlsx", "a.xlsm", "a.xls", "a.xlsb", "a.ods", "a.csv", "a.tsv", "a.txt", "a.et", "a",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let _ = yusuan::read::read_bytes(name, bytes);
});
