//! A question as HTML: a real form (fieldset and legend, radio buttons or a number field, a
//! Check button), a live region for the feedback and the explanation, hidden until answered.
//! `web/quiz/quiz.js` gives it life; the markup has no blank line, so Markdown keeps it one block.

use super::spec::{Answer, Question};
use serde_json::Value;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Inline Markdown of prompts and explanations: `code`, **strong**, *emphasis*; the rest escaped.
pub fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
            continue;
        }
        let mut text = escape(part);
        for (mark, tag) in [("**", "strong"), ("*", "em")] {
            let pieces: Vec<&str> = text.split(mark).collect();
            if pieces.len() >= 3 && pieces.len() % 2 == 1 {
                text = pieces
                    .iter()
                    .enumerate()
                    .map(|(j, p)| match j % 2 {
                        1 => format!("<{tag}>{p}</{tag}>"),
                        _ => (*p).to_string(),
                    })
                    .collect();
            }
        }
        out.push_str(&text);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The markup of question `q` (the `n`th of its page), whose full id is `exercise/id`;
/// `trace` is the variant's trace for a step question.
pub fn question(exercise: &str, q: &Question, n: usize, trace: Option<&Value>) -> String {
    let full = format!("{exercise}/{}", q.id);
    let dom = format!("rbq-{exercise}-{}", q.id);
    let (kind, answer, body) = match &q.answer {
        Answer::Choice(options, right) => ("choice", right.to_string(), choices(&dom, options)),
        Answer::Number(n) => (
            "number",
            n.to_string(),
            format!(
                "<p class=\"rbq-number\"><label for=\"{dom}-in\">Your answer (a number)</label> \
                 <input id=\"{dom}-in\" name=\"answer\" type=\"text\" inputmode=\"numeric\" \
                 autocomplete=\"off\" size=\"8\"></p>"
            ),
        ),
        Answer::Steps(_, steps) => (
            "step",
            steps
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            step_rows(&dom, trace, steps.len()),
        ),
    };
    let hint = match &q.answer {
        Answer::Steps(_, s) if s.len() > 1 => format!(" (select {} steps)", s.len()),
        _ => String::new(),
    };
    [
        format!(
            "<form class=\"rbq\" data-id=\"{}\" data-kind=\"{kind}\" data-answer=\"{}\" aria-labelledby=\"{dom}-legend\">",
            escape(&full),
            escape(&answer)
        ),
        "<fieldset>".into(),
        format!(
            "<legend id=\"{dom}-legend\"><span class=\"rbq-tag\">Predict {n}</span> {}{hint}</legend>",
            inline(&q.prompt)
        ),
        body,
        "<p class=\"rbq-actions\"><button type=\"submit\">Check</button></p>".into(),
        "<p class=\"rbq-feedback\" role=\"status\" aria-live=\"polite\"></p>".into(),
        format!(
            "<div class=\"rbq-explanation\" hidden><p>{}</p></div>",
            inline(&q.explanation)
        ),
        "</fieldset>".into(),
        "</form>".into(),
    ]
    .join("\n")
}

fn choices(dom: &str, options: &[String]) -> String {
    let rows: Vec<String> = options
        .iter()
        .enumerate()
        .map(|(i, text)| {
            format!(
                "<li><label><input type=\"radio\" name=\"{dom}\" value=\"{i}\"> {}</label></li>",
                inline(text)
            )
        })
        .collect();
    format!("<ul class=\"rbq-options\">{}</ul>", rows.concat())
}

/// The trace's steps, one selectable row each (checkboxes when more than one step is asked for).
fn step_rows(dom: &str, trace: Option<&Value>, wanted: usize) -> String {
    let Some(trace) = trace else {
        return String::new();
    };
    let name = |list: &str, id: Option<u64>| -> String {
        let list = trace.get(list).and_then(Value::as_array);
        id.and_then(|id| {
            list?
                .iter()
                .find(|t| t.get("id").and_then(Value::as_u64) == Some(id))
        })
        .and_then(|t| t.get("name").and_then(Value::as_str))
        .unwrap_or_default()
        .to_string()
    };
    let input = if wanted > 1 { "checkbox" } else { "radio" };
    let steps = trace.get("steps").and_then(Value::as_array);
    let rows: Vec<String> = steps
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, s)| {
            let get = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or_default();
            let thread = name("threads", s.get("thread").and_then(Value::as_u64));
            let object = name("objects", s.get("object").and_then(Value::as_u64));
            let value = match get("value") {
                "" => String::new(),
                v => format!(" = {v}"),
            };
            let at = s.get("at");
            let file = at
                .and_then(|a| a.get("file"))
                .and_then(Value::as_str)
                .and_then(|f| f.rsplit('/').next())
                .unwrap_or_default();
            let line = at.and_then(|a| a.get("line")).and_then(Value::as_u64);
            let place = line.map_or(String::new(), |l| format!(" <span class=\"rbq-at\">{}:{l}</span>", escape(file)));
            format!(
                "<li><label><input type=\"{input}\" name=\"{dom}\" value=\"{n}\"> \
                 <span class=\"rbq-step\">{n}</span> {} <strong>{}</strong> {}{}{place}</label></li>",
                escape(&thread),
                escape(get("op")),
                escape(&object),
                escape(&value),
                n = i + 1,
            )
        })
        .collect();
    format!("<ol class=\"rbq-steps\">{}</ol>", rows.concat())
}
