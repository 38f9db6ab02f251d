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
