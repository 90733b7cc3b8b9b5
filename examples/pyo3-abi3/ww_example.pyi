"""Type stubs for the ``ww_example`` extension module (wheelwright example)."""

from typing import List, Tuple

__version__: str

def crc32(data: bytes) -> int:
    """CRC-32 (IEEE, same as ``zlib.crc32``) of ``data``."""

def top_words(text: str, n: int) -> List[Tuple[str, int]]:
    """The ``n`` most frequent lowercased words of ``text`` as ``(word, count)``
    pairs, most frequent first, ties in alphabetical order."""

def parse_duration(text: str) -> int:
    """Seconds in a duration such as ``"1h30m"`` (units d, h, m, s, largest
    first). Raises ValueError on malformed input."""

def primes_below(n: int) -> List[int]:
    """All primes below ``n``; raises ValueError if ``n`` exceeds 10,000,000."""

def target_info() -> str:
    """The Rust architecture the module was compiled for, e.g. ``"x86_64"``."""
