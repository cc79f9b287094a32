//! yusuan's integration tests: one binary, one module per user story.

mod batch;
mod check;
mod cli;
mod common;
mod label_cells;
mod model_fixture;
mod read;
mod recognize;
mod regression;
mod round_trip;
mod row_cells;
mod seed_convert;
mod shapes;
mod synth;
mod unit_kind;
mod unit_overview;
mod write;
