//! Herald's console: its pages and components and the `#[server]` functions
//! they call, which call the service directly. Built with `ssr` for the
//! server and with `hydrate` for the browser; the wire types and validation
//! both sides share are the `herald-model` crate.

#![recursion_limit = "256"]

// The server must render the structure the browser hydrates: a build with
// the flag on one side only panics in the browser, so it does not build.
#[cfg(not(erase_components))]
compile_error!(
    "build with `--cfg erase_components`, as .cargo/config.toml sets it \
     (RUSTFLAGS and target rustflags replace that setting: repeat the flag there)"
);

mod admin;
pub mod api;
mod components;
mod pages;
#[cfg(any(feature = "ssr", feature = "portal"))]
mod portal;
mod root;

// The model crate under the names the pages use for it.
use herald_model as model;
use herald_model::validate;

pub use admin::AdminApp;
#[cfg(any(feature = "ssr", feature = "portal"))]
pub use portal::PortalApp;
pub use root::{App, shell};
#[cfg(feature = "ssr")]
pub use root::{admin_shell, portal_shell};
