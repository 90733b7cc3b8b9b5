//! A C-ABI library: every exported function is `extern "C"` and `#[no_mangle]`.

/// Adds the `len` numbers at `values`; returns 0 when `values` is null.
///
/// # Safety
/// `values` must point to `len` readable `int64_t`s (or be null).
#[no_mangle]
pub unsafe extern "C" fn mylib_sum(values: *const i64, len: usize) -> i64 {
    if values.is_null() {
        return 0;
    }
    // SAFETY: the caller promises `len` readable values.
    let values = unsafe { std::slice::from_raw_parts(values, len) };
    values.iter().fold(0i64, |acc, v| acc.wrapping_add(*v))
}
