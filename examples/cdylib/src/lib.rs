//! `libwwcalc`: a small C-ABI shared library used to test wheelwright's cross-built
//! cdylibs. Every pointer argument is checked, so bad input yields a [`WwStatus`]
//! error instead of undefined behaviour.

use std::ffi::{c_char, CStr};

/// Facts about the compilation target, decided by build.rs from `CARGO_CFG_TARGET_*`.
mod target_info {
    include!(concat!(env!("OUT_DIR"), "/target_info.rs"));
}

/// Result of every fallible `ww_*` function.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WwStatus {
    Ok = 0,
    NullPointer = 1,
    Overflow = 2,
    InvalidUtf8 = 3,
}

/// Version of the library, e.g. `"0.1.0"`. Static storage; never free it.
#[no_mangle]
pub extern "C" fn ww_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// Target the library was compiled for, as `<arch>-<os>-<env>` in Rust's names
/// (e.g. `"x86_64-linux-gnu"`, `"arm-linux-gnu"`). Static storage; never free it.
#[no_mangle]
pub extern "C" fn ww_target() -> *const c_char {
    target_info::TARGET_DESC.as_ptr()
}

/// Pointer width of the compilation target in bits (32 or 64).
#[no_mangle]
pub extern "C" fn ww_pointer_width() -> u32 {
    target_info::POINTER_WIDTH
}

/// Whether the compilation target is big-endian.
#[no_mangle]
pub extern "C" fn ww_is_big_endian() -> bool {
    target_info::BIG_ENDIAN
}

/// A static, human-readable description of a status code (any `int32_t` is accepted).
#[no_mangle]
pub extern "C" fn ww_status_message(status: i32) -> *const c_char {
    let message: &CStr = match status {
        0 => c"ok",
        1 => c"null pointer",
        2 => c"overflow",
        3 => c"invalid UTF-8",
        _ => c"unknown status",
    };
    message.as_ptr()
}

/// CRC-32 (IEEE, as zlib) of `len` bytes at `data`, written to `*out`.
///
/// `data` may be NULL only when `len` is 0.
///
/// # Safety
/// `data` must point to `len` readable bytes (or be NULL with `len == 0`), and `out`
/// must be NULL or point to writable storage for a `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn ww_crc32(data: *const u8, len: usize, out: *mut u32) -> WwStatus {
    if out.is_null() || (data.is_null() && len != 0) {
        return WwStatus::NullPointer;
    }
    let bytes = if len == 0 {
        &[][..]
    } else {
        // SAFETY: non-null and valid for `len` bytes per the contract above.
        unsafe { std::slice::from_raw_parts(data, len) }
    };
    // SAFETY: `out` is non-null and writable per the contract above.
    unsafe { out.write(crc32fast::hash(bytes)) };
    WwStatus::Ok
}

/// `a * b` written to `*out`, or the overflow status (leaving `*out` untouched)
/// when the product does not fit in an `int64_t`.
///
/// # Safety
/// `out` must be NULL or point to writable storage for an `int64_t`.
#[no_mangle]
pub unsafe extern "C" fn ww_checked_mul(a: i64, b: i64, out: *mut i64) -> WwStatus {
    if out.is_null() {
        return WwStatus::NullPointer;
    }
    match a.checked_mul(b) {
        Some(product) => {
            // SAFETY: `out` is non-null and writable per the contract above.
            unsafe { out.write(product) };
            WwStatus::Ok
        }
        None => WwStatus::Overflow,
    }
}

/// Number of words in a NUL-terminated UTF-8 string, written to `*out`. A word is a
/// maximal run of non-whitespace characters (Unicode whitespace, not only ASCII).
///
/// # Safety
/// `text` must be NULL or a valid NUL-terminated string; `out` must be NULL or point
/// to writable storage for a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn ww_count_words(text: *const c_char, out: *mut usize) -> WwStatus {
    if text.is_null() || out.is_null() {
        return WwStatus::NullPointer;
    }
    // SAFETY: non-null and NUL-terminated per the contract above.
    let text = unsafe { CStr::from_ptr(text) };
    match text.to_str() {
        Ok(text) => {
            // SAFETY: `out` is non-null and writable per the contract above.
            unsafe { out.write(text.split_whitespace().count()) };
            WwStatus::Ok
        }
        Err(_) => WwStatus::InvalidUtf8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    fn c_str(p: *const c_char) -> &'static str {
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn version_and_target_are_nul_terminated() {
        assert_eq!(c_str(ww_version()), env!("CARGO_PKG_VERSION"));
        // Tests run on the host, where build.rs saw the host as the target.
        let desc = c_str(ww_target());
        assert!(desc.starts_with(std::env::consts::ARCH), "{desc}");
        assert_eq!(ww_pointer_width(), usize::BITS);
        assert_eq!(ww_is_big_endian(), cfg!(target_endian = "big"));
    }

    #[test]
    fn status_messages() {
        assert_eq!(c_str(ww_status_message(WwStatus::Ok as i32)), "ok");
        assert_eq!(
            c_str(ww_status_message(WwStatus::Overflow as i32)),
            "overflow"
        );
        assert_eq!(c_str(ww_status_message(-7)), "unknown status");
    }

    #[test]
    fn crc32_checks_pointers() {
        let mut out = 0;
        let data = b"123456789";
        assert_eq!(
            unsafe { ww_crc32(data.as_ptr(), data.len(), &mut out) },
            WwStatus::Ok
        );
        assert_eq!(out, 0xCBF4_3926);
        assert_eq!(unsafe { ww_crc32(ptr::null(), 0, &mut out) }, WwStatus::Ok);
        assert_eq!(out, 0);
        assert_eq!(
            unsafe { ww_crc32(ptr::null(), 1, &mut out) },
            WwStatus::NullPointer
        );
        assert_eq!(
            unsafe { ww_crc32(data.as_ptr(), data.len(), ptr::null_mut()) },
            WwStatus::NullPointer
        );
    }

    #[test]
    fn checked_mul_detects_overflow() {
        let mut out = 0;
        assert_eq!(unsafe { ww_checked_mul(-4, 5, &mut out) }, WwStatus::Ok);
        assert_eq!(out, -20);
        assert_eq!(
            unsafe { ww_checked_mul(3_037_000_499, 3_037_000_499, &mut out) },
            WwStatus::Ok
        );
        assert_eq!(out, 9_223_372_030_926_249_001);
        assert_eq!(
            unsafe { ww_checked_mul(i64::MAX, 2, &mut out) },
            WwStatus::Overflow
        );
        assert_eq!(
            unsafe { ww_checked_mul(i64::MIN, -1, &mut out) },
            WwStatus::Overflow
        );
        assert_eq!(out, 9_223_372_030_926_249_001, "untouched on overflow");
        assert_eq!(
            unsafe { ww_checked_mul(1, 1, ptr::null_mut()) },
            WwStatus::NullPointer
        );
    }

    #[test]
    fn count_words_validates_utf8() {
        let mut out = 0;
        let text = c"  hello\tw\u{f6}rld\u{3000}foo\nbar ";
        assert_eq!(
            unsafe { ww_count_words(text.as_ptr(), &mut out) },
            WwStatus::Ok
        );
        assert_eq!(out, 4);
        assert_eq!(
            unsafe { ww_count_words(c"".as_ptr(), &mut out) },
            WwStatus::Ok
        );
        assert_eq!(out, 0);
        let invalid = c"ab\xff";
        assert_eq!(
            unsafe { ww_count_words(invalid.as_ptr(), &mut out) },
            WwStatus::InvalidUtf8
        );
        assert_eq!(
            unsafe { ww_count_words(ptr::null(), &mut out) },
            WwStatus::NullPointer
        );
    }
}
