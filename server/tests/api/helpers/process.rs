//! Real `herald` child processes on one database: for SIGTERM, kill -9 and
//! several-process tests.

use super::Backend;
use herald_store::Db;
use server::config::Database;
use std::{
    path::PathBuf,
    process::{Child, Command},
    time::{Duration, Instant},
};
use tempfile::TempDir;

/// A database and data directory that `herald` processes share.
pub struct Installation {
    pub data_dir: TempDir,
    pub database_url: Option<String>,
    master_key: String,
}

/// One running `herald` process; killed when dropped.
pub struct HeraldProcess {
    child: Child,
    /// `http://127.0.0.1:port` (for `serve`).
    pub address: String,
    log: PathBuf,
}

impl Drop for HeraldProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Installation {
    pub async fn new(backend: Backend) -> Self {
        let database_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(super::postgres::fresh_database().await),
        };
        Self {
            data_dir: tempfile::tempdir().unwrap(),
            database_url,
            master_key: "ab".repeat(32),
        }
    }

    fn command(&self, args: &[&str], port: u16) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_herald"));
        command
            .args(args)
            .env_clear()
            .env("HERALD_DATA_DIR", self.data_dir.path())
            .env("HERALD_MASTER_KEY", &self.master_key)
            .env("HERALD_ADDR", format!("127.0.0.1:{port}"))
            .env("HERALD_SHUTDOWN_GRACE", "1")
            .env("HERALD_LOG", "info,sqlx=warn");
        if let Some(url) = &self.database_url {
            command.env("DATABASE_URL", url);
        }
        command
    }

    /// Runs `herald <args>` with more environment variables to its end,
    /// which must come within 30 s (a `serve` that starts fails the test).
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut child = self
            .command(args, free_port())
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("herald {args:?} still running after 30 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }

    /// Runs a CLI command and returns its stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let output = self.command(args, 0).output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    /// Starts `herald <args>` and waits until it is ready (its worker
    /// started unless `--no-worker`, and for `serve` its port answering).
    pub async fn start(&self, args: &[&str]) -> HeraldProcess {
        self.start_on(args, free_port()).await
    }

    /// [`Installation::start`] on a given port (a restart keeps its address).
    pub async fn start_on(&self, args: &[&str], port: u16) -> HeraldProcess {
        self.start_with_env(args, port, &[]).await
    }

    /// [`Installation::start_on`] with more environment variables.
    pub async fn start_with_env(
        &self,
        args: &[&str],
        port: u16,
        env: &[(&str, &str)],
    ) -> HeraldProcess {
        let mut command = self.command(args, port);
        command.envs(env.iter().copied());
        self.spawn(command, args, port).await
    }

    /// [`Installation::start`] under a soft open-file limit of `limit`
    /// (the hard limit stays), as a shell's `ulimit -Sn` would leave it.
    pub async fn start_with_soft_open_file_limit(
        &self,
        args: &[&str],
        limit: u64,
    ) -> HeraldProcess {
        let port = free_port();
        let inner = self.command(args, port);
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -Sn {limit} && exec \"$0\" \"$@\""))
            .arg(inner.get_program())
            .args(inner.get_args())
            .env_clear()
            .envs(
                inner
                    .get_envs()
                    .filter_map(|(name, value)| Some((name, value?))),
            );
        self.spawn(command, args, port).await
    }

    async fn spawn(&self, mut command: Command, args: &[&str], port: u16) -> HeraldProcess {
        let log = self
            .data_dir
            .path()
            .join(format!("herald-{port}-{}.log", uuid::Uuid::new_v4()));
        // stdout and stderr both: a test can read everything the process printed.
        let output = std::fs::File::create(&log).unwrap();
        let child = command
            .stdout(output.try_clone().unwrap())
            .stderr(output)
            .spawn()
            .unwrap();
        let process = HeraldProcess {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let delivers = !args.contains(&"--no-worker");
        while delivers && !process.log_text().contains("delivery worker started") {
            assert!(
                Instant::now() < deadline,
                "herald did not start:\n{}",
                process.log_text()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if matches!(args.first(), Some(&"serve" | &"worker")) {
            let client = reqwest::Client::new();
            while client
                .get(format!("{}/healthz", process.address))
                .send()
                .await
                .is_err()
            {
                assert!(
                    Instant::now() < deadline,
                    "herald did not listen:\n{}",
                    process.log_text()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        process
    }

    /// A connection of the test's own to the shared database.
    pub async fn db(&self) -> Db {
        let database = match &self.database_url {
            Some(url) => Database::Postgres(url.clone()),
            None => Database::Sqlite(self.data_dir.path().join("herald.db")),
        };
        Db::connect(&database, herald_store::Synchronous::Full)
            .await
            .unwrap()
    }
}

impl HeraldProcess {
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log holds `text`; fails the test after `within`.
    pub async fn wait_for_log(&self, text: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while !self.log_text().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} never logged:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// kill -9: no chance to clean up.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, then waits for the exit (panics after `within`).
    pub fn terminate(&mut self, within: Duration) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "herald still running {within:?} after SIGTERM:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A loopback port nothing listens on at the moment.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
