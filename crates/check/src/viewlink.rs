//! The link that opens a trace in the book's visualizer. A small trace travels inside the URL
//! fragment (deflated, base64url), which also makes a shareable link; a larger one is loaded from
//! the file the served book exposes under `/local/`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use racebook_trace::Trace;
use std::io::Write;

/// Fragments longer than this would swamp the terminal; the file link is used instead.
const MAX_FRAGMENT: usize = 400;

/// The served book's address (`RACEBOOK_BOOK_URL`, default `http://127.0.0.1:3000`).
pub fn book_url() -> String {
    std::env::var("RACEBOOK_BOOK_URL")
        .unwrap_or_else(|_| "http://127.0.0.1:3000".into())
        .trim_end_matches('/')
        .to_string()
}

/// `z:<base64url of raw-deflated JSON>`, as the visualizer reads it after `#trace=`.
pub fn fragment(trace: &Trace) -> String {
    let json = serde_json::to_string(trace).expect("a trace serializes");
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(json.as_bytes()).expect("writing to memory");
    let bytes = enc.finish().expect("writing to memory");
    format!("z:{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The link to print in a report; writes the always-shareable fragment link beside the trace.
pub fn link(exercise: &str, variant: &str, trace: &Trace) -> String {
    let base = book_url();
    let frag = fragment(trace);
    let share = format!("{base}/visualizer.html#trace={frag}");
    let dir = crate::paths::racebook_dir().join(exercise);
    let _ = crate::fsutil::write_atomic(
        &dir.join(format!("{variant}.share-url.txt")),
        &(share.clone() + "\n"),
    );
    if frag.len() <= MAX_FRAGMENT {
        share
    } else {
        format!(
            "{base}/visualizer.html#trace-url=/local/{exercise}/{variant}.trace.json  (with `cargo xtask serve` running)"
        )
    }
}

/// Whether a served book answers at [`book_url`]: its visualizer page, within a second. Only
/// then can a link into it work.
pub fn book_answers() -> bool {
    use std::io::Read;
    use std::net::{TcpStream, ToSocketAddrs};
    use std::time::Duration;
    let url = book_url();
    let Some(host) = url.strip_prefix("http://") else {
        return false;
    };
    let host = host.split('/').next().unwrap_or(host);
    let Some(addr) = host.to_socket_addrs().ok().and_then(|mut a| a.next()) else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let request = format!("GET /visualizer.html HTTP/1.0\r\nHost: {host}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    let n = stream.read(&mut head).unwrap_or(0);
    let status = String::from_utf8_lossy(&head[..n]);
    status.starts_with("HTTP/1.") && status.get(9..12) == Some("200")
}

/// How to open a trace of any crate's check: a link with the trace inside when a served book
/// answers and the trace is small; otherwise the command that serves this one file to the
/// visualizer (`racebook view`, run from this harness's checkout). `None` when neither can work.
pub fn for_any_crate(trace: &Trace, trace_shown: &str) -> Option<String> {
    if book_answers() {
        let frag = fragment(trace);
        if frag.len() <= MAX_FRAGMENT {
            return Some(format!("{}/visualizer.html#trace={frag}", book_url()));
        }
    }
    // This crate's own checkout, when it is used by path: its `racebook` command serves it.
    let cli = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/Cargo.toml");
    let cli = cli.canonicalize().ok().filter(|c| c.is_file())?;
    let file = crate::invocation::shell_word(trace_shown);
    let cli = crate::invocation::shell_word(&nearby(&cli));
    Some(format!("cargo run -q --manifest-path {cli} -- view {file}"))
}

/// `path` relative to the reader's folder when it is a few folders away, else absolute.
fn nearby(path: &std::path::Path) -> String {
    shorter(
        crate::terminal::display_path(path),
        path.display().to_string(),
    )
}

/// The relative form when it is at most three folders up and shorter than the absolute one
/// (two folders that share only `/` get the absolute path, not `../../../work/...`).
fn shorter(relative: String, absolute: String) -> String {
    let hops = relative.split('/').take_while(|part| *part == "..").count();
    if hops <= 3 && !relative.starts_with('/') && relative.len() < absolute.len() {
        relative
    } else {
        absolute
    }
}

#[cfg(test)]
mod tests {
    use super::shorter;

    #[test]
    fn a_nearby_checkout_is_relative_and_a_far_one_absolute() {
        let abs = "/work/racebook/crates/cli/Cargo.toml".to_string();
        let near = "../../crates/cli/Cargo.toml".to_string();
        assert_eq!(shorter(near.clone(), abs.clone()), near);
        let via_root = "../../../work/racebook/crates/cli/Cargo.toml".to_string();
        assert_eq!(shorter(via_root, abs.clone()), abs);
        let far = "../../../../racebook/crates/cli/Cargo.toml".to_string();
        assert_eq!(shorter(far, abs.clone()), abs);
    }
}
