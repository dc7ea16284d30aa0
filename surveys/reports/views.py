"""The board's report pages: the dashboard, its PDF and CSV, the department drill-down, quarterly reports.

Board members and administrators see the whole cooperative; supervisors see the departments they
supervise (the drill-down), with the same figures and the same anonymity rules. Members get 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from members.roles import Role, has_role, role_required
from members_portal.private_files import serve_private
from surveys.reports import csv_export, dashboard, dashboard_charts, quarterly
from surveys.reports import pdf as report_pdf
from surveys.reports.forms import ReportForm

BOARD_ROLES = (Role.BOARD, Role.ADMINISTRATOR)
DRILL_DOWN_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)


def _departments_for(request: HttpRequest, *, drill_down: bool):
    """None: every department (board, administrators); else the departments the supervisor supervises."""
    if not drill_down or has_role(request.user, Role.ADMINISTRATOR):
        return None
    return dashboard.departments_supervised_by(request.user)


def _report(request: HttpRequest, *, drill_down: bool):
    departments = _departments_for(request, drill_down=drill_down)
    if departments is not None and not departments.exists():
        raise PermissionDenied  # a supervisor of no department has nothing to drill into
    # A GET form: an empty query string is the default report (this quarter, everything the viewer may see).
    form = ReportForm(request.GET, departments=departments)
    if not form.is_valid():
        return form, None
    report = dashboard.build(
        period=form.cleaned_data["report_period"],
        scope=form.cleaned_data["scope"],
    )
    return form, report


def _page(request: HttpRequest, *, drill_down: bool) -> HttpResponse:
    form, report = _report(request, drill_down=drill_down)
    context = {
        "form": form,
        "report": report,
        "charts": dashboard_charts.chart_svgs(report) if report else None,
        "drill_down": drill_down,
        "query": request.GET.urlencode(),
    }
    return render(request, "surveys/board/dashboard.html", context, status=200 if report else 400)


@role_required(*BOARD_ROLES)
@require_http_methods(["GET"])
def board_dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, drill_down=False)


@role_required(*DRILL_DOWN_ROLES)
@require_http_methods(["GET"])
def department_dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, drill_down=True)


def _download(request: HttpRequest, *, drill_down: bool, kind: str) -> HttpResponse:
    form, report = _report(request, drill_down=drill_down)
    if report is None:
        context = {"form": form, "report": None, "charts": None, "drill_down": drill_down, "query": ""}
        return render(request, "surveys/board/dashboard.html", context, status=400)
    if kind == "pdf":
        # Rendered in the request: the board member is waiting for it, and a year renders in about a
        # second (bench/board.py). The quarterly report is rendered by a task and kept.
        response = HttpResponse(report_pdf.render(report), content_type="application/pdf")
        name = report_pdf.filename(report)
    else:
        response = HttpResponse(csv_export.render(report), content_type="text/csv; charset=utf-8")
        name = f"board-report-{report.period.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*BOARD_ROLES)
@require_http_methods(["GET"])
def board_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, drill_down=False, kind="pdf")


@role_required(*BOARD_ROLES)
@require_http_methods(["GET"])
def board_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, drill_down=False, kind="csv")


@role_required(*DRILL_DOWN_ROLES)
@require_http_methods(["GET"])
def department_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, drill_down=True, kind="pdf")


@role_required(*DRILL_DOWN_ROLES)
@require_http_methods(["GET"])
def department_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, drill_down=True, kind="csv")


@role_required(*BOARD_ROLES)
@require_http_methods(["GET"])
def quarterly_reports(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/board/quarterly_reports.html", {"reports": quarterly.reports_for_board()})


@role_required(*BOARD_ROLES)
@require_http_methods(["GET"])
def quarterly_report_download(request: HttpRequest, public_id) -> HttpResponse:
    report = get_object_or_404(quarterly.reports_for_board(), public_id=public_id)
    return serve_private(report.file, f"board-report-{report.period.key}.pdf", "application/pdf", as_attachment=False)
