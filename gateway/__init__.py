"""The web gateway: the shopper site and the seller portal, the only part a browser reaches."""
