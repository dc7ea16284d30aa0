"""Queue views that staff name and keep themselves: a set of the queue's filters, shown as a tab of their own.

Each person's views are their own: nobody else sees, opens or deletes them. What is kept is the filter
form's own fields, cleaned and in a fixed order, so a kept view is opened and recognised as the same query.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from members.models import User
from members.roles import Role, has_role
from members_portal import reference
from requests_app.models import SavedQueueView
from requests_app.reference_data import SAVED_VIEWS

MAX_PER_PERSON = 20
NAME_LENGTH = SavedQueueView._meta.get_field("name").max_length


def _kept_fields() -> tuple[str, ...]:
    from requests_app.desk.staff_forms import QueueFilterForm

    return tuple(QueueFilterForm.base_fields)


def canonical_query(query: QueryDict) -> str:
    """The queue filters of a query string, non-empty, in the form's order: the same filters read the same."""
    kept = QueryDict(mutable=True)
    for name in _kept_fields():
        value = (query.get(name) or "").strip()
        if value:
            kept[name] = value[:200]
    return kept.urlencode()


def views_of(user: User) -> list[SavedQueueView]:
    """The person's views, in their order (reference data: read from the cache, started afresh by a save)."""

    def views() -> QuerySet[SavedQueueView]:
        return SavedQueueView.objects.filter(owner=user)

    return reference.read_rows(SAVED_VIEWS, (user.pk,), views, SavedQueueView, "id", "name", "query")


def save_view(*, owner: User, name: str, query: QueryDict) -> SavedQueueView:
    """Keep the queue's current filters under a name the person chose (unique among their own views)."""
    if not has_role(owner, Role.STAFF):
        raise PermissionDenied
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the view a name."), code="name_required")
    if len(name) > NAME_LENGTH:
        raise ValidationError(
            _("A view's name has at most %(count)s characters.") % {"count": NAME_LENGTH}, code="name_length"
        )
    if SavedQueueView.objects.filter(owner=owner).count() >= MAX_PER_PERSON:
        raise ValidationError(
            _("You have %(count)s saved views already: delete one first.") % {"count": MAX_PER_PERSON}, code="full"
        )
    try:
        with transaction.atomic():
            return SavedQueueView.objects.create(owner=owner, name=name, query=canonical_query(query))
    except IntegrityError as taken:
        raise ValidationError(
            _("You already have a view named “%(name)s”.") % {"name": name}, code="name_taken"
        ) from taken


def delete_view(*, owner: User, pk: int) -> bool:
    """Delete one of the person's own views; another person's view is left alone (False)."""
    deleted, _by_model = SavedQueueView.objects.filter(owner=owner, pk=pk).delete()
    return bool(deleted)
