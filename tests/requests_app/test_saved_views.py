"""Queue views staff name and keep themselves: saved from the current filters, a tab of their own, deleted
by their owner only."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from requests_app.desk import saved_views
from requests_app.models import SavedQueueView
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, days, make_request

pytestmark = pytest.mark.django_db


def test_a_view_keeps_the_queue_filters_and_only_them(clerk):
    view = saved_views.save_view(
        owner=clerk, name="  متأخرة   عندي ", query=QueryDict("sla_state=late&assignee=mine&page=3&evil=1")
    )

    assert view.name == "متأخرة عندي"
    assert view.query == "assignee=mine&sla_state=late"


def test_a_name_is_required_and_unique_among_ones_own_views(clerk, colleague):
    saved_views.save_view(owner=clerk, name="المتأخرة", query=QueryDict("view=late"))

    with pytest.raises(ValidationError):
        saved_views.save_view(owner=clerk, name="المتأخرة", query=QueryDict("view=mine"))
    with pytest.raises(ValidationError):
        saved_views.save_view(owner=clerk, name="   ", query=QueryDict("view=mine"))
    saved_views.save_view(owner=colleague, name="المتأخرة", query=QueryDict("view=late"))  # another person's own

    assert SavedQueueView.objects.count() == 2


def test_a_saved_view_is_a_tab_of_its_owner_that_opens_the_same_rows(clerk_client, colleague, seedlings):
    late = make_request(seedlings, status=Status.IN_PROGRESS, due_date=days(-2))
    make_request(seedlings, due_date=days(3))
    saved = clerk_client.post(
        reverse("requests_app:queue-view-create"), {"name": "متأخرات الإرشاد", "query": "sla_state=late"}
    )

    page = clerk_client.get(saved["Location"])

    assert [row["reference_no"] for row in page.context["page_obj"].object_list] == [late.reference_no]
    assert page.context["kept_view"].name == "متأخرات الإرشاد"
    assert 'aria-current="page" href="?sla_state=late">متأخرات الإرشاد' in page.content.decode()
    clerk_client.force_login(colleague)
    assert "متأخرات الإرشاد" not in clerk_client.get(reverse("requests_app:queue")).content.decode()


def test_only_the_owner_deletes_a_view(clerk_client, clerk, colleague):
    theirs = saved_views.save_view(owner=colleague, name="لي", query=QueryDict("view=mine"))
    mine = saved_views.save_view(owner=clerk, name="لي", query=QueryDict("view=mine"))

    refused = clerk_client.post(reverse("requests_app:queue-view-delete", args=[theirs.pk]))
    deleted = clerk_client.post(reverse("requests_app:queue-view-delete", args=[mine.pk]))

    assert refused.status_code == 404
    assert deleted.status_code == 302
    assert list(SavedQueueView.objects.all()) == [theirs]


def test_a_member_cannot_save_a_queue_view(member_client):
    response = member_client.post(reverse("requests_app:queue-view-create"), {"name": "x", "query": ""})

    assert response.status_code == 403
    assert not SavedQueueView.objects.exists()
