//! Fuzzes recognition, checks and the writer on grids with merged cells: `pipeline` reads
//! text, which has none, and mutating workbook bytes rarely gets past the zip, so this target
//! builds the merges itself. The input is a count of merges, each as four little-endian u16
//! (first row, first column, last row, last column; sorted as every reader sorts them, so
//! possibly overlapping, single-cell or far outside the cells), then CSV text for the cells.
//!
//! How to run (needs a nightly toolchain and cargo-fuzz; not part of CI):
//!
//! ```text
//! cd fuzz
//! mkdir -p corpus/merged_grid
//! for f in ../samples/units/0002_csv-gbk/*.csv; do       # no merges, then the table
//!   { printf '\0'; cat "$f"; } > "corpus/merged_grid/$(basename "$f" | md5sum | cut -c1-8)"
//! done
//! cargo +nightly fuzz run merged_grid corpus/merged_grid -- -max_len=60000 -rss_limit_mb=2048
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use yusuan::grid::Merge;

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(count % 32);
    let Some((merges, text)) = rest.split_at_checked(count * 8) else {
        return;
    };
    let Ok(mut grids) = yusuan::read::read_bytes("a.csv", text) else {
        return;
    };
    let Some(grid) = grids.first_mut() else {
        return;
    };
    for m in merges.chunks_exact(8) {
        let at = |i: usize| u32::from(u16::from_le_bytes([m[i], m[i + 1]]));
        let (r1, c1, r2, c2) = (at(0), at(2), at(4), at(6));
        grid.merges.push(Merge {
            first_row: r1.min(r2),
            first_col: c1.min(c2),
            last_row: r1.max(r2),
            last_col: c1.max(c2),
        });
    }
    let Ok(submission) = yusuan::recognize::recognize(&grids) else {
        return;
    };
    let findings = yusuan::check::check(&submission);
    let _ = yusuan::write::workbook(&submission.budget, &findings, &Default::default());
});
