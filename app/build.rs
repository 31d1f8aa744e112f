//! Sets `cfg(wasm_split)` when the browser build is being split into chunks.
//!
//! A lazy route's code becomes its own chunk only when `cargo leptos` runs with `--split`, and
//! a split point imports its loader from `__wasm_split.js`, which exists only in a split build.
//! `--split` is visible here as the `--emit-relocs` linker flag cargo-leptos adds for it, so
//! the pages are split points exactly when there will be chunks, and a plain `cargo leptos
//! watch` builds one bundle that loads.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(wasm_split)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let split = std::env::var("CARGO_ENCODED_RUSTFLAGS").is_ok_and(|flags| {
        flags
            .split('\x1f')
            .any(|flag| flag.contains("--emit-relocs"))
    });
    if wasm && split {
        println!("cargo::rustc-cfg=wasm_split");
    }
}
