//! mdBook reports some problems (an include that cannot be read, unbalanced HTML in a chapter)
//! only as `tracing` warnings and errors and then carries on. This layer collects them so a
//! build can fail on them instead of shipping a page with a raw `{{#include}}` in it.

use std::sync::{Mutex, Once};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

static COLLECTED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

struct Collector;

impl<S: Subscriber> Layer<S> for Collector {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        // `tracing` orders levels by verbosity: ERROR < WARN < INFO.
        if level > Level::WARN {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        let line = format!("{}: {}", level.as_str().to_lowercase(), message.0.trim());
        COLLECTED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(line);
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        } else {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
}

/// Install the collector as the process's subscriber (once).
pub fn install() {
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(Collector);
        // Only fails if another subscriber is already set, and xtask sets none.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

/// Take the warnings and errors reported since the last call.
pub fn take() -> Vec<String> {
    std::mem::take(
        &mut *COLLECTED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    )
}
