//! A loopback load test of `feedloom serve`: starts the server on a copy of the sample
//! project (127.0.0.1, a free port), then N keep-alive connections send conditional GETs
//! (`If-None-Match` with the Brotli body's tag, as a polling feed reader does) one after the
//! other, for a bounded time and count. Prints requests per second and the p50, p90, p99 and
//! worst latencies. It only ever talks to the server it started.
//!
//! `cargo run --release --example serve_load -- [--connections 32] [--seconds 5]
//! [--requests 200000] [--workers 1] [--path /news.xml]`

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use feedloom::pipeline::serve::{ServeOptions, Server};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// The run's limits.
#[derive(Debug, Clone)]
struct Load {
    connections: usize,
    seconds: u64,
    requests: usize,
    workers: usize,
    path: String,
}

fn main() -> Result<(), Failure> {
    let load = parse_args()?;
    let project = tempfile::tempdir()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["feeds", "samples", "samples/feeds"] {
        std::fs::create_dir_all(project.path().join(folder))?;
        for entry in std::fs::read_dir(root.join(folder))? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && !name.starts_with('.') {
                std::fs::copy(&path, project.path().join(folder).join(name))?;
            }
        }
    }
    let mut options = ServeOptions::new(project.path().join("feeds"), "127.0.0.1:0".parse()?);
    options.build.ping = None;
    options.workers = Some(load.workers);
    let server = Server::start(options)?;
    let addr = server.local_addr();
    println!(
        "serving {} on http://{addr} ({} worker threads); {} connections, at most {} s and {} requests",
        load.path, load.workers, load.connections, load.seconds, load.requests
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (latencies, took, statuses) = runtime.block_on(hammer(addr, &load))?;
    server.stop()?;
    report(latencies, took, statuses);
    Ok(())
}

fn parse_args() -> Result<Load, Failure> {
    let mut load = Load {
        connections: 32,
        seconds: 5,
        requests: 200_000,
        workers: 1,
        path: "/news.xml".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--connections" => load.connections = value.parse::<usize>()?.max(1),
            "--seconds" => load.seconds = value.parse::<u64>()?.clamp(1, 60),
            "--requests" => load.requests = value.parse::<usize>()?.max(1),
            "--workers" => load.workers = value.parse::<usize>()?.max(1),
            "--path" => load.path = value,
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    Ok(load)
}

/// Runs every connection until the time or the request budget is spent: every latency in
/// microseconds, the time taken, and the count of 304 and of other answers.
async fn hammer(
    addr: SocketAddr,
    load: &Load,
) -> Result<(Vec<u32>, Duration, (usize, usize)), Failure> {
    let etag = first_tag(addr, &load.path).await?;
    let deadline = Instant::now() + Duration::from_secs(load.seconds);
    let per_connection = load.requests.div_ceil(load.connections);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..load.connections {
        let (path, etag) = (load.path.clone(), etag.clone());
        tasks.spawn(connection(addr, path, etag, deadline, per_connection));
    }
    let mut latencies = Vec::with_capacity(load.requests);
    let mut statuses = (0, 0);
    while let Some(done) = tasks.join_next().await {
        let (mut times, (not_modified, other)) = done??;
        latencies.append(&mut times);
        statuses.0 += not_modified;
        statuses.1 += other;
    }
    Ok((latencies, started.elapsed(), statuses))
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// One keep-alive connection sending conditional GETs one after the other.
async fn connection(
    addr: SocketAddr,
    path: String,
    etag: String,
    deadline: Instant,
    budget: usize,
) -> Result<(Vec<u32>, (usize, usize)), Failure> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut times = Vec::with_capacity(budget);
    let (mut not_modified, mut other) = (0, 0);
    while times.len() < budget && Instant::now() < deadline {
        let request = Request::get(path.as_str())
            .header("host", addr.to_string())
            .header("accept-encoding", "gzip, br")
            .header("if-none-match", etag.as_str())
            .body(Empty::<Bytes>::new())?;
        let sent = Instant::now();
        let response = sender.send_request(request).await?;
        let status = response.status();
        response.into_body().collect().await?;
        times.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
        match status.as_u16() {
            304 => not_modified += 1,
            _ => other += 1,
        }
    }
    Ok((times, (not_modified, other)))
}

/// The tag of the Brotli body at `path`, from one full GET.
async fn first_tag(addr: SocketAddr, path: &str) -> Result<String, Failure> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let request = Request::get(path)
        .header("host", addr.to_string())
        .header("accept-encoding", "gzip, br")
        .body(Empty::<Bytes>::new())?;
    let response = sender.send_request(request).await?;
    let etag = (response.headers().get("etag"))
        .and_then(|v| v.to_str().ok())
        .ok_or("no ETag")?
        .to_string();
    response.into_body().collect().await?;
    Ok(etag)
}

fn report(mut latencies: Vec<u32>, took: Duration, (not_modified, other): (usize, usize)) {
    latencies.sort_unstable();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1);
        latencies.get(i).map_or(0.0, |&us| f64::from(us) / 1000.0)
    };
    let count = latencies.len();
    println!(
        "{count} requests in {:.2} s: {:.0} requests/s; {not_modified} answered 304, {other} otherwise",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64()
    );
    println!(
        "latency: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, worst {:.3} ms",
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    );
}
