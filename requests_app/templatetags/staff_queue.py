"""`{{ service_request|sla_state }}` and `{{ service_request|board_state }}`: service-level states for a badge."""

from django import template

from requests_app import sla

register = template.Library()


@register.filter
def sla_state(service_request) -> str:
    """No query: reads the request's status and due date against today in Riyadh."""
    return sla.state_of(service_request).value


@register.filter
def board_state(service_request) -> str:
    """The board's own clock for a request waiting for its decision (on time, due today, late)."""
    return sla.board_state(service_request).value
