"""The catalog service's tables. Nobody but this service reads or writes them.

They hold the latest known state of every listing and shop the catalog has heard of: what
it needs to ignore stale or repeated events, and to rebuild any listing's search document
when its shop changes name or goes on vacation. The search index itself lives elsewhere
(the embedded index file, or Meilisearch).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.catalog.domain import StaleUpdate, Visibility, shop_update_supersedes, supersedes
from services.common.clock import utcnow
from services.common.contracts import ListingRemoved, ListingUpserted, Reputation, ShopUpdated
from services.common.db import UtcDateTime, make_metadata
from services.common.messaging.tables import (
    InboxMixin,
    MessageFailureMixin,
    OutboxMixin,
    ParkedMessageMixin,
)

metadata = make_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass


class MessageFailure(MessageFailureMixin, Base):
    pass


class ParkedMessage(ParkedMessageMixin, Base):
    pass


class IndexedListing(Base):
    """The latest revision of a listing the catalog has applied."""

    __tablename__ = "indexed_listings"

    listing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    # The listing.upserted payload of that revision; None when all we know is a removal.
    listing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def apply_upsert(self, event: ListingUpserted) -> None:
        self._guard(event.revision)
        if event.images is None and self.listing and self.listing.get("images"):
            # An upsert that does not say (an inventory file's row) keeps the photos known.
            event = ListingUpserted.model_validate(
                event.model_dump() | {"images": self.listing["images"]}
            )
        self.shop_id = event.shop_id
        self.revision = event.revision
        self.removed = False
        self.quantity = event.quantity
        self.listing = event.model_dump(mode="json")
        self.updated_at = utcnow()
        # Kept on the instance: indexing it right after need not validate the JSON again.
        self._upserted = event

    def upserted(self) -> ListingUpserted:
        """The applied listing.upserted event; call only when `listing` is not None."""
        applied = getattr(self, "_upserted", None)
        if applied is None or applied.revision != self.revision:
            applied = self._upserted = ListingUpserted.model_validate(self.listing)
        return applied

    def apply_removal(self, event: ListingRemoved) -> None:
        self._guard(event.revision)
        self.shop_id = event.shop_id
        self.revision = event.revision
        self.removed = True
        self.updated_at = utcnow()

    def visibility(self, shop: IndexedShop | None) -> Visibility:
        return Visibility(
            removed=self.removed or self.listing is None,
            quantity=self.quantity,
            # A shop the platform suspended is hidden as one on vacation is.
            shop_on_vacation=shop is not None and (shop.on_vacation or bool(shop.suspended)),
        )

    def _guard(self, revision: int) -> None:
        if not supersedes(revision, self.revision):
            raise StaleUpdate(f"revision {revision} is not newer than {self.revision}")


class IndexedShop(Base):
    """A shop's public face as search shows it."""

    __tablename__ = "indexed_shops"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    signature: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(64))
    on_vacation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Suspended by the platform's operator: none of its listings is shown.
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    revision: Mapped[int] = mapped_column(Integer, default=0)
    about: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str | None] = mapped_column(String(3))
    # ShippingRates as JSON (Money amounts in minor units), None when the shop sent none.
    shipping: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # When the applied shop.updated was written, to ignore an older one arriving late.
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The shop's reputation as the orders service last counted it (review.posted).
    rating_average: Mapped[float] = mapped_column(Float, default=0.0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_positive_share: Mapped[float] = mapped_column(Float, default=0.0)
    reputation_revision: Mapped[int] = mapped_column(Integer, default=0)
    # The shop's logo and banner (ListingImage's fields), None when it has none.
    logo: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    banner: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where the shop is (contracts.ShopLocation: town, postal code, coordinates), None when
    # the shop has not said.
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def apply_reputation(self, reputation: Reputation) -> None:
        if not supersedes(reputation.revision, self.reputation_revision or 0):
            raise StaleUpdate(
                f"reputation revision {reputation.revision} is not newer than "
                f"{self.reputation_revision}"
            )
        self.rating_average = reputation.average
        self.rating_count = reputation.count
        self.rating_positive_share = reputation.positive_share
        self.reputation_revision = reputation.revision

    def apply_update(self, event: ShopUpdated, *, changed_at: datetime) -> None:
        if not shop_update_supersedes(
            changed_at,
            self.changed_at,
            incoming_revision=event.revision,
            stored_revision=self.revision or 0,
        ):
            raise StaleUpdate(f"shop update of {changed_at} is older than {self.changed_at}")
        self.slug = event.slug
        self.name = event.name
        self.signature = event.signature
        self.country = event.country
        self.on_vacation = event.on_vacation
        self.suspended = event.suspended
        self.revision = event.revision
        self.about = event.about
        self.currency = event.currency
        self.shipping = None if event.shipping is None else event.shipping.model_dump(mode="json")
        self.logo = None if event.logo is None else event.logo.model_dump(mode="json")
        self.banner = None if event.banner is None else event.banner.model_dump(mode="json")
        self.location = None if event.location is None else event.location.model_dump(mode="json")
        self.changed_at = changed_at


class Want(Base):
    """What a shopper is looking for: an ISBN, or words, and optional filters."""

    __tablename__ = "wants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)
    words: Mapped[str | None] = mapped_column(String(200))
    condition_at_least: Mapped[str | None] = mapped_column(String(20))
    binding: Mapped[str | None] = mapped_column(String(60))
    first_edition: Mapped[bool] = mapped_column(Boolean, default=False)
    ships_to: Mapped[str | None] = mapped_column(String(2))
    max_price_amount: Mapped[int | None] = mapped_column(Integer)
    max_price_currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WantTerm(Base):
    """One word of a word want, so a batch of listings finds its wants by its words."""

    __tablename__ = "want_terms"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    want_id: Mapped[str] = mapped_column(
        ForeignKey("wants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # How many words the want has: a want is a candidate when the batch holds all of them.
    terms_in_want: Mapped[int] = mapped_column(Integer)


class WantMatch(Base):
    """A listing that answered a want: the shopper's notification, made once per pair."""

    __tablename__ = "want_matches"
    __table_args__ = (UniqueConstraint("want_id", "listing_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    want_id: Mapped[str] = mapped_column(ForeignKey("wants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    listing_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str] = mapped_column(String(64))
    shop_name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    price_amount: Mapped[int] = mapped_column(Integer)
    price_currency: Mapped[str] = mapped_column(String(3))
    matched_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
