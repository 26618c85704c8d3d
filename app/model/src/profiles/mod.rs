//! The compatibility profiles' wire types (SPEC §7): what the clients of
//! the other seed systems send and read, checked against each document's
//! fields and ranges. The server maps them onto the main API's types.

pub mod fastapi;
pub mod fields;
pub mod interactly;
pub mod konpro;
