"""Regenerates stable_abi.tsv from the `abi3info` package (MIT; its data comes from
CPython's Misc/stable_abi.toml, PSF licence).

    pip install abi3info==2026.9.25 && python derive_stable_abi.py > stable_abi.tsv
"""

import abi3info

print("# name\tkind\tadded  (derived from abi3info 2026.9.25 / CPython Misc/stable_abi.toml)")
rows = [(s.name, "function", f.added) for s, f in abi3info.FUNCTIONS.items()]
rows += [(s.name, "data", d.added) for s, d in abi3info.DATAS.items()]
for name, kind, added in sorted(rows):
    print(f"{name}\t{kind}\t{added.major}.{added.minor}")
