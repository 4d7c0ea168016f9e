//! Finding the served book: `cargo xtask serve` listens on 127.0.0.1, on the port asked for or
//! the next free one, and serves the harness's files under `/local/<slug>/<file>`. A port
//! serves *this* checkout's book when it answers with the very bytes of our trace file.

use std::time::Duration;

/// The ports `cargo xtask serve` tries after the one asked for.
pub const PORT_TRIES: u16 = 50;
pub const DEFAULT_PORT: u16 = 3000;

/// What answers on a port.
#[derive(Debug, Clone, PartialEq)]
pub enum Port {
    /// Nothing listens.
    Free,
    /// Something listens, but it does not serve our trace.
    Other,
    /// This checkout's book.
    OurBook,
}

/// `/local/<slug>/<file>`, the path under which the book serves a harness file.
pub fn local_path(slug: &str, file: &str) -> String {
    format!("/local/{slug}/{file}")
}

/// Ask `port` for `path` and compare the answer with `expected`.
pub fn probe(port: u16, path: &str, expected: &[u8]) -> Port {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err() {
        return Port::Free;
    }
    let Ok(mut response) = agent()
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .call()
    else {
        return Port::Other;
    };
    let body = response.body_mut().read_to_vec().unwrap_or_default();
    if response.status() == 200 && body == expected {
        Port::OurBook
    } else {
        Port::Other
    }
}

/// The first port from `first` on that serves our book, and the ports before it that other
/// programs hold.
pub fn find(first: u16, path: &str, expected: &[u8]) -> (Option<u16>, Vec<u16>) {
    let mut taken = Vec::new();
    for port in first..=first.saturating_add(PORT_TRIES) {
        match probe(port, path, expected) {
            Port::OurBook => return (Some(port), taken),
            Port::Other => taken.push(port),
            Port::Free => {}
        }
    }
    (None, taken)
}

/// The status of the visualizer page on `port`: 200 once the book is built, 503 while the
/// first build runs, 500 when it failed. `None` when nothing answers.
pub fn page_status(port: u16) -> Option<u16> {
    agent()
        .get(&format!("http://127.0.0.1:{port}/visualizer.html"))
        .call()
        .ok()
        .map(|r| r.status().as_u16())
}

/// An HTTP client for loopback probes: short timeouts, every status is an answer.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .http_status_as_error(false)
        .build()
        .into()
}
