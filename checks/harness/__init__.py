"""What the offline suite (checks/offline), the real-world corpus
(checks/realworld) and the benchmarks (bench/) share: nothing here runs a
check or a tool at import.

  ci_env       setup.sh's environment ($WW_CI_ROOT/env.sh), typed
  targets      lib/data/targets.json's table (also a program, for setup)
  process      run a command, evaluate Nix, report checks
  sandbox      a Nix build's conditions around nix/builder/builder.sh
  crate_build  `checks/offline/run --crate`: any crate or sdist, built there
  pinned_tools lib/data/tools.json's files, fetched and checked
  cffi_backend the _cffi_backend a cffi module imports, for the suite's CPythons
  real_nix     Debian trixie's Nix in a chroot, evaluating with the real inputs
  nix_build    building with it, with stand-ins for what needs the network
"""
