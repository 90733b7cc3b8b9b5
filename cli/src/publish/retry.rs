//! When a request to the index is tried again, and after how long.
//!
//! Retried: an answer of 429 Too Many Requests (warehouse/forklift/legacy.py answers it
//! when its rate limiter stops a new project) or any 5xx (twine/repository.py `upload`
//! retries those too, at once), and a connection that failed or dropped before an answer
//! came. Never retried: any other 4xx, which is the index refusing the request itself. A `Retry-After` header (seconds or an HTTP date,
//! RFC 9110 section 10.2.3) is the wait when present; else the wait doubles from one
//! second. At most [`ATTEMPTS`] attempts, and no wait longer than [`MAX_WAIT`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Attempts per request, the first included.
pub const ATTEMPTS: u32 = 5;
/// The wait before the second attempt when the index names none; it doubles after.
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// A `Retry-After` longer than this ends the run instead of waiting.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

/// How an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The index answered with this status, and this `Retry-After` value if any.
    Answered {
        status: u16,
        retry_after: Option<String>,
    },
    /// The connection failed or dropped before an answer: the request may or may not
    /// have reached the index.
    Dropped,
    /// Anything else (an unreadable file, a bad URL, a TLS certificate): not retried.
    Fatal,
}

/// What to do after a failed attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Wait this long, then try again.
    Retry(Duration),
    /// The failure is not one to retry.
    Stop,
    /// All attempts are used.
    Exhausted,
    /// The index asks for a wait longer than [`MAX_WAIT`].
    TooLong(Duration),
}

/// What follows failed attempt number `attempt` (1 for the first) at time `now`.
pub fn next(failure: &Failure, attempt: u32, now: SystemTime) -> Next {
    let retry_after = match failure {
        Failure::Answered { status, .. } if !(*status == 429 || (500..600).contains(status)) => {
            return Next::Stop;
        }
        Failure::Answered { retry_after, .. } => retry_after.as_deref(),
        Failure::Dropped => None,
        Failure::Fatal => return Next::Stop,
    };
    if attempt >= ATTEMPTS {
        return Next::Exhausted;
    }
    match retry_after.and_then(|v| parse_retry_after(v, now)) {
        Some(wait) if wait > MAX_WAIT => Next::TooLong(wait),
        Some(wait) => Next::Retry(wait),
        None => Next::Retry(FIRST_WAIT * 2u32.pow(attempt.saturating_sub(1).min(16))),
    }
}

/// A `Retry-After` value as a wait from `now`: delay-seconds, or an IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`); a date in the past is no wait. `None` for
/// anything else (the obsolete date formats included): the doubling wait applies.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = imf_fixdate(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an IMF-fixdate (RFC 9110 section 5.6.7).
fn imf_fixdate(value: &str) -> Option<u64> {
    let (_, rest) = value.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    // Days from the civil date (Howard Hinnant's `days_from_civil`).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + m * 60 + s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16, retry_after: Option<&str>) -> Failure {
        Failure::Answered {
            status,
            retry_after: retry_after.map(str::to_string),
        }
    }

    #[test]
    fn what_is_retried() {
        let now = UNIX_EPOCH;
        for status in [429, 500, 502, 503, 504] {
            assert_eq!(
                next(&answered(status, None), 1, now),
                Next::Retry(Duration::from_secs(1)),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 405, 409, 413] {
            assert_eq!(
                next(&answered(status, None), 1, now),
                Next::Stop,
                "{status}"
            );
        }
        assert_eq!(next(&Failure::Fatal, 1, now), Next::Stop);
        assert_eq!(
            next(&Failure::Dropped, 1, now),
            Next::Retry(Duration::from_secs(1))
        );
    }

    #[test]
    fn waits_double_and_attempts_end() {
        let waits: Vec<Next> = (1..=ATTEMPTS)
            .map(|attempt| next(&Failure::Dropped, attempt, UNIX_EPOCH))
            .collect();
        assert_eq!(
            waits,
            [
                Next::Retry(Duration::from_secs(1)),
                Next::Retry(Duration::from_secs(2)),
                Next::Retry(Duration::from_secs(4)),
                Next::Retry(Duration::from_secs(8)),
                Next::Exhausted,
            ]
        );
    }

    #[test]
    fn retry_after_is_honoured() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let wait = |v: &str| next(&answered(429, Some(v)), 1, now);
        assert_eq!(wait("0"), Next::Retry(Duration::ZERO));
        assert_eq!(wait(" 7 "), Next::Retry(Duration::from_secs(7)));
        assert_eq!(
            wait("Sun, 06 Nov 1994 08:50:07 GMT"),
            Next::Retry(Duration::from_secs(30))
        );
        assert_eq!(
            wait("Sun, 06 Nov 1994 08:00:00 GMT"),
            Next::Retry(Duration::ZERO)
        );
        assert_eq!(wait("3600"), Next::TooLong(Duration::from_secs(3600)));
        // An obsolete or broken value: the doubling wait.
        assert_eq!(
            wait("Sunday, 06-Nov-94 08:49:37 GMT"),
            Next::Retry(Duration::from_secs(1))
        );
        assert_eq!(wait("soon"), Next::Retry(Duration::from_secs(1)));
    }

    #[test]
    fn imf_dates() {
        assert_eq!(imf_fixdate("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            imf_fixdate("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
        assert_eq!(imf_fixdate("Sun, 06 Nov 1994 08:49:37 UTC"), None);
    }
}
