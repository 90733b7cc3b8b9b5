# The CPython versions of per-interpreter wheels. Pure data, read by
# lib/resolvePythonVersions.nix.
{
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
