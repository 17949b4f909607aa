"""Links to a parcel's tracking page at the carriers people name most often.

Sellers type the carrier's name freely, so it is matched loosely ("royal mail",
"Royal Mail Tracked 48", "DHL Express"); an unknown carrier simply gets no link.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# Longer names first where one contains another ("DHL Paket" before "DHL").
CARRIERS: tuple[tuple[str, str], ...] = (
    ("royal mail", "https://www.royalmail.com/track-your-item#/tracking-results/{}"),
    ("parcelforce", "https://www.parcelforce.com/track-trace?trackNumber={}"),
    (
        "dhl paket",
        "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={}",
    ),
    (
        "deutsche post",
        "https://www.deutschepost.de/sendung/simpleQueryResult.html?form.sendungsnummer={}",
    ),
    (
        "dhl",
        "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={}",
    ),
    ("ups", "https://www.ups.com/track?tracknum={}"),
    ("fedex", "https://www.fedex.com/fedextrack/?trknbr={}"),
    ("usps", "https://tools.usps.com/go/TrackConfirmAction?tLabels={}"),
    ("postnl", "https://jouw.postnl.nl/track-and-trace/{}"),
    ("postnord", "https://tracking.postnord.com/se/?id={}"),
    ("an post", "https://www.anpost.com/Post-Parcels/Track/History?item={}"),
    ("colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={}"),
    ("la poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={}"),
    ("ctt", "https://www.ctt.pt/feapl_2/app/open/objectSearch/objectSearch.jspx?objects={}"),
    ("gls", "https://gls-group.com/track/{}"),
    ("dpd", "https://tracking.dpd.de/status/en_US/parcel/{}"),
)


def tracking_url(carrier: str | None, number: str | None) -> str | None:
    """The carrier's page for this tracking number, or None for a carrier not known here."""
    if not carrier or not number or not number.strip():
        return None
    words = " ".join(re.findall(r"[a-z0-9]+", carrier.lower()))
    for name, template in CARRIERS:
        if re.search(rf"\b{re.escape(name)}\b", words):
            return template.format(quote(re.sub(r"\s+", "", number), safe=""))
    return None
