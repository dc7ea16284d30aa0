"""One message to thousands of members' outboxes at once (announcements, the General Assembly's notices).

The texts are rendered by the caller once per language and channel (the message names no member) and written here
in bulk: on PostgreSQL by INSERT … SELECT from the member table (about ten times faster than building the model
instances), elsewhere through the ORM. The channel rules are the channel table's (`members.channel_table`, as for
`outbox.channels_for`): the inbox always, every other channel with consent and an address; a random 48-bit token
per member, shared by their rows. Each row's key is "<key_prefix><member id>:<channel>", unique, and a conflict is
skipped, so a second run writes only what the first left. Call inside a transaction; the caller enqueues the rows
to deliver.
"""

import json

from django.db import connection
from django.utils import timezone

from members import channel_table, outbox
from members.models import Member, Notification

Status = Notification.Status


def write_rows(
    *,
    member_ids: list[int],
    event: str,
    key_prefix: str,
    texts: dict[str, dict[str, outbox.Rendered]],
    context: dict,
    link: str,
    announcement_id: int | None = None,
) -> int:
    """Write the message's rows for these members; `texts[language][channel]`. Returns the number of rows written."""
    insert = _insert_sql if connection.vendor == "postgresql" else _insert_orm
    return insert(member_ids, event, key_prefix, texts, context, link, announcement_id)


def rows_for(member: Member, *, event, key_prefix, texts, context, link, announcement_id=None) -> list[Notification]:
    """One member's rows, built in Python: the portable path, and the reference for the SQL one."""
    now = timezone.now()
    language = "en" if member.language == "en" else "ar"
    token = outbox.new_token()
    rows = []
    for channel in outbox.channels_for(member, texts=texts[language]):
        inbox = not outbox.sends(channel)
        fallback = channel_table.kind_of(channel).fallback
        rows.append(
            Notification(
                member_id=member.pk,
                announcement_id=announcement_id,
                channel=channel,
                event=event,
                context=context,
                language=language,
                link=link,
                subject=texts[language][channel].subject,
                body=texts[language][channel].body,
                fallback_body=texts[language][fallback].body if fallback else "",
                token=token,
                key=f"{key_prefix}{member.pk}:{channel}",
                status=Status.SENT if inbox else Status.PENDING,
                sent_at=now if inbox else None,
                next_attempt_at=None if inbox else now,
            )
        )
    return rows


def _insert_orm(member_ids, event, key_prefix, texts, context, link, announcement_id) -> int:
    members = Member.objects.filter(pk__in=member_ids).only("pk", "language", *channel_table.member_fields())
    rows = [
        row
        for member in members
        for row in rows_for(
            member,
            event=event,
            key_prefix=key_prefix,
            texts=texts,
            context=context,
            link=link,
            announcement_id=announcement_id,
        )
    ]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


_LANGUAGE = "(CASE WHEN m.language = 'en' THEN 'en' ELSE 'ar' END)"


def _languages(kind: channel_table.Kind, texts: dict) -> list[str]:
    """The languages the message has a text in on this channel (every language for a channel that needs one)."""
    return [language for language in ("ar", "en") if kind.channel in texts[language]]


def _condition(kind: channel_table.Kind, texts: dict) -> tuple[str | None, list]:
    """The members this channel reaches, as SQL and its parameters (None: the message has no text on it): the
    channel's own rule, limited to the languages it has a text in, and not where a channel used in its place
    (WhatsApp for SMS) reaches the member."""
    condition, params = kind.sql_condition(), []
    if kind.optional:
        languages = _languages(kind, texts)
        if not languages:
            return None, []
        condition += f" AND {_LANGUAGE} = ANY(%s)"
        params.append(languages)
    for other in channel_table.TABLE:
        if other.fallback == kind.channel and (languages := _languages(other, texts)):
            condition += f" AND NOT ({other.sql_condition()} AND {_LANGUAGE} = ANY(%s))"
            params.append(languages)
    return condition, params


def _insert_sql(member_ids, event, key_prefix, texts, context, link, announcement_id) -> int:
    notification, member = Notification._meta.db_table, Member._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        # The channel table's rules (outbox.channels_for) in SQL: identifiers from the table, values are parameters.
        for kind in channel_table.TABLE:
            condition, condition_params = _condition(kind, texts)
            if condition is None:
                continue
            channel, inbox = kind.channel, not kind.sends
            text = {language: texts[language].get(channel) or outbox.Rendered("", "") for language in ("ar", "en")}
            fallback = {
                language: texts[language][kind.fallback].body if kind.fallback else "" for language in ("ar", "en")
            }
            # The inbox rows are written first and give the other rows their member's token.
            token_source = (
                "replace(substr(gen_random_uuid()::text, 1, 13), '-', '')"
                if inbox
                else f"(SELECT i.token FROM {notification} i WHERE i.key = %s || m.id || ':inbox')"  # noqa: S608
            )
            sql = f"""
                INSERT INTO {notification} (member_id, announcement_id, channel, event, context, language, link,
                    subject, body, fallback_body, token, key, status, attempts, last_error, created_at, claimed_at,
                    claim_token, sent_at, read_at, next_attempt_at)
                SELECT m.id, %s, %s, %s, %s::jsonb, {_LANGUAGE}, %s,
                    CASE WHEN m.language = 'en' THEN %s ELSE %s END, CASE WHEN m.language = 'en' THEN %s ELSE %s END,
                    CASE WHEN m.language = 'en' THEN %s ELSE %s END,
                    {token_source}, %s || m.id || %s, %s, 0, '', now(), NULL, '', {"now()" if inbox else "NULL"},
                    NULL, {"NULL" if inbox else "now()"}
                FROM {member} m
                WHERE m.id = ANY(%s) AND {condition}
                ON CONFLICT (key) DO NOTHING
            """  # noqa: S608 (identifiers from model metadata; values are parameters)
            params = [
                announcement_id,
                channel.value,
                event,
                json.dumps(context),
                link,
                text["en"].subject,
                text["ar"].subject,
                text["en"].body,
                text["ar"].body,
                fallback["en"],
                fallback["ar"],
                *([] if inbox else [key_prefix]),
                key_prefix,
                f":{channel.value}",
                Status.SENT if inbox else Status.PENDING,
                member_ids,
                *condition_params,
            ]
            cursor.execute(sql, params)
            written += cursor.rowcount
    return written
