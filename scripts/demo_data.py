"""Deterministic, realistic-looking demo inventory: shops and second-hand books."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from services.common.condition import Condition

# The grades a used book gets, best first.
CONDITIONS = tuple(grade.label for grade in Condition.best_first()[1:])

ADJECTIVES = (
    "Silent",
    "Golden",
    "Hidden",
    "Last",
    "Winter",
    "Northern",
    "Forgotten",
    "Secret",
    "Burning",
    "Quiet",
    "Broken",
    "Distant",
    "Little",
    "Lost",
    "Midnight",
    "Paper",
    "Salt",
    "Wild",
    "Iron",
    "Glass",
    "Crimson",
    "Hollow",
    "Bright",
    "Summer",
    "Ancient",
)
NOUNS = (
    "Garden",
    "River",
    "Lighthouse",
    "Library",
    "Orchard",
    "Harbour",
    "Cathedral",
    "Atlas",
    "Mountain",
    "Island",
    "Kingdom",
    "Letters",
    "Voyage",
    "Bookshop",
    "Meadow",
    "Empire",
    "Clock",
    "Forest",
    "Compass",
    "Sea",
    "Road",
    "City",
    "Map",
    "House",
    "Bridge",
)
FIRST = (
    "Ada",
    "Thomas",
    "Virginia",
    "Chinua",
    "Italo",
    "Ursula",
    "Gabriel",
    "Doris",
    "Jorge",
    "Toni",
    "Halldor",
    "Wislawa",
    "Naguib",
    "Elena",
    "Kazuo",
    "Iris",
    "Primo",
    "Jean",
)
LAST = (
    "Hardy",
    "Woolf",
    "Achebe",
    "Calvino",
    "Le Guin",
    "Marquez",
    "Lessing",
    "Borges",
    "Morrison",
    "Laxness",
    "Szymborska",
    "Mahfouz",
    "Ferrante",
    "Ishiguro",
    "Murdoch",
    "Levi",
    "Rhys",
    "Austen",
)
WEAR = (
    "clean pages",
    "light shelf wear",
    "owner name on the endpaper",
    "dust jacket present",
    "spine faded",
)
BINDINGS = ("hardcover", "paperback", "first edition, hardcover", "book club edition")


@dataclass(frozen=True)
class DemoRates:
    """A shop's shipping in euro cents: the first item of a parcel, then each further one."""

    domestic_first: int
    domestic_additional: int
    international_first: int
    international_additional: int
    # Items worth at least this ship for free; None: no such offer.
    free_over: int | None = None

    def as_patch(self) -> dict:
        """The rates as the shops API's settings take them."""
        rates: dict = {
            name: {"amount": getattr(self, name), "currency": "EUR"}
            for name in (
                "domestic_first",
                "domestic_additional",
                "international_first",
                "international_additional",
            )
        }
        free = self.free_over
        rates["free_over"] = None if free is None else {"amount": free, "currency": "EUR"}
        return rates


@dataclass(frozen=True)
class DemoShop:
    owner_email: str
    owner_name: str
    name: str
    signature: str
    country: str
    about: str
    rates: DemoRates
    # Where the shop is, so "shops near you" finds it (services/common/geo.py places it).
    town: str | None = None


DEMO_SHOPS = (
    DemoShop(
        "ada@example.com",
        "Ada Lovell",
        "Lovell & Daughters Books",
        "Ada, at Lovell & Daughters",
        "GB",
        "Second-hand literature and maps in a crooked house by the river.",
        DemoRates(350, 150, 950, 300),
        town="Oxford",
    ),
    DemoShop(
        "tomas@example.com",
        "Tomas Berg",
        "Berg Antikvariat",
        "Tomas Berg",
        "SE",
        "Scandinavian fiction, poetry and a shelf of sea charts.",
        DemoRates(590, 200, 1290, 400),
        town="Stockholm",
    ),
    DemoShop(
        "ines@example.com",
        "Ines Duarte",
        "Livraria da Esquina",
        "Ines, Livraria da Esquina",
        "PT",
        "A corner bookshop: novels, travel and children's books.",
        DemoRates(300, 100, 850, 250),
        town="Lisbon",
    ),
    DemoShop(
        "kofi@example.com",
        "Kofi Mensah",
        "Harbour Lane Books",
        "Kofi at Harbour Lane",
        "IE",
        "Good reading copies at fair prices, packed with care.",
        DemoRates(450, 150, 1100, 350),
        town="Dublin",
    ),
    DemoShop(
        "mila@example.com",
        "Mila Novak",
        "Novak Rare & Used",
        "Mila Novak",
        "DE",
        "First editions, signed copies and well-loved paperbacks.",
        DemoRates(490, 0, 1490, 500, free_over=5000),
        town="Berlin",
    ),
)

DEMO_PASSWORD = "demo-password"


def isbn13(rng: random.Random) -> str:
    digits = [9, 7, 8] + [rng.randrange(10) for _ in range(9)]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return "".join(map(str, digits + [(10 - total % 10) % 10]))


def books(count: int, *, seed: int = 7) -> Iterator[dict]:
    """`count` listings; a work often appears more than once, as in a real market."""
    rng = random.Random(seed)
    works: list[tuple[str, str, str]] = []
    for _ in range(count):
        if works and rng.random() < 0.3:
            title, author, isbn = rng.choice(works)
        else:
            title = f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            isbn = isbn13(rng)
            works.append((title, author, isbn))
        condition = rng.choice(CONDITIONS)
        yield {
            "title": title,
            "author": author,
            "isbn": isbn,
            "condition": condition,
            "description": (
                f"{rng.choice(BINDINGS).capitalize()}, {rng.randint(1950, 2024)}. "
                f"{condition} copy; {rng.choice(WEAR)}."
            ),
            "price": {"amount": rng.randrange(300, 9000, 50), "currency": "EUR"},
            "quantity": rng.choice((1, 1, 1, 2, 3)),
        }
