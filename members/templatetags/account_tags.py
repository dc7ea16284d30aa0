from django import template

from members.validators import local_mobile as _local_mobile

register = template.Library()


@register.filter
def local_mobile(value) -> str:
    """{{ phone|local_mobile }}: +966500000777 shown as 0500000777."""
    return _local_mobile(value)
