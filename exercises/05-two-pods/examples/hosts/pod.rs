//! A pod as a host: it serves registrations on its own port and asks the store over the
//! network. The three handlers are the exercise's broken version and its two fixes, with the
//! store's create operations moved into the store host (`store.rs`).

use crate::sim::{Log, note};
use crate::store::{self, Reply};
use ex05_two_pods::{Record, Refused, Response, Token};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use turmoil::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use turmoil::net::{TcpListener, TcpStream};

pub const PORT: u16 = 8080;

/// Which version of the service the pods run (the exercise's variant names).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Handler {
    Broken,
    GetOrCreate,
    FailFast,
}

impl Handler {
    pub const ALL: [Handler; 3] = [Handler::Broken, Handler::GetOrCreate, Handler::FailFast];

    pub fn name(self) -> &'static str {
        match self {
            Handler::Broken => "broken",
            Handler::GetOrCreate => "fixed_get_or_create",
            Handler::FailFast => "fixed_fail_fast",
        }
    }

    pub fn from_name(name: &str) -> Option<Handler> {
        Handler::ALL.into_iter().find(|h| h.name() == name)
    }
}

/// One pod's connection to the store, for the queries of one request.
struct Store {
    pod: &'static str,
    lines: Lines<BufReader<OwnedReadHalf>>,
    write: OwnedWriteHalf,
    log: Log,
}

impl Store {
    async fn connect(pod: &'static str, log: &Log) -> turmoil::Result<Store> {
        let (read, write) = TcpStream::connect(("store", store::PORT))
            .await?
            .into_split();
        let lines = BufReader::new(read).lines();
        let log = log.clone();
        Ok(Store {
            pod,
            lines,
            write,
            log,
        })
    }

    async fn ask(&mut self, op: &str, customer: &str) -> turmoil::Result<Reply> {
        note(
            &self.log,
            self.pod,
            format!("asks the store: {op} {customer}"),
        );
        self.write
            .write_all(format!("{op} {customer}\n").as_bytes())
            .await?;
        let line = self.lines.next_line().await?.ok_or("the store hung up")?;
        let reply = Reply::decode(&line).ok_or_else(|| format!("a bad reply: {line:?}"))?;
        note(&self.log, self.pod, format!("hears back: {line}"));
        Ok(reply)
    }
}

fn record(reply: Reply) -> Option<Record> {
    match reply {
        Reply::Record(record) => Some(record),
        Reply::Nothing | Reply::Exists => None,
    }
}

/// The handler, as each version of `register` has it.
async fn register(
    handler: Handler,
    store: &mut Store,
    customer: &str,
) -> turmoil::Result<Response> {
    if let Some(record) = record(store.ask("find", customer).await?) {
        return Ok(Ok(Token::sign(&record)));
    }
    Ok(match handler {
        Handler::Broken => {
            let record = record(store.ask("create", customer).await?).unwrap_or_default();
            Ok(Token::sign(&record))
        }
        Handler::GetOrCreate => {
            let created = record(store.ask("get_or_create", customer).await?);
            Ok(Token::sign(&created.ok_or("get_or_create gave no record")?))
        }
        Handler::FailFast => match store.ask("create_or_refuse", customer).await? {
            Reply::Record(record) => Ok(Token::sign(&record)),
            Reply::Exists | Reply::Nothing => Err(Refused::RegisteredConcurrently),
        },
    })
}

/// The pod's software: one registration per connection, answered with one line.
pub async fn serve(pod: &'static str, handler: Handler, log: Log) -> turmoil::Result {
    let listener = TcpListener::bind(("0.0.0.0", PORT)).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        let log = log.clone();
        tokio::task::spawn_local(async move {
            if let Err(e) = request(pod, handler, stream, &log).await {
                note(&log, pod, format!("failed: {e}"));
            }
        });
    }
}

async fn request(
    pod: &'static str,
    handler: Handler,
    stream: TcpStream,
    log: &Log,
) -> turmoil::Result {
    let (read, mut write) = stream.into_split();
    let line = BufReader::new(read)
        .lines()
        .next_line()
        .await?
        .unwrap_or_default();
    let customer = line.strip_prefix("register ").ok_or("not a registration")?;
    note(log, pod, format!("gets: register {customer}"));
    let mut store = Store::connect(pod, log).await?;
    let response = register(handler, &mut store, customer).await?;
    // The trace shows the token without its signature, which depends on the build's hasher.
    note(log, pod, format!("answers: {response:?}"));
    let answer = match response {
        Ok(token) => format!("token {token}"),
        Err(_) => "refused".to_string(),
    };
    write.write_all(format!("{answer}\n").as_bytes()).await?;
    Ok(())
}
