//! The layers' arrows, as `cargo metadata` shows them: each crate depends
//! only on the layers below it, and nothing below the adapters on Leptos,
//! axum or another HTTP server framework. A back arrow fails here.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Each of Herald's crates and the Herald crates it may depend on.
const ARROWS: [(&str, &[&str]); 6] = [
    ("herald-model", &[]),
    ("herald-store", &["herald-model"]),
    ("herald-engine", &["herald-model", "herald-store"]),
    (
        "herald-service",
        &["herald-model", "herald-store", "herald-engine"],
    ),
    ("app", &["herald-model", "herald-service"]),
    (
        "server",
        &[
            "app",
            "herald-model",
            "herald-store",
            "herald-engine",
            "herald-service",
        ],
    ),
];

/// The crates below the adapters.
const LOWER: [&str; 4] = [
    "herald-model",
    "herald-store",
    "herald-engine",
    "herald-service",
];
/// What no crate below the adapters may link: the web and UI frameworks.
const ADAPTER_ONLY: [&str; 6] = [
    "leptos",
    "leptos_axum",
    "axum",
    "server_fn",
    "hyper",
    "tower-http",
];

/// Every workspace crate's normal and build dependencies (dev-dependencies,
/// which tests alone use, do not count).
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    packages
        .iter()
        .map(|package| {
            let names = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|dependency| dependency["kind"].as_str() != Some("dev"))
                .map(|dependency| dependency["name"].as_str().expect("a name").to_owned())
                .collect();
            (package["name"].as_str().expect("a name").to_owned(), names)
        })
        .collect()
}

/// Every arrow that points up or sideways, and every framework a lower
/// layer links, as `crate -> dependency`.
fn wrong_arrows(dependencies: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let ours: BTreeSet<&str> = ARROWS.iter().map(|(name, _)| *name).collect();
    let mut wrong = Vec::new();
    for (name, allowed) in ARROWS {
        let uses = dependencies
            .get(name)
            .unwrap_or_else(|| panic!("the workspace has no crate {name}"));
        for used in uses {
            let back = ours.contains(used.as_str()) && !allowed.contains(&used.as_str());
            let framework = LOWER.contains(&name) && ADAPTER_ONLY.contains(&used.as_str());
            if back || framework {
                wrong.push(format!("{name} -> {used}"));
            }
        }
    }
    wrong
}

#[test]
fn each_layer_depends_only_on_the_layers_below_it_and_no_lower_one_on_a_web_framework() {
    assert_eq!(wrong_arrows(&dependencies()), Vec::<String>::new());
}

#[test]
fn a_back_arrow_or_a_framework_below_the_adapters_is_caught() {
    for (from, to) in [
        ("herald-store", "herald-service"),
        ("herald-engine", "app"),
        ("herald-model", "leptos"),
        ("herald-service", "axum"),
    ] {
        let mut dependencies = dependencies();
        dependencies
            .get_mut(from)
            .expect("a crate")
            .insert(to.to_owned());
        assert_eq!(wrong_arrows(&dependencies), vec![format!("{from} -> {to}")]);
    }
}
