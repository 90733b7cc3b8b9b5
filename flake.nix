{
  description = "wheelwright: portable Python wheels (manylinux, musllinux) and C libraries from Rust crates, built hermetically with crane, maturin, zig and auditwheel";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    crane.url = "github:ipetkov/crane/v0.23.4";
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    flake-utils.url = "github:numtide/flake-utils";
    nix-filter.url = "github:numtide/nix-filter";
  };

  outputs = {
    nixpkgs,
    crane,
    rust-overlay,
    flake-utils,
    nix-filter,
    ...
  }: let
    pure = import ./lib;
    # The nix-filter flake's top level is only a functor; its matchers
    # (matchName, inDirectory, ...) live under `lib`, beside the same functor.
    filter = nix-filter.lib;
    # auditwheel and the wheels' platform tags are Linux-only.
    buildSystems = ["x86_64-linux" "aarch64-linux"];

    craneLibFor = pkgs:
      (crane.mkLib pkgs).overrideToolchain (p:
        (rust-overlay.lib.mkRustBin {} p).stable.latest.minimal.override {extensions = ["clippy" "rustfmt"];});
    mkCli = import ./nix/cli.nix {
      inherit craneLibFor;
      nix-filter = filter;
    };
    mkLib = import ./nix/mkLib.nix {
      inherit crane rust-overlay pure mkCli;
      nix-filter = filter;
    };
  in
    {
      lib =
        pure
        // {
          inherit mkLib;
          # packages = forEachBuildSystem (pkgs: ...), with this flake's nixpkgs.
          forEachBuildSystem = f: nixpkgs.lib.genAttrs buildSystems (system: f nixpkgs.legacyPackages.${system});
        };

      templates = {
        default = {
          path = ./templates/default;
          description = "A PyO3 abi3 extension module built into manylinux wheels for every target";
          welcomeText = ''
            # A PyO3 project built by wheelwright
            - `nix build .#wheel-x86_64` (or `wheel-aarch64`, `wheel-armv7`, `wheel-i686`, `wheel-ppc64le`, `wheel-s390x`, `wheel-riscv64`): the wheel is in `result/`.
            - `nix build .#dist`: every wheel and the sdist in `result/`; `nix run .#publish` uploads them to PyPI (token in `WHEELWRIGHT_PUBLISH_TOKEN`).
            - `nix flake check` builds every wheel; `tests/` runs against an installed wheel (`[tool.wheelwright]` in `pyproject.toml` tells the GitHub workflow how).
            - `nix flake init -t github:wheelwright/wheelwright#github` adds a GitHub Actions workflow that builds, tests and publishes releases.
            - Rename the crate in `Cargo.toml`, `pyproject.toml`, `src/lib.rs` and `tests/`, then run `nix develop -c cargo generate-lockfile` (the lock must name the new crate) and `git add` everything: Nix sees only tracked files.
          '';
        };
        github = {
          path = ./templates/github;
          description = "A GitHub Actions workflow: every output built in its own job, native wheels imported, releases published to PyPI";
          welcomeText = ''
            # wheelwright's GitHub Actions workflow
            - `.github/workflows/wheelwright.yml` builds every `wheel-*`, `cdylib-*` and the `sdist` of this flake in a job each, runs `nix flake check` on what they built, and installs each x86_64 and aarch64 wheel with every Python it fits (musllinux in Alpine), with its dependencies, then runs the tests `[tool.wheelwright]` in `pyproject.toml` names. `.github/wheelwright/ci.py` makes those choices; `.github/dependabot.yml` keeps the actions' pinned commits current.
            - Pull requests get `publish --dry-run`. On a `v*` tag naming the project's version it publishes to PyPI with trusted publishing: add the repository and workflow as a trusted publisher on PyPI (environment `pypi`), then set the repository variable `PUBLISH_TO_PYPI` to `true`. `PUBLISH_TO_GITHUB` set to `true` attaches the `cdylib-*` libraries to a GitHub Release.
            - Commit `.github/` and push: the workflow runs on pushes to `main`, pull requests and tags.
          '';
        };
        bin = {
          path = ./templates/bin;
          description = "A command-line program in Rust, shipped on PyPI (as ruff and uv are) in a wheel for every target";
          welcomeText = ''
            # A Rust program on PyPI, built by wheelwright
            - `nix build .#wheel-aarch64` (or any other `wheel-*`): a py3-none wheel in `result/`; `pip install` puts `my-tool` on PATH, with any Python 3.
            - `nix build .#dist`: every wheel and the sdist in `result/`; `nix run .#publish` uploads them to PyPI (token in `WHEELWRIGHT_PUBLISH_TOKEN`).
            - Rename the program in `Cargo.toml` and `pyproject.toml`, then run `nix develop -c cargo generate-lockfile` (the lock must name the new crate) and `git add` everything: Nix sees only tracked files.
          '';
        };
        cdylib = {
          path = ./templates/cdylib;
          description = "A C-ABI shared library with a cbindgen header, built for every target";
          welcomeText = ''
            # A C library built by wheelwright
            - `nix build .#cdylib-aarch64`: `result/lib/lib<name>.so` and `result/include/<name>.h`.
            - Rename the crate in `Cargo.toml`, then run `nix develop -c cargo generate-lockfile` (the lock must name the new crate) and `git add` everything: Nix sees only tracked files.
          '';
        };
      };
    }
    # Per-system outputs are built attribute by attribute, so that `lib` and
    # `templates` evaluate without fetching nixpkgs.
    // (let
      perSystem = system: let
        pkgs = nixpkgs.legacyPackages.${system};
        wheelwright = pure // mkLib pkgs;
        craneLib = craneLibFor pkgs;
      in {
        packages =
          {
            default = wheelwright.cli;
            inherit (wheelwright) cli;
          }
          // wheelwright.targetPackages {src = ./examples/pyo3-abi3;}
          // wheelwright.targetPackages {
            src = ./examples/cdylib;
            wheel = false;
            cdylib = true;
          };

        checks = import ./checks {
          inherit pkgs wheelwright;
          crateChecks = import ./nix/crateChecks.nix {
            inherit craneLib;
            inherit (wheelwright) filterSource;
          };
        };

        devShells.default = craneLib.devShell {
          packages = [
            wheelwright.tools.maturin
            wheelwright.tools.zig
            wheelwright.tools.cargo-zigbuild
            wheelwright.tools.auditwheel
            wheelwright.tools.cbindgen
            wheelwright.cli
          ];
        };

        formatter = pkgs.alejandra;
      };
      outputsOf = name: flake-utils.lib.eachSystemMap buildSystems (system: (perSystem system).${name});
    in {
      packages = outputsOf "packages";
      checks = outputsOf "checks";
      devShells = outputsOf "devShells";
      formatter = outputsOf "formatter";
    });
}
