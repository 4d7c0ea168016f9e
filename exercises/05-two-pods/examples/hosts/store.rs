//! The store as a host of its own: one table, queries as lines over TCP. Each query runs whole
//! (no `.await` inside it), as the in-process store's lock makes each query atomic.

use crate::sim::{Log, note};
use ex05_two_pods::{Customers, Record, insert_record};
use std::cell::RefCell;
use std::rc::Rc;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use turmoil::net::{TcpListener, TcpStream};

pub const PORT: u16 = 5432;

/// A query's answer on the wire.
#[derive(Debug, PartialEq)]
pub enum Reply {
    Record(Record),
    Nothing,
    /// The customer is there already (the fail-fast create's refusal).
    Exists,
}

impl Reply {
    pub fn encode(&self) -> String {
        match self {
            Reply::Record(r) => format!("record {} {}", r.customer, r.id),
            Reply::Nothing => "nothing".into(),
            Reply::Exists => "exists".into(),
        }
    }

    pub fn decode(line: &str) -> Option<Reply> {
        let mut words = line.split_whitespace();
        match words.next()? {
            "record" => {
                let customer = words.next()?.to_string();
                let id = words.next()?.parse().ok()?;
                Some(Reply::Record(Record { customer, id }))
            }
            "nothing" => Some(Reply::Nothing),
            "exists" => Some(Reply::Exists),
            _ => None,
        }
    }
}

// ANCHOR: query
/// One query against the table: `find`, the legacy `create`, and the two fixes' creates.
fn query(table: &mut Customers, line: &str) -> Reply {
    let (op, customer) = line.split_once(' ').unwrap_or((line, ""));
    let existing = table.get(customer).cloned();
    match (op, existing) {
        ("find", found) => found.map_or(Reply::Nothing, Reply::Record),
        // The legacy quirk: a customer that is there already gets nothing back.
        ("create", Some(_)) => Reply::Nothing,
        ("get_or_create", Some(record)) => Reply::Record(record),
        ("create_or_refuse", Some(_)) => Reply::Exists,
        ("create" | "get_or_create" | "create_or_refuse", None) => {
            Reply::Record(insert_record(table, customer))
        }
        _ => Reply::Nothing,
    }
}
// ANCHOR_END: query

/// The store's software: accept connections, answer each query line with one reply line.
pub async fn serve(log: Log) -> turmoil::Result {
    let table = Rc::new(RefCell::new(Customers::new()));
    let listener = TcpListener::bind(("0.0.0.0", PORT)).await?;
    loop {
        let (stream, peer) = listener.accept().await?;
        let who = turmoil::reverse_lookup(peer.ip()).unwrap_or_else(|| peer.to_string());
        let (table, log) = (Rc::clone(&table), log.clone());
        tokio::task::spawn_local(async move {
            // A connection the pod dropped ends here; the pod reports its own errors.
            let _ = connection(stream, &who, &table, &log).await;
        });
    }
}

async fn connection(
    stream: TcpStream,
    who: &str,
    table: &RefCell<Customers>,
    log: &Log,
) -> turmoil::Result {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    while let Some(line) = lines.next_line().await? {
        let reply = query(&mut table.borrow_mut(), &line);
        note(
            log,
            "store",
            format!("{who}'s {line} -> {}", reply.encode()),
        );
        write
            .write_all(format!("{}\n", reply.encode()).as_bytes())
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_create_answers_a_present_customer_its_own_way() {
        let mut table = Customers::new();
        let first = query(&mut table, "create acme");
        assert_eq!(first.encode(), "record acme 1");
        assert_eq!(query(&mut table, "create acme"), Reply::Nothing);
        assert_eq!(query(&mut table, "get_or_create acme"), first);
        assert_eq!(query(&mut table, "create_or_refuse acme"), Reply::Exists);
        assert_eq!(Reply::decode(&first.encode()), Some(first));
    }
}
