from gateway.app import create_app
from services.common import geo

app = create_app()
geo.load_in_background()
