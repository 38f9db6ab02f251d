"""The database refuses UPDATE and DELETE on journal entries.

TRUNCATE is left to the table's owner (test databases are flushed with it); run safelect in
production as a role that does not own its tables if TRUNCATE must be refused as well.
"""

from django.db import migrations

FORBID = """
create or replace function journal_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'journal entries are append-only: % refused on journal_entry', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger journal_entry_no_update before update or delete on journal_entry
    for each row execute function journal_entry_is_append_only();
"""

ALLOW = """
drop trigger if exists journal_entry_no_update on journal_entry;
drop function if exists journal_entry_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]
    operations = [migrations.RunSQL(FORBID, ALLOW)]
