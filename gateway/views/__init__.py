"""Blueprints: thin views that read a form, call a use case or a service, render a page."""
