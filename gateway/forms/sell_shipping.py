"""The shop's whole shipping profile as the seller portal edits it, in plain HTML forms.

The page's rows (regions, each with its services) vary in number, and "add a region" or
"remove this service" must work without JavaScript: the form is read from the posted fields
(`regions-0-services-1-first` and the like) into plain rows that a button may grow or shrink,
checked field by field, and turned into the profile the shops service takes
(services/common/contracts.ShippingProfile). The CSRF token is checked by an ActionForm.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.countries import country_choices, country_name
from gateway.forms.sell_listings import minor_to_text
from gateway.forms.sell_settings import parse_rate
from gateway.money import PriceError, format_money, parse_price
from services.common import shipping as shipping_rule

# A region made of countries named one by one rather than a ready-made group.
COUNTRIES = "countries"
WHERE_CHOICES = [(group, shipping_rule.GROUP_NAMES[group]) for group in shipping_rule.GROUPS] + [
    (COUNTRIES, "Countries I name")
]
CODE_MAX = 40
NAME_MAX = 80
DAYS_MAX = 120
# The most rows one page takes: far above a real shop, low enough to bound the work.
MAX_REGIONS = 30
MAX_SERVICES = 10
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class ServiceRow:
    code: str = ""
    name: str = ""
    first: str = ""
    additional: str = ""
    days_min: str = ""
    days_max: str = ""


@dataclass
class RegionRow:
    where: str = shipping_rule.WORLD
    name: str = ""
    countries: list[str] = field(default_factory=list)
    free_over: str = ""
    services: list[ServiceRow] = field(default_factory=list)


@dataclass
class ShippingEditor:
    """The page's rows as typed, and what is wrong with them by field name."""

    regions: list[RegionRow] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    pickup: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    # --- reading -------------------------------------------------------------------------

    @classmethod
    def from_profile(cls, profile: Mapping[str, Any] | None) -> ShippingEditor:
        """The rows of the stored profile (the shop's `shipping.profile`)."""
        profile = profile or {}
        regions = []
        for region in profile.get("regions") or ():
            regions.append(
                RegionRow(
                    where=region.get("group") or COUNTRIES,
                    name=region.get("name") or "",
                    countries=list(region.get("countries") or ()),
                    free_over=minor_to_text(region.get("free_over")),
                    services=[
                        ServiceRow(
                            code=service["code"],
                            name=service.get("name") or "",
                            first=minor_to_text(service.get("first") or 0),
                            additional=minor_to_text(service.get("additional") or 0),
                            days_min=_text(service.get("days_min")),
                            days_max=_text(service.get("days_max")),
                        )
                        for service in region.get("services") or ()
                    ],
                )
            )
        return cls(
            regions=regions,
            excluded=list(profile.get("excluded") or ()),
            pickup=bool(profile.get("pickup")),
        )

    @classmethod
    def from_form(cls, form: Any) -> ShippingEditor:
        """The rows as posted; `form` is request.form (a MultiDict)."""
        regions = []
        for r in range(MAX_REGIONS):
            prefix = f"regions-{r}-"
            if f"{prefix}where" not in form:
                break
            services = []
            for s in range(MAX_SERVICES):
                at = f"{prefix}services-{s}-"
                if f"{at}code" not in form:
                    break
                services.append(
                    ServiceRow(**{part: form.get(f"{at}{part}", "").strip() for part in _PARTS})
                )
            regions.append(
                RegionRow(
                    where=form.get(f"{prefix}where", ""),
                    name=form.get(f"{prefix}name", "").strip(),
                    countries=form.getlist(f"{prefix}countries"),
                    free_over=form.get(f"{prefix}free_over", "").strip(),
                    services=services,
                )
            )
        return cls(
            regions=regions,
            excluded=form.getlist("excluded"),
            pickup=bool(form.get("pickup")),
        )

    # --- the buttons that change the rows ------------------------------------------------

    def apply(self, action: str, *, new_where: str = "") -> bool:
        """Add or remove a row as the pressed button says; False for an unknown button."""
        parts = action.split("-")
        try:
            if parts[0] == "add_region" and len(self.regions) < MAX_REGIONS:
                where = new_where if new_where in dict(WHERE_CHOICES) else COUNTRIES
                self.regions.append(RegionRow(where=where, services=[ServiceRow()]))
            elif parts[0] == "remove_region":
                del self.regions[int(parts[1])]
            elif parts[0] == "add_service":
                region = self.regions[int(parts[1])]
                if len(region.services) < MAX_SERVICES:
                    region.services.append(ServiceRow())
            elif parts[0] == "remove_service":
                del self.regions[int(parts[1])].services[int(parts[2])]
            else:
                return False
        except (IndexError, ValueError):
            return False
        return True

    # --- checking ------------------------------------------------------------------------

    def profile(self, currency: str) -> dict[str, Any] | None:
        """The profile as the shops service takes it, or None with `errors` filled in."""
        self.errors = {}
        known = dict(country_choices())
        if not self.regions:
            self.errors["regions"] = "Add at least one region you ship to."
        regions = []
        groups_seen: dict[str, int] = {}
        countries_seen: dict[str, int] = {}
        for r, row in enumerate(self.regions):
            regions.append(self._region(r, row, known, groups_seen, countries_seen))
        bad = [code for code in self.excluded if code not in known]
        if bad:
            self.errors["excluded"] = f"{', '.join(bad)} is not a country: choose from the list."
        if self.errors:
            return None
        return {
            "currency": currency,
            "regions": regions,
            "excluded": sorted(set(self.excluded)),
            "pickup": self.pickup,
        }

    def _region(
        self,
        r: int,
        row: RegionRow,
        known: dict[str, str],
        groups_seen: dict[str, int],
        countries_seen: dict[str, int],
    ) -> dict[str, Any]:
        at = f"regions-{r}-"
        group: str | None = row.where
        countries: list[str] = []
        if row.where == COUNTRIES:
            group = None
            countries = sorted(set(row.countries))
            bad = [code for code in countries if code not in known]
            if not countries:
                self.errors[f"{at}countries"] = "Choose the countries this region covers."
            elif bad:
                self.errors[f"{at}countries"] = (
                    f"{', '.join(bad)} is not a country: choose from the list."
                )
            for code in countries:
                if code in countries_seen:
                    self.errors[f"{at}countries"] = (
                        f"{country_name(code)} is already in region {countries_seen[code] + 1}: "
                        "name each country in one region only."
                    )
                countries_seen.setdefault(code, r)
        elif row.where in shipping_rule.GROUP_NAMES:
            if row.where in groups_seen:
                self.errors[f"{at}where"] = (
                    f"Region {groups_seen[row.where] + 1} already covers "
                    f"{shipping_rule.GROUP_NAMES[row.where]}: choose another group or countries."
                )
            groups_seen.setdefault(row.where, r)
        else:
            self.errors[f"{at}where"] = "Choose a group of countries, or name countries."
        name = row.name or (
            shipping_rule.GROUP_NAMES.get(group or "")
            or ", ".join(country_name(code) for code in countries)
        )
        if len(name) > NAME_MAX:
            if row.name:
                self.errors[f"{at}name"] = f"Use at most {NAME_MAX} characters."
            name = name[: NAME_MAX - 1] + "…"
        free_over = None
        if row.free_over:
            try:
                free_over = parse_price(row.free_over)
            except PriceError as error:
                self.errors[f"{at}free_over"] = str(error)
        if not row.services:
            self.errors[f"{at}services"] = "Add at least one service to this region."
        codes: set[str] = set()
        services = [
            self._service(f"{at}services-{s}-", service, codes)
            for s, service in enumerate(row.services)
        ]
        return {
            "name": name,
            "group": group,
            "countries": countries,
            "free_over": free_over,
            "services": services,
        }

    def _service(self, at: str, row: ServiceRow, codes: set[str]) -> dict[str, Any]:
        code = row.code.lower()
        if not code:
            self.errors[f"{at}code"] = "Give the service a short code, such as economy."
        elif len(code) > CODE_MAX or not _CODE.match(code):
            self.errors[f"{at}code"] = (
                f"Use letters, digits, - or _ (at most {CODE_MAX}), such as economy."
            )
        elif code == shipping_rule.PICKUP:
            self.errors[f"{at}code"] = (
                "“pickup” means collection in person (tick the box below): name it otherwise."
            )
        elif code in codes:
            self.errors[f"{at}code"] = "This region already has a service with this code."
        codes.add(code)
        name = row.name or code.replace("_", " ").replace("-", " ").capitalize()
        if len(name) > NAME_MAX:
            self.errors[f"{at}name"] = f"Use at most {NAME_MAX} characters."
        amounts = {}
        for part, required in (("first", True), ("additional", False)):
            typed = getattr(row, part)
            if required and not typed:
                self.errors[f"{at}{part}"] = "Enter the price, such as 4.50; 0 for free."
                continue
            try:
                amounts[part] = parse_rate(typed)
            except PriceError as error:
                self.errors[f"{at}{part}"] = str(error)
        days = {}
        for part in ("days_min", "days_max"):
            typed = getattr(row, part)
            if not typed:
                days[part] = None
            elif not typed.isdigit() or int(typed) > DAYS_MAX:
                self.errors[f"{at}{part}"] = f"Enter a whole number of days, 0 to {DAYS_MAX}."
            else:
                days[part] = int(typed)
        if (
            days.get("days_min") is not None
            and days.get("days_max") is not None
            and days["days_min"] > days["days_max"]
        ):
            self.errors[f"{at}days_max"] = "The most days cannot be fewer than the fewest."
        return {
            "code": code,
            "name": name,
            "first": amounts.get("first", 0),
            "additional": amounts.get("additional", 0),
            "days_min": days.get("days_min"),
            "days_max": days.get("days_max"),
        }

    def place_service_errors(self, fields: Mapping[str, str]) -> bool:
        """The shops service's refusal (`shipping_profile.regions.0.services.1.first`) on the
        nearest field or row of this page; False when none of it names a place here."""
        placed = False
        for where, reason in fields.items():
            if not where.startswith("shipping_profile"):
                continue
            parts = where.split(".")[1:]
            key = "-".join(parts) or "regions"
            # The service's names for the same things ("group") and what the page knows.
            key = key.replace("-group", "-where")
            while key and not self._has_place(key):
                key = "-".join(key.split("-")[:-1])
            self.errors[key or "regions"] = _sentence(reason)
            placed = True
        return placed

    def _has_place(self, key: str) -> bool:
        parts = key.split("-")
        if key in ("regions", "excluded", "pickup"):
            return True
        if parts[0] != "regions" or len(parts) < 2 or not parts[1].isdigit():
            return False
        return int(parts[1]) < len(self.regions) and len(parts) in (2, 3, 4, 5)


def preview(profile: Mapping[str, Any] | None) -> list[str]:
    """One sentence per region, as a buyer would read it: "France: Economy €2.90, each more
    €0.50, 3–5 days; free over €40.00". Priced by services/common/shipping's rule (one item
    by each service, then a second one)."""
    if not profile or not profile.get("regions"):
        return []
    rule = shipping_rule.profile_from_dict(profile)

    def money(amount: int) -> str:
        return format_money({"amount": amount, "currency": rule.currency})

    sentences = []
    for region in rule.regions:
        offers = []
        for service in region.services:
            first = service.cost(1)
            words = [f"{service.name} {money(first) if first else 'free'}"]
            if service.cost(2) - first:
                words.append(f"each more {money(service.cost(2) - first)}")
            estimate = shipping_rule.estimate_text(service.days_min, service.days_max)
            if estimate:
                words.append(estimate)
            offers.append(", ".join(words))
        sentence = f"{region.name}: {'; '.join(offers)}"
        if region.free_over is not None:
            sentence += f"; free over {money(region.free_over)}"
        sentences.append(sentence)
    if rule.excluded:
        names = ", ".join(sorted(country_name(code) for code in rule.excluded))
        sentences.append(f"Not shipped to: {names}")
    if rule.pickup:
        sentences.append("Buyers may also collect in person at the shop")
    return sentences


_PARTS = ("code", "name", "first", "additional", "days_min", "days_max")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _sentence(message: str) -> str:
    message = message.strip().rstrip(".")
    return f"{message[:1].upper()}{message[1:]}."
