"""Demo data for the outbox: an announcement to all active members and a test message to each demo account,
so the bell, the inbox, the home page's announcements and the outbox page have something to show.

Idempotent: the announcement is found by its title, the messages by their keys. Delivery of the SMS and
e-mail copies happens in the background (the worker `make run` starts), into the demo files.
"""

from members import announcements, outbox
from members.models import Announcement, Member, User

TITLE_AR = "موعد توزيع شتلات البن لموسم 1448 هـ"


def seed(stdout) -> list[tuple[str, str, str]]:
    sender = User.objects.filter(username="supervisor").first() or User.objects.filter(is_superuser=True).first()
    if sender is not None and not Announcement.objects.filter(title_ar=TITLE_AR).exists():
        announcement = Announcement.objects.create(
            title_ar=TITLE_AR,
            title_en="Coffee seedlings for the 1448 season",
            body_ar="يبدأ توزيع شتلات البن على الأعضاء يوم الأحد القادم في مقر الجمعية بنجران، من الثامنة صباحًا. "
            "أحضر بطاقة العضوية.",
            body_en="Seedlings are handed out to members from next Sunday at the cooperative's office in Najran, "
            "from 8 in the morning. Bring your membership card.",
            segment=Announcement.Segment.ALL,
            created_by=sender,
        )
        recipients = announcements.fan_out(announcement_id=announcement.pk)
        stdout.write(f"  announcement: sent to {recipients} active members")
    for member in Member.objects.filter(user__isnull=False).select_related("user"):
        outbox.queue_notification(
            member=member, event="test_message", key=f"demo:test_message:{member.pk}", link="/members/inbox/"
        )
    return []
