"""No link between a member and a choice (issue 18 item 2), checked on PostgreSQL after a batch of members voted:
the ballot table's own columns lead nowhere, no other table holds anything a ballot holds (so no join but the
question's, which every voter of the question shares), the times are on the hour, the rows are neither in casting
order nor dated by their transactions, and no log line holds a credential, a digest or a receipt."""

import logging

import pytest
from django.apps import apps
from django.db import connection

from ballots import credentials, voting
from ballots.models import Ballot, Slot
from tests.ballots.helpers import open_item, option_ids, published_meeting, secretary
from tests.concurrency import needs_postgresql
from tests.seed_data import restore_seed_data

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]
VOTERS = 12
# What a ballot may hold: nothing that names a person, a slot, a session, or a time finer than the hour.
BALLOT_COLUMNS = {"digest", "question_id", "options", "nonce", "receipt", "cast_hour"}
SLOT_COLUMNS = {"id", "question_id", "member_id", "holder_id", "issued"}


@pytest.fixture
def voted(caplog, capsys):
    """Twelve members open voting and cast, the first three cast again; everything logged is kept."""
    restore_seed_data()
    caplog.set_level(logging.DEBUG)
    officer = secretary()
    meeting, people = published_meeting(officer, members=VOTERS)
    question = open_item(meeting, officer)
    options = option_ids(question)
    issued, cast_order = [], []
    for index, member in enumerate(people):
        slot = Slot.objects.get(question=question, member=member)
        credential = voting.open_voting(slot=slot, by=member)
        voting.cast(slot=slot, by=member, credential=credential, option_ids=[options[index % 3]])
        issued.append(credential)
        cast_order.append(credentials.digest(credential))
    for index, member in enumerate(people[:3]):
        slot = Slot.objects.get(question=question, member=member)
        voting.cast(slot=slot, by=member, credential=issued[index], option_ids=[options[(index + 1) % 3]])
    output = capsys.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records) + output.out + output.err
    return question, issued, cast_order, logged


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def test_the_ballot_table_has_no_column_or_key_leading_to_a_person(voted):
    relations = {field.name: field.related_model for field in Ballot._meta.get_fields() if field.is_relation}
    with connection.cursor() as cursor:
        foreign_keys = {
            column: target
            for column, target in connection.introspection.get_relations(cursor, Ballot._meta.db_table).items()
        }

    assert columns(Ballot._meta.db_table) == BALLOT_COLUMNS
    assert columns(Slot._meta.db_table) == SLOT_COLUMNS
    assert {name: model._meta.label for name, model in relations.items()} == {"question": "ballots.Question"}
    assert {column: target[1] for column, target in foreign_keys.items()} == {"question_id": "ballots_question"}
    pointing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model is Ballot
    ]
    assert pointing == []


def test_no_other_table_holds_a_value_a_ballot_holds(voted):
    question, issued, _cast_order, _logged = voted
    ballots = list(Ballot.objects.filter(question=question))
    wanted = {ballot.digest for ballot in ballots} | {ballot.receipt for ballot in ballots}
    wanted |= {ballot.nonce for ballot in ballots} | set(issued)
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # The table names come from the database itself.
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
            for (row,) in cursor.fetchall():
                for value in wanted:
                    if value in row:
                        found.setdefault(value, set()).add(table)

    assert not set(issued) & set(found), "a credential is stored"
    assert len(found) == 3 * len(ballots), "every digest, receipt and nonce is in the ballot table"
    assert {value: tables for value, tables in found.items() if tables != {Ballot._meta.db_table}} == {}
    # The one column shared with another table is the question: it joins each ballot to every issued slot alike.
    assert len(ballots) == VOTERS == Slot.objects.filter(question=question, issued=True).count()


def test_times_are_on_the_hour_and_rows_are_neither_in_casting_order_nor_dated_by_their_transaction(voted):
    question, _issued, cast_order, _logged = voted
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT digest, xmin::text FROM ballots_ballot WHERE question_id = %s ORDER BY ctid", [question.pk]
        )
        stored = cursor.fetchall()
        cursor.execute("SELECT xmin::text FROM ballots_slot WHERE question_id = %s AND issued", [question.pk])
        slot_transactions = {row[0] for row in cursor.fetchall()}

    assert all(
        (hour.minute, hour.second, hour.microsecond) == (0, 0, 0)
        for hour in Ballot.objects.values_list("cast_hour", flat=True)
    )
    assert [digest for digest, _xmin in stored] != cast_order
    assert sorted(digest for digest, _xmin in stored) == sorted(cast_order)
    assert len({xmin for _digest, xmin in stored}) == 1, "every ballot rewritten by one transaction"
    assert not {xmin for _digest, xmin in stored} & slot_transactions


def test_the_logs_hold_no_credential_digest_or_receipt(voted):
    question, issued, _cast_order, logged = voted
    secrets_seen = set(issued)
    for ballot in Ballot.objects.filter(question=question):
        secrets_seen |= {ballot.digest, ballot.receipt, ballot.nonce}

    assert "notice queued" in logged, "the capture sees what the code logs"
    assert [value for value in secrets_seen if value in logged] == []
