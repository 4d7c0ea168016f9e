//! Reading what the page is given: a trace or tree text (through the trace crate's validating
//! parser, with errors phrased for a reader), and the URL fragment that carries a shared trace
//! (`#trace=j:<base64url JSON>`, `#trace=z:<base64url deflate-raw JSON>`) or names a file on the
//! same site (`#trace-url=/local/01-counter-map/exercise.trace.json`).

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use racebook_trace::{Limits, ScheduleTree, Trace};

/// base64url, with or without `=` padding (a copied link may have either).
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The largest fragment payload accepted: a trace that large belongs in a file.
pub const MAX_FRAGMENT_CHARS: usize = 4 * 1024 * 1024;

/// The largest trace text accepted, from any source.
pub fn max_trace_bytes() -> usize {
    Limits::default().max_bytes
}

pub fn parse_trace(text: &str) -> Result<Trace, String> {
    Trace::from_json(text).map_err(|e| format!("This trace cannot be shown: {e}."))
}

pub fn parse_tree(text: &str) -> Result<ScheduleTree, String> {
    ScheduleTree::from_json(text).map_err(|e| format!("This schedule tree cannot be used: {e}."))
}

/// What a URL fragment asks the page to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FragmentRequest {
    /// Nothing for the visualizer in the fragment.
    None,
    /// A trace's JSON text.
    Json(String),
    /// deflate-raw bytes of a trace's JSON, for the browser to inflate.
    Deflated(Vec<u8>),
    /// A same-origin path to fetch.
    Url(String),
}

/// Read the fragment (with or without its leading `#`).
pub fn parse_fragment(fragment: &str) -> Result<FragmentRequest, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    for part in fragment.split('&') {
        if let Some(value) = part.strip_prefix("trace=") {
            return inline_trace(value);
        }
        if let Some(value) = part.strip_prefix("trace-url=") {
            return same_origin_path(&percent_decode(value)?).map(FragmentRequest::Url);
        }
    }
    Ok(FragmentRequest::None)
}

fn inline_trace(value: &str) -> Result<FragmentRequest, String> {
    if value.len() > MAX_FRAGMENT_CHARS {
        return Err(format!(
            "The trace in this link is {} characters long, more than the {MAX_FRAGMENT_CHARS} a \
             link may carry. Open the trace file instead.",
            value.len()
        ));
    }
    let (kind, payload) = value.split_once(':').ok_or_else(|| {
        "The trace in this link has no encoding prefix (it should start with j: or z:).".to_string()
    })?;
    let bytes = decode_base64url(payload)?;
    match kind {
        "j" => String::from_utf8(bytes)
            .map(FragmentRequest::Json)
            .map_err(|_| "The trace in this link is not UTF-8 text.".to_string()),
        "z" => Ok(FragmentRequest::Deflated(bytes)),
        other => Err(format!(
            "The trace in this link uses the encoding {other:?}; this page knows j: (JSON) and \
             z: (compressed JSON)."
        )),
    }
}

pub fn decode_base64url(text: &str) -> Result<Vec<u8>, String> {
    BASE64URL.decode(text.trim()).map_err(|e| {
        format!("The trace in this link is damaged (not base64url: {e}); copy the whole link.")
    })
}

pub fn encode_base64url(bytes: &[u8]) -> String {
    BASE64URL.encode(bytes)
}

/// `%XX` escapes decoded; anything else kept as it is.
fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "The trace-url in this link has a broken %-escape.".to_string())?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "The trace-url in this link is not UTF-8.".to_string())
}

/// A path on this site: absolute (`/local/...`) or relative (`local/...`), never another host
/// (`//host`, `http:`), never a backslash a browser would read as a slash.
pub fn same_origin_path(path: &str) -> Result<String, String> {
    let refuse = || {
        Err(format!(
            "The trace-url {path:?} is not a path on this site; the visualizer only opens files \
             the book itself serves, such as /local/01-counter-map/exercise.trace.json."
        ))
    };
    let scheme = path
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    if path.is_empty()
        || path.starts_with("//")
        || scheme
        || path.contains('\\')
        || path.chars().any(char::is_control)
    {
        return refuse();
    }
    Ok(path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_deflated_fragments_decode() {
        let text = r#"{"format":"racebook-trace"}"#;
        let link = format!("#trace=j:{}", encode_base64url(text.as_bytes()));
        assert_eq!(
            parse_fragment(&link),
            Ok(FragmentRequest::Json(text.to_string()))
        );
        assert_eq!(
            parse_fragment("trace=z:AAEC"),
            Ok(FragmentRequest::Deflated(vec![0, 1, 2]))
        );
        // Padding is accepted too.
        assert_eq!(
            parse_fragment("trace=z:AAE="),
            Ok(FragmentRequest::Deflated(vec![0, 1]))
        );
        assert_eq!(parse_fragment("#section-2"), Ok(FragmentRequest::None));
    }

    #[test]
    fn bad_fragments_say_what_is_wrong() {
        assert!(
            parse_fragment("#trace=AAEC")
                .unwrap_err()
                .contains("prefix")
        );
        assert!(
            parse_fragment("#trace=q:AAEC")
                .unwrap_err()
                .contains("\"q\"")
        );
        assert!(
            parse_fragment("#trace=j:@@@")
                .unwrap_err()
                .contains("damaged")
        );
        assert!(parse_fragment("#trace=j:_w").unwrap_err().contains("UTF-8"));
        let huge = format!("#trace=j:{}", "A".repeat(MAX_FRAGMENT_CHARS + 1));
        assert!(
            parse_fragment(&huge)
                .unwrap_err()
                .contains("Open the trace file")
        );
    }

    #[test]
    fn trace_urls_stay_on_this_site() {
        assert_eq!(
            parse_fragment("#trace-url=/local/01-counter-map/exercise.trace.json"),
            Ok(FragmentRequest::Url(
                "/local/01-counter-map/exercise.trace.json".into()
            ))
        );
        assert_eq!(
            parse_fragment("#trace-url=local%2Fa%20b.json"),
            Ok(FragmentRequest::Url("local/a b.json".into()))
        );
        for bad in [
            "//evil.example/t.json",
            "https://evil.example/t.json",
            "javascript:alert(1)",
            "/\\evil.example",
            "%2F%2Fevil.example/x",
            "",
        ] {
            let got = parse_fragment(&format!("#trace-url={bad}"));
            assert!(got.is_err(), "{bad} was accepted: {got:?}");
        }
    }

    #[test]
    fn parse_errors_are_sentences() {
        let e = parse_trace(r#"{"format":"racebook-trace","version":9}"#).unwrap_err();
        assert!(
            e.starts_with("This trace cannot be shown: this trace is version 9"),
            "{e}"
        );
        let e = parse_trace("{\"format\":\"racebook-trace\",\"ver").unwrap_err();
        assert!(e.contains("not valid JSON"), "{e}");
        let e = parse_tree("").unwrap_err();
        assert!(e.contains("empty"), "{e}");
    }
}
