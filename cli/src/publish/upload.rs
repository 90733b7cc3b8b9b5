//! Sending the files: each upload retried as [`retry`] says, and never sent again once
//! the index holds it.

use std::io::Write;
use std::time::SystemTime;

use super::dist::{form_fields, Dist};
use super::index::{Credentials, Failed, Index};
use super::retry::{self, Failure, Next};

/// How an upload ended well.
pub enum Landed {
    Uploaded,
    /// A retry found the file on the index: an earlier attempt landed, its answer lost.
    Found,
}

/// `attempt` (given the attempt's number, from 1) until it succeeds, fails in a way not
/// to retry, or the attempts are used up; each retry is announced on `out` as `retry
/// <what>: ...`.
pub fn with_retries<T>(
    out: &mut impl Write,
    what: &str,
    mut attempt: impl FnMut(u32) -> Result<T, Failed>,
) -> Result<T, Failed> {
    let mut n = 1;
    loop {
        let e = match attempt(n) {
            Ok(t) => return Ok(t),
            Err(e) => e,
        };
        let message = match retry::next(&e.failure, n, SystemTime::now()) {
            Next::Retry(wait) => {
                let _ = writeln!(
                    out,
                    "retry {what}: {}; again in {} s (attempt {} of {})",
                    e.message,
                    wait.as_secs(),
                    n + 1,
                    retry::ATTEMPTS
                );
                std::thread::sleep(wait);
                n += 1;
                continue;
            }
            Next::Stop => e.message,
            Next::Exhausted => format!("{} ({} attempts)", e.message, retry::ATTEMPTS),
            Next::TooLong(wait) => format!(
                "{}, and asks for {} s before a retry, longer than publish waits ({} s)",
                e.message,
                wait.as_secs(),
                retry::MAX_WAIT.as_secs()
            ),
        };
        return Err(Failed {
            failure: e.failure,
            message,
        });
    }
}

/// Uploads one file, retrying what [`retry`] says; before each retry the index is read
/// again, since the failed attempt may have landed: a file is never sent again once
/// the index holds it.
pub fn upload(
    index: &mut Index,
    project: &str,
    d: &Dist,
    credentials: &Credentials,
    out: &mut impl Write,
) -> Result<Landed, Failed> {
    let fields = form_fields(d);
    with_retries(out, &d.file_name, |attempt| {
        if attempt > 1 {
            match index.files(project)?.get(&d.file_name) {
                None => {}
                Some(held) => match &held.sha256 {
                    Some(sha) if !sha.eq_ignore_ascii_case(&d.sha256) => {
                        return Err(Failed {
                            failure: Failure::Fatal,
                            message: format!(
                            "the index now holds {} with other content (sha256 {sha}, this one {})",
                            d.file_name, d.sha256
                        ),
                        })
                    }
                    _ => return Ok(Landed::Found),
                },
            }
        }
        index
            .upload(&d.path, &d.file_name, &fields, credentials)
            .map(|()| Landed::Uploaded)
    })
}
