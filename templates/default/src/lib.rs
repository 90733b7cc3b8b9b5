use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Splits `text` into words and returns the `n` most frequent, most frequent first.
#[pyfunction]
fn top_words(text: &str, n: usize) -> Vec<(String, usize)> {
    let mut counts = std::collections::HashMap::<String, usize>::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    let mut ranked: Vec<_> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(n);
    ranked
}

/// The mean of `values`; an empty list is an error rather than NaN.
#[pyfunction]
fn mean(values: Vec<f64>) -> PyResult<f64> {
    if values.is_empty() {
        return Err(PyValueError::new_err("mean() of an empty list"));
    }
    Ok(values.iter().sum::<f64>() / values.len() as f64)
}

#[pymodule]
fn my_extension(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(top_words, m)?)?;
    m.add_function(wrap_pyfunction!(mean, m)?)?;
    Ok(())
}
