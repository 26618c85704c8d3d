//! Integration tests: the real server on a free loopback port, over a real
//! SQLite file or a fresh database in a throw-away PostgreSQL cluster.
//! Every test runs on both backends, as `<module>::sqlite::<name>` and
//! `<module>::postgres::<name>`.

/// Declares each listed `async fn name(backend: Backend)` as two tests, one per backend.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    crate::helpers::within_time_limit(super::$test(crate::helpers::Backend::Sqlite)).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    crate::helpers::within_time_limit(super::$test(crate::helpers::Backend::Postgres)).await
                }
            )+
        }
    };
}

/// Declares each listed `async fn name(backend: Backend)` as a PostgreSQL
/// test only, for what SQLite does not do (several processes at work).
macro_rules! on_postgres_only {
    ($($test:ident),+ $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    crate::helpers::within_time_limit(super::$test(crate::helpers::Backend::Postgres)).await
                }
            )+
        }
    };
}

mod changes_elsewhere;
mod cli;
mod console_fns;
mod console_session;
mod delivery;
mod egress_proxy;
mod hardening;
mod health;
mod helpers;
mod interactly;
mod konpro;
mod layers;
mod master_key;
mod migrations;
mod openapi;
mod operations;
mod packaging;
mod portal;
mod processes;
mod profiles_delivery;
mod profiles_keys;
mod readme_api;
mod schemathesis;
mod seed_examples;
mod shared_database;
mod tenancy;
mod webhooks;
mod webhooks_fuzz;
mod webhooks_input;
