//! yusuan's integration tests: one binary, one module per user story.

mod batch;
mod common;
mod model_fixture;
mod round_trip;
mod seed_convert;
mod synth;
