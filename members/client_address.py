"""The address of the person behind a request, for per-client rate limits (activation, sign-in).

Behind the local nginx (deploy/nginx), every request reaches gunicorn from 127.0.0.1: REMOTE_ADDR alone would
put the whole cooperative under one address, so 20 activations an hour, or a few wrong passwords, would lock
everyone out. nginx passes the client's address in X-Real-IP (set, never appended); it is believed only when the
request comes from a trusted proxy address (setting TRUSTED_PROXY_ADDRESSES, default the loopback addresses).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_ADDRESSES
    if remote in trusted:
        forwarded = request.headers.get("X-Real-IP", "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return remote
