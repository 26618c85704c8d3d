//! The console bundle's build steps that need more than a shell:
//!
//! - `herald-bundler bindgen <frontend.wasm> <out-dir> <name>`: writes
//!   `<name>.js` and `<name>_bg.wasm` for `--target web`, as `wasm-bindgen`
//!   would. Built from wasm-bindgen's own library, pinned to the frontend's
//!   version, so a fresh machine compiles far less than
//!   `cargo install wasm-bindgen-cli`.
//! - `herald-bundler compress <file>...`: writes `<file>.br` and `<file>.gz`
//!   beside each file, at the strongest settings, once at build time, so the
//!   server sends them as they are instead of compressing on every request.

mod compress;

use std::{path::PathBuf, process::ExitCode};

const USAGE: &str = "usage: herald-bundler bindgen <frontend.wasm> <out-dir> <name>\n       \
                     herald-bundler compress <file>...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let done = match args.as_slice() {
        [command, input, out_dir, name] if command == "bindgen" => bindgen(input, out_dir, name),
        [command, files @ ..] if command == "compress" && !files.is_empty() => files
            .iter()
            .try_for_each(|file| compress::beside(file.as_ref()))
            .map_err(|error| error.to_string()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("herald-bundler: {error}");
            ExitCode::FAILURE
        }
    }
}

fn bindgen(input: &str, out_dir: &str, name: &str) -> Result<(), String> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(PathBuf::from(input))
        .out_name(name)
        .typescript(false)
        // As the CLI does for `--target web`: init() finds the module beside itself.
        .omit_default_module_path(false)
        .web(true)
        .and_then(|bindgen| bindgen.generate(out_dir))
        .map_err(|error| format!("{error:#}"))
}
