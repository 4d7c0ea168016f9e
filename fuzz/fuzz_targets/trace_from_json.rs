//! Any text given to `Trace::from_json` is either refused with an error or gives a trace the
//! visualizer can show at every position without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use racebook_trace::Trace;
use racebook_viz::player::Player;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(trace) = Trace::from_json(text) {
        let steps = trace.steps.len();
        let player = Player::new(trace);
        let _ = player.summary();
        for position in [0, steps / 2, steps] {
            let _ = player.frame(position, 24);
        }
    }
});
