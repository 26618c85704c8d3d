//! `herald-bundler <frontend.wasm> <out-dir> <name>`: writes `<name>.js`
//! and `<name>_bg.wasm` for `--target web`, as `wasm-bindgen` would. Built
//! from wasm-bindgen's own library, pinned to the frontend's version, so a
//! fresh machine compiles far less than `cargo install wasm-bindgen-cli`.

use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, name] = args.as_slice() else {
        eprintln!("usage: herald-bundler <frontend.wasm> <out-dir> <name>");
        return ExitCode::from(2);
    };
    let generated = wasm_bindgen_cli_support::Bindgen::new()
        .input_path(PathBuf::from(input))
        .out_name(name)
        .typescript(false)
        // As the CLI does for `--target web`: init() finds the module beside itself.
        .omit_default_module_path(false)
        .web(true)
        .and_then(|bindgen| bindgen.generate(out_dir));
    match generated {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("herald-bundler: {error:#}");
            ExitCode::FAILURE
        }
    }
}
