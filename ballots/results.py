"""A meeting's secret results as the minutes print them (assembly.slots), and an election's result applied to the
board when the meeting's minutes are approved (assembly.signals.minutes_approved).

The counts come from the published record (ballots.record), so the minutes, the results page and the exported
record say the same; the whole count only, never by governorate or any other slice of the members.

The board, once the minutes are approved (docs/architecture.md, "Secret ballots"): the elected hold the portal's
board role; the outgoing members the officers named when they prepared the election (the seats it fills) lose it,
unless elected again; every other board member keeps it. Each candidate's rank and votes are recorded
(`BoardResult`), the reserves in order (the reserve with most votes fills a vacancy, Law art. 15). Once: the
approval is once (assembly.approval) and an election already applied is never applied again.
"""

from typing import TypedDict

from django.contrib.auth.models import Group
from django.utils import timezone

from assembly.slots import ResultRow, SecretResult
from ballots import record
from ballots.models import BoardResult, Option, OutgoingSeat, Question
from members.models import Member
from members.roles import Role


class _Known(TypedDict):
    """What every result says of its question, closed or not."""

    title: str
    kind: str
    seats: int
    agenda_item_id: int | None


def _ranked(question: Question) -> tuple[dict, list[tuple[Option, int, str, int]]]:
    """The tally and each option in rank order: (option, votes, outcome, reserve rank)."""
    tally = record.question_record(question)["tally"]
    options = {option.pk: option for option in question.options.select_related("candidate")}
    elected = set(tally.get("elected", []))
    reserves = {option: index for index, option in enumerate(tally.get("reserves", []), start=1)}
    rows = []
    for row in tally["ranked"]:
        outcome = ""
        if question.kind == Question.Kind.ELECTION:
            outcome = "elected" if row["option"] in elected else "reserve"
        rows.append((options[row["option"]], row["votes"], outcome, reserves.get(row["option"], 0)))
    return tally, rows


def secret_results(meeting) -> list[SecretResult]:
    """Every secret question of the meeting; the closed ones with their count."""
    results = []
    for question in Question.objects.filter(meeting=meeting).order_by("pk"):
        known: _Known = {
            "title": question.title_ar,
            "kind": question.kind,
            "seats": question.seats,
            "agenda_item_id": question.agenda_item_id,
        }
        if question.status != Question.Status.CLOSED:
            results.append(SecretResult(closed=False, **known))
            continue
        tally, rows = _ranked(question)
        results.append(
            SecretResult(
                closed=True,
                ballots=tally["ballots"],
                rows=[ResultRow(option.label_ar, votes, outcome, rank) for option, votes, outcome, rank in rows],
                tie_at_last_seat=bool(tally.get("tie_at_last_seat")),
                **known,
            )
        )
    return results


def apply_to_board(*, meeting, by, **_kwargs) -> int:
    """The closed elections of an approved meeting become the board. Returns how many elections were applied."""
    applied = 0
    board = Group.objects.get_or_create(name=Role.BOARD)[0]
    elections = Question.objects.filter(meeting=meeting, kind=Question.Kind.ELECTION, status=Question.Status.CLOSED)
    for question in elections.select_for_update().order_by("pk"):
        if BoardResult.objects.filter(question=question).exists():
            continue
        _tally, rows = _ranked(question)
        ranked = [(_candidate_id(option), votes, outcome) for option, votes, outcome, _reserve in rows]
        now = timezone.now()
        BoardResult.objects.bulk_create(
            BoardResult(
                question=question,
                member_id=member_id,
                rank=rank,
                votes=votes,
                elected=outcome == "elected",
                applied_at=now,
            )
            for rank, (member_id, votes, outcome) in enumerate(ranked, start=1)
        )
        elected = {member_id for member_id, _votes, outcome in ranked if outcome == "elected"}
        leaving = set(OutgoingSeat.objects.filter(question=question).values_list("member_id", flat=True)) - elected
        for member in Member.objects.filter(pk__in=leaving, user__isnull=False).select_related("user"):
            assert member.user is not None  # the query asks for members with an account
            member.user.groups.remove(board)
        for member in Member.objects.filter(pk__in=elected, user__isnull=False).select_related("user"):
            assert member.user is not None  # the query asks for members with an account
            member.user.groups.add(board)
        applied += 1
    return applied


def _candidate_id(option: Option) -> int:
    assert option.candidate_id is not None  # an election's options are its candidates (ballots.services)
    return option.candidate_id


def board_results(meeting) -> list[BoardResult]:
    return list(
        BoardResult.objects.filter(question__meeting=meeting)
        .select_related("member", "question")
        .order_by("question", "rank")
    )
