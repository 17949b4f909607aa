"""Small HTTP clients for the services, one method per call in docs/api.md."""

from gateway.clients.base import ServiceClient, ServiceError, ServiceUnavailable
from gateway.clients.catalog import CatalogClient
from gateway.clients.orders import OrdersClient
from gateway.clients.shops import ShopsClient

__all__ = [
    "CatalogClient",
    "OrdersClient",
    "ServiceClient",
    "ServiceError",
    "ServiceUnavailable",
    "ShopsClient",
]
