"""Factories for the requests app: the minimum valid rows. Members here too (the members app may add its own)."""

import datetime
import uuid

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import User
from members.roles import Role
from requests_app.models import (
    Category,
    Department,
    DepartmentMembership,
    Draft,
    FrequentQuestion,
    RequestDocument,
    RequestField,
    RequestType,
    ServiceRequest,
)
from tests.members import factories as members_factories


class UserFactory(members_factories.UserFactory):
    """An account; roles are created if a transactional test flushed the groups the data migration made."""

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*(Group.objects.get_or_create(name=Role(role).value)[0] for role in extracted))
        if create:
            self.save()


class MemberFactory(members_factories.MemberFactory):
    """An active member with an account (the members app's factory makes none by default)."""

    user = factory.SubFactory(UserFactory, roles=[Role.MEMBER])
    full_name_ar = "سعيد محمد آل مريح"
    full_name_en = "Saeed Mohammed Al Murayh"
    sms_consent = True


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name_ar = "شؤون الأعضاء"
    name_en = "Member affairs"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"cat-{n}")
    name_ar = "العضوية"
    name_en = "Membership"


class RequestTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestType

    code = factory.Sequence(lambda n: f"TST-{n:02d}")
    category = factory.SubFactory(CategoryFactory)
    department = factory.SubFactory(DepartmentFactory)
    name_ar = "شهادة عضوية"
    name_en = "Membership certificate"
    description_ar = "شهادة برقم العضوية"
    sla_days = 5


class RequestFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestField

    request_type = factory.SubFactory(RequestTypeFactory)
    key = factory.Sequence(lambda n: f"field_{n}")
    label_ar = "عدد الشتلات"
    label_en = "Number of seedlings"
    field_type = RequestField.FieldType.TEXT
    required = True


class RequestDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestDocument

    request_type = factory.SubFactory(RequestTypeFactory)
    name_ar = "صك الملكية"
    name_en = "Ownership deed"
    required = True


class FrequentQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrequentQuestion

    question_ar = "سؤال"
    answer_ar = "جواب"


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request as if submitted (bypassing submit_request): for workflow and page tests."""

    class Meta:
        model = ServiceRequest

    reference_no = factory.Sequence(lambda n: f"NJC-2026-{n + 500000:06d}")
    member = factory.SubFactory(MemberFactory)
    request_type = factory.SubFactory(RequestTypeFactory)
    department = factory.LazyAttribute(lambda o: o.request_type.department)
    status = ServiceRequest.Status.SUBMITTED
    answers = factory.LazyFunction(
        lambda: [{"key": "note", "label_ar": "ملاحظة", "label_en": "Note", "value": "نص", "display": "نص"}]
    )
    submitted_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    token = factory.LazyFunction(uuid.uuid4)
    member = factory.SubFactory(MemberFactory)
    request_type = factory.SubFactory(RequestTypeFactory)


def department_staff(department: Department, *, supervisor: bool = False) -> User:
    user = UserFactory(roles=[Role.SUPERVISOR if supervisor else Role.STAFF])
    DepartmentMembership.objects.create(department=department, user=user, is_supervisor=supervisor)
    return user


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def draft_with_deed(member, request_type) -> Draft:
    """A saved draft of the request type with its one document (a PDF) attached, ready to submit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from requests_app import services

    document = request_type.documents.get()
    return services.save_draft(
        member=member,
        request_type=request_type,
        token=uuid.uuid4(),
        answers={"seedlings": "40"},
        files=[(document, SimpleUploadedFile("deed.pdf", PDF_BYTES))],
        by=member.user,
    )
