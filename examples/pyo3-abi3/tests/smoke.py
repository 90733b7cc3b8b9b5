"""Smoke test for an installed ww_example wheel.

Usage: python smoke.py <expected-rust-arch>   (x86_64, aarch64, arm, x86, powerpc64, s390x)

Asserts exact results, which must be identical on every architecture (32-bit and
big-endian included), and that the module was compiled for <expected-rust-arch>.
Prints one "ok <arch> ..." line, or exits non-zero with an assertion message.
Standard library only; Python 3.8+.
"""

import sys
import zlib


def expect(name, got, want):
    # An explicit raise rather than `assert`, which `python -O` would strip.
    if got != want:
        raise AssertionError("%s: expected %r, got %r" % (name, want, got))


def expect_value_error(name, func, arg, message):
    try:
        result = func(arg)
    except ValueError as exc:
        expect(name + " message", str(exc), message)
    else:
        raise AssertionError("%s: expected ValueError, got %r" % (name, result))


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: %s <expected-rust-arch>" % argv[0])
    arch = argv[1]

    import ww_example as m

    # The compiled-in arch proves the wheel is the one built for this machine.
    expect("target_info()", m.target_info(), arch)
    expect("__version__", m.__version__, "0.1.0")

    expect("crc32(b'')", m.crc32(b""), 0)
    expect("crc32(b'123456789')", m.crc32(b"123456789"), 0xCBF43926)
    expect("crc32(b'wheelwright')", m.crc32(b"wheelwright"), 0xD88841CD)
    blob = bytes(range(256)) * 1000
    expect("crc32(blob)", m.crc32(blob), zlib.crc32(blob))
    expect("crc32(blob) exact", m.crc32(blob), 0xFC70AF1A)

    text = "The cat and the hat. THE END, and fin!"
    expect(
        "top_words(text, 3)",
        m.top_words(text, 3),
        [("the", 3), ("and", 2), ("cat", 1)],
    )
    expect("top_words('', 5)", m.top_words("", 5), [])
    expect(
        "top_words(unicode, 1)",
        m.top_words("\u00dcn\u00efcode \u00fcn\u00cfCODE", 1),
        [("\u00fcn\u00efcode", 2)],
    )

    expect("parse_duration('1h30m')", m.parse_duration("1h30m"), 5400)
    expect("parse_duration('1d2h3m4s')", m.parse_duration("1d2h3m4s"), 93784)
    # Larger than 2**32: must not wrap on 32-bit targets.
    expect("parse_duration('100000d')", m.parse_duration("100000d"), 8640000000)
    expect_value_error(
        "parse_duration('1h30x')",
        m.parse_duration,
        "1h30x",
        "invalid duration \"1h30x\": unknown unit 'x' (expected d, h, m or s)",
    )
    expect_value_error(
        "parse_duration('30m1h')",
        m.parse_duration,
        "30m1h",
        "invalid duration \"30m1h\": unit 'h' repeated or out of order (expected d, h, m, s)",
    )
    expect_value_error(
        "parse_duration('')", m.parse_duration, "", 'invalid duration "": empty duration'
    )

    expect(
        "primes_below(30)",
        m.primes_below(30),
        [2, 3, 5, 7, 11, 13, 17, 19, 23, 29],
    )
    # Above 65536, i * i overflows a 32-bit usize: exercises the checked multiply.
    primes = m.primes_below(1000000)
    expect("len(primes_below(1000000))", len(primes), 78498)
    expect("primes_below(1000000)[-1]", primes[-1], 999983)
    expect_value_error(
        "primes_below(10000001)",
        m.primes_below,
        10000001,
        "n must be at most 10000000, got 10000001",
    )

    print("ok %s crc32=%08x primes=%d" % (arch, m.crc32(b"wheelwright"), len(primes)))


if __name__ == "__main__":
    main(sys.argv)
