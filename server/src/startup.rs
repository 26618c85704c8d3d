//! Assembles Herald from its configuration: database, service, routes.

use crate::{
    config::Config,
    console, http,
    service::Service,
    store::{Db, StoreError},
};
use axum::{
    Router,
    extract::{Request, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use leptos::config::LeptosOptions;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// A Herald ready to serve: its router and the service behind it.
pub struct Herald {
    pub router: Router,
    pub service: Service,
    pub db: Db,
}

/// Connects to the database, applies migrations and builds the routes.
pub async fn build(config: &Config) -> Result<Herald, StoreError> {
    let db = Db::connect(&config.database, config.sqlite_sync).await?;
    db.migrate().await?;
    let service = Service::new(
        db.clone(),
        config.master_key.clone(),
        config.secure_cookies(),
    );
    let options = console::leptos_options(config);
    let router = Router::new()
        .route("/", get(|| async { Redirect::to("/console/webhooks") }))
        .merge(http::router(service.clone()))
        .merge(console::router(service.clone(), options.clone()))
        .fallback(move |request: Request| fallback(options.clone(), request))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http());
    Ok(Herald {
        router,
        service,
        db,
    })
}

/// Console paths and files go to the console's asset handler; anything else
/// is an unknown REST route and gets the JSON envelope, never an HTML page.
async fn fallback(options: LeptosOptions, request: Request) -> Response {
    let path = request.uri().path();
    let is_console = path == "/console" || path.starts_with("/console/");
    let is_asset = path.starts_with("/pkg/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    if path == "/console" || path == "/console/" {
        return Redirect::to("/console/webhooks").into_response();
    }
    if is_console || is_asset {
        return console::assets_and_not_found(State(options), request).await;
    }
    http::route_not_found(request.method().clone(), request.uri().clone())
        .await
        .into_response()
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
