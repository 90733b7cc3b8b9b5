# The CPython versions of per-interpreter wheels. Pure data, read by
# lib/resolvePythonVersions.nix.
{
  # What `pythonVersions` accepts: every CPython maturin 1.16 knows the
  # sysconfig of for each target (so a cross build needs no interpreter),
  # from 3.9, the oldest PyO3 0.30 builds for, to 3.14 and its free-threaded
  # build.
  supported = ["3.9" "3.10" "3.11" "3.12" "3.13" "3.14" "3.14t"];
  # Interpreters that are refused, each with the reason and what to use
  # instead.
  refused = {
    "3.13t" = {
      reason = "CPython 3.13's free-threaded build was experimental; PyO3 0.29 and cibuildwheel 4 dropped it, and maturin 1.14 and later refuse it";
      instead = "3.14t";
    };
  };
  # What an abi3t crate's one wheel (PEP 803, `cp315-abi3.abi3t`) is built
  # against: the free-threaded stable ABI starts with CPython 3.15, and maturin
  # needs that interpreter named (its sysconfig is built in; none need run).
  abi3t = "3.15t";
  # The default matrix of a crate built without pyo3's abi3 feature: every
  # CPython not past its end of life (3.10's was October 2026).
  default = ["3.11" "3.12" "3.13" "3.14"];
  # The newest CPython each pyo3-ffi release builds for: the `max` of
  # SUPPORTED_VERSIONS_CPYTHON in its build.rs (read from the crates).
  # Releases not listed are not capped.
  pyo3Max = {
    "0.20" = "3.12";
    "0.21" = "3.12";
    "0.22" = "3.13";
    "0.23" = "3.13";
    "0.24" = "3.13";
    "0.25" = "3.14";
    "0.26" = "3.14";
    "0.27" = "3.14";
    "0.28" = "3.14";
    "0.29" = "3.15";
    "0.30" = "3.15";
  };
}
