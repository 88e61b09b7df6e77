"""Regenerate eventwire/data/demonyms.tsv from the `countryinfo` package (MIT licence).

Run once by a developer (`pip install countryinfo`); the package is not a runtime dependency.
Columns: iso2, name, demonym, aliases ("|"-separated alternative spellings and short names).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from countryinfo import CountryInfo, all_countries

OUT = Path(__file__).resolve().parent.parent / "eventwire" / "data" / "demonyms.tsv"


def main() -> int:
    rows = []
    for key in all_countries():
        info = key.info() if isinstance(key, CountryInfo) else CountryInfo(key).info()
        iso2 = (info.get("ISO") or {}).get("alpha2")
        if not iso2:
            continue
        aliases = [a for a in info.get("altSpellings") or [] if a and a != iso2 and len(a) > 2]
        rows.append((iso2, info["name"], info.get("demonym") or "", "|".join(aliases)))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# From the countryinfo package (MIT licence); regenerate with scripts/build_demonyms.py\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["iso2", "name", "demonym", "aliases"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
