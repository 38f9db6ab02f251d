from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """The one comment mechanism every program uses: a solicitation of comments from organizations of
    given kinds with a closing date, one comment per organization (editable until the close), who
    responded and who did not, reminders to those who have not, and a disposition for each comment
    (S.2261 §4(o)(2), and the comment periods of the guidelines and reports programs)."""

    name = "safelect.core.comments"
    label = "comments"
    verbose_name = "Comments"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Comments", "comments:list", "comments:solicitation:view")]
