"""Listing photos: read and resized once at upload (processing), kept in a photo store."""
