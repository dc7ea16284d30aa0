"""{% rate_button_state service_request as rate %}: what the request page shows about rating."""

from django import template

from surveys import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def rate_button_state(context, service_request) -> selectors.RateButton:
    request = context.get("request")
    return selectors.rate_button_for(getattr(request, "user", None), service_request)
