//! Command-line interface: argument parsing and exit codes (0 ok, 1 a rule failed, 2 unusable input).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use clap::{Parser, Subcommand};

use crate::archive::{self, Limits};
use crate::check::{self, Options};
use crate::error::Unusable;
use crate::policy::{self, Claim};
use crate::{diff, report};

#[derive(Parser, Debug)]
#[command(
    name = "wheelwright",
    version,
    about = "Static verifier for Python wheels"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Args, Debug, Clone)]
pub struct LimitArgs {
    /// Largest inflated size of one member, in bytes (zip-bomb guard).
    #[arg(long, default_value_t = Limits::default().max_member)]
    pub max_member_size: u64,
    /// Largest inflated size of a whole wheel, in bytes (zip-bomb guard).
    #[arg(long, default_value_t = Limits::default().max_total)]
    pub max_total_size: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_member: self.max_member_size,
            max_total: self.max_total_size,
            ..Limits::default()
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check wheels against every rule.
    Check {
        /// Print one JSON array of reports instead of text.
        #[arg(long)]
        json: bool,
        /// Also fail unless each wheel satisfies this policy, e.g. manylinux_2_17_x86_64.
        #[arg(long, value_name = "POLICY_ARCH", value_parser = parse_policy)]
        expect_policy: Option<String>,
        #[command(flatten)]
        limits: LimitArgs,
        #[arg(required = true)]
        wheels: Vec<PathBuf>,
    },
    /// Explain why two wheels differ (exit 0 when identical, 1 when not).
    Diff {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: LimitArgs,
        a: PathBuf,
        b: PathBuf,
    },
}

fn parse_policy(s: &str) -> Result<String, String> {
    match policy::claim(s) {
        Claim::Policy { .. } => Ok(s.to_string()),
        _ => Err(format!(
            "{s:?} names no manylinux/musllinux policy (e.g. manylinux_2_17_x86_64)"
        )),
    }
}

fn unusable(path: &Path, e: &Unusable) {
    let what = report::one_line(&e.to_string());
    eprintln!("wheelwright: error: {}: {what}", path.display());
}

/// Checks wheels on all cores (one wheel per worker), returning results in input order.
fn check_all(wheels: &[PathBuf], opts: &Options) -> Vec<Result<report::WheelReport, Unusable>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(wheels.len());
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<report::WheelReport, Unusable>>>> =
        wheels.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(w) = wheels.get(i) else { break };
                let r = check::check_file(w, opts);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(r);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(Unusable::new(
                    "the check did not finish",
                    "report this as a wheelwright bug",
                ))
            })
        })
        .collect()
}

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Check {
            json,
            expect_policy,
            limits,
            wheels,
        } => {
            let opts = Options {
                limits: limits.limits(),
                expect_policy,
            };
            let mut code = 0;
            let mut reports = Vec::new();
            for (w, result) in wheels.iter().zip(check_all(&wheels, &opts)) {
                match result {
                    Ok(r) => {
                        if !r.ok {
                            code = code.max(1);
                        }
                        if !json {
                            let _ = out.write_all(report::text(&r).as_bytes());
                        }
                        reports.push(r);
                    }
                    Err(e) => {
                        unusable(w, &e);
                        code = 2;
                    }
                }
            }
            if json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&reports).unwrap_or_default()
                );
            }
            code
        }
        Command::Diff { json, limits, a, b } => {
            let lim = Limits {
                keep_elf_data: true,
                ..limits.limits()
            };
            let read = |p: &Path| archive::read_archive(p, &lim).map_err(|e| unusable(p, &e));
            let (Ok(aa), Ok(bb)) = (read(&a), read(&b)) else {
                return 2;
            };
            let r = diff::diff(&a.display().to_string(), &aa, &b.display().to_string(), &bb);
            if json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&r).unwrap_or_default()
                );
            } else {
                let _ = out.write_all(diff::text(&r).as_bytes());
            }
            i32::from(!r.identical)
        }
    }
}
