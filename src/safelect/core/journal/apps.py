from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "safelect.core.journal"
    label = "journal"
    verbose_name = "Journal of every change"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_grant_app_privileges, sender=self, dispatch_uid="journal.grant_app_privileges")


def _grant_app_privileges(sender, using="default", **kwargs) -> None:
    """After migrating (as the owner role), grant the application role its privileges — never
    UPDATE, DELETE or TRUNCATE on the journal (see ``safelect.config.database``)."""
    from django.db import connections

    from safelect.config.database import app_role, grant_app_privileges

    role = app_role()
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("select current_user")
        current = cursor.fetchone()[0]
        if role is None or role == current:
            return
        cursor.execute("select 1 from pg_roles where rolname = %s", [role])
        if cursor.fetchone() is None:
            return
    grant_app_privileges(connection.connection, role)
