"""Journal entries are shown in words: no action codes, ISO timestamps or Python literals."""

from safelect.core.journal.history import action_words, describe, value_words
from safelect.core.obligations.templatetags.obligations_tags import threshold_words


def test_actions_and_values_in_words():
    assert action_words("engagements:follow_up:close") == "Closed follow up"
    assert action_words("obligations:obligation:waive") == "Recorded as not applying obligation"
    assert value_words("2026-03-09T14:05:06.123456+00:00") == "2026-03-09 14:05 UTC"
    assert value_words("2026-03-09T09:00:00-06:00") == "2026-03-09 09:00 (-06:00)"
    assert value_words(None) == "—" and value_words(True) == "yes" and value_words(["a", "b", "c"]) == "a, b, c"
    assert describe({"fulfilled_at": [None, "2026-03-09T14:05:06.123456+00:00"], "is_admin": [False, True]}) == [
        ("Fulfilled at", "— → 2026-03-09 14:05 UTC"),
        ("Is admin", "no → yes"),
    ]


def test_reminder_thresholds_in_words():
    assert threshold_words("lead-86400") == "Reminder: due tomorrow"
    assert threshold_words("lead-0") == "Reminder: due today"
    assert threshold_words("lead-604800") == "Reminder: due in 7 days"
    assert threshold_words("overdue") == "Overdue notice"


def test_a_reminder_entry_names_its_threshold_in_words():
    """The obligations app registers words for the "threshold" field of its reminder entries."""
    lines = describe({"threshold": "lead-86400", "notice": 8, "when": "2026-03-09T14:05:06+00:00"})
    assert ("Threshold", "Reminder: due tomorrow") in lines
    assert "lead-" not in str(lines)


def test_a_status_change_shows_the_labels_of_the_model_s_choices():
    from safelect.core.obligations.models import Obligation, Status

    lines = describe({"status": ["open", "fulfilled_late"]}, Obligation)
    assert lines == [("Status", f"{Status('open').label} → {Status('fulfilled_late').label}")]
    assert "_" not in lines[0][1]
