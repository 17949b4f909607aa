from services.catalog.app import create_app

app = create_app()
