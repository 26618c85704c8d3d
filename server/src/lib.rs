//! Herald's server: configuration, the REST API, the console host, storage
//! and the command line. Adapters (REST handlers, server functions, CLI) call
//! the service layer, which alone holds the business rules and calls the store.

pub mod clock;
pub mod config;
pub mod console;
pub mod crypto;
pub mod delivery;
pub mod http;
pub mod listener;
pub mod service;
pub mod startup;
pub mod store;
