//! One component per file.

pub mod banner;
pub mod charts;
pub mod compare;
pub mod dialog;
pub mod embed;
pub mod embed_host;
pub mod field;
pub mod file_menu;
pub mod fold;
pub mod gallery;
pub mod help;
pub mod inspector;
pub mod layer_form;
pub mod library;
pub mod load_editor;
pub mod replay_bar;
pub mod run_stopped;
pub mod service_editor;
pub mod share_panel;
pub mod stack_builder;
pub mod stack_diagram;
pub mod story;
pub mod summary_table;
pub mod timeline;
pub mod title;
pub mod verdict;
