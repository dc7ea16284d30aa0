"""Factories for accounts and member records. Other apps' tests reuse these (higher apps may import lower ones)."""

import factory
from django.contrib.auth.models import Group

from members.models import Governorate, Member, User
from members.roles import Role
from members.validators import national_id_check_digit

PASSWORD = "Qahwa-Najran-2026"


def synthetic_national_id(n: int) -> str:
    """A valid-looking citizen ID from a counter: 1 + 8 digits + check digit. Synthetic, never a real person's."""
    first_nine = f"19{n:07d}"
    return first_nine + national_id_check_digit(first_nine)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    phone = factory.Sequence(lambda n: f"+96655{n:07d}")
    phone_verified = True
    first_name = "سعد"
    last_name = "آل مريح"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*Group.objects.filter(name__in=[Role(role).value for role in extracted]))
        if create:
            self.save()


class MemberFactory(factory.django.DjangoModelFactory):
    """A member in the register, not yet activated (no account). `MemberFactory(user=UserFactory(...))` links one."""

    class Meta:
        model = Member

    membership_no = factory.Sequence(lambda n: f"{50000 + n}")
    national_id = factory.Sequence(synthetic_national_id)
    full_name_ar = factory.Sequence(lambda n: f"محمد بن علي آل مريح {n}")
    mobile = factory.Sequence(lambda n: f"+96656{n:07d}")
    governorate = Governorate.NAJRAN
    village = "هدادة"
    status = Member.Status.ACTIVE
    name_search = factory.LazyAttribute(lambda member: _normalise(member.full_name_ar))


def _normalise(text: str) -> str:
    try:
        from members_portal.arabic import normalise
    except ImportError:  # the helper lands with the foundation work; a plain fallback keeps the factory usable
        return text
    return normalise(text)


def member_account(**member_fields) -> Member:
    """An activated member: a register record linked to an account with the member role and the test password."""
    member = MemberFactory(**member_fields)
    member.user = UserFactory(
        phone=str(member.mobile), email=member.email, first_name=member.full_name_ar, last_name="", roles=[Role.MEMBER]
    )
    member.save(update_fields=["user"])
    return member
