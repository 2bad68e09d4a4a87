//! One component per file.

pub mod summary_table;
