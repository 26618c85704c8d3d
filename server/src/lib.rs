//! Herald's adapters: the configuration and command line, the REST API and
//! its profiles, and the console's host. Each calls the service
//! (`herald-service`), which alone holds the business rules; below it lie
//! the delivery engine (`herald-engine`), the store (`herald-store`) and the
//! model (`herald-model`), each a crate, so the arrows point one way.

pub mod config;
pub mod console;
pub mod http;
pub mod listener;
pub mod portal;
pub mod startup;
