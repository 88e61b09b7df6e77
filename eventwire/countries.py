"""Country names, aliases and demonyms <-> ISO 3166-1 alpha-2 codes, for actors and exports.

A light view over the gazetteer's shipped tables (``data/geo/countries.tsv`` and
``country_aliases.tsv``), so naming a country needs no gazetteer index.
"""

from __future__ import annotations

from functools import lru_cache

from .gazetteer import normalize, read_tsv

#: where ACLED's country names differ from GeoNames'
ACLED_NAMES = {
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CV": "Cape Verde",
    "CZ": "Czech Republic",
    "PS": "Palestine",
    "SZ": "eSwatini",
    "TL": "East Timor",
}


class Countries:
    def __init__(self) -> None:
        geonames = {row["iso2"]: row["name"] for row in read_tsv("countries.tsv")}
        #: names as ACLED writes them
        self.names: dict[str, str] = {**geonames, **ACLED_NAMES}
        self._by_name: dict[str, str] = {
            normalize(name): iso for names in (geonames, ACLED_NAMES) for iso, name in names.items()
        }
        self._by_demonym: dict[str, str] = {}
        for row in read_tsv("country_aliases.tsv"):
            table = self._by_demonym if row["kind"] == "demonym" else self._by_name
            table.setdefault(normalize(row["alias"]), row["iso2"])

    def code(self, text: str) -> str | None:
        """ISO code of a country name or alias ("Iraq", "the U.S."), else None."""
        return self._by_name.get(normalize(text))

    def code_of_demonym(self, text: str) -> str | None:
        """ISO code of a demonym ("Iraqi", "Syrians"), else None."""
        return self._by_demonym.get(normalize(text))

    def code_of_word(self, text: str) -> str | None:
        """A country name, alias or demonym, whichever it is."""
        key = normalize(text)
        return self._by_name.get(key) or self._by_demonym.get(key)

    def name(self, iso2: str | None) -> str | None:
        return self.names.get(iso2.upper()) if iso2 else None


@lru_cache(maxsize=1)
def get_countries() -> Countries:
    return Countries()
