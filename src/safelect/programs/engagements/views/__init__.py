"""Thin HTML views of the engagements program; every write goes through :mod:`..services`."""
