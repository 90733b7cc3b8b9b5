//! Command-line interface: argument parsing and exit codes (0 ok, 1 a rule failed, 2 unusable input).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::archive::{self, Limits};
use crate::check::{self, Options};
use crate::check_lib::{self, Platform};
use crate::error::Unusable;
use crate::policy::{self, Claim};
use crate::{diff, publish, report, sdist, strip};

#[derive(Parser, Debug)]
#[command(
    name = "wheelwright",
    version,
    about = "Static verifier for Python wheels and C-ABI shared libraries"
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

#[derive(clap::Args, Debug, Clone)]
pub struct BuildPathArgs {
    /// A directory the build ran in; a binary that holds it fails leak.build-path, as the
    /// usual build paths (/nix/store, /build, /tmp/nix-build-...) do. Repeatable.
    #[arg(long = "build-path", value_name = "DIR")]
    pub paths: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check wheels against every rule.
    Check {
        /// Print one JSON array of reports instead of text.
        #[arg(long)]
        json: bool,
        /// Also fail unless each wheel satisfies this policy, e.g. manylinux_2_17_x86_64,
        /// and every platform tag is of its family and architecture.
        #[arg(long, value_name = "POLICY_ARCH", value_parser = parse_policy)]
        expect_policy: Option<String>,
        /// Also fail unless each wheel is of this distribution.
        #[arg(long, value_name = "NAME")]
        dist_name: Option<String>,
        #[command(flatten)]
        build_paths: BuildPathArgs,
        #[command(flatten)]
        limits: LimitArgs,
        #[arg(required = true)]
        wheels: Vec<PathBuf>,
    },
    /// Check plain C-ABI shared libraries (not wheels) against a platform policy.
    CheckLib {
        /// Print one JSON array of reports instead of text.
        #[arg(long)]
        json: bool,
        /// Policy the libraries must satisfy, e.g. manylinux_2_17_x86_64 (aliases allowed).
        #[arg(long, value_name = "POLICY_ARCH")]
        platform: String,
        #[command(flatten)]
        build_paths: BuildPathArgs,
        #[arg(required = true, value_name = "LIB")]
        libs: Vec<PathBuf>,
    },
    /// Check source distributions (.tar.gz): PEP 625 name, layout, PKG-INFO, and the
    /// pyproject.toml, Cargo.toml and Cargo.lock a build needs.
    CheckSdist {
        /// Print one JSON array of reports instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: LimitArgs,
        #[arg(required = true, value_name = "SDIST")]
        sdists: Vec<PathBuf>,
    },
    /// Upload a release (its wheels and sdist) to PyPI or another index. Refuses, before
    /// uploading anything, what PyPI would reject and files the index holds with other
    /// content; skips files it holds already, so a second run uploads nothing. Each file's
    /// PEP 740 attestations (`<file>.<kind>.attestation` beside it) go up with it.
    /// Credentials: $WHEELWRIGHT_PUBLISH_TOKEN, else trusted publishing from GitHub Actions,
    /// Google Cloud or GitLab CI/CD.
    Publish {
        /// The index's upload endpoint (legacy API).
        #[arg(long, env = "WHEELWRIGHT_PUBLISH_URL", default_value = publish::PYPI_UPLOAD_URL)]
        repository_url: String,
        /// The index's simple API, to see what it holds (known for PyPI and TestPyPI).
        #[arg(long, env = "WHEELWRIGHT_PUBLISH_INDEX_URL")]
        index_url: Option<String>,
        /// Check everything and say what would be uploaded, but upload nothing.
        #[arg(long)]
        dry_run: bool,
        /// The largest file the index takes, in bytes: PyPI's default, unless PyPI raised
        /// the project's limit.
        #[arg(long, value_name = "BYTES", default_value_t = publish::FILE_SIZE_LIMIT)]
        file_size_limit: u64,
        /// The largest total the project may hold on the index, in bytes: PyPI's default,
        /// unless PyPI raised the project's limit.
        #[arg(long, value_name = "BYTES", default_value_t = publish::PROJECT_SIZE_LIMIT)]
        project_size_limit: u64,
        #[command(flatten)]
        limits: LimitArgs,
        /// Wheels and sdists, or directories holding them (and their attestations).
        #[arg(required = true, env = "WHEELWRIGHT_DIST", value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Strip ELF files in place: drop the symbol table and debug information, as the
    /// linker's --strip-all does (the builder strips a uniffi library once uniffi-bindgen
    /// has read its symbol table).
    Strip {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
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

/// Runs `f` on every input on all cores (one input per worker), returning results in
/// input order.
fn in_parallel<R: Send>(
    inputs: &[PathBuf],
    f: impl Fn(&Path) -> Result<R, Unusable> + Sync,
) -> Vec<Result<R, Unusable>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len());
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<R, Unusable>>>> =
        inputs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(w) = inputs.get(i) else { break };
                let r = f(w);
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

/// Prints the reports (text as they come, or one JSON array) and unusable inputs (one
/// line each on stderr); returns the exit code.
fn print_reports<R: Serialize>(
    out: &mut impl Write,
    inputs: &[PathBuf],
    results: Vec<Result<R, Unusable>>,
    json: bool,
    ok: impl Fn(&R) -> bool,
    text: impl Fn(&R) -> String,
) -> i32 {
    let mut code = 0;
    let mut reports = Vec::new();
    for (p, result) in inputs.iter().zip(results) {
        match result {
            Ok(r) => {
                if !ok(&r) {
                    code = code.max(1);
                }
                if !json {
                    let _ = out.write_all(text(&r).as_bytes());
                }
                reports.push(r);
            }
            Err(e) => {
                unusable(p, &e);
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

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Check {
            json,
            expect_policy,
            dist_name,
            build_paths,
            limits,
            wheels,
        } => {
            let opts = Options {
                limits: Limits {
                    build_paths: build_paths.paths,
                    ..limits.limits()
                },
                expect_policy,
                dist_name,
            };
            let results = in_parallel(&wheels, |w| check::check_file(w, &opts));
            print_reports(&mut out, &wheels, results, json, |r| r.ok, report::text)
        }
        Command::CheckLib {
            json,
            platform,
            build_paths,
            libs,
        } => {
            let platform = match Platform::parse(&platform) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("wheelwright: error: {}", report::one_line(&e.to_string()));
                    return 2;
                }
            };
            let results = in_parallel(&libs, |l| {
                check_lib::check_lib_file(l, &platform, &build_paths.paths)
            });
            print_reports(&mut out, &libs, results, json, |r| r.ok, report::lib_text)
        }
        Command::CheckSdist {
            json,
            limits,
            sdists,
        } => {
            let limits = limits.limits();
            let results = in_parallel(&sdists, |s| sdist::check_sdist_file(s, &limits));
            print_reports(&mut out, &sdists, results, json, |r| r.ok, sdist::text)
        }
        Command::Publish {
            repository_url,
            index_url,
            dry_run,
            file_size_limit,
            project_size_limit,
            limits,
            paths,
        } => {
            let opts = publish::Options {
                upload_url: repository_url,
                simple_url: index_url,
                dry_run,
                limits: limits.limits(),
                file_size_limit,
                project_size_limit,
            };
            publish::run(&paths, &opts, &mut out)
        }
        Command::Strip { files } => {
            let mut code = 0;
            for file in &files {
                if let Err(e) = strip::strip_file(file) {
                    eprintln!("wheelwright: error: {}", report::one_line(&e.to_string()));
                    code = 2;
                }
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
