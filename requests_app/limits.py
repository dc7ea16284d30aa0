"""How many requests a member may submit in the portal in a while (settings.REQUEST_SUBMISSION_LIMITS).

Thirty submissions in 3.5 seconds, each with an SMS, were accepted: a script or a stuck key could spend the
SMS budget and flood a department's queue. Counted from the requests themselves (no cache to lose), under a
lock of the member's row taken by the submitting transaction, so parallel submissions of one member are
counted one after another and cannot all slip under the limit together.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Member
from requests_app.models import Channel, ServiceRequest


def check_submission_rate(*, member: Member, now: datetime.datetime) -> None:
    """Raise ValidationError (saying from when the member may submit again) if one more portal submission
    would exceed a limit. Call inside the submitting transaction: it locks the member's row."""
    list(Member.objects.select_for_update().filter(pk=member.pk).values_list("pk", flat=True))  # the lock alone
    limits = settings.REQUEST_SUBMISSION_LIMITS
    if not limits:
        return
    # One read for every limit: the latest submissions within the widest window, as many as the largest count.
    widest = now - datetime.timedelta(seconds=max(seconds for _count, seconds in limits))
    latest = list(
        ServiceRequest.objects.filter(member=member, channel=Channel.PORTAL, submitted_at__gt=widest)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)[: max(count for count, _seconds in limits)]
    )
    for count, seconds in limits:
        since = now - datetime.timedelta(seconds=seconds)
        recent = [submitted_at for submitted_at in latest if submitted_at > since][:count]
        if len(recent) >= count:
            again = timezone.localtime(recent[-1] + datetime.timedelta(seconds=seconds))
            shown = formats.date_format(again, "H:i" if again.date() == timezone.localdate(now) else "j F Y H:i")
            raise ValidationError(
                _(
                    "You have submitted many requests in a short time. To protect the service, you can submit "
                    "the next one from %(time)s. What you typed is kept as a draft."
                ),
                params={"time": shown},
                code="submission_rate",
            )
