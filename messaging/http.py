"""One call to an SMS provider's API, the way every provider client needs it.

The three ways a call can end are kept apart, because the outbox treats them differently:
- the provider answered (any status below 500): the client reads the answer for its own way of saying "taken" or
  "refused" and raises SmsError on a refusal;
- the provider could not be reached, or answered 5xx: nothing was taken, SmsError, the outbox tries again later;
- the request went out and no answer came in time: the provider may have taken the message, so
  SmsOutcomeUnknown, and the outbox marks the row for checking instead of sending it again on a guess.
"""

import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

from members.channels import ChannelError, SmsError, SmsOutcomeUnknown

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    status: int
    text: str
    body: dict = field(default_factory=dict)  # the answer as JSON when it is a JSON object, else empty


def json_object(value: object) -> dict:
    """`value` when it is a JSON object, else an empty one: a part of a provider's answer read without trusting it."""
    return value if isinstance(value, dict) else {}


def post(
    url: str,
    *,
    provider: str,
    form: dict | None = None,
    json_body: dict | None = None,
    headers: dict | None = None,
    timeout_s: float | None = None,
    refused: type[ChannelError] = SmsError,
    unknown: type[ChannelError] = SmsOutcomeUnknown,
) -> Reply:
    """POST a form or a JSON body to a provider; returns its answer, or raises as the module says (`refused` and
    `unknown` are the channel's own errors: SMS by default, WhatsApp's for its client)."""
    timeout_s = settings.SMS_PROVIDER_TIMEOUT_S if timeout_s is None else timeout_s
    if not url.startswith(("https://", "http://")):
        raise refused(f"{provider}: the API address must be an http(s) URL, not {url!r}")
    all_headers = {"Accept": "application/json", **(headers or {})}
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False).encode()
        all_headers["Content-Type"] = "application/json; charset=utf-8"
    else:
        data = urllib.parse.urlencode(form or {}).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=all_headers, method="POST")  # noqa: S310 (checked)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            status, text = response.status, response.read(4000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, (error.read(4000).decode("utf-8", "replace") if error.fp else "")
    except TimeoutError as error:
        raise unknown(f"{provider} did not answer within {timeout_s:g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise unknown(f"{provider} did not answer within {timeout_s:g} s") from error
        raise refused(f"{provider} unreachable: {error.reason}") from error
    except OSError as error:  # the connection dropped mid-answer: as uncertain as a timeout
        raise unknown(f"{provider}: the connection broke before the answer: {error}") from error
    if status >= 500:
        raise refused(f"{provider} answered HTTP {status}: {text[:300]}".strip())
    try:
        body = json.loads(text) if text.strip() else {}
    except ValueError:
        body = {}
    return Reply(status=status, text=text, body=body if isinstance(body, dict) else {})
