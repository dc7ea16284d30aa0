"""Writing one message of a meeting to thousands of members' outboxes at once, as announcements do.

The texts are rendered once per language and channel (the message names no member), then written in bulk by
members.bulk_outbox (the announcements' writer), BATCH members per transaction. Each row's key is
"<prefix><member id>:<channel>", unique, and a conflict is skipped, so a second run writes only what the first left.
The SMS and e-mail rows go to delivery after commit.
"""

from django.db import transaction

from members import bulk_outbox, outbox, outbox_sending
from members.models import Channel, Notification

BATCH = 5000
Status = Notification.Status


def render(*, event: str, contexts: dict[str, dict], link: str) -> dict[str, dict[str, outbox.Rendered]]:
    """Each language's texts for every channel: a broken template fails here, before anything is written."""
    links = {
        "member_name": "",
        "member_first_name": "",
        "site_url": outbox.absolute_url(""),
        "link": outbox.absolute_url(link),
        "short_link": outbox.absolute_url(link),
    }
    return {
        language: outbox.render_all(event=event, language=language, context={**context, **links})
        for language, context in contexts.items()
    }


def queue(*, event: str, key_prefix: str, member_ids: list[int], contexts: dict[str, dict], context: dict, link: str):
    """Write the event's rows for these members (see the module's docstring). `contexts` are the values each
    language's texts render with; `context` is what the rows keep (both languages' forms, so the inbox can show
    the message again in the language its reader chooses). Returns the number of rows written."""
    texts = render(event=event, contexts=contexts, link=link)
    written = 0
    for start in range(0, len(member_ids), BATCH):
        with transaction.atomic():
            batch = member_ids[start : start + BATCH]
            written += bulk_outbox.write_rows(
                member_ids=batch, event=event, key_prefix=key_prefix, texts=texts, context=context, link=link
            )
            pending = list(
                Notification.objects.filter(
                    member_id__in=batch, key__startswith=key_prefix, status=Status.PENDING, attempts=0
                )
                .exclude(channel=Channel.INBOX)
                .values_list("pk", flat=True)
            )
            outbox_sending.enqueue_pending(pending)
    return written
