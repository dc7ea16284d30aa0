"""Signals the requests app sends to the apps above it (surveys): a request was completed, or rejected."""

from django.dispatch import Signal

# Sent by status_changes._change_status when a request is completed (by staff, or the board's approval recorded
# through staff_services.record_board_decision), after completion.take_effect, inside the transaction
# that completes the request, so a receiver's rows (the survey invitation) commit or roll back with it.
# Receivers must not send anything themselves: queue through the outbox. Arguments: service_request.
request_completed = Signal()

# Sent by _change_status when a request is rejected (by staff, or the board's refusal), inside the same
# transaction, like request_completed: a rejected request is rated too. Arguments: service_request.
request_rejected = Signal()
