//! `herald`: serve the console and API, or script keys and companies.

use clap::{Parser, Subcommand};
use herald_engine::{SoleWorker, WorkerRole};
use herald_model::Scope;
use herald_service::{NewApiKey, Service};
use herald_store::Db;
use server::{
    config::{Config, Database, EmbeddedSite, LogFormat, Settings, SiteFile},
    listener, startup,
};
use std::process::ExitCode;
use tokio_util::sync::CancellationToken;

use tracing_subscriber::EnvFilter;

/// Every delivery allocates its row, request and record, on several
/// threads at once: glibc's allocator spent a quarter of the delivery
/// phase's CPU in `malloc`, `free` and their consolidation (perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "herald",
    version,
    about = "Herald: self-hosted webhook delivery"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the console and the REST API, and deliver (the default).
    Serve {
        /// Serve only; `herald worker` processes deliver.
        #[arg(long)]
        no_worker: bool,
    },
    /// Deliver only: no console, no API; /healthz, /readyz and /metrics on --addr.
    Worker,
    /// Manage API keys.
    #[command(name = "api-key", subcommand)]
    ApiKey(ApiKeyCommand),
    /// Manage companies.
    #[command(subcommand)]
    Company(CompanyCommand),
}

#[derive(Subcommand)]
enum ApiKeyCommand {
    /// Create a key and print it (and nothing else) on stdout.
    Create {
        /// The account; created when it does not exist.
        #[arg(long, default_value = "default")]
        account: String,
        /// Comma-separated scopes, e.g. read:webhooks,write:webhooks.
        #[arg(long, value_parser = parse_scopes)]
        scopes: ScopeList,
        /// Restrict the key to this company of the account.
        #[arg(long)]
        company: Option<String>,
        /// A name to recognise the key by.
        #[arg(long, default_value = "created by the CLI")]
        name: String,
    },
}

#[derive(Subcommand)]
enum CompanyCommand {
    /// Create a company and print its id (and nothing else) on stdout.
    Create {
        /// The account; created when it does not exist.
        #[arg(long, default_value = "default")]
        account: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone)]
struct ScopeList(Vec<Scope>);

fn parse_scopes(list: &str) -> Result<ScopeList, String> {
    Scope::parse_list(list)
        .map(ScopeList)
        .map_err(|error| error.to_string())
}

/// The console's assets, compiled in when the build names their directory
/// in `HERALD_EMBED_SITE` (`scripts/build.sh` does): one file then serves
/// the console from anywhere. Built without it, the binary reads them from
/// the site directory on disk.
#[derive(rust_embed::Embed)]
#[folder = "${HERALD_EMBED_SITE:-no-embedded-site}"]
#[allow_missing = true]
struct Site;

/// The derive reads `HERALD_EMBED_SITE` where cargo does not see it; naming
/// it here makes cargo rebuild the binary when it changes.
const _EMBEDDED_FROM: Option<&str> = option_env!("HERALD_EMBED_SITE");

fn embedded_site() -> Option<EmbeddedSite> {
    let carried = Site::iter().next().is_some();
    carried.then_some(embedded_file as EmbeddedSite)
}

fn embedded_file(path: &str) -> Option<SiteFile> {
    let file = Site::get(path)?;
    Some(SiteFile {
        etag: format!("\"{}\"", hex::encode(file.metadata.sha256_hash())),
        bytes: file.data,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&error),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&*error),
    }
}

fn fail(error: &dyn std::error::Error) -> ExitCode {
    eprintln!("herald: error: {error}");
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::load(cli.settings)?;
    config.embedded_site = embedded_site();
    match cli.command.unwrap_or(Command::Serve { no_worker: false }) {
        Command::Serve { no_worker } => serve(config, !no_worker).await,
        Command::Worker => work(config).await,
        Command::ApiKey(ApiKeyCommand::Create {
            account,
            scopes,
            company,
            name,
        }) => {
            let (service, db) = open_service(&config).await?;
            let account = service.ensure_account(&account).await?;
            let request = NewApiKey {
                name,
                scopes: scopes.0,
                company_id: company,
            };
            let created = service.create_api_key(&account, request).await;
            db.close().await;
            println!("{}", created?.key);
            Ok(())
        }
        Command::Company(CompanyCommand::Create { account, name }) => {
            let (service, db) = open_service(&config).await?;
            let account = service.ensure_account(&account).await?;
            let company = service.create_company(&account, &name).await;
            db.close().await;
            println!("{}", company?.id);
            Ok(())
        }
    }
}

/// The CLI's commands: quiet logs on stderr, stdout kept for their one answer.
async fn open_service(config: &Config) -> Result<(Service, Db), Box<dyn std::error::Error>> {
    init_tracing(config.log_format, "warn");
    let (service, _engine, db) =
        startup::open(config, herald_engine::clock::Clock::system()).await?;
    Ok((service, db))
}

async fn serve(config: Config, deliver: bool) -> Result<(), Box<dyn std::error::Error>> {
    init_tracing(config.log_format, "info");
    tracing::info!(config = %config, "starting Herald {}", env!("CARGO_PKG_VERSION"));
    raise_open_file_limit();
    let herald = startup::build(&config).await?;
    if let Some(created) = herald.service.bootstrap().await? {
        println!(
            "\nHerald created the account \"default\" and its first admin API key.\n\
             It is shown this once; keep it somewhere safe:\n\n    {}\n",
            created.key
        );
    }
    let _sole = if deliver {
        claim_sole_worker(&config, &herald).await?
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    let role = if deliver {
        WorkerRole::Deliver
    } else {
        WorkerRole::HeartbeatOnly
    };
    run_until_stopped(&config, herald, listener, role).await
}

/// `herald worker`: delivers until SIGTERM, then drains and gives back;
/// its address answers `/healthz`, `/readyz` and `/metrics` only.
async fn work(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    init_tracing(config.log_format, "info");
    tracing::info!(config = %config, "starting Herald {} (worker only)", env!("CARGO_PKG_VERSION"));
    raise_open_file_limit();
    let herald = startup::build_worker(&config).await?;
    let _sole = claim_sole_worker(&config, &herald).await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("health and metrics on http://{}", listener.local_addr()?);
    run_until_stopped(&config, herald, listener, WorkerRole::Deliver).await
}

/// On SQLite the delivering process holds the sole-worker lock (it will not
/// start beside another) and at once takes over what a dead one held.
async fn claim_sole_worker(
    config: &Config,
    herald: &startup::Herald,
) -> Result<Option<SoleWorker>, Box<dyn std::error::Error>> {
    let Database::Sqlite(path) = &config.database else {
        return Ok(None);
    };
    let lock = SoleWorker::claim(path)?;
    herald.engine.take_over_as_sole_worker(&lock).await?;
    Ok(Some(lock))
}

/// Serves `herald`'s routes and runs its delivery worker in `role` until
/// SIGTERM or Ctrl-C, then drains both and closes the database.
async fn run_until_stopped(
    config: &Config,
    herald: startup::Herald,
    listener: tokio::net::TcpListener,
    role: WorkerRole,
) -> Result<(), Box<dyn std::error::Error>> {
    let stop = CancellationToken::new();
    let worker = tokio::spawn(herald_engine::run_worker(
        herald.engine,
        role,
        stop.clone(),
        config.shutdown_grace,
    ));
    let signal = {
        let stop = stop.clone();
        async move {
            shutdown_signal().await;
            stop.cancel();
        }
    };
    listener::serve(listener, herald.router, config.header_timeout, signal).await?;
    stop.cancel();
    worker.await?;
    herald.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Many connections need many descriptors: use what the hard limit allows.
fn raise_open_file_limit() {
    match listener::raise_open_file_limit() {
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(error) => tracing::warn!(%error, "could not raise the open-file limit"),
    }
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler cannot fail on Unix");
    tokio::select! {
        _ = interrupt => {},
        _ = terminate.recv() => {},
    }
    tracing::info!("shutting down");
}

/// sqlx warns of each connection parameter it does not know, with its
/// value: `sslpassword=...` would reach the log. Never shown, whatever
/// `HERALD_LOG` says.
const QUIET_SECRETS: &str = "sqlx_postgres::options::parse=error";

fn init_tracing(format: LogFormat, default_level: &str) {
    let filter = EnvFilter::try_from_env("HERALD_LOG")
        .unwrap_or_else(|_| EnvFilter::new(format!("{default_level},sqlx=warn")));
    let filter = match QUIET_SECRETS.parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
