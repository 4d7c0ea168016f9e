//! The JavaScript interface: thin wrappers that take text, return JSON text, and turn every
//! error into a JS `Error` with a sentence for the page. A panic hook reports into the page
//! through `globalThis.racebookVizPanic` instead of leaving a trace in the console.

use crate::compare::compare;
use crate::game::Game;
use crate::load::{self, FragmentRequest};
use crate::player::Player;
use crate::window::Follow;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = racebookVizPanic)]
    fn report_panic(message: &str) -> Result<(), JsValue>;
}

#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // Nothing more can be done if the page has no reporter; the trap that follows is
        // caught by the glue.
        let _ = report_panic(&info.to_string());
    }));
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// One trace, ready to play.
#[wasm_bindgen]
pub struct TracePlayer(Player);

#[wasm_bindgen]
impl TracePlayer {
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<TracePlayer, JsError> {
        let trace = load::parse_trace(text).map_err(|e| JsError::new(&e))?;
        Ok(TracePlayer(Player::new(trace)))
    }

    pub fn steps(&self) -> u32 {
        self.0.trace().steps.len() as u32
    }

    /// JSON of `player::Summary`.
    pub fn summary(&self) -> String {
        json(&self.0.summary())
    }

    /// JSON of `player::Frame` after `position` steps, with at most `rows` lane rows (0: all);
    /// `still`: the rows turn by pages instead of following each step (reduced motion).
    pub fn frame(&self, position: u32, rows: u32, still: bool) -> String {
        let follow = if still { Follow::Page } else { Follow::Centre };
        json(
            &self
                .0
                .frame_following(position as usize, rows as usize, follow),
        )
    }
}

/// The play-the-scheduler game over one schedule tree.
#[wasm_bindgen]
pub struct SchedulerGame(Game);

#[wasm_bindgen]
impl SchedulerGame {
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<SchedulerGame, JsError> {
        let tree = load::parse_tree(text).map_err(|e| JsError::new(&e))?;
        let game = Game::new(tree)
            .map_err(|e| JsError::new(&format!("This schedule tree cannot be used: {e}.")))?;
        Ok(SchedulerGame(game))
    }

    /// JSON of `game::GameView`.
    pub fn view(&self, rows: u32) -> String {
        json(&self.0.view(rows as usize))
    }

    pub fn choose(&mut self, thread: u32) -> Result<(), JsError> {
        self.0.choose(thread).map_err(|e| JsError::new(&e))
    }

    pub fn undo(&mut self) -> bool {
        self.0.undo()
    }

    pub fn reset(&mut self) {
        self.0.reset()
    }

    /// Play the shortest failing schedule from here; false when none is reachable.
    pub fn play_shortest_failure(&mut self) -> bool {
        self.0.play_shortest_failure().is_some()
    }
}

/// JSON of `compare::Comparison`.
#[wasm_bindgen]
pub fn compare_traces(left: &TracePlayer, right: &TracePlayer) -> String {
    json(&compare(left.0.trace(), right.0.trace()))
}

/// What the URL fragment asks for: `kind` is `none`, `json` (see `text`), `deflated` (see
/// `bytes`) or `url` (see `text`).
#[wasm_bindgen(getter_with_clone)]
pub struct Fragment {
    pub kind: String,
    pub text: String,
    pub bytes: Vec<u8>,
}

#[wasm_bindgen]
pub fn read_fragment(fragment: &str) -> Result<Fragment, JsError> {
    let request = load::parse_fragment(fragment).map_err(|e| JsError::new(&e))?;
    let (kind, text, bytes) = match request {
        FragmentRequest::None => ("none", String::new(), Vec::new()),
        FragmentRequest::Json(t) => ("json", t, Vec::new()),
        FragmentRequest::Deflated(b) => ("deflated", String::new(), b),
        FragmentRequest::Url(u) => ("url", u, Vec::new()),
    };
    Ok(Fragment {
        kind: kind.to_string(),
        text,
        bytes,
    })
}

/// base64url without padding, for building a shareable `#trace=z:` link.
#[wasm_bindgen]
pub fn encode_base64url(bytes: &[u8]) -> String {
    load::encode_base64url(bytes)
}

/// The largest trace, in bytes, the page accepts.
#[wasm_bindgen]
pub fn max_trace_bytes() -> u32 {
    load::max_trace_bytes() as u32
}
