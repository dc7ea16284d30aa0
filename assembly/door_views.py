"""The General Assembly's day: the member's pass, the door desk (scan, code or search, then register) and the live
quorum panel. The rules are assembly.door's and assembly.passes'; attendance is assembly.attendance's. htmx swaps
the desk's result and the panel in place; without it the same forms post and the page comes back whole. And the
board's one action when the quorum fails: adjourn."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assembly import adjournment, door, passes, selectors
from assembly.attendance import attendance
from assembly.models import Meeting, Proxy
from members.models import Member
from members.roles import Role, role_required

DESK_TEMPLATE = "assembly/door.html"
QUORUM_TEMPLATE = "assembly/meeting_quorum.html"
DESK_SESSION_KEY = "assembly_desk"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def meeting_pass(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's pass for a published meeting they are on the list of: a large QR, the short code under it, and
    the proxy they hold. A pass for a meeting since adjourned leads to the later meeting's."""
    meeting = get_object_or_404(selectors.meeting_for_member(request.user, pk).select_related("adjourned_to"))
    if meeting.status == Meeting.Status.ADJOURNED:
        return redirect("assembly:meeting-pass", pk=meeting.adjourned_to.pk)
    member = Member.objects.filter(user=request.user).first()
    eligible = meeting.eligible.filter(member=member).first() if member is not None else None
    if meeting.status != Meeting.Status.PUBLISHED or eligible is None:
        raise Http404
    holds = (
        Proxy.objects.filter(meeting=meeting, holder=member, status=Proxy.Status.ACCEPTED)
        .select_related("principal")
        .first()
    )
    context = {
        "meeting": meeting,
        "member": member,
        "qr": passes.qr_svg_data_uri(meeting, member),
        "code": passes.short_code(meeting, eligible),
        "holds": holds,
    }
    return render(request, "assembly/meeting_pass.html", context)


def _desk_page(request: HttpRequest, meeting: Meeting, **result) -> HttpResponse:
    context = {
        "meeting": meeting,
        "desk": request.session.get(DESK_SESSION_KEY, "1"),
        "open": door.is_meeting_day(meeting),
        **result,
    }
    template = f"{DESK_TEMPLATE}#door-result" if _is_htmx(request) else DESK_TEMPLATE
    return render(request, template, context)


def _desk_meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.exclude(status=Meeting.Status.DRAFT), pk=pk)


@never_cache
@role_required(Role.STAFF, Role.BOARD)
@require_GET
def door_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk on a phone: the camera where the browser reads QR codes, the pass's code, a search."""
    return _desk_page(request, _desk_meeting(pk))


@role_required(Role.STAFF, Role.BOARD)
@require_POST
def door_search(request: HttpRequest, pk: int) -> HttpResponse:
    """An exact membership number or national ID: the name and membership number only, and a button to register."""
    meeting = _desk_meeting(pk)
    found = door.find_member(query=request.POST.get("q", ""))
    if found is None:
        return _desk_page(request, meeting, error=_no_match())
    return _desk_page(request, meeting, found=found)


def _no_match() -> str:
    return _("No member has this membership number or national ID.")


@role_required(Role.STAFF, Role.BOARD)
@require_POST
def door_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the member a scanned pass (`token`), a typed code (`code`) or a search (`member`) names."""
    meeting = _desk_meeting(pk)
    desk = request.POST.get("desk", "").strip()[:40] or request.session.get(DESK_SESSION_KEY, "1")
    request.session[DESK_SESSION_KEY] = desk
    try:
        if request.POST.get("token"):
            member_id = passes.read_token(meeting, request.POST["token"]).member_id
        elif request.POST.get("code"):
            member_id = passes.read_code(meeting, request.POST["code"]).member_id
        else:
            member_id = int(request.POST.get("member") or 0)
    except passes.PassRefused as refused:
        return _desk_page(request, meeting, error=refused.message)
    except ValueError:
        return _desk_page(request, meeting, error=_no_match())
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        return _desk_page(request, meeting, error=_no_match())
    try:
        arrival = door.register(meeting=meeting, member=member, by=request.user, desk=desk)
    except ValidationError as error:
        return _desk_page(request, meeting, error=" ".join(error.messages))
    return _desk_page(request, meeting, arrival=arrival)


@never_cache
@role_required(Role.BOARD)
@require_GET
def meeting_quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair's live panel. htmx asks again every few seconds with the figures it shows (`seen`); the answer is
    204, nothing to swap, while they have not changed, so a screen reader hears only a change."""
    meeting = get_object_or_404(Meeting.objects.exclude(status=Meeting.Status.DRAFT), pk=pk)
    seen = attendance(meeting)
    state = f"{seen.present}-{seen.represented}-{seen.eligible}"
    if _is_htmx(request):
        if request.GET.get("seen") == state:
            return HttpResponse(status=204)
        return render(request, f"{QUORUM_TEMPLATE}#panel", {"meeting": meeting, "seen": seen, "state": state})
    return render(request, QUORUM_TEMPLATE, {"meeting": meeting, "seen": seen, "state": state})


@role_required(Role.BOARD)
@require_POST
def meeting_adjourn(request: HttpRequest, pk: int) -> HttpResponse:
    """Adjourn for want of quorum: to the later meeting's page, or back with the refusal."""
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        later = adjournment.adjourn(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    messages.success(
        request,
        _("The meeting is adjourned. The later meeting is published and its notice is being sent to every member."),
    )
    return redirect(later)
