"""What several pages need, built once: the views of gateway/views use these modules and
never import one another, so no view renders another view's page and no import cycle runs
between them (tests/gateway/test_views_apart.py)."""
