//! Herald's shared crate: wire models and validation (native and wasm32),
//! the console's pages and components, and the `#[server]` functions.
//! Built with `ssr` for the server and with `hydrate` for the browser.

#![recursion_limit = "256"]

// The server must render the structure the browser hydrates: a build with
// the flag on one side only panics in the browser, so it does not build.
#[cfg(not(erase_components))]
compile_error!(
    "build with `--cfg erase_components`, as .cargo/config.toml sets it \
     (RUSTFLAGS and target rustflags replace that setting: repeat the flag there)"
);

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
mod components;
pub mod model;
mod pages;
mod root;
pub mod validate;

pub use root::{App, shell};
