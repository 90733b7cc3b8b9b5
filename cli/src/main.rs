use clap::Parser;

fn main() {
    let cli = wheelwright::cli::Cli::parse();
    std::process::exit(wheelwright::cli::run(cli));
}
