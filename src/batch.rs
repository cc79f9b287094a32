//! Batch: a folder of unit submissions in, one outcome per unit out, plus the consolidated
//! department. Never aborts on one bad unit.
