import json
import logging
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.client_address import client_address
from members.roles import Role, role_required
from messaging import delivery_reports, providers, selectors, whatsapp_webhook
from messaging.forms import PeriodForm

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


@csrf_exempt  # called by Meta's servers, not a browser: the signature stands in for the token
@require_http_methods(["GET", "POST"])
def whatsapp_callback(request: HttpRequest) -> HttpResponse:
    """WhatsApp's webhook: the subscription check (GET), then signed statuses and members' messages (POST)."""
    if request.method == "GET":
        challenge = whatsapp_webhook.verification_answer(request.GET)
        if challenge is None:
            logger.warning("WhatsApp subscription check refused: wrong verify token (from %s)", client_address(request))
            return HttpResponse("wrong verify token", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    if not whatsapp_webhook.signature_matches(request.body, request.headers.get("X-Hub-Signature-256", "")):
        logger.warning(
            "WhatsApp webhook refused: wrong or missing X-Hub-Signature-256, nothing changed (from %s)",
            client_address(request),
        )
        return HttpResponse("wrong or missing signature", status=403, content_type="text/plain")
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        logger.warning("WhatsApp webhook refused: the body is not a JSON object")
        return HttpResponseBadRequest("not a JSON object", content_type="text/plain")
    return JsonResponse({"outcomes": whatsapp_webhook.handle(payload)})


@role_required(Role.SUPERVISOR, Role.BOARD, Role.ADMINISTRATOR)
@require_GET
def delivery_summary(request: HttpRequest) -> HttpResponse:
    """What became of the messages of a period: sent, delivered, not delivered, failed, pending, and the median time
    to the phone, per kind (announcements, everyday notifications), channel and provider."""
    form = PeriodForm(request.GET or None)
    days = form.chosen_days()
    rows = selectors.delivery_summary(since=timezone.now() - timedelta(days=days))
    return render(request, "messaging/delivery_summary.html", {"form": form, "days": days, "rows": rows})
