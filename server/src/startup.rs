//! Assembles Herald from its configuration: database, service, routes.

use crate::{config::Config, console, http, portal};
use axum::{
    Router,
    extract::Request,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use herald_engine::clock::Clock;
use herald_engine::{Engine, EngineSettings};
use herald_service::{ApiRateLimit, Service, ServiceError, ServiceParts};
use herald_store::Db;
use tower_http::compression::CompressionLayer;

/// A Herald ready to serve: its router (for [`crate::listener::serve`]),
/// the service behind it, and the delivery engine to run with
/// [`herald_engine::run_worker`].
pub struct Herald {
    pub router: Router,
    pub service: Service,
    pub engine: Engine,
    pub db: Db,
}

/// Connects to the database, applies migrations, checks the master key
/// and builds the console and API routes.
pub async fn build(config: &Config) -> Result<Herald, ServiceError> {
    build_with_clock(config, Clock::system()).await
}

/// [`build`] with a clock of the caller's (tests move it by hand).
pub async fn build_with_clock(config: &Config, clock: Clock) -> Result<Herald, ServiceError> {
    let (service, engine, db) = open(config, clock).await?;
    let site = console::ConsoleSite::open(config);
    let router = Router::new()
        .route("/", get(|| async { Redirect::to("/console/webhooks") }))
        .merge(http::router(service.clone()))
        .merge(console::router(service.clone(), &site))
        .merge(portal::router(
            service.clone(),
            &site,
            &config.portal_frame_ancestors,
        ))
        .fallback({
            let frame_ancestors: std::sync::Arc<str> =
                config.portal_frame_ancestors.as_str().into();
            move |request: Request| fallback(site.clone(), frame_ancestors.clone(), request)
        })
        .layer(CompressionLayer::new());
    Ok(Herald {
        router: http::with_request_layers(router, config.request_timeout),
        service,
        engine,
        db,
    })
}

/// `herald worker`: [`build`] with only the health, readiness and metrics
/// routes on its address.
pub async fn build_worker(config: &Config) -> Result<Herald, ServiceError> {
    let (service, engine, db) = open(config, Clock::system()).await?;
    let router = http::operations_router(service.clone());
    Ok(Herald {
        router: http::with_request_layers(router, config.request_timeout),
        service,
        engine,
        db,
    })
}

/// The database migrated and the service over it, once the master key is
/// known to open what it holds (the CLI starts here too).
pub async fn open(config: &Config, clock: Clock) -> Result<(Service, Engine, Db), ServiceError> {
    let db = Db::connect(&config.database, config.sqlite_sync.into()).await?;
    db.migrate().await?;
    let (service, engine) = assemble(config, db.clone(), clock);
    if let Err(error) = service.check_master_key().await {
        db.close().await;
        return Err(error);
    }
    Ok((service, engine, db))
}

/// The service and its delivery engine over an open database.
fn assemble(config: &Config, db: Db, clock: Clock) -> (Service, Engine) {
    let settings = EngineSettings {
        circuit_threshold: config.circuit_threshold,
        retention_days: config.retention_days,
        public_only: config.egress == crate::config::Egress::PublicOnly,
        proxy: config.proxy.clone(),
        ..EngineSettings::default()
    };
    let engine = Engine::new(
        db.clone(),
        config.master_key.clone(),
        clock.clone(),
        settings,
    );
    let service = Service::new(ServiceParts {
        db,
        master_key: config.master_key.clone(),
        secure_cookies: config.secure_cookies(),
        public_url: config.public_base_url(),
        clock,
        engine: engine.clone(),
        api_rate_limit: config.api_rate_limit.map(ApiRateLimit::per_second),
    });
    (service, engine)
}

/// Console paths and files go to the console's asset handler, portal paths
/// to the portal's 404 page; anything else is an unknown REST route and
/// gets the JSON envelope, never an HTML page.
async fn fallback(
    site: console::ConsoleSite,
    portal_frame_ancestors: std::sync::Arc<str>,
    request: Request,
) -> Response {
    let path = request.uri().path();
    let is_console = path == "/console" || path.starts_with("/console/");
    let is_asset = path.starts_with("/pkg/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    if path.starts_with("/portal/") && !is_asset {
        return portal::not_found(&site, &portal_frame_ancestors);
    }
    if path == "/console" || path == "/console/" {
        return Redirect::to("/console/webhooks").into_response();
    }
    if is_console || is_asset {
        return console::assets_and_not_found(site, request).await;
    }
    http::route_not_found(request.method().clone(), request.uri().clone())
        .await
        .into_response()
}
