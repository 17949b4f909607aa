"""Countries as people choose them (by name) and as services store them (ISO 3166 alpha-2)."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def country_choices() -> list[tuple[str, str]]:
    countries = sorted(pycountry.countries, key=lambda country: country.name)
    return [(country.alpha_2, country.name) for country in countries]


def country_name(code: str | None) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code
