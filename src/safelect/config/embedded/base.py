"""Django's PostgreSQL backend, starting the embedded server when a connection is first needed.

Importing the settings must not start a database server (``safelect --help``, ``safelect rla``,
``lint-imports`` and documentation builds import them). With no ``DATABASE_URL`` the settings name
this backend with an empty ``HOST``; the first connection asks :func:`safelect.config.database.
embedded_server` for the running server (starting or joining it) and fills in the socket directory
and port, in place, so later connections and ``connection.settings_dict`` see them.
"""

from __future__ import annotations

from django.db.backends.postgresql import base

from safelect.config import database, environment


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        if not self.settings_dict.get("HOST"):
            self.settings_dict.update(database.embedded_socket(environment.safelect_home()))
        return super().get_connection_params()
