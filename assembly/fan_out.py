"""Writing one message of a meeting to thousands of members' outboxes at once, as announcements do.

The texts are rendered once per language and channel (the message names no member), then written in bulk, BATCH
members per transaction: on PostgreSQL by INSERT … SELECT from the member table, elsewhere through the ORM. The
channel rules are the outbox's (members.outbox.channels_for): the inbox always, SMS with consent and a mobile,
e-mail with consent and an address. Each row's key is "<prefix><member id>:<channel>", unique, and a conflict is
skipped, so a second run writes only what the first left. The SMS and e-mail rows go to delivery after commit.
"""

import json

from django.db import connection, transaction
from django.utils import timezone

from members import outbox, outbox_sending
from members.models import Channel, Member, Notification

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
    insert = _insert_sql if connection.vendor == "postgresql" else _insert_orm
    written = 0
    for start in range(0, len(member_ids), BATCH):
        with transaction.atomic():
            batch = member_ids[start : start + BATCH]
            written += insert(event, key_prefix, texts, context, link, batch)
            pending = list(
                Notification.objects.filter(
                    member_id__in=batch, key__startswith=key_prefix, status=Status.PENDING, attempts=0
                )
                .exclude(channel=Channel.INBOX)
                .values_list("pk", flat=True)
            )
            outbox_sending.enqueue_pending(pending)
    return written


def _insert_orm(event, key_prefix, texts, context, link, member_ids) -> int:
    now = timezone.now()
    members = Member.objects.filter(pk__in=member_ids).only(
        "pk", "language", "mobile", "sms_consent", "email", "email_consent"
    )
    rows = []
    for member in members:
        language = "en" if member.language == "en" else "ar"
        token = outbox.new_token()
        for channel in outbox.channels_for(member):
            inbox = channel == Channel.INBOX
            rows.append(
                Notification(
                    member_id=member.pk,
                    channel=channel,
                    event=event,
                    context=context,
                    language=language,
                    link=link,
                    subject=texts[language][channel].subject,
                    body=texts[language][channel].body,
                    token=token,
                    key=f"{key_prefix}{member.pk}:{channel}",
                    status=Status.SENT if inbox else Status.PENDING,
                    sent_at=now if inbox else None,
                    next_attempt_at=None if inbox else now,
                )
            )
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


# The same rules as outbox.channels_for, in SQL. Identifiers come from the models' metadata, values are parameters.
_CHANNEL_CONDITION = {
    Channel.INBOX: "TRUE",
    Channel.SMS: "m.sms_consent AND m.mobile <> ''",
    Channel.EMAIL: "m.email_consent AND m.email <> ''",
}


def _insert_sql(event, key_prefix, texts, context, link, member_ids) -> int:
    notification, member = Notification._meta.db_table, Member._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        for channel in (Channel.INBOX, Channel.SMS, Channel.EMAIL):
            inbox = channel == Channel.INBOX
            # The inbox rows are written first and give the SMS and e-mail rows their member's token.
            token_source = (
                "replace(substr(gen_random_uuid()::text, 1, 13), '-', '')"
                if inbox
                else f"(SELECT i.token FROM {notification} i WHERE i.key = %s || m.id || ':inbox')"  # noqa: S608
            )
            sql = f"""
                INSERT INTO {notification} (member_id, announcement_id, channel, event, context, language, link,
                    subject, body, token, key, status, attempts, last_error, created_at, claimed_at, claim_token,
                    sent_at, read_at, next_attempt_at)
                SELECT m.id, NULL, %s, %s, %s::jsonb, CASE WHEN m.language = 'en' THEN 'en' ELSE 'ar' END, %s,
                    CASE WHEN m.language = 'en' THEN %s ELSE %s END, CASE WHEN m.language = 'en' THEN %s ELSE %s END,
                    {token_source}, %s || m.id || %s, %s, 0, '', now(), NULL, '', {"now()" if inbox else "NULL"},
                    NULL, {"NULL" if inbox else "now()"}
                FROM {member} m
                WHERE m.id = ANY(%s) AND {_CHANNEL_CONDITION[channel]}
                ON CONFLICT (key) DO NOTHING
            """  # noqa: S608 (identifiers from model metadata; values are parameters)
            params = [
                channel.value,
                event,
                json.dumps(context),
                link,
                texts["en"][channel].subject,
                texts["ar"][channel].subject,
                texts["en"][channel].body,
                texts["ar"][channel].body,
                *([] if inbox else [key_prefix]),
                key_prefix,
                f":{channel.value}",
                Status.SENT if inbox else Status.PENDING,
                member_ids,
            ]
            cursor.execute(sql, params)
            written += cursor.rowcount
    return written
