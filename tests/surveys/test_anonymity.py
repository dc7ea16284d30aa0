"""The response table has no path back to a member: these tests fail when one is added."""

import importlib
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from members.models import Member
from requests_app.models import Draft, ServiceRequest, TimelineEvent
from surveys import services
from surveys.models import (
    GeneralRatingMark,
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    StaffResultTally,
)
from tests.surveys.factories import closed_request, invitation_for

# What a response may point at: shared dimensions, none of which names a person.
ALLOWED_TARGETS = {"surveys.questionnaireversion", "requests_app.requesttype", "requests_app.department"}
# Models that lead to a person who answered, or to when exactly they answered.
IDENTIFYING = {Member, ServiceRequest, Invitation, Draft, TimelineEvent, GeneralRatingMark, StaffResultTally}


def _forward_targets(model) -> set:
    """Every model reachable from `model` by following forward relations (FK, one-to-one, many-to-many)."""
    seen, todo = set(), [model]
    while todo:
        current = todo.pop()
        for field in current._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model and field.related_model not in seen:
                seen.add(field.related_model)
                todo.append(field.related_model)
    return seen


def test_a_response_points_only_at_shared_dimensions():
    relations = [field for field in Response._meta.get_fields() if field.is_relation]

    targets = {field.related_model._meta.label_lower for field in relations}

    assert targets <= ALLOWED_TARGETS, f"Response gained a relation to {targets - ALLOWED_TARGETS}"


def test_no_path_from_a_response_leads_to_a_member_a_request_or_an_invitation():
    reachable = _forward_targets(Response)

    assert not reachable & IDENTIFYING, f"Response reaches {reachable & IDENTIFYING}"


def test_a_response_has_no_user_column():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)

    direct = [
        field.name for field in Response._meta.get_fields() if field.is_relation and field.related_model is user_model
    ]

    assert direct == []


def test_no_model_points_at_a_response():
    pointing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model is Response
    ]

    assert pointing == []


def test_a_response_keeps_no_timestamp_only_the_month():
    time_fields = [
        field.name
        for field in Response._meta.get_fields()
        if isinstance(field, (models.DateTimeField, models.TimeField))
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    ]

    assert time_fields == []


def test_response_ids_are_random_not_a_sequence():
    primary_key = Response._meta.pk

    assert isinstance(primary_key, models.UUIDField)
    assert primary_key.default is uuid.uuid4
    assert Response._meta.ordering == ["id"]


# --- The database's side doors: transaction ids and row order ---------------------------------------------------


def _xmin(table: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE id = %s", [pk])  # noqa: S608 (a fixed table name)
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_after_the_answer_commits_the_response_no_longer_shares_a_transaction_id_with_the_invitation():
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's; CI runs on PostgreSQL")
    _seed_questionnaire()
    invitation = invitation_for(closed_request())

    response = services.submit_response(invitation=invitation, answer=services.Answer(overall=2))

    assert _xmin("surveys_response", response.pk) != _xmin("surveys_invitation", invitation.pk)


@pytest.mark.django_db
def test_resealing_rewrites_the_same_answers_once(django_capture_on_commit_callbacks):
    for overall in (1, 3, 5):
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_response(
                invitation=invitation_for(closed_request()), answer=services.Answer(overall=overall, comment="x")
            )
    before = sorted(Response.objects.values_list("id", "overall", "comment", "month"))

    rewritten = services.reseal_anonymous_rows()

    assert rewritten == 3
    assert sorted(Response.objects.values_list("id", "overall", "comment", "month")) == before


@pytest.mark.django_db
def test_resealing_leaves_the_answers_in_an_order_that_is_not_the_order_they_came_in():
    """The table's order would tell which invitation (answered at a known moment) each answer is: rewritten in the
    order they were read, the rows would still sit as they were answered (PostgreSQL's physical order, ctid). The
    reseal reads them by their random ids (Response.Meta.ordering) and shuffles them: either alone keeps the order
    random, so the test fails only with both gone (with the shuffle removed alone it passed, rightly). Index scans
    are off so that, without the ordering, the rows are read in the table's order, as a month of answers is."""
    if connection.vendor != "postgresql":
        pytest.skip("the physical order (ctid) is PostgreSQL's; CI runs on PostgreSQL")
    answered = [f"c{index}" for index in range(10)]
    for comment in answered:
        services.submit_response(
            invitation=invitation_for(closed_request()), answer=services.Answer(overall=3, comment=comment)
        )

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
    services.reseal_anonymous_rows()

    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM surveys_response ORDER BY ctid")
        stored = [row[0] for row in cursor.fetchall()]
    assert sorted(stored) == answered
    assert stored != answered  # the same order by chance: 1 in 10! (3.6 million)


@pytest.mark.django_db
def test_answering_schedules_the_reseal_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit_response(invitation=invitation_for(closed_request()), answer=services.Answer(overall=4))

    assert any("reseal_anonymous_rows" in repr(callback) for callback in callbacks)


def _seed_questionnaire() -> None:
    """A transactional test starts from an emptied database: put the seed migration's questionnaire back."""
    seed = importlib.import_module("surveys.migrations.0002_seed_default_questionnaire")
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="default", defaults={"name": "الاستبانة العامة", "is_default": True, **seed.DEFAULT}
    )
    if created:
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, content=seed.DEFAULT)
