"""``safelect check``: configuration and database health, then Django's system checks."""

from django.conf import settings
from django.core.management.commands.check import Command as DjangoCheck
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safelect.config.database import app_role, check_connection
from safelect.config.environment import ConfigurationError


class Command(DjangoCheck):
    help = "Check safelect's configuration, the database connection and pending migrations, then run Django's system checks."

    def handle(self, *app_labels, **options):
        try:
            check_connection()
        except ConfigurationError as exc:
            self.stderr.write(f"database: FAILED - {exc}")
            raise SystemExit(2) from None
        db = connection.settings_dict
        with connection.cursor() as cursor:
            cursor.execute("show server_version")
            version = cursor.fetchone()[0]
        where = (
            "embedded (SAFELECT_HOME)"
            if not db.get("PORT") or str(db.get("HOST", "")).startswith("/")
            else f"{db.get('HOST')}:{db.get('PORT')}"
        )
        self.stdout.write(f"home:      {settings.HOME}")
        self.stdout.write(f"database:  ok - PostgreSQL {version}, {where}, database {db['NAME']}")
        role = app_role()
        if role is None:
            self.stdout.write(
                "roles:     WARNING - one database role owns the tables and serves requests, so it could rewrite "
                "the journal; set DATABASE_OWNER_URL (owner) beside DATABASE_URL (application role)"
            )
        else:
            self.stdout.write(f"roles:     ok - connected as {db.get('USER')}; the application role {role} cannot rewrite the journal")
        pending = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
        self.stdout.write(f"migrations: {'ok' if not pending else f'{len(pending)} pending - run `safelect migrate`'}")
        uswds = bool(settings.STATICFILES_DIRS)
        self.stdout.write(f"USWDS:     {'ok' if uswds else 'missing - run `npm ci` in the source checkout (pages render unstyled)'}")
        self.stdout.write(f"email:     {settings.EMAIL_BACKEND.rsplit('.', 2)[-2]} via {settings.EMAIL_HOST}:{settings.EMAIL_PORT}")
        self.stdout.write(f"enactment: {settings.ENACTMENT_DATE.isoformat()} (SAFELECT_ENACTMENT_DATE)")
        super().handle(*app_labels, **options)
