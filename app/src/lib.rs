//! Herald's shared crate: wire models and validation (native and wasm32),
//! the console's pages and components, and the `#[server]` functions.
//! Built with `ssr` for the server and with `hydrate` for the browser.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
mod components;
pub mod model;
mod pages;
mod root;
pub mod validate;

pub use root::{App, shell};
