"""English number words, shared by the casualty counts and the date expressions."""

from __future__ import annotations

SMALL = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
#: "zero" .. "ninety" and the hyphenated "twenty-one" .. "ninety-nine"
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(SMALL)},
    **TENS,
    **{f"{t}-{u}": v + i for t, v in TENS.items() for i, u in enumerate(SMALL[1:10], 1)},
}
