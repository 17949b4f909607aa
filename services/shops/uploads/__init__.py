"""Bulk inventory files: stored when sent, applied by the worker a chunk of rows at a time."""
