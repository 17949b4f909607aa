from services.common import geo
from services.shops.app import create_app

app = create_app()
geo.load_in_background()
