"""Answers to the requests app's signals: a closed request (completed or rejected) gets a survey invitation."""

from django.dispatch import receiver

from requests_app.models import ServiceRequest
from requests_app.signals import request_completed, request_rejected
from surveys import services
from surveys.models import Invitation


@receiver(request_completed, dispatch_uid="surveys.invite_on_completion")
def invite_on_completion(sender, *, service_request: ServiceRequest, **kwargs) -> None:
    """Inside the completing transaction: the invitation and its messages commit or roll back with it."""
    services.invite_for_request(service_request=service_request, origin=Invitation.Origin.COMPLETED)


@receiver(request_rejected, dispatch_uid="surveys.invite_on_rejection")
def invite_on_rejection(sender, *, service_request: ServiceRequest, **kwargs) -> None:
    services.invite_for_request(service_request=service_request, origin=Invitation.Origin.REJECTED)
