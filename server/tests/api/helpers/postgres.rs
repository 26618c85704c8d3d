//! One throw-away PostgreSQL cluster per test process: initdb into a temp
//! directory, `postgres` on a free loopback port, stopped and deleted by a
//! watchdog when the test process exits. Each test gets its own database.
//! It never skips: without PostgreSQL, the PostgreSQL tests fail and say why.

use sqlx::{Connection, Executor, PgConnection};
use std::{
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

struct Cluster {
    port: u16,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// A new, empty database in the shared cluster, as a `postgres://` URL.
pub async fn fresh_database() -> String {
    let port = CLUSTER.get_or_init(start_cluster).port;
    let admin_url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let mut admin = connect_with_retry(&admin_url).await;
    let name = format!("herald_test_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    admin.close().await.unwrap();
    format!("postgres://postgres@127.0.0.1:{port}/{name}")
}

async fn connect_with_retry(url: &str) -> PgConnection {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match PgConnection::connect(url).await {
            Ok(connection) => return connection,
            Err(error) if Instant::now() > deadline => {
                panic!("PostgreSQL test cluster does not accept connections: {error}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn start_cluster() -> Cluster {
    let bin = pg_bin_dir().unwrap_or_else(|| {
        panic!("PostgreSQL server binaries (initdb, postgres) not found: install the `postgresql` package (`make test` does)")
    });
    let root = tempfile::Builder::new()
        .prefix("herald-pg-")
        .tempdir()
        .unwrap()
        .keep();
    let run_as = postgres_user_when_root();
    if let Some((uid, gid)) = run_as {
        std::os::unix::fs::chown(&root, Some(uid), Some(gid)).unwrap();
    }
    let data = root.join("data");
    let initdb = run(
        run_as.is_some(),
        &bin.join("initdb"),
        &[
            "-D",
            path_str(&data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ],
    )
    .output()
    .unwrap();
    assert!(
        initdb.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&initdb.stderr)
    );
    let port = free_port();
    spawn_with_watchdog(run_as.is_some(), &bin, &root, &data, port);
    wait_for_port(port, &root);
    Cluster { port }
}

/// Starts `postgres` under a shell that stops it and deletes the cluster
/// once this test process is gone, so no cluster outlives its tests.
fn spawn_with_watchdog(as_postgres: bool, bin: &Path, root: &Path, data: &Path, port: u16) {
    let as_user = if as_postgres {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let script = format!(
        "{as_user}{postgres} -D {data} -p {port} -k {root} -c listen_addresses=127.0.0.1 \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
         > {root}/postgres.log 2>&1 & pg=$!; \
         while kill -0 {test_pid} 2>/dev/null && kill -0 $pg 2>/dev/null; do sleep 0.5; done; \
         {as_user}{pg_ctl} stop -D {data} -m immediate -t 30 > /dev/null 2>&1; rm -rf {root}",
        postgres = path_str(&bin.join("postgres")),
        pg_ctl = path_str(&bin.join("pg_ctl")),
        data = path_str(data),
        root = path_str(root),
        test_pid = std::process::id(),
    );
    #[expect(
        clippy::zombie_processes,
        reason = "the watchdog outlives this test process by design; init reaps it"
    )]
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
}

fn wait_for_port(port: u16, root: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(root.join("postgres.log")).unwrap_or_default();
            panic!("PostgreSQL did not start on port {port}:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn run(as_postgres: bool, program: &Path, args: &[&str]) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--", path_str(program)])
            .args(args);
        command
    } else {
        let mut command = Command::new(program);
        command.args(args);
        command
    }
}

/// PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
fn postgres_user_when_root() -> Option<(u32, u32)> {
    if id(&["-u"])? != 0 {
        return None;
    }
    let uid = id(&["-u", "postgres"])
        .expect("running as root needs the `postgres` user to start PostgreSQL");
    let gid = id(&["-g", "postgres"]).unwrap();
    Some((uid, gid))
}

fn id(args: &[&str]) -> Option<u32> {
    let output = Command::new("id").args(args).output().ok()?;
    String::from_utf8(output.stdout).ok()?.trim().parse().ok()
}

fn pg_bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .collect();
    candidates.sort();
    candidates.reverse();
    if let Ok(output) = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
    {
        let found = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if let Ok(real) = found.canonicalize() {
            candidates.insert(0, real.parent().unwrap().to_owned());
        }
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}
