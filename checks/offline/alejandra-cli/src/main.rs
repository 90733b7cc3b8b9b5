// alejandra [--check|-c] [--quiet|-q] [PATH|-]...   (no PATH: stdin to stdout)
// Directories are searched for *.nix files. Exit: 0 ok, 1 error, 2 --check found changes.
use alejandra::format::{in_fs, in_memory, Status};
use std::io::{Read, Write};
use std::path::Path;

fn collect(p: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name == ".git" || name == "result" {
                continue;
            }
            let path = e.path();
            if path.is_dir() || path.extension().is_some_and(|x| x == "nix") {
                collect(&path, out)?;
            }
        }
    } else {
        out.push(p.to_string_lossy().into_owned());
    }
    Ok(())
}

fn main() {
    let mut check = false;
    let mut quiet = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "-c" | "--check" => check = true,
            "-q" | "-qq" | "--quiet" => quiet = true,
            "-V" | "--version" => {
                println!("Alejandra 3.1.0 (library; wheelwright CLI)");
                return;
            }
            "-h" | "--help" => {
                println!("usage: alejandra [--check|-c] [--quiet|-q] [PATH|-]...");
                return;
            }
            _ if a.starts_with('-') && a != "-" => {
                eprintln!("alejandra: unknown option {a}");
                std::process::exit(1);
            }
            _ => paths.push(a),
        }
    }
    if paths.is_empty() || paths == ["-"] {
        let mut before = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut before) {
            eprintln!("alejandra: stdin: {e}");
            std::process::exit(1);
        }
        let (status, after) = in_memory("<stdin>".to_string(), before);
        match status {
            Status::Error(e) => {
                eprintln!("alejandra: <stdin>: {e}");
                std::process::exit(1);
            }
            Status::Changed(changed) => {
                if check {
                    std::process::exit(if changed { 2 } else { 0 });
                }
                std::io::stdout().write_all(after.as_bytes()).unwrap();
            }
        }
        return;
    }
    let mut files = Vec::new();
    for p in &paths {
        if let Err(e) = collect(Path::new(p), &mut files) {
            eprintln!("alejandra: {p}: {e}");
            std::process::exit(1);
        }
    }
    let (mut errors, mut changed) = (0, 0);
    for f in files {
        match in_fs(f.clone(), !check) {
            Status::Error(e) => {
                eprintln!("alejandra: {f}: {e}");
                errors += 1;
            }
            Status::Changed(true) => {
                changed += 1;
                if !quiet {
                    println!(
                        "{} {f}",
                        if check {
                            "Requires formatting:"
                        } else {
                            "Formatted:"
                        }
                    );
                }
            }
            Status::Changed(false) => {}
        }
    }
    if errors > 0 {
        std::process::exit(1);
    }
    if check && changed > 0 {
        std::process::exit(2);
    }
}

#[cfg(test)]
mod tests {
    use super::collect;
    use std::fs;

    #[test]
    fn directories_give_their_nix_files_in_order_without_git_or_result() {
        let root = std::env::temp_dir().join(format!("alejandra-cli-test-{}", std::process::id()));
        for dir in ["lib", ".git", "result", "src"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "lib/b.nix",
            "lib/a.nix",
            ".git/c.nix",
            "result/d.nix",
            "src/main.rs",
            "flake.nix",
        ] {
            fs::write(root.join(file), "{}\n").unwrap();
        }
        let mut found = Vec::new();
        collect(&root, &mut found).unwrap();
        fs::remove_dir_all(&root).unwrap();
        let relative: Vec<_> = found
            .iter()
            .map(|f| {
                f.strip_prefix(&*root.to_string_lossy())
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(relative, ["/flake.nix", "/lib/a.nix", "/lib/b.nix"]);
    }

    #[test]
    fn a_file_is_taken_as_given() {
        let mut found = Vec::new();
        collect(std::path::Path::new("no/such/file.txt"), &mut found).unwrap();
        assert_eq!(found, ["no/such/file.txt"]);
    }
}
