"""Money as integer minor units and an ISO 4217 currency: never a float."""

from __future__ import annotations

from dataclasses import dataclass

from services.orders.domain.errors import MixedCurrencies

# Currencies whose minor unit is not a hundredth; only used to display amounts to people.
_MINOR_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "BHD": 3, "KWD": 3, "TND": 3}


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MixedCurrencies(
                f"mixed currencies: {self.currency} and {other.currency} cannot be added; "
                "check out the items of each currency separately"
            )
        return Money(self.amount + other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    def as_dict(self) -> dict[str, object]:
        return {"amount": self.amount, "currency": self.currency}

    def __str__(self) -> str:
        digits = _MINOR_DIGITS.get(self.currency, 2)
        if digits == 0:
            return f"{self.currency} {self.amount}"
        sign = "-" if self.amount < 0 else ""
        units, minor = divmod(abs(self.amount), 10**digits)
        return f"{self.currency} {sign}{units}.{minor:0{digits}d}"


def total_of(amounts: list[Money], *, currency: str) -> Money:
    """Sum `amounts`; an empty list is zero in `currency`."""
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total
