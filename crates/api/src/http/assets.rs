//! The SPA's hashed assets (`/assets/{name}`), served from the build's precompressed copies.
//!
//! `npm run build` writes `name.br` (Brotli, quality 11) and `name.gz` (gzip, level 9) beside each
//! script, stylesheet and SVG (`frontend/scripts/precompress.mjs`). Sending those saves the server
//! the work of compressing on every request, and saves the phone bytes: actix's on-the-fly gzip
//! uses level 1, which makes the app's scripts about 17 % larger than level 9 — seconds on the
//! 256 kbit/s links the teams work on. A request with a `Range`, or one that accepts neither
//! coding, gets the plain file; a name that is not a plain file name, or a file that does not
//! exist, is a 404 problem (never the SPA's `index.html` in place of a script).

use crate::error::ApiError;
use actix_files::NamedFile;
use actix_web::http::header::{
    self, AcceptEncoding, ContentEncoding, Encoding, Header, Preference, Quality,
};
use actix_web::{web, HttpRequest, HttpResponse};
use std::path::{Path, PathBuf};

/// The precompressed codings, best first, with the suffix of their files.
const CODINGS: [(ContentEncoding, &str); 2] = [
    (ContentEncoding::Brotli, "br"),
    (ContentEncoding::Gzip, "gz"),
];

/// `GET|HEAD /assets/{name}` under the SPA's build.
async fn serve(
    req: HttpRequest,
    dir: web::Data<AssetDir>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if !is_plain_name(&name) {
        return Err(ApiError::NotFound);
    }
    let path = dir.0.join("assets").join(name.as_str());
    if let Some((coding, file)) = precompressed(&req, &path).await {
        let mime = content_type(&name);
        let mut res = file
            .set_content_type(mime)
            .set_content_encoding(coding)
            .into_response(&req);
        res.headers_mut().insert(
            header::VARY,
            header::HeaderValue::from_static("accept-encoding"),
        );
        return Ok(res);
    }
    match NamedFile::open_async(&path).await {
        // Compressed on the fly if the client asks (the app's `Compress`, which adds `Vary`).
        Ok(file) => Ok(file.prefer_utf8(true).into_response(&req)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ApiError::NotFound),
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// The best precompressed copy the client accepts, if the build has one (and no `Range` asks for
/// part of the file: ranges are of the plain file). Brotli before gzip whatever order the client
/// lists them in (browsers send `gzip, deflate, br, zstd`), unless it gives them qualities.
async fn precompressed(req: &HttpRequest, path: &Path) -> Option<(ContentEncoding, NamedFile)> {
    if req.headers().contains_key(header::RANGE) {
        return None;
    }
    let accept = AcceptEncoding::parse(req).ok()?;
    let mut best: Option<(Quality, ContentEncoding, &str)> = None;
    for (coding, suffix) in CODINGS {
        let quality = quality_of(&accept, coding);
        if quality > Quality::ZERO
            && best.is_none_or(|(q, _, _)| quality > q)
            && variant(path, suffix).is_file()
        {
            best = Some((quality, coding, suffix));
        }
    }
    let (_, coding, suffix) = best?;
    let file = NamedFile::open_async(variant(path, suffix)).await.ok()?;
    Some((coding, file))
}

/// How much the client wants `coding`: its own entry, else `*`, else not at all.
fn quality_of(accept: &AcceptEncoding, coding: ContentEncoding) -> Quality {
    let wanted = Encoding::Known(coding);
    let specific = accept
        .iter()
        .find(|item| item.item == Preference::Specific(wanted.clone()));
    let any = accept.iter().find(|item| item.item == Preference::Any);
    specific.or(any).map_or(Quality::ZERO, |item| item.quality)
}

fn variant(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// The type of the uncompressed file, with `charset=utf-8` for text as the plain files get it.
fn content_type(name: &str) -> actix_web::mime::Mime {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let mime = actix_files::file_extension_to_mime(ext);
    let text = mime.type_() == actix_web::mime::TEXT
        || mime.subtype() == actix_web::mime::JAVASCRIPT
        || mime.subtype() == actix_web::mime::JSON;
    if text && mime.get_param(actix_web::mime::CHARSET).is_none() {
        if let Ok(with_charset) = format!("{mime}; charset=utf-8").parse() {
            return with_charset;
        }
    }
    mime
}

/// Vite's asset names: letters, digits, `-`, `_` and dots, never starting with a dot (no path, no
/// hidden file, no way out of the directory).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Registers `/assets/{name}` for the SPA's build in `dir`.
pub fn configure(cfg: &mut web::ServiceConfig, dir: PathBuf) {
    let dir = web::Data::new(AssetDir(dir));
    cfg.service(
        web::resource("/assets/{name}")
            .app_data(dir)
            .route(web::get().to(serve))
            .route(web::head().to(serve)),
    );
}

/// The SPA's build folder.
struct AssetDir(PathBuf);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_served() {
        assert!(is_plain_name("index-BPCxIS_l.js"));
        assert!(is_plain_name("noto-serif-tibetan-tibetan-400-normal.woff2"));
        for bad in [
            "",
            ".env",
            "..",
            "../index.html",
            "a/b.js",
            "a\\b.js",
            "a%2fb.js",
            "é.js",
        ] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn scripts_keep_their_type_when_compressed() {
        assert_eq!(
            content_type("index-1.js").to_string(),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("x.css").to_string(), "text/css; charset=utf-8");
        assert_eq!(content_type("x.woff2").to_string(), "font/woff2");
    }
}
