"""Places on the General Assembly's pages and minutes that the apps above fill in at start-up (ballots: the secret
questions), so assembly never names them. A provider registers in its AppConfig.ready(); with none, nothing shows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ResultRow:
    label: str
    votes: int
    # "elected" or "reserve" in an election, "" on an item; a reserve's place in the order of reserves.
    outcome: str = ""
    reserve_rank: int = 0


@dataclass(frozen=True)
class SecretResult:
    """One secret question of a meeting as the minutes print it: the whole count, never a slice of it."""

    title: str
    kind: str
    seats: int
    closed: bool
    agenda_item_id: int | None
    ballots: int = 0
    rows: list[ResultRow] = field(default_factory=list)
    tie_at_last_seat: bool = False


_secret_results: list[Callable[[object], list[SecretResult]]] = []


def register_secret_results(provider: Callable[[object], list[SecretResult]]) -> None:
    if provider not in _secret_results:
        _secret_results.append(provider)


def secret_results(meeting) -> list[SecretResult]:
    return [result for provider in _secret_results for result in provider(meeting)]


def items_decided_in_secret(meeting) -> set[int]:
    """The agenda items whose secret question is closed: decided by its count, not by an open vote in the room."""
    return {result.agenda_item_id for result in secret_results(meeting) if result.closed and result.agenda_item_id}


def items_put_in_secret(meeting) -> set[int]:
    """The agenda items put to a secret question, closed or not (no open vote is entered for them)."""
    return {result.agenda_item_id for result in secret_results(meeting) if result.agenda_item_id}
