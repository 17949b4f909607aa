"""What several pages need, built once: the views of gateway/views use these modules and
never import one another, so no view renders another view's page and no import cycle runs
between them (tests/gateway/test_views_apart.py).

How a page is built: its view asks the services for everything the page shows before the
template runs, at once and with one deadline (gather.py), together with the menus' counts
(layout.py, `render_page`); what could not be had is left out and said (`missing`). The
templates only format what they are given: no template global, filter or context processor
asks a service (tests/gateway/test_page_data.py).
"""
