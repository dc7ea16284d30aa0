"""A queue row as HTML, joined from strings: the same markup the template fragment gave.

The row was the page's biggest cost once the queries were cheap: a template fragment repeated 50 times, each
resolving some forty variables through the template engine (about 40 % of the page at 100,000 requests).
Every value is escaped here; the words and addresses every row repeats are escaped once per page.
"""

import html

from django.utils.safestring import SafeString, mark_safe


def escape(value: object) -> str:
    """What django.utils.html.escape gives (the standard library's escape of the text, quotes included), without
    its lazy-text wrapper: a row escapes some twenty values, and the wrapper cost more than the escaping."""
    return html.escape(str(value))


class RowHtml:
    def __init__(self, *, labels: dict[str, str], url_prefix: str, csrf: str, scope) -> None:
        self.label = {key: escape(value) for key, value in labels.items()}
        self.prefix = escape(url_prefix)
        self.csrf = escape(csrf)
        self.scope = scope

    def render(self, row: dict, *, error: str = "") -> SafeString:
        label = self.label
        pk = escape(row["pk"])
        reference = escape(row["reference_no"])
        cells = []
        if self.scope.is_supervisor:
            box = ""
            if row["department_id"] in self.scope.supervised_ids:
                box = (f'<input class="form-check-input" type="checkbox" name="requests" value="{pk}" '
                       f'form="bulk-assign" aria-label="{label["select"]} {reference}">')  # fmt: skip
            cells.append(f"<td>{box}</td>")
        cells.append(f'<td data-label="{label["reference"]}"><a href="{self.prefix}{reference}/">'
                     f'<span dir="ltr">{reference}</span></a></td>')  # fmt: skip
        code = escape(row["service_code"])
        cells.append(f'<td data-label="{label["service"]}"><span class="d-block">{escape(row["service_name"])}</span>'
                     f'<span class="small text-body-secondary" dir="ltr">{code}</span></td>')  # fmt: skip
        cells.append(f'<td data-label="{label["member"]}"><span class="d-block">{escape(row["member_name"])}</span>'
                     f'<span class="small text-body-secondary"><span dir="ltr">{escape(row["membership_no"])}</span>'
                     f' · <span dir="ltr">{escape(row["mobile"])}</span></span></td>')  # fmt: skip
        cells.append(f'<td data-label="{label["status"]}"><span class="badge rounded-pill status-badge '
                     f'{escape(row["status_style"])}">{escape(row["status_label"])}</span></td>')  # fmt: skip
        cells.append(f'<td data-label="{label["age"]}" class="small">{escape(row["age"])}</td>')
        cells.append(f'<td data-label="{label["due"]}" class="small"><span dir="ltr">{escape(row["due"])}</span>'
                     f'<span class="d-block text-body-secondary">{escape(row["due_hijri"])}</span></td>')  # fmt: skip
        level = ""
        if row["sla_label"]:
            level = f'<span class="badge {escape(row["sla_style"])}">{escape(row["sla_label"])}</span>'
        if row["waiting_for_someone"]:
            level += f' <span class="badge text-bg-light border">{label["waiting"]}</span>'
        cells.append(f'<td data-label="{label["sla"]}">{level}</td>')
        if row["assignee_id"]:
            who = escape(row["assignee_name"])
        elif row["is_closed"]:
            who = "—"
        else:
            take = f"{self.prefix}{reference}/take/"
            who = (f'<form method="post" action="{take}" hx-post="{take}" hx-target="#row-{pk}" hx-swap="outerHTML">'
                   f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                   f'<input type="hidden" name="next" value="queue">'
                   f'<button type="submit" class="btn btn-sm btn-primary">{label["take"]}'
                   f'<span class="visually-hidden"> {reference}</span></button></form>')  # fmt: skip
        if error:
            who += f'<div class="small text-danger mt-1" role="alert">{escape(error)}</div>'
        cells.append(f'<td data-label="{label["assignee"]}">{who}</td>')
        return mark_safe(f'<tr id="row-{pk}">' + "".join(cells) + "</tr>")  # noqa: S308 (every value escaped above)
