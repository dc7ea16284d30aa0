"""`{{ service_request|sla_state }}`: the service-level state (on time, due today, late, paused) for a badge."""

from django import template

from requests_app import sla

register = template.Library()


@register.filter
def sla_state(service_request) -> str:
    """No query: reads the request's status and due date against today in Riyadh."""
    return sla.state_of(service_request).value
