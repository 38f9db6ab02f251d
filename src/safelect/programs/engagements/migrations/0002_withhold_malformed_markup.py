"""Text saved before redaction markup was validated may hold a malformed ``[[`` span as clear
text, which the release would show. Read each such clear segment again with the current parser,
which withholds malformed markup (exemption unspecified) instead of releasing it."""

from django.db import migrations

TEXT_FIELDS = ("location", "poc", "attendees", "discussion", "issues", "follow_up",
               "leadership_awareness", "leadership_action", "next_engagement", "notes", "jurisdiction_text")


def withhold(apps, schema_editor):
    from safelect.programs.engagements.fields import from_segments
    from safelect.programs.engagements.importing.redaction import RedactedText, parse_redacted

    Engagement = apps.get_model("engagements", "Engagement")
    repaired = []
    for engagement in Engagement.objects.all().iterator():
        changed = []
        for name in TEXT_FIELDS:
            value = getattr(engagement, name)
            value = value if isinstance(value, RedactedText) else from_segments(value)
            if any(s.exemption is None and "[[" in s.text for s in value.segments):
                setattr(engagement, name, parse_redacted(value.marked()))
                changed.append(name)
        if changed:
            engagement.save(update_fields=changed)
            repaired.append(engagement.pk)
    if repaired:  # the released search vector must not index the words either
        from safelect.programs.engagements.models import Engagement as Current
        from safelect.programs.engagements.rows import refresh_search

        for engagement in Current.objects.filter(pk__in=repaired):
            refresh_search(engagement)


class Migration(migrations.Migration):
    dependencies = [("engagements", "0001_initial")]
    operations = [migrations.RunPython(withhold, migrations.RunPython.noop)]
