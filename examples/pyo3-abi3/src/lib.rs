//! `ww_example`: a small PyO3 abi3 extension module used to test wheelwright's
//! cross-built wheels. The logic lives in [`logic`]; this file only adapts it to Python.

mod logic;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// CRC-32 (IEEE, same as `zlib.crc32`) of `data`.
#[pyfunction]
fn crc32(data: &[u8]) -> u32 {
    logic::crc32(data)
}

/// The `n` most frequent lowercased words of `text` as `(word, count)` pairs,
/// most frequent first, ties in alphabetical order.
#[pyfunction]
fn top_words(text: &str, n: usize) -> Vec<(String, u64)> {
    logic::top_words(text, n)
}

/// Seconds in a duration such as `"1h30m"` (units d, h, m, s, largest first).
#[pyfunction]
fn parse_duration(text: &str) -> PyResult<u64> {
    logic::parse_duration(text)
        .map_err(|e| PyValueError::new_err(format!("invalid duration {text:?}: {e}")))
}

/// All primes below `n`, for `n` up to 10,000,000.
#[pyfunction]
fn primes_below(n: u32) -> PyResult<Vec<u32>> {
    logic::primes_below(n).ok_or_else(|| {
        PyValueError::new_err(format!(
            "n must be at most {}, got {n}",
            logic::PRIMES_LIMIT
        ))
    })
}

/// The Rust architecture this module was compiled for (`std::env::consts::ARCH`),
/// so a test can check that a wheel really is for the machine it runs on.
#[pyfunction]
fn target_info() -> &'static str {
    std::env::consts::ARCH
}

#[pymodule]
fn ww_example(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(crc32, m)?)?;
    m.add_function(wrap_pyfunction!(top_words, m)?)?;
    m.add_function(wrap_pyfunction!(parse_duration, m)?)?;
    m.add_function(wrap_pyfunction!(primes_below, m)?)?;
    m.add_function(wrap_pyfunction!(target_info, m)?)?;
    Ok(())
}
