"""What the search page asks the catalog, read from its URL, and the facets it shows.

The page's URL uses the catalog's parameter names, so a link to a search is also a readable
record of it; only prices differ: people type "12.50", the catalog counts cents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gateway.countries import country_name
from gateway.forms import CONDITION_LABELS
from gateway.money import format_money

# The filters that take one value each, as the catalog names them.
FACETS = ("category", "binding", "shop", "country", "condition")
FACET_TITLES = {
    "category": "Category",
    "binding": "Binding",
    "shop": "Shop",
    "country": "Shop's country",
    "condition": "Condition",
}
SORTS = [
    ("relevance", "Best match"),
    ("price", "Lowest price"),
    ("landed_price", "Lowest price with shipping"),
    ("newest", "Newest first"),
    ("reputation", "Best-rated shops"),
    ("distance", "Nearest shops first"),
]
# How far from the shopper's town a search may keep shops, in km.
DISTANCES = {"10": "Within 10 km", "25": "Within 25 km", "50": "Within 50 km",
             "100": "Within 100 km", "250": "Within 250 km"}  # fmt: skip
SORT_VALUES = {value for value, _ in SORTS}
PRICE_FIELDS = {"price_min": "lowest price", "price_max": "highest price"}
# The shop's rating a search may ask for at least (the catalog's `rating_at_least`).
RATINGS = {"4.5": "4.5 stars and up", "4": "4 stars and up", "3": "3 stars and up"}


@dataclass
class SearchRequest:
    """The search a URL describes: its text, page, filters for the catalog and any mistakes."""

    query: str = ""
    page: int = 1
    # What the page's own links and form keep (prices as typed).
    kept: dict[str, str] = field(default_factory=dict)
    # What the catalog is sent (prices in minor units).
    filters: dict[str, str | int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def url_args(self, **changes: str | None) -> dict[str, str]:
        """The current search with some parameters changed (None removes one); back to page 1."""
        args = {"q": self.query, **self.kept}
        for name, value in changes.items():
            if value is None:
                args.pop(name, None)
            else:
                args[name] = value
        return {name: value for name, value in args.items() if value}


def read_search(
    args: Mapping[str, str],
    *,
    country: str | None = None,
    near: tuple[float, float] | None = None,
) -> SearchRequest:
    wanted = SearchRequest(query=(args.get("q") or "").strip()[:300])
    try:
        wanted.page = max(1, int(args.get("page") or 1))
    except ValueError:
        wanted.page = 1
    for name in FACETS:
        value = (args.get(name) or "").strip()
        if value:
            wanted.kept[name] = wanted.filters[name] = value
    condition = (args.get("condition_at_least") or "").strip()
    if condition:
        wanted.kept["condition_at_least"] = condition
        if condition in CONDITION_LABELS:
            wanted.filters["condition_at_least"] = condition
        else:
            wanted.errors["condition_at_least"] = "Choose a condition from the list."
    rating = (args.get("rating_at_least") or "").strip()
    if rating:
        wanted.kept["rating_at_least"] = rating
        if rating in RATINGS:
            wanted.filters["rating_at_least"] = rating
        else:
            wanted.errors["rating_at_least"] = "Choose a rating from the list."
    for name, label in PRICE_FIELDS.items():
        typed = (args.get(name) or "").strip()
        if not typed:
            continue
        wanted.kept[name] = typed
        amount = _minor_units(typed)
        if amount is None:
            wanted.errors[name] = f"Enter the {label} as a number, such as 5 or 12.50."
        else:
            wanted.filters[name] = amount
    if "price_min" in wanted.filters and "price_max" in wanted.filters:
        if int(wanted.filters["price_min"]) > int(wanted.filters["price_max"]):
            wanted.errors["price_max"] = "The highest price is below the lowest one."
            del wanted.filters["price_max"]
    if args.get("in_stock"):
        wanted.kept["in_stock"] = wanted.filters["in_stock"] = "1"
    sort = (args.get("sort") or "").strip()
    if sort and sort != "relevance":
        if sort in SORT_VALUES:
            wanted.kept["sort"] = wanted.filters["sort"] = sort
        else:
            wanted.errors["sort"] = "Choose an order from the list."
    if country:
        # Shipping depends on where the parcel goes: the landed-price order and each card's
        # price with shipping count the shop's rate to the shopper's country.
        wanted.filters["ship_to"] = country
    within = (args.get("within") or "").strip()
    if within:
        wanted.kept["within"] = within
        if within not in DISTANCES:
            wanted.errors["within"] = "Choose a distance from the list."
        elif near is None:
            wanted.errors["near"] = "Say which town you are in to find the shops near you."
        else:
            wanted.filters["within_km"] = within
    if near is not None:
        wanted.filters["near_lat"], wanted.filters["near_lon"] = (str(c) for c in near)
    elif wanted.filters.get("sort") == "distance":
        del wanted.filters["sort"]
        wanted.errors["near"] = "Say which town you are in to sort the nearest shops first."
    return wanted


def _minor_units(text: str) -> int | None:
    cleaned = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > 1_000_000:
        return None
    return int((value * 100).to_integral_value())


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    args: dict[str, str]


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: list[FacetValue]


def facet_groups(
    raw: object, wanted: SearchRequest, *, shop_names: Mapping[str, str]
) -> list[FacetGroup]:
    """The catalog's facet counts as link lists; each link toggles one value, keeps the rest.

    Accepts `{name: {value: count}}` and `{name: [{value, count, label?}]}`.
    """
    groups = []
    for name, entries in raw.items() if isinstance(raw, dict) else []:
        if name not in FACET_TITLES:
            continue
        pairs: list[tuple[str, int, str | None]] = []
        if isinstance(entries, dict):
            pairs = [(str(value), _count(count), None) for value, count in entries.items()]
        elif isinstance(entries, list):
            pairs = [
                (str(entry.get("value")), _count(entry.get("count")), entry.get("label"))
                for entry in entries
                if isinstance(entry, dict) and entry.get("value") is not None
            ]
        values = []
        for value, count, label in sorted(pairs, key=lambda pair: (-pair[1], pair[0])):
            active = wanted.kept.get(name) == value
            values.append(
                FacetValue(
                    value=value,
                    label=str(label or _facet_label(name, value, shop_names)),
                    count=count,
                    active=active,
                    args=wanted.url_args(**{name: None if active else value}),
                )
            )
        if values:
            groups.append(FacetGroup(name, FACET_TITLES[name], values))
    return groups


# How each order reads as an active filter ("Sorted by price with shipping").
SORT_CHIPS = {
    "price": "Sorted by price",
    "landed_price": "Sorted by price with shipping",
    "newest": "Sorted by newest",
    "reputation": "Sorted by the shop's rating",
    "distance": "Nearest shops first",
}


@dataclass(frozen=True)
class Chip:
    """One active filter as a shopper reads it, and the search without it."""

    label: str
    args: dict[str, str]


def active_filters(wanted: SearchRequest, *, shop_names: Mapping[str, str]) -> list[Chip]:
    return [
        Chip(_chip_label(name, value, shop_names), wanted.url_args(**{name: None}))
        for name, value in wanted.kept.items()
    ]


def _chip_label(name: str, value: str, shop_names: Mapping[str, str]) -> str:
    if name == "sort":
        return SORT_CHIPS.get(value, "Sorted")
    if name == "country":
        return f"Ships from {country_name(value)}"
    if name == "shop":
        return f"From {shop_names.get(value, 'one shop')}"
    if name == "condition":
        return f"Condition: {CONDITION_LABELS.get(value, value)}"
    if name == "condition_at_least":
        return f"{CONDITION_LABELS.get(value, value)} or better"
    if name == "rating_at_least":
        return f"Shops rated {RATINGS.get(value, value)}"
    if name == "price_min":
        return f"Price from {value}"
    if name == "price_max":
        return f"Price up to {value}"
    if name == "in_stock":
        return "In stock only"
    if name == "within":
        return DISTANCES.get(value, "Near you")
    if name == "binding":
        return _facet_label(name, value, shop_names)
    return f"{FACET_TITLES.get(name, name.replace('_', ' ').capitalize())}: {value}"


def shipping_note(hit: Mapping[str, Any], *, country: str | None) -> str | None:
    """What a result costs to send to the shopper: "+ €4.50 shipping to France", "free
    shipping to France"; None without a country, or when the shop's rates are not known."""
    landed, price = hit.get("landed_price"), hit.get("price")
    if not country or not isinstance(landed, Mapping) or not isinstance(price, Mapping):
        return None
    if landed.get("currency") != price.get("currency"):
        return None
    shipping = int(landed.get("amount") or 0) - int(price.get("amount") or 0)
    where = country_name(country)
    if shipping <= 0:
        return f"free shipping to {where}"
    cost = format_money({"amount": shipping, "currency": price.get("currency")})
    return f"+ {cost} shipping to {where}"


def _count(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _facet_label(name: str, value: str, shop_names: Mapping[str, str]) -> str:
    if name == "condition":
        return CONDITION_LABELS.get(value, value)
    if name == "country":
        return country_name(value)
    if name == "shop":
        return shop_names.get(value, value)
    return value.replace("_", " ").capitalize() if name == "binding" else value


def suggestions(results: Mapping[str, object]) -> list[str]:
    """ "Did you mean" phrasings, whichever way the catalog sends them."""
    raw = results.get("suggestions") or results.get("did_you_mean") or []
    if isinstance(raw, str):
        raw = [raw]
    found = []
    for entry in raw if isinstance(raw, list) else []:
        text = entry.get("query") or entry.get("text") if isinstance(entry, dict) else entry
        if text and str(text) not in found:
            found.append(str(text))
    return found[:5]
