"""Country names, aliases and demonyms <-> ISO 3166-1 alpha-2 codes, loaded once.

Data: ``data/demonyms.tsv`` (generated from the MIT-licensed countryinfo package) plus the short
forms news uses that it lacks ("U.S.", "Britain").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

_EXTRA = {
    "US": ["U.S.", "US", "U.S.A.", "America", "United States of America", "the United States", "Washington"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland"],
    "RU": ["Russian Federation"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "CD": ["Congo-Kinshasa", "DR Congo", "DRC", "D.R. Congo"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"],
    "IR": ["Persia"],
    "SY": ["Syrian Arab Republic"],
    "PS": ["Gaza", "Gaza Strip", "West Bank", "Palestinian territories"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "TR": ["Turkiye", "Türkiye"],
    "CZ": ["Czech Republic"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "SA": ["KSA"],
    "VA": ["Vatican"],
    "NL": ["Holland"],
}
#: demonyms countryinfo lacks or spells one way only; plurals are derived
_EXTRA_DEMONYMS = {
    "US": ["American", "U.S."],
    "GB": ["British", "English", "Scottish"],
    "IL": ["Israeli"],
    "PS": ["Palestinian"],
    "CD": ["Congolese"],
    "SD": ["Sudanese"],
    "SS": ["South Sudanese"],
    "KR": ["South Korean"],
    "KP": ["North Korean"],
    "PH": ["Filipino", "Philippine"],
    "AF": ["Afghan", "Afghani"],
    "MM": ["Burmese", "Myanmar"],
    "UA": ["Ukrainian"],
    "RU": ["Russian"],
    "TR": ["Turkish"],
    "SO": ["Somali"],
    "NG": ["Nigerian"],
    "ET": ["Ethiopian"],
    "YE": ["Yemeni"],
    "LB": ["Lebanese"],
    "IR": ["Iranian"],
    "IQ": ["Iraqi"],
    "SY": ["Syrian"],
    "JO": ["Jordanian"],
    "PK": ["Pakistani"],
    "IN": ["Indian"],
    "CN": ["Chinese"],
    "FR": ["French"],
    "ML": ["Malian"],
    "BF": ["Burkinabe", "Burkinabè"],
    "NE": ["Nigerien"],
    "CM": ["Cameroonian"],
    "MX": ["Mexican"],
    "CO": ["Colombian"],
}


def normalize(text: str) -> str:
    """Casefold, strip accents, unify apostrophes and dots: "Kata’ib" == "kataib", "U.S." == "us"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "").replace("'", "").replace("‘", "").replace("`", "")
    text = text.replace(".", "")
    text = re.sub(r"[-‐–—_/]+", " ", text)
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"\s+", " ", text)


class Countries:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.demonyms: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._by_demonym: dict[str, str] = {}
        raw = resources.files("eventwire").joinpath("data/demonyms.tsv").read_text(encoding="utf-8")
        lines = [ln for ln in raw.splitlines() if ln and not ln.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            iso, name = row["iso2"], row["name"]
            if iso not in self.names or (row["demonym"] and iso not in self.demonyms):
                self.names.setdefault(iso, name)
                if row["demonym"]:
                    self.demonyms.setdefault(iso, row["demonym"])
            for alias in [name, *row["aliases"].split("|")]:
                if alias and not (alias.isupper() and len(alias) == 3):
                    self._by_name.setdefault(normalize(alias), iso)
            if row["demonym"]:
                self._add_demonym(row["demonym"], iso)
        for iso, aliases in _EXTRA.items():
            for alias in aliases:
                self._by_name[normalize(alias)] = iso
        for iso, dems in _EXTRA_DEMONYMS.items():
            for dem in dems:
                self._add_demonym(dem, iso, override=True)

    def _add_demonym(self, dem: str, iso: str, *, override: bool = False) -> None:
        key = normalize(dem)
        keys = [key]
        if not key.endswith(("ese", "ss", "ch", "sh")):
            keys.append(key + "s")  # "Iraqis", "Americans"
        for k in keys:
            if override:
                self._by_demonym[k] = iso
            else:
                self._by_demonym.setdefault(k, iso)

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
        if not iso2:
            return None
        return self.names.get(iso2.upper())


@lru_cache(maxsize=1)
def get_countries() -> Countries:
    return Countries()
