"""Demo: the upcoming annual meeting's documents, small Arabic PDFs rendered with the project's WeasyPrint helper and
published through assembly.documents (the same checks as the board's page). Called by assembly.demo."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from assembly import documents
from assembly.models import Document, Meeting
from members.models import User
from members_portal.pdf import render_pdf

CONTENT = {
    Document.Kind.ACCOUNTS: (
        "الميزانية العمومية والحسابات الختامية",
        [("إجمالي الأصول", "4٬820٬000 ريال"), ("إيرادات بيع البن", "2٬310٬000 ريال"), ("صافي الفائض", "386٬000 ريال")],
    ),
    Document.Kind.BOARD_REPORT: (
        "تقرير مجلس الإدارة عن السنة المالية",
        [("الأعضاء العاملون", "1٬240 عضوًا"), ("البن المستلم من الأعضاء", "96 طنًا"), ("اجتماعات المجلس", "12")],
    ),
    Document.Kind.AUDITOR_REPORT: (
        "تقرير مراجع الحسابات الخارجي",
        [("الرأي", "رأي غير متحفظ"), ("الملاحظات", "لا توجد ملاحظات جوهرية")],
    ),
}


def publish(*, meeting: Meeting, by: User) -> int:
    """Upload the three documents and publish them; returns how many members may now read them (the list)."""
    with translation.override("ar"):
        for kind, (title, rows) in CONTENT.items():
            content = render_pdf("assembly/pdf/demo_document.html", {"title": title, "rows": rows, "meeting": meeting})
            upload = SimpleUploadedFile(f"{title}.pdf", content, content_type="application/pdf")
            documents.upload_document(meeting=meeting, by=by, kind=kind, upload=upload)
    documents.publish_documents(meeting=meeting, by=by)
    return meeting.eligible.count()
