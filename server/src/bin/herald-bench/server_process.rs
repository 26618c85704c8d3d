//! A real `herald serve` child process on a fresh data directory.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct HeraldProcess {
    child: Child,
    pub base_url: String,
    pub api_key: String,
    data_dir: PathBuf,
}

impl HeraldProcess {
    /// Starts `herald serve` (the binary beside this one) and waits until it
    /// is ready; `database_url` selects PostgreSQL, `sqlite_sync` SQLite's
    /// durability.
    pub fn start(database_url: Option<&str>, sqlite_sync: &str) -> Result<Self, String> {
        let binary = herald_binary()?;
        let data_dir = std::env::temp_dir().join(format!("herald-bench-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&data_dir).map_err(|e| e.to_string())?;
        let port = free_port()?;
        let env = |command: &mut Command| {
            command
                .env_clear()
                .env("HERALD_DATA_DIR", &data_dir)
                .env("HERALD_ADDR", format!("127.0.0.1:{port}"))
                .env("HERALD_SQLITE_SYNC", sqlite_sync)
                .env("HERALD_LOG", "warn");
            if let Some(url) = database_url {
                command.env("DATABASE_URL", url);
            }
        };
        let mut create_key = Command::new(&binary);
        create_key.args(["api-key", "create", "--scopes", "admin"]);
        env(&mut create_key);
        let output = create_key
            .output()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        let api_key = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let mut serve = Command::new(&binary);
        serve
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        env(&mut serve);
        let child = serve.spawn().map_err(|e| e.to_string())?;
        let process = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            api_key,
            data_dir,
        };
        process.wait_ready()?;
        Ok(process)
    }

    fn wait_ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let address = self.base_url.trim_start_matches("http://").to_owned();
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(&address).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("herald did not start within 30 s".to_owned())
    }

    /// The CPU time the process has used so far (user and system), in seconds.
    pub fn cpu_seconds(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // The fields after the command name, which may hold spaces: utime
        // and stime are the 14th and 15th of the line, the 12th and 13th here.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / clock_ticks_per_second())
    }

    /// The most memory the process has held (VmHWM), in MiB.
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }
}

impl Drop for HeraldProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn herald_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let binary = me.with_file_name("herald");
    if binary.exists() {
        Ok(binary)
    } else {
        Err(format!(
            "{} is missing: build it first (cargo build --release -p server)",
            binary.display()
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// The kernel's clock ticks per second, in which `/proc` counts CPU time.
fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}
