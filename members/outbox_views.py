"""Pages of the outbox: the member's inbox and short links, announcements, and the operations view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import announcements, notification_texts, outbox, outbox_sending
from members.models import Announcement, Channel, Notification
from members.outbox_forms import AnnouncementForm, OutboxFilterForm, TestMessageForm
from members.roles import Role, role_required

INBOX_PAGE = 20
OUTBOX_PAGE = 50


def _can_announce(user) -> bool:
    return user.has_perm("members.send_announcement")


def _safe_target(request: HttpRequest, link: str) -> str:
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return reverse("members:inbox")


# --- The inbox -------------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    rows = outbox.inbox_for(request.user).only(
        "pk", "event", "context", "language", "subject", "body", "link", "token", "created_at", "read_at"
    )
    page = Paginator(rows, INBOX_PAGE).get_page(request.GET.get("page"))
    language = (translation.get_language() or "ar")[:2]
    for message in page:
        if message.language != language:  # the member's record (one query) only when a message needs it
            message.subject, message.body = notification_texts.in_reader_language(
                message, member=request.user.member, language=language
            )
    return render(request, "members/inbox.html", {"page_obj": page})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(outbox.inbox_for(request.user), pk=pk)
    outbox.mark_read(user=request.user, notification_id=notification.pk)
    page = request.POST.get("page", "1")
    page = page if page.isdigit() else "1"  # echoed into the Location header: digits only
    return redirect(f"{reverse('members:inbox')}?page={page}#message-{notification.pk}")


@login_required
@require_POST
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = outbox.mark_read(user=request.user)
    if marked:
        messages.success(
            request, ngettext("%(n)s message marked as read.", "%(n)s messages marked as read.", marked) % {"n": marked}
        )
    return redirect("members:inbox")


@login_required
@require_GET
def notification_link(request: HttpRequest, token: str) -> HttpResponse:
    """/n/<token>/ from an SMS or the inbox: mark the message read and go to what it is about."""
    notification = get_object_or_404(outbox.inbox_for(request.user).only("pk", "link"), token=token)
    outbox.mark_read(user=request.user, token=token)
    return redirect(_safe_target(request, notification.link))


# --- Announcements ---------------------------------------------------------------------------------


@login_required
@require_GET
def announcement_link(request: HttpRequest, pk: int) -> HttpResponse:
    """/a/<id>/: the short link in an announcement's text message."""
    return redirect("members:announcement-detail", pk=pk)


@login_required
@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    if not _can_announce(request.user):
        raise PermissionDenied
    rows = Announcement.objects.select_related("created_by")
    page = Paginator(rows, OUTBOX_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/announcement_list.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request: HttpRequest) -> HttpResponse:
    """Write, preview (who and how many, the text message), then send. Nothing is queued before "send"."""
    if not _can_announce(request.user):
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "send":
                announcement = announcements.send_announcement(by=request.user, **form.cleaned_data)
            else:
                preview = announcements.validate(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if preview is None:
                messages.success(request, _("The announcement is being sent. The report below fills in as it goes."))
                return redirect("members:announcement-report", pk=announcement.pk)
    return render(request, "members/announcement_form.html", {"form": form, "preview": preview})


@login_required
@require_GET
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(announcements.visible_to(request.user).distinct(), pk=pk)
    own_copy = outbox.inbox_for(request.user).filter(announcement=announcement).values_list("pk", flat=True).first()
    if own_copy is not None:
        outbox.mark_read(user=request.user, notification_id=own_copy)
    return render(
        request,
        "members/announcement_detail.html",
        {"announcement": announcement, "can_announce": _can_announce(request.user)},
    )


@login_required
@require_GET
def announcement_report(request: HttpRequest, pk: int) -> HttpResponse:
    if not _can_announce(request.user):
        raise PermissionDenied
    announcement = get_object_or_404(Announcement.objects.select_related("created_by"), pk=pk)
    table = announcements.report(announcement)
    statuses = Notification.Status
    rows = [
        {"channel": Channel(channel).label, "counts": [counts.get(status, 0) for status in statuses.values]}
        for channel, counts in table.items()
    ]
    return render(
        request,
        "members/announcement_report.html",
        {"announcement": announcement, "rows": rows, "statuses": statuses.labels},
    )


# --- Operations ------------------------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
@require_GET
def outbox_list(request: HttpRequest) -> HttpResponse:
    """Notifications by status and channel, filterable, with the reason a failed one failed."""
    form = OutboxFilterForm(request.GET or None)
    rows = form.filter(
        Notification.objects.select_related("member").only(
            "pk",
            "channel",
            "event",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
            "subject",
            "body",
            "delivery_state",
            "delivery_error",
            "member__id",
            "member__full_name_ar",
            "member__membership_no",
        )
    )
    page = Paginator(rows, OUTBOX_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    summary = _summary_table(outbox.status_summary())
    return render(
        request,
        "members/outbox_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "summary": summary,
            "statuses": Notification.Status.labels,
            "test_form": TestMessageForm(),
        },
    )


def _summary_table(counts: list[outbox.StatusCount]) -> list[dict]:
    by_channel: dict[str, dict[str, int]] = {channel: {} for channel in Channel.values}
    for row in counts:
        by_channel.setdefault(row["channel"], {})[row["status"]] = row["total"]
    return [
        {
            "channel": Channel(channel).label,
            "counts": [by_channel[channel].get(status, 0) for status in Notification.Status.values],
        }
        for channel in Channel.values
    ]


@role_required(Role.ADMINISTRATOR)
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk)
    try:
        outbox_sending.retry_notification(notification=notification, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message will be sent again."))
    return redirect(_back_to_list(request))


@role_required(Role.ADMINISTRATOR)
@require_POST
def outbox_confirm_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """A message that needed checking was found in the provider's log: record it as sent."""
    notification = get_object_or_404(Notification, pk=pk)
    try:
        outbox_sending.confirm_sent(notification=notification, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message is recorded as sent."))
    return redirect(_back_to_list(request))


def _back_to_list(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("members:outbox-list")
    return target


@role_required(Role.ADMINISTRATOR)
@require_POST
def outbox_test_message(request: HttpRequest) -> HttpResponse:
    form = TestMessageForm(request.POST)
    if form.is_valid():
        member = form.cleaned_data["membership_no"]
        created = outbox.send_test_message(member=member, by=request.user)
        messages.success(
            request,
            _("A test message was queued to %(name)s on: %(channels)s.")
            % {"name": member.full_name_ar, "channels": "، ".join(str(Channel(row.channel).label) for row in created)},
        )
    else:
        messages.error(request, " ".join(form.errors.get("membership_no", [])))
    return redirect("members:outbox-list")
