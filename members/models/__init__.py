"""The members app's data: accounts and member records, and the notification outbox."""

from members.models.accounts import Governorate, Member, User
from members.models.outbox import Channel, Notification

__all__ = ["Channel", "Governorate", "Member", "Notification", "User"]
