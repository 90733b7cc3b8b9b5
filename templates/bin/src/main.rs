//! my-tool: a command-line program. `my-tool [NAME]` greets NAME, and says
//! which architecture it was built for.

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "world".to_string());
    println!(
        "Hello, {name}! ({} {} on {})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    );
}
