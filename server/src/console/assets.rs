//! The console's built files, served as a product serves its assets.
//!
//! Each bundle (`pkg/herald.js`, `.wasm`, `.css`; `admin` and `portal`
//! without a stylesheet of their own) is addressed by its content: pages link
//! `/pkg/herald-<version>.<ext>`, where the version is a hash of the bundle's
//! files, so a browser may keep them for a year and never ask again
//! (`immutable`); a new build has a new address. Each file has brotli
//! and gzip copies made at build time (`herald-bundler compress`), sent as
//! they are to a browser that accepts them. Everything else (the favicon, the
//! unversioned names) is revalidated with its ETag on every use.

use crate::config::{EmbeddedSite, SiteFile};
use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};

/// A bundle: its name on disk and in the binary, before its version, and
/// the extensions of its files.
pub struct Bundle {
    pub name: &'static str,
    files: &'static [&'static str],
}

/// The console's main pages, and the stylesheet of every part.
pub const CONSOLE: Bundle = Bundle {
    name: "herald",
    files: &["js", "wasm", "css"],
};
/// The console's administration pages.
pub const ADMIN: Bundle = Bundle {
    name: "admin",
    files: &["js", "wasm"],
};
/// The customer portal.
pub const PORTAL: Bundle = Bundle {
    name: "portal",
    files: &["js", "wasm"],
};
const BUNDLES: [&Bundle; 3] = [&CONSOLE, &ADMIN, &PORTAL];

/// The version of each bundle the site has.
#[derive(Clone, Default)]
pub struct Versions(Vec<(&'static str, String)>);

impl Versions {
    /// `bundle`'s version, `None` when the site does not have it.
    pub fn of(&self, bundle: &Bundle) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == bundle.name)
            .map(|(_, version)| version.as_str())
    }
}
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// The precompressed copies, best first, with their `Content-Encoding`.
const ENCODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// Where the built files are: compiled into the binary, or a site directory.
#[derive(Clone)]
pub enum SiteFiles {
    Embedded(EmbeddedSite),
    Directory(PathBuf),
}

impl SiteFiles {
    /// The file at `path` under the site (`pkg/herald.wasm`), if it has one.
    fn get(&self, path: &str) -> Option<SiteFile> {
        match self {
            Self::Embedded(embedded) => embedded(path),
            Self::Directory(root) => {
                let relative = Path::new(path);
                // Only plain names below the root: no `..`, no absolute path.
                if !relative
                    .components()
                    .all(|part| matches!(part, Component::Normal(_)))
                {
                    return None;
                }
                let bytes = std::fs::read(root.join(relative)).ok()?;
                Some(SiteFile::new(bytes.into()))
            }
        }
    }

    /// Each bundle's version: a hash of its files. A bundle the site lacks
    /// has none (a server built without bundles still serves its API).
    pub fn versions(&self) -> Versions {
        Versions(
            BUNDLES
                .iter()
                .filter_map(|bundle| Some((bundle.name, self.version(bundle)?)))
                .collect(),
        )
    }

    fn version(&self, bundle: &Bundle) -> Option<String> {
        let mut hash = Sha256::new();
        for extension in bundle.files {
            hash.update(self.get(&format!("pkg/{}.{extension}", bundle.name))?.etag);
        }
        Some(hex::encode(&hash.finalize()[..8]))
    }
}

/// The name pages give a bundle: `herald-<version>`, or `herald` without one.
pub fn bundle_name(bundle: &Bundle, versions: &Versions) -> String {
    versions.of(bundle).map_or_else(
        || bundle.name.to_owned(),
        |version| format!("{}-{version}", bundle.name),
    )
}

/// The answer for `path` (no leading slash), `None` when the site has no such file.
pub fn respond(
    files: &SiteFiles,
    versions: &Versions,
    path: &str,
    request: &HeaderMap,
) -> Option<Response> {
    if ENCODINGS
        .iter()
        .any(|(_, suffix)| path.ends_with(&format!(".{suffix}")))
    {
        return None;
    }
    let (logical, cache) = match versioned(path, versions) {
        Some(logical) => (logical, IMMUTABLE),
        None => (path.to_owned(), REVALIDATE),
    };
    let mut accepted: Vec<_> = ENCODINGS
        .iter()
        .map(|&(name, suffix)| (quality(request, name), name, suffix))
        .filter(|(q, ..)| *q > 0.0)
        .collect();
    // Stable: among equal preferences, the order of ENCODINGS (brotli first).
    accepted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (file, encoding) = accepted
        .iter()
        .find_map(|&(_, name, suffix)| {
            Some((files.get(&format!("{logical}.{suffix}"))?, Some(name)))
        })
        .or_else(|| Some((files.get(&logical)?, None)))?;
    let content_type = mime_guess::from_path(&logical).first_or_octet_stream();
    Some(file_response(
        file,
        content_type.as_ref(),
        encoding,
        cache,
        request,
    ))
}

/// `pkg/<bundle>-<version>.<ext>` of a bundle's version → `pkg/<bundle>.<ext>`.
fn versioned(path: &str, versions: &Versions) -> Option<String> {
    BUNDLES.iter().find_map(|bundle| {
        let prefix = format!("pkg/{}-{}.", bundle.name, versions.of(bundle)?);
        let rest = path.strip_prefix(&prefix)?;
        bundle
            .files
            .contains(&rest)
            .then(|| format!("pkg/{}.{rest}", bundle.name))
    })
}

/// How much `Accept-Encoding` wants `coding`: its own entry's q, else that
/// of `*`, else 0 (not taken). An entry without q has 1.
fn quality(request: &HeaderMap, coding: &str) -> f32 {
    let (mut named, mut any) = (None, None);
    let entries = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|list| list.split(','));
    for entry in entries {
        let mut parts = entry.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let q = parts
            .filter_map(|param| param.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, value)| value.trim().parse::<f32>().unwrap_or(0.0));
        if name.eq_ignore_ascii_case(coding) {
            named = Some(q);
        } else if name == "*" {
            any = Some(q);
        }
    }
    named.or(any).unwrap_or(0.0)
}

/// Whether `If-None-Match` names `etag` (in a list, weak or not) or is `*`.
fn browser_holds(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|list| list.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

fn file_response(
    file: SiteFile,
    content_type: &str,
    encoding: Option<&'static str>,
    cache: &'static str,
    request: &HeaderMap,
) -> Response {
    let (Ok(etag), Ok(content_type)) = (
        HeaderValue::from_str(&file.etag),
        HeaderValue::from_str(content_type),
    ) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The answer depends on Accept-Encoding whenever a copy could be chosen.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if browser_holds(request, &file.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    (headers, Body::from(file.bytes)).into_response()
}
