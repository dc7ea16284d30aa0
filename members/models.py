from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account: a member, an applicant, a staff or board member, an administrator (see members.roles)."""

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="unique_account_email_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username
