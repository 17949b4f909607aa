from services.shops.app import create_app

app = create_app()
