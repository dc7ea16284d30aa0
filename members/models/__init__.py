"""The members app's data: accounts and member records, and the notification outbox."""

from members.models.access import AccessLog, OneTimeCode
from members.models.accounts import Governorate, Member, ShareAcquisition, User
from members.models.announcements import Announcement
from members.models.exports import DataExport
from members.models.outbox import Channel, ConsentRecord, Notification
from members.models.records import CorrectionRequest, MemberImport

__all__ = [
    "AccessLog",
    "Announcement",
    "Channel",
    "ConsentRecord",
    "CorrectionRequest",
    "DataExport",
    "Governorate",
    "Member",
    "MemberImport",
    "Notification",
    "OneTimeCode",
    "ShareAcquisition",
    "User",
]
