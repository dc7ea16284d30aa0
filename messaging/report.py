"""What a provider's delivery report says, in the portal's words: each client reads its own provider's shape."""

from dataclasses import dataclass

DELIVERED = "delivered"
FAILED = "failed"
PENDING = ""  # on its way (queued, sent to the operator): not final, changes nothing


@dataclass(frozen=True)
class Report:
    message_id: str  # the provider's id for the message, as its send answer gave it
    state: str  # DELIVERED, FAILED or PENDING
    reference: str = ""  # our outbox key, for a provider that carries it back
    error: str = ""  # the provider's reason for a failure


def final_state(status: str, *, delivered: set[str], failed: set[str]) -> str:
    """Map a provider's status word to DELIVERED, FAILED or PENDING (case and spacing ignored)."""
    word = status.strip().lower()
    if word in delivered:
        return DELIVERED
    if word in failed:
        return FAILED
    return PENDING
