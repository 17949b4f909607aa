"""The shops service's command-line tools (python -m services.shops.cli.<tool>)."""
