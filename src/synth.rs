//! Synthetic submissions: renders a budget as the files a unit would send, in many shapes
//! (split or joined codes, 元 or 万元, xlsx, GBK CSV, …), and splits a budget into N units.
//! Used by the samples, the test fixtures and the batch benchmark.
