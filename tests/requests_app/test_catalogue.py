import pytest

from requests_app.models import Department, FrequentQuestion, RequestType

pytestmark = pytest.mark.django_db

# DOMAIN.md b.4: twenty services; CNT-01 is split into its three kinds (complaint, suggestion, inquiry).
DOMAIN_CODES = {
    "MEM-01", "MEM-02", "MEM-03", "MEM-04", "MEM-05", "MEM-06", "MEM-07", "GOV-01", "GOV-02", "GOV-03",
    "FRM-01", "FRM-02", "FRM-03", "FRM-04", "MKT-01", "MKT-02", "MKT-03", "FIN-01", "SUP-01", "CNT-01",
}  # fmt: skip


def test_the_seeded_catalogue_has_every_service_of_the_domain():
    codes = set(RequestType.objects.values_list("code", flat=True))

    assert codes >= DOMAIN_CODES
    assert {"CNT-02", "CNT-03"} <= codes


def test_complaints_suggestions_and_inquiries_are_services_of_their_kinds():
    kinds = dict(RequestType.objects.filter(code__startswith="CNT-").values_list("code", "kind"))

    assert kinds == {"CNT-01": "complaint", "CNT-02": "suggestion", "CNT-03": "inquiry"}


def test_only_the_membership_application_is_for_applicants_alone():
    applicants_only = RequestType.objects.filter(audience=RequestType.Audience.APPLICANTS)

    assert list(applicants_only.values_list("code", "kind")) == [("MEM-01", "membership_application")]


def test_board_services_are_the_ones_the_law_puts_before_the_board():
    board = set(RequestType.objects.filter(needs_board_decision=True).values_list("code", flat=True))

    assert board == {"MEM-01", "MEM-03", "MEM-04", "MEM-05"}


def test_every_service_has_a_department_a_target_and_arabic_texts():
    for request_type in RequestType.objects.select_related("department"):
        assert request_type.department in Department.objects.all()
        assert request_type.sla_days >= 1
        assert request_type.name_ar and request_type.description_ar and request_type.name_en


def test_the_guide_starts_with_general_and_per_service_questions():
    assert FrequentQuestion.objects.filter(request_type=None).count() >= 3
    assert FrequentQuestion.objects.exclude(request_type=None).count() >= 3
