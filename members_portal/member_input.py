"""What people type, made safe before any form or query sees it: NUL characters and direction controls.

- A NUL character (U+0000) cannot be stored (PostgreSQL refuses it in text and JSON) and is never typed on
  purpose: a request carrying one in its address, query or form fields is answered 400 with a page that says
  what to do (`nul_response`), before a view runs. `NulRefusalMiddleware` checks every request;
  upload views, which read their body later, call `refuse_nul` themselves once their upload handler is in place.
- Direction controls (embeddings, overrides, isolates, LRM/RLM/ALM) in free text make what staff read differ
  from what was typed ("Trojan source"): `MemberTextField` removes them as the text arrives; staff pages also
  show member text inside <bdi> so anything older cannot reorder the line around it.
"""

import re

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# U+061C ALM, U+200E LRM, U+200F RLM, U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates.
DIRECTION_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NUL = "\x00"


def remove_direction_controls(text: str) -> str:
    return DIRECTION_CONTROLS.sub("", text)


class MemberTextField(forms.CharField):
    """Free text a member writes for staff to read: kept as typed, without invisible direction controls."""

    def to_python(self, value):
        value = super().to_python(value)
        return remove_direction_controls(value) if isinstance(value, str) else value


def _carries_nul(values) -> bool:
    return any(NUL in key or any(NUL in value for value in value_list) for key, value_list in values.lists())


def has_nul(request: HttpRequest, *, body: bool) -> bool:
    """NUL in the path or the query string; with `body`, also in the form fields (Django drops it from file names)."""
    if NUL in request.path or _carries_nul(request.GET):
        return True
    if body and request.method == "POST":
        return _carries_nul(request.POST)
    return False


def nul_response(request: HttpRequest) -> HttpResponse:
    return render(request, "400_nul.html", status=400)


def refuse_nul(request: HttpRequest) -> HttpResponse | None:
    """For views that read their body themselves (uploads): the 400 answer if a field carries NUL, else None."""
    return nul_response(request) if has_nul(request, body=True) else None


class NulRefusalMiddleware:
    """Answers 400 to a request carrying NUL, before the view. Placed after CsrfViewMiddleware: by then the form
    body has been read for the CSRF check, except in csrf_exempt views (uploads), which call `refuse_nul`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        reads_body_later = getattr(view_func, "csrf_exempt", False)
        if has_nul(request, body=not reads_body_later):
            return nul_response(request)
        return None
