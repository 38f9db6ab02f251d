"""A Django database backend for the embedded PostgreSQL server: see :mod:`.base`."""
