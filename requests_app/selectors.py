"""Reads shaped for pages, with the permission filter built in: a guessed id of someone else's row is a 404."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import Member
from members.roles import Role, has_role
from members.slots import Link
from members_portal.arabic import normalise
from requests_app.models import (
    Attachment,
    Category,
    Draft,
    FrequentQuestion,
    Receipt,
    RequestDocument,
    RequestType,
    ServiceRequest,
    TimelineEvent,
)


def member_of(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


# --- The public guide ------------------------------------------------------------------------------------------


def _matches(query: str, *texts: str) -> bool:
    """Every word of the query is found; "البن" also finds "بن" (the article is not part of the word)."""
    haystack = normalise(" ".join(texts))
    return all(
        word in haystack or (word.startswith("ال") and len(word) > 3 and word[2:] in haystack)
        for word in normalise(query).split()
    )


def guide_categories(query: str = "") -> list[Category]:
    """Categories with their active services (documents prefetched), filtered by a search if one is given.

    The catalogue is a few dozen services: matching in Python with the Arabic normaliser is simplest and exact.
    """
    types = RequestType.objects.active().prefetch_related(
        Prefetch("documents", queryset=RequestDocument.objects.filter(active=True))
    )
    categories = list(Category.objects.prefetch_related(Prefetch("types", queryset=types)).order_by("order", "pk"))
    for category in categories:
        category.listed = [
            request_type
            for request_type in category.types.all()
            if not query
            or _matches(
                query,
                request_type.code,
                request_type.name_ar,
                request_type.name_en,
                request_type.description_ar,
                request_type.description_en,
                category.name_ar,
                category.name_en,
            )
        ]
    return [category for category in categories if category.listed]


def guide_questions(query: str = "", *, request_type: RequestType | None = None) -> list[FrequentQuestion]:
    """Published questions: general ones (no service), or those of one service; filtered by a search."""
    questions = FrequentQuestion.objects.filter(published=True, request_type=request_type)
    if query:
        questions = FrequentQuestion.objects.filter(published=True).select_related("request_type")
    return [
        question
        for question in questions
        if not query
        or _matches(query, question.question_ar, question.question_en, question.answer_ar, question.answer_en)
    ]


def requestable_types_for(user) -> QuerySet[RequestType]:
    """Active services this person's kind of account may ask for (the services check the member's status)."""
    member = member_of(user)
    types = RequestType.objects.active().select_related("category")
    if member is None:
        return types.none()
    if member.status == Member.Status.APPLICANT:
        return types.filter(audience__in=[RequestType.Audience.APPLICANTS, RequestType.Audience.MEMBERS_AND_APPLICANTS])
    return types.filter(audience__in=[RequestType.Audience.MEMBERS, RequestType.Audience.MEMBERS_AND_APPLICANTS])


def membership_application_link(member: Member) -> Link | None:
    """For the applicant's profile (members.slots): the open application to follow, or the form to apply."""
    application = (
        ServiceRequest.objects.open()
        .filter(member=member, request_type__kind=RequestType.Kind.MEMBERSHIP_APPLICATION)
        .order_by("-submitted_at")
        .first()
    )
    if application is not None:
        return Link(
            url=application.get_absolute_url(),
            label=_("Follow my membership application"),
            detail=_("Request %(reference_no)s: %(status)s")
            % {"reference_no": application.reference_no, "status": application.get_status_display()},
        )
    service = (
        RequestType.objects.active()
        .filter(kind=RequestType.Kind.MEMBERSHIP_APPLICATION)
        .exclude(audience=RequestType.Audience.MEMBERS)
        .order_by("order", "code")
        .first()
    )
    if service is None:
        return None
    return Link(url=reverse("requests_app:request-submit", args=[service.code]), label=_("Apply for membership"))


# --- A member's requests ---------------------------------------------------------------------------------------


def requests_for_member(member: Member) -> QuerySet[ServiceRequest]:
    """The member's requests, newest first, with what the list shows joined in (constant queries)."""
    return (
        ServiceRequest.objects.filter(member=member)
        .select_related("request_type")
        .annotate(receipt_count=Count("receipts"))
        .order_by("-submitted_at", "-pk")
    )


def open_drafts_for_member(member: Member) -> QuerySet[Draft]:
    """The member's drafts not yet submitted, last saved first; a guessed token of another member's is not here."""
    return (
        Draft.objects.filter(member=member, service_request__isnull=True)
        .select_related("request_type")
        .annotate(file_count=Count("attachments"))
        .order_by("-updated_at")
    )


def request_for_member(member: Member | None, reference_no: str) -> QuerySet[ServiceRequest]:
    if member is None:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.select_related("request_type", "department", "member").filter(
        member=member, reference_no=reference_no
    )


def member_timeline(service_request: ServiceRequest) -> QuerySet[TimelineEvent]:
    """What the member sees of the history: status changes, replies, their own messages, documents; no notes."""
    return (
        service_request.timeline.filter(visible_to_member=True)
        .exclude(kind__in=TimelineEvent.NOTE_KINDS_NEVER_SHOWN)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def member_attachments(service_request: ServiceRequest) -> QuerySet[Attachment]:
    return service_request.attachments.filter(visible_to_member=True).select_related("document")


def member_receipts(service_request: ServiceRequest) -> QuerySet[Receipt]:
    return service_request.receipts.order_by("created_at")


# --- Files, for the download views -----------------------------------------------------------------------------


def _staff_scope(user) -> Q:
    """Requests of the departments the user works in; the board also sees those waiting on its decision."""
    scope = Q(pk__in=[])
    if has_role(user, Role.STAFF):
        scope |= Q(department__memberships__user=user)
    if has_role(user, Role.BOARD):
        scope |= Q(status=ServiceRequest.Status.PENDING_BOARD_DECISION)
    return scope


def requests_visible_to(user) -> QuerySet[ServiceRequest]:
    """Own requests for a member; department requests for staff; pending decisions for the board."""
    if not getattr(user, "is_authenticated", False):
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(Q(member__user=user) | _staff_scope(user)).distinct()


def attachments_visible_to(user) -> QuerySet[Attachment]:
    if not getattr(user, "is_authenticated", False):
        return Attachment.objects.none()
    own = Q(service_request__member__user=user, visible_to_member=True) | Q(
        service_request__isnull=True, draft__member__user=user
    )
    staff_request_ids = ServiceRequest.objects.filter(_staff_scope(user)).values("pk")
    return Attachment.objects.filter(own | Q(service_request__in=staff_request_ids))


def receipts_visible_to(user) -> QuerySet[Receipt]:
    return Receipt.objects.filter(service_request__in=requests_visible_to(user).values("pk"))
