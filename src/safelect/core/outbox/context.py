"""``inbox_unread`` for the header: the signed-in person's unread notices, counted only if shown.

Add ``"safelect.core.outbox.context.inbox"`` to the template context processors.
"""

from django.utils.functional import SimpleLazyObject


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    from .services import unread_count

    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
