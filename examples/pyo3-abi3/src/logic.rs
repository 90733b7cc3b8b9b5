//! Pure Rust logic, free of PyO3 types so it is unit-tested with plain `cargo test`
//! and gives the same results on every target (32-bit and big-endian included).

use std::collections::HashMap;
use std::fmt;

/// CRC-32 (IEEE 802.3, as zlib/PNG/gzip), via the `crc32fast` crates.io dependency.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// The `n` most frequent words of `text`, most frequent first and ties broken
/// alphabetically, so the order never depends on hash seeds or the platform.
/// A word is a maximal run of alphanumeric characters, lowercased.
pub fn top_words(text: &str, n: usize) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }
    let mut words: Vec<(String, u64)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.truncate(n);
    words
}

#[derive(Debug, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    MissingNumber { unit: char },
    MissingUnit { number: String },
    UnknownUnit { unit: char },
    OutOfOrder { unit: char },
    Overflow,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "empty duration"),
            Self::MissingNumber { unit } => write!(f, "missing number before unit '{unit}'"),
            Self::MissingUnit { number } => {
                write!(f, "missing unit after '{number}' (expected d, h, m or s)")
            }
            Self::UnknownUnit { unit } => {
                write!(f, "unknown unit '{unit}' (expected d, h, m or s)")
            }
            Self::OutOfOrder { unit } => {
                write!(
                    f,
                    "unit '{unit}' repeated or out of order (expected d, h, m, s)"
                )
            }
            Self::Overflow => write!(f, "duration too large"),
        }
    }
}

/// Parses durations like `"1h30m"`, `"2d"` or `"90s"` into whole seconds.
/// Units are d, h, m, s, each at most once and largest first, so typos such as
/// `"30m1h"` are rejected rather than silently summed.
pub fn parse_duration(input: &str) -> Result<u64, DurationError> {
    const UNITS: [(char, u64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
    if input.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut total: u64 = 0;
    // Index into UNITS of the next unit still allowed.
    let mut next_unit = 0;
    let mut number = String::new();
    for c in input.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let Some(pos) = UNITS.iter().position(|&(u, _)| u == c) else {
            return Err(DurationError::UnknownUnit { unit: c });
        };
        if number.is_empty() {
            return Err(DurationError::MissingNumber { unit: c });
        }
        if pos < next_unit {
            return Err(DurationError::OutOfOrder { unit: c });
        }
        let value: u64 = number.parse().map_err(|_| DurationError::Overflow)?;
        total = value
            .checked_mul(UNITS[pos].1)
            .and_then(|secs| total.checked_add(secs))
            .ok_or(DurationError::Overflow)?;
        next_unit = pos + 1;
        number.clear();
    }
    if !number.is_empty() {
        return Err(DurationError::MissingUnit { number });
    }
    Ok(total)
}

/// Largest accepted `primes_below` bound: keeps the sieve's memory small on 32-bit targets.
pub const PRIMES_LIMIT: u32 = 10_000_000;

/// All primes `< n` (sieve of Eratosthenes); `None` if `n` exceeds [`PRIMES_LIMIT`].
pub fn primes_below(n: u32) -> Option<Vec<u32>> {
    if n > PRIMES_LIMIT {
        return None;
    }
    let n = n as usize;
    let mut composite = vec![false; n];
    let mut primes = Vec::new();
    for i in 2..n {
        if composite[i] {
            continue;
        }
        primes.push(i as u32);
        // `i * i` overflows usize on 32-bit targets for large `i`; then there is nothing to mark.
        if let Some(start) = i.checked_mul(i) {
            for multiple in (start..n).step_by(i) {
                composite[multiple] = true;
            }
        }
    }
    Some(primes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"wheelwright"), 0xD888_41CD);
    }

    #[test]
    fn top_words_orders_by_count_then_alphabetically() {
        let text = "The cat and the hat. THE END, and fin!";
        assert_eq!(
            top_words(text, 3),
            vec![
                ("the".to_string(), 3),
                ("and".to_string(), 2),
                ("cat".to_string(), 1)
            ]
        );
        assert_eq!(top_words("", 5), vec![]);
        assert_eq!(
            top_words("Ünïcode ünÏCODE", 1),
            vec![("ünïcode".to_string(), 2)]
        );
    }

    #[test]
    fn parse_duration_accepts_unit_combinations() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("1d2h3m4s"), Ok(93_784));
        assert_eq!(parse_duration("0s"), Ok(0));
        assert_eq!(parse_duration("90s"), Ok(90));
    }

    #[test]
    fn parse_duration_rejects_bad_input() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert_eq!(
            parse_duration("1x").unwrap_err().to_string(),
            "unknown unit 'x' (expected d, h, m or s)"
        );
        assert_eq!(
            parse_duration("h"),
            Err(DurationError::MissingNumber { unit: 'h' })
        );
        assert_eq!(
            parse_duration("1h30"),
            Err(DurationError::MissingUnit {
                number: "30".to_string()
            })
        );
        assert_eq!(
            parse_duration("30m1h"),
            Err(DurationError::OutOfOrder { unit: 'h' })
        );
        assert_eq!(
            parse_duration("1m1m"),
            Err(DurationError::OutOfOrder { unit: 'm' })
        );
        assert_eq!(
            parse_duration("99999999999999999999s"),
            Err(DurationError::Overflow)
        );
        assert_eq!(
            parse_duration("9999999999999999d"),
            Err(DurationError::Overflow)
        );
    }

    #[test]
    fn primes_below_sieves() {
        assert_eq!(primes_below(0), Some(vec![]));
        assert_eq!(primes_below(2), Some(vec![]));
        assert_eq!(primes_below(3), Some(vec![2]));
        assert_eq!(
            primes_below(30),
            Some(vec![2, 3, 5, 7, 11, 13, 17, 19, 23, 29])
        );
        assert_eq!(primes_below(100_000).map(|p| p.len()), Some(9_592));
        assert_eq!(primes_below(PRIMES_LIMIT + 1), None);
    }
}
