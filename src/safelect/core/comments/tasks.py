"""Background jobs of the comment mechanism."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app


@app.task(name="comments.send_confirmation", queue="notices", retry=RetryStrategy(max_attempts=5, exponential_wait=5))
def send_confirmation(comment_id: int) -> bool:
    """Email the confirmation link of a public comment's address (once: the sent moment is recorded
    under a row lock, so a second run of the job sends nothing)."""
    from .models import Comment
    from .public import confirmation_token

    with transaction.atomic():
        comment = Comment.objects.select_for_update(of=("self",)).select_related("solicitation").filter(pk=comment_id).order_by().first()
        if comment is None or not comment.email or comment.confirmation_sent_at or comment.email_confirmed_at:
            return False
        link = settings.BASE_URL + reverse("comments:confirm", args=[confirmation_token(comment)])
        send_mail(
            f"Confirm your comment on: {comment.solicitation.title[:120]}",
            "You (or someone using this address) commented on:\n\n"
            f"  {comment.solicitation.title}\n\n"
            "To show your name as confirmed beside the comment once it is published, follow this link:\n\n"
            f"  {link}\n\n"
            "If you did not comment, ignore this message: the address is never published.\n",
            settings.DEFAULT_FROM_EMAIL,
            [comment.email],
        )
        comment.confirmation_sent_at = timezone.now()
        comment.save(update_fields=["confirmation_sent_at"])
    return True
