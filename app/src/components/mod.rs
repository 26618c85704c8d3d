//! Views reused across pages.

mod console_layout;

pub use console_layout::ConsoleLayout;
