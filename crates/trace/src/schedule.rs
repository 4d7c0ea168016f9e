//! The harness's compact schedule string for shuttle: the thread chosen at every scheduling
//! decision, one base-36 digit each, with runs of three or more written `digit*count,`.
//! `S1:0*5,112` is the schedule 0,0,0,0,0,1,1,2. The `S1:` prefix names the format and version.

use std::fmt;

const PREFIX: &str = "S1:";
const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError(pub String);

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a racebook schedule: {}", self.0)
    }
}

impl std::error::Error for ScheduleError {}

/// Encode the chosen thread of each decision. Thread numbers must be below 36.
pub fn encode(decisions: &[u32]) -> Result<String, ScheduleError> {
    let mut out = String::from(PREFIX);
    let mut i = 0;
    while i < decisions.len() {
        let d = decisions[i];
        let digit = *DIGITS.get(d as usize).ok_or_else(|| {
            ScheduleError(format!("thread {d} is too large for the schedule string"))
        })?;
        let run = decisions[i..].iter().take_while(|&&x| x == d).count();
        out.push(digit as char);
        if run >= 3 {
            out.push('*');
            out.push_str(&run.to_string());
            out.push(',');
        } else if run == 2 {
            out.push(digit as char);
        }
        i += run;
    }
    Ok(out)
}

/// Decode a schedule string back into decisions.
pub fn decode(text: &str) -> Result<Vec<u32>, ScheduleError> {
    let body = text
        .trim()
        .strip_prefix(PREFIX)
        .ok_or_else(|| ScheduleError(format!("it should start with {PREFIX}")))?;
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let d = DIGITS
            .iter()
            .position(|&c| c == bytes[i])
            .ok_or_else(|| ScheduleError(format!("unexpected character {:?}", bytes[i] as char)))?;
        i += 1;
        let mut count = 1usize;
        if bytes.get(i) == Some(&b'*') {
            let start = i + 1;
            let end = start
                + bytes[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
            count = body[start..end]
                .parse()
                .map_err(|_| ScheduleError("a `*` must be followed by a count".into()))?;
            if bytes.get(end) != Some(&b',') {
                return Err(ScheduleError("a run's count must end with `,`".into()));
            }
            if count > 10_000_000 {
                return Err(ScheduleError("a run is longer than any schedule".into()));
            }
            i = end + 1;
        }
        out.extend(std::iter::repeat_n(d as u32, count));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_runs_and_singles() {
        let d = vec![0, 0, 0, 0, 0, 1, 1, 2, 35, 0];
        let s = encode(&d).unwrap();
        assert_eq!(s, "S1:0*5,112z0");
        assert_eq!(decode(&s).unwrap(), d);
    }

    #[test]
    fn refuses_garbage() {
        assert!(decode("hello").is_err());
        assert!(decode("S1:0*").is_err());
        assert!(decode("S1:0*5").is_err());
        assert!(decode("S1:!").is_err());
        assert!(encode(&[36]).is_err());
    }
}
