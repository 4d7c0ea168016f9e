//! `racebook viz`: finds this checkout's served book even when another program holds the port
//! asked for (and says so), opens `$BROWSER` or says why it could not, and prints the URL when
//! nothing serves the book. The "book" here is a stand-in server that serves the trace file
//! the way `cargo xtask serve` does, under `/local/<slug>/`.

use crate::support::Fixture;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// Answer every request: `body` for `path`, 404 for anything else (or for everything).
fn serve(listener: TcpListener, path: Option<String>, body: Vec<u8>) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = String::new();
            let _ = BufReader::new(&stream).read_line(&mut request);
            let asked = request.split_whitespace().nth(1).unwrap_or("").to_string();
            let head = |status: &str, len: usize| {
                format!("HTTP/1.1 {status}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n")
            };
            if path.as_deref() == Some(asked.as_str()) {
                let _ = stream.write_all(head("200 OK", body.len()).as_bytes());
                let _ = stream.write_all(&body);
            } else {
                let _ = stream.write_all(head("404 Not Found", 0).as_bytes());
            }
        }
    });
}

/// Two listeners on neighbouring ports.
fn neighbours() -> (TcpListener, TcpListener) {
    for _ in 0..50 {
        let first = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = first.local_addr().unwrap().port();
        if let Ok(second) = TcpListener::bind(("127.0.0.1", port + 1)) {
            return (first, second);
        }
    }
    panic!("no two neighbouring free ports on 127.0.0.1");
}

#[test]
fn viz_finds_the_book_past_a_taken_port_and_opens_the_browser_or_says_why_not() {
    let f = Fixture::new();
    assert_eq!(f.run(&["check", "01"]).code, 1);
    let trace = std::fs::read(f.results("01-counter-map").join("exercise.trace.json")).unwrap();
    let (other, book) = neighbours();
    let (taken, served) = (
        other.local_addr().unwrap().port(),
        book.local_addr().unwrap().port(),
    );
    serve(other, None, Vec::new());
    serve(
        book,
        Some("/local/01-counter-map/exercise.trace.json".into()),
        trace,
    );
    let url = format!(
        "http://127.0.0.1:{served}/visualizer.html#trace-url=/local/01-counter-map/exercise.trace.json"
    );
    let port = taken.to_string();

    let printed = f.run(&["viz", "01", "--port", &port, "--no-browser"]);
    assert_eq!(printed.code, 0, "{}", printed.both());
    assert!(
        printed
            .stdout
            .contains(&format!("port {taken} is in use by another program")),
        "{}",
        printed.both()
    );
    assert!(printed.stdout.contains(&url), "{}", printed.both());

    let no_browser = f
        .cmd(&["viz", "01", "--port", &port])
        .env("BROWSER", "false")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&no_browser.stdout);
    assert!(no_browser.status.success(), "{out}");
    assert!(
        out.contains("could not open a browser (false: exited with"),
        "{out}"
    );
    assert!(out.contains(&url), "{out}");

    if cfg!(target_os = "linux") {
        let headless = f
            .cmd(&["viz", "01", "--port", &port])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&headless.stdout);
        assert!(
            out.contains("could not open a browser (no display to open a browser on"),
            "{out}"
        );
    }

    let opened = f
        .cmd(&["viz", "01", "--port", &port])
        .env("BROWSER", "true %s")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&opened.stdout);
    assert!(out.contains("opened in your browser"), "{out}");
}

#[test]
fn without_a_served_book_viz_prints_the_url_and_how_to_serve() {
    let f = Fixture::new();
    assert_eq!(f.run(&["check", "01"]).code, 1);
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = f.run(&[
        "viz",
        "01",
        "--port",
        &free.to_string(),
        "--no-serve",
        "--no-browser",
    ]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout
            .contains("the book is not being served: run `cargo xtask serve`"),
        "{}",
        r.both()
    );
    assert!(
        r.stdout.contains(&format!(
            "http://127.0.0.1:{free}/visualizer.html#trace-url="
        )),
        "{}",
        r.both()
    );
}

#[test]
fn a_missing_wasm_target_is_named_before_serving_the_book() {
    let f = Fixture::new();
    assert_eq!(f.run(&["check", "01"]).code, 1);
    // A rustup that knows only the host target.
    let bin = f.root.join(".racebook/fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let rustup = bin.join("rustup");
    std::fs::write(&rustup, "#!/bin/sh\necho x86_64-unknown-linux-gnu\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&rustup, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = f
        .cmd(&["viz", "01", "--port", &free.to_string(), "--no-browser"])
        .env("PATH", path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the wasm32-unknown-unknown target is missing: run `rustup target add wasm32-unknown-unknown`"),
        "{stderr}"
    );
}
