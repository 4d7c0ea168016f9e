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
