import json
import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from members.client_address import client_address
from messaging import delivery_reports, providers

logger = logging.getLogger(__name__)


@csrf_exempt  # called by the provider's servers, not a browser: the shared secret stands in for the token
@require_POST
def delivery_report(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's delivery report (its DLR webhook): checked, then recorded once (see delivery_reports)."""
    client = providers.CLIENTS.get(provider)
    if client is None:
        raise Http404
    if not delivery_reports.secret_matches(provider, request.headers.get("Authorization", "")):
        logger.warning(
            "Delivery report refused: wrong or missing %s callback secret (from %s)", provider, client_address(request)
        )
        return HttpResponse("wrong or missing secret", status=403, content_type="text/plain")
    try:
        payload = json.loads(request.body) if request.content_type == "application/json" else request.POST.dict()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        logger.warning("Delivery report from %s refused: the body is not a JSON object or a form", provider)
        return HttpResponseBadRequest("not a JSON object or a form", content_type="text/plain")
    report = client.read_report(payload)
    try:
        outcome = delivery_reports.record_report(provider=provider, report=report)
    except delivery_reports.UnknownMessage as error:
        logger.warning("Delivery report from %s for an unknown message, nothing changed: %s", provider, error)
        return HttpResponse("unknown message", status=404, content_type="text/plain")
    return JsonResponse({"outcome": outcome})
