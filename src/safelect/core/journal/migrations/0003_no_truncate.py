"""The journal refuses TRUNCATE as well (a statement-level trigger), and no role but the owner
may write to it other than by INSERT (the application role's grants: ``config.database``).

The owner — and any database superuser — can still disable the triggers; what such a role does to
the table is revealed by the signed checkpoints kept outside the database (``journal.checkpoints``).
"""

from django.db import migrations

FORBID = """
create trigger journal_entry_no_truncate before truncate on journal_entry
    for each statement execute function journal_entry_is_append_only();
revoke update, delete, truncate on journal_entry from public;
"""

ALLOW = "drop trigger if exists journal_entry_no_truncate on journal_entry;"


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_append_only")]
    operations = [migrations.RunSQL(FORBID, ALLOW)]
