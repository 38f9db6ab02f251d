"""Background jobs of Hack the Election."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from safelect.core import confirmations
from safelect.core.jobs import periodic


@periodic(cron="7 * * * *", name="hack.record_round_openings", queueing_lock="hack.record_round_openings")
def record_round_openings(timestamp: int) -> int:
    """Fulfil the S.2261 §8(d)(1) next-round clocks of closed rounds once a later round opened."""
    from .rounds import record_openings

    return record_openings(dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))


@app.task(name="hack.send_researcher_confirmation", queue="notices", retry=RetryStrategy(max_attempts=5, exponential_wait=5))
def send_researcher_confirmation(researcher_id: int) -> bool:
    """Email an applicant the link that confirms their address (their sign-in name), once per request:
    the sent moment is recorded under a row lock, so a second run of the job sends nothing."""
    from .models import Researcher
    from .researchers import CONFIRM_PURPOSE

    with transaction.atomic():
        found = Researcher.objects.select_for_update(of=("self",)).select_related("user").filter(pk=researcher_id).order_by().first()
        if found is None or found.confirmation_sent_at or found.email_confirmed_at:
            return False
        link = settings.BASE_URL + reverse("hack:confirm", args=[confirmations.token(CONFIRM_PURPOSE, found.pk, found.user.email)])
        send_mail(
            f"Confirm your address for Hack the Election ({found.reference})",
            f"You (or someone using this address) applied to take part in Hack the Election as {found.legal_name}.\n\n"
            "The national office qualifies an applicant only once the address is confirmed. Follow this link:\n\n"
            f"  {link}\n\n"
            "The link works for two weeks. If you did not apply, ignore this message: the application stays unconfirmed\n"
            "and is not qualified.\n",
            settings.DEFAULT_FROM_EMAIL,
            [found.user.email],
        )
        found.confirmation_sent_at = timezone.now()
        found.save(update_fields=["confirmation_sent_at"])
    return True
