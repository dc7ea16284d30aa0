"""The member's proxy (GOV-01) on their meeting page: appoint another member by national ID (the page shows only
the match's name and membership number, then asks to confirm), accept a proxy offered to you with the code sent to
your mobile or decline it, revoke your own.
The rules and their refusals are assembly.proxies'; these views show them beside the form and change nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly import documents, proxies, selectors
from assembly.forms import ProxyCodeForm, ProxyHolderForm
from assembly.models import Meeting, Proxy
from members.models import Member


def _member_meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(selectors.with_agenda(selectors.meeting_for_member(request.user, pk)))


def render_meeting(
    request: HttpRequest, meeting: Meeting, *, form=None, candidate=None, code_form=None, status=200
) -> HttpResponse:
    """The member's meeting page: its published documents, and their proxy section (the one they gave, the one
    offered to them)."""
    member = Member.objects.filter(user=request.user).first()
    context = {"meeting": meeting, "member": member, "documents": documents.for_members(meeting)}
    if member is not None:
        closes = proxies.cut_off(meeting)
        offered = (
            Proxy.objects.filter(meeting=meeting, holder=member, status__in=Proxy.LIVE)
            .select_related("principal")
            .first()
        )
        context |= {
            "given": Proxy.objects.filter(meeting=meeting, principal=member).select_related("holder").first(),
            "offered": offered,
            "code_sent": offered is not None and proxies.code_is_live(offered),
            "code_form": code_form or ProxyCodeForm(),
            "proxy_closes": closes,
            "proxy_open": meeting.status == Meeting.Status.PUBLISHED and timezone.now() < closes,
            "proxy_form": form or ProxyHolderForm(),
            "candidate": candidate,
        }
    return render(request, "assembly/meeting_member.html", context, status=status)


@login_required
@require_POST
def proxy_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Without `confirm`: look the national ID up and show the match to confirm. With it: appoint."""
    meeting = _member_meeting(request, pk)
    principal = get_object_or_404(Member, user=request.user)
    form = ProxyHolderForm(request.POST)
    if not form.is_valid():
        return render_meeting(request, meeting, form=form)
    national_id = form.cleaned_data["national_id"]
    if "confirm" not in request.POST:
        candidate = proxies.find_holder(meeting=meeting, national_id=national_id)
        if candidate is None:
            form.add_error(None, _("No member on this meeting's list has this national ID."))
        return render_meeting(request, meeting, form=form, candidate=candidate)
    try:
        proxies.appoint(meeting=meeting, principal=principal, holder_national_id=national_id)
    except ValidationError as error:
        form.add_error(None, error)
        return render_meeting(request, meeting, form=form)
    messages.success(request, _("Your proxy is given. It is in force once the member accepts it."))
    return redirect("assembly:meeting-member", pk=meeting.pk)


def _offered(request: HttpRequest, pk: int, proxy_pk: int) -> Proxy:
    return get_object_or_404(Proxy, pk=proxy_pk, meeting_id=pk, holder__user=request.user)


@login_required
@require_POST
def proxy_code(request: HttpRequest, pk: int, proxy_pk: int) -> HttpResponse:
    """The holder asks to accept: a code goes to their mobile and the page asks for it."""
    proxy = _offered(request, pk, proxy_pk)
    try:
        proxies.send_code(proxy=proxy, holder=proxy.holder)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A code is on its way to your mobile: enter it to accept the proxy."))
    return redirect("assembly:meeting-member", pk=pk)


@login_required
@require_POST
def proxy_accept(request: HttpRequest, pk: int, proxy_pk: int) -> HttpResponse:
    proxy = _offered(request, pk, proxy_pk)
    form = ProxyCodeForm(request.POST)
    if form.is_valid():
        try:
            proxies.accept(proxy=proxy, holder=proxy.holder, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("You hold this proxy."))
            return redirect("assembly:meeting-member", pk=pk)
    meeting = _member_meeting(request, pk)
    return render_meeting(request, meeting, code_form=form, status=400)


@login_required
@require_POST
def proxy_decline(request: HttpRequest, pk: int, proxy_pk: int) -> HttpResponse:
    proxy = _offered(request, pk, proxy_pk)
    try:
        proxies.decline(proxy=proxy, holder=proxy.holder)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You declined the proxy."))
    return redirect("assembly:meeting-member", pk=pk)


@login_required
@require_POST
def proxy_revoke(request: HttpRequest, pk: int, proxy_pk: int) -> HttpResponse:
    proxy = get_object_or_404(Proxy, pk=proxy_pk, meeting_id=pk, principal__user=request.user)
    try:
        proxies.revoke(proxy=proxy, principal=proxy.principal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proxy is revoked."))
    return redirect("assembly:meeting-member", pk=pk)
