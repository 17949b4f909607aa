"""Search over every shop's listings: one port, one adapter per search engine."""
