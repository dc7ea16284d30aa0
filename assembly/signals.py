"""Signals the General Assembly owns, answered by the apps above it (never the other way round)."""

from django.dispatch import Signal

# Sent inside the transaction that approves a held meeting's minutes, once per meeting, with `meeting` and `by`.
# ballots answers it: an election's result becomes the board (ballots.results).
minutes_approved = Signal()
