//! The static file server behind `cargo xtask serve`: the built book from a folder that can be
//! swapped after each rebuild, learners' local traces under `/local/`, the right content types
//! (`.wasm` as `application/wasm`), no caching, and a small script in every page that reloads
//! it when a rebuild finishes (or shows why the rebuild failed).

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Request, Response, Server};

/// Polled by the reload script; answers the current build generation.
const GENERATION_PATH: &str = "/__racebook/generation";

const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  var seen = null;
  function poll() {
    fetch("/__racebook/generation", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (g) { if (seen !== null && g !== seen) { location.reload(); } seen = g; })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"#;

/// What the server shows; replaced by the watcher after each rebuild.
pub struct SiteState {
    /// The folder of the last good build, if there is one.
    pub book_dir: Option<PathBuf>,
    /// Why the last build failed, shown instead of the pages until a build succeeds.
    pub error: Option<String>,
    /// Bumped on every rebuild, good or bad, so open pages reload.
    pub generation: u64,
}

pub struct Site {
    pub state: Mutex<SiteState>,
    /// `/local/<exercise>/<file>` is served from here (`target/racebook/`).
    pub local_dir: PathBuf,
}

/// Serve requests until the process ends, each on its own thread.
pub fn serve(server: Server, site: Arc<Site>) {
    for request in server.incoming_requests() {
        let site = Arc::clone(&site);
        std::thread::spawn(move || respond(&site, request));
    }
}

fn respond(site: &Site, request: Request) {
    let method = request.method().as_str().to_ascii_uppercase();
    if method != "GET" && method != "HEAD" {
        let _ = request.respond(text(405, "only GET and HEAD are served\n", "text/plain"));
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    let (book_dir, error, generation) = {
        let state = site.state.lock().unwrap_or_else(|p| p.into_inner());
        (
            state.book_dir.clone(),
            state.error.clone(),
            state.generation,
        )
    };
    if path == GENERATION_PATH {
        let _ = request.respond(text(200, &generation.to_string(), "text/plain"));
        return;
    }
    let Some(parts) = safe_parts(&path) else {
        let _ = request.respond(text(400, "bad path\n", "text/plain"));
        return;
    };
    let file = if parts.first().map(String::as_str) == Some("local") {
        Some(join(&site.local_dir, &parts[1..]))
    } else {
        book_dir.as_ref().map(|dir| join(dir, &parts))
    };
    let file = file.map(|f| if f.is_dir() { f.join("index.html") } else { f });
    let is_page = file
        .as_ref()
        .is_none_or(|f| f.extension().is_none_or(|e| e == "html"));
    if is_page {
        let notice = match (&error, &book_dir) {
            (Some(error), _) => Some((500, notice_page("The book did not build", error))),
            (None, None) => Some((503, notice_page("Building the book", ""))),
            _ => None,
        };
        if let Some((status, page)) = notice {
            let _ = request.respond(text(status, &page, "text/html; charset=utf-8"));
            return;
        }
    }
    match file.and_then(|f| std::fs::read(&f).ok().map(|bytes| (f, bytes))) {
        Some((file, bytes)) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") {
                inject_reload(&bytes)
            } else {
                bytes
            };
            let _ = request.respond(with_headers(Response::from_data(body), kind));
        }
        None => {
            let not_found = book_dir
                .as_ref()
                .and_then(|dir| std::fs::read(dir.join("404.html")).ok());
            let response = match not_found {
                Some(page) => with_headers(
                    Response::from_data(inject_reload(&page)),
                    "text/html; charset=utf-8",
                )
                .with_status_code(404),
                None => text(404, "not found\n", "text/plain"),
            };
            let _ = request.respond(response);
        }
    }
}

/// The decoded segments of a URL path; `None` if any would leave the served folder.
fn safe_parts(path: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let part = percent_decode(raw)?;
        let mut components = Path::new(&part).components();
        let single = matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        );
        if !single || part.contains('\\') {
            return None;
        }
        parts.push(part);
    }
    Some(parts)
}

fn join(dir: &Path, parts: &[String]) -> PathBuf {
    parts.iter().fold(dir.to_path_buf(), |p, part| p.join(part))
}

/// `%XX` escapes decoded; `None` for a bad escape, invalid UTF-8 or a NUL byte.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0')).then_some(decoded)
}

pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" | "rs" | "toml" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

fn inject_reload(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

/// A page shown instead of the book while it builds or after a failed build; it reloads by
/// itself when the next build finishes.
fn notice_page(title: &str, detail: &str) -> String {
    let escaped = detail
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let hint = if detail.is_empty() {
        "This page reloads by itself when the build finishes."
    } else {
        "Fix the problem below and save; this page reloads by itself."
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>racebook: \
         {title}</title></head><body><h1>{title}</h1><p>{hint}</p><pre>{escaped}</pre>\
         {RELOAD_SCRIPT}</body></html>"
    )
}

fn text(status: u16, body: &str, kind: &'static str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(Response::from_data(body.as_bytes().to_vec()), kind).with_status_code(status)
}

fn with_headers<R: std::io::Read>(response: Response<R>, kind: &str) -> Response<R> {
    let header = |name: &str, value: &str| {
        Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
    };
    response
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_served_folder() {
        assert_eq!(
            safe_parts("/chapters/01%20a.html").unwrap(),
            ["chapters", "01 a.html"]
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a/..%2fb",
            "/%00",
            "/a%5cb",
            "/%zz",
        ] {
            assert!(safe_parts(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn wasm_and_pages_get_their_types() {
        assert_eq!(content_type(Path::new("viz_bg.wasm")), "application/wasm");
        assert!(content_type(Path::new("index.html")).starts_with("text/html"));
    }

    #[test]
    fn the_reload_script_goes_before_the_body_ends() {
        let page = inject_reload(b"<html><body><p>x</p></body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<p>x</p><script>"));
        assert!(page.ends_with("</script></body></html>"));
    }
}
