/*
 * Smoke test for a cross-built libwwcalc.
 *
 * Usage: smoke <expected-target>   e.g. x86_64-linux-gnu, arm-linux-gnu, x86-linux-gnu,
 *                                  powerpc64-linux-gnu, s390x-linux-gnu
 *
 * Checks exact results, which must be identical on every architecture, and that the
 * library's build.rs saw the same target as the C compiler (pointer width, endianness).
 * Prints "ok <target>" and returns 0, or prints each mismatch and returns 1.
 * Portable C99: built with `zig cc -target <arch>-linux-gnu.2.17` and run under qemu-user.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "wwcalc.h"

static int failures = 0;

static void check_str(const char *what, const char *got, const char *want) {
    if (got == NULL || strcmp(got, want) != 0) {
        printf("FAIL %s: expected \"%s\", got \"%s\"\n", what, want, got ? got : "(null)");
        failures++;
    }
}

static void check_u64(const char *what, uint64_t got, uint64_t want) {
    if (got != want) {
        printf("FAIL %s: expected %" PRIu64 ", got %" PRIu64 "\n", what, want, got);
        failures++;
    }
}

static void check_i64(const char *what, int64_t got, int64_t want) {
    if (got != want) {
        printf("FAIL %s: expected %" PRId64 ", got %" PRId64 "\n", what, want, got);
        failures++;
    }
}

static void check_status(const char *what, WwStatus got, WwStatus want) {
    if (got != want) {
        printf("FAIL %s: expected status %s, got %s\n", what, ww_status_message((int32_t)want),
               ww_status_message((int32_t)got));
        failures++;
    }
}

/* bytes 0..255 repeated 1000 times, as in the PyO3 example's smoke test */
static uint8_t blob[256 * 1000];

int main(int argc, char **argv) {
    union {
        uint16_t word;
        unsigned char bytes[2];
    } probe = {1};
    int c_big_endian = probe.bytes[0] == 0;
    uint32_t crc = 1;
    int64_t product = 0;
    size_t words = 99;
    size_t i;

    if (argc != 2) {
        fprintf(stderr, "usage: %s <expected-target>\n", argv[0]);
        return 2;
    }

    check_str("ww_target()", ww_target(), argv[1]);
    check_str("ww_version()", ww_version(), "0.1.0");
    check_u64("ww_pointer_width()", ww_pointer_width(), sizeof(void *) * CHAR_BIT);
    check_u64("ww_is_big_endian()", ww_is_big_endian(), (uint64_t)c_big_endian);

    check_str("ww_status_message(OVERFLOW)", ww_status_message(WW_STATUS_OVERFLOW),
              "overflow");
    check_str("ww_status_message(99)", ww_status_message(99), "unknown status");

    check_status("ww_crc32(123456789)", ww_crc32((const uint8_t *)"123456789", 9, &crc),
                 WW_STATUS_OK);
    check_u64("crc32(123456789)", crc, 0xCBF43926u);
    for (i = 0; i < sizeof blob; i++) {
        blob[i] = (uint8_t)(i & 0xff);
    }
    check_status("ww_crc32(blob)", ww_crc32(blob, sizeof blob, &crc), WW_STATUS_OK);
    check_u64("crc32(blob)", crc, 0xFC70AF1Au);
    check_status("ww_crc32(NULL, 0)", ww_crc32(NULL, 0, &crc), WW_STATUS_OK);
    check_u64("crc32(empty)", crc, 0);
    check_status("ww_crc32(NULL, 1)", ww_crc32(NULL, 1, &crc), WW_STATUS_NULL_POINTER);
    check_status("ww_crc32(out=NULL)", ww_crc32(blob, 1, NULL), WW_STATUS_NULL_POINTER);

    check_status("ww_checked_mul(-4, 5)", ww_checked_mul(-4, 5, &product), WW_STATUS_OK);
    check_i64("-4 * 5", product, -20);
    check_status("ww_checked_mul(3037000499^2)",
                 ww_checked_mul(INT64_C(3037000499), INT64_C(3037000499), &product),
                 WW_STATUS_OK);
    check_i64("3037000499^2", product, INT64_C(9223372030926249001));
    check_status("ww_checked_mul(INT64_MAX, 2)", ww_checked_mul(INT64_MAX, 2, &product),
                 WW_STATUS_OVERFLOW);
    check_status("ww_checked_mul(INT64_MIN, -1)", ww_checked_mul(INT64_MIN, -1, &product),
                 WW_STATUS_OVERFLOW);
    check_i64("product untouched on overflow", product, INT64_C(9223372030926249001));
    check_status("ww_checked_mul(out=NULL)", ww_checked_mul(1, 1, NULL), WW_STATUS_NULL_POINTER);

    /* tab, newline and U+3000 IDEOGRAPHIC SPACE separate words; "w\u00f6rld" is one word */
    check_status("ww_count_words(text)",
                 ww_count_words("  hello\tw\xc3\xb6rld\xe3\x80\x80" "foo\nbar ", &words),
                 WW_STATUS_OK);
    check_u64("count_words(text)", words, 4);
    check_status("ww_count_words(\"\")", ww_count_words("", &words), WW_STATUS_OK);
    check_u64("count_words(\"\")", words, 0);
    check_status("ww_count_words(invalid)", ww_count_words("ab\xff", &words),
                 WW_STATUS_INVALID_UTF8);
    check_status("ww_count_words(NULL)", ww_count_words(NULL, &words), WW_STATUS_NULL_POINTER);

    if (failures != 0) {
        printf("%d check(s) failed for %s\n", failures, argv[1]);
        return 1;
    }
    printf("ok %s\n", argv[1]);
    return 0;
}
