"""What the orders service does, one module per use case. Each takes a session (or a
session factory when it must call another service first) and raises the errors below or
the domain's; the API and the worker only translate requests and messages into calls."""
