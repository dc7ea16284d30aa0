"""The simulated people of the load test (bench/load.py): members browsing and submitting with a PDF attached, staff
working the queue, each in its own thread with its own signed-in Browser, recording every answer's time.

Not a benchmark itself (make bench runs every bench/*.py but the `_` helpers).
"""

import random
import re
import threading
import time
from collections import defaultdict

from portal_http import Browser

REFERENCE = re.compile(r"NJC-\d{4}-\d{6}")


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.client_errors = 0
        self.submitted: list[str] = []

    def record(self, page: str, status: int | None, ms: float, detail: str = "") -> None:
        with self.lock:
            self.samples[page].append(ms)
            if status is None or status >= 500:
                self.errors.append(f"{page}: {status} {detail}"[:200])
            elif status >= 400:
                self.client_errors += 1


def timed(recorder: Recorder, page: str, call, *args, **kwargs):
    started = time.perf_counter()
    try:
        response = call(*args, **kwargs)
    except Exception as error:
        recorder.record(page, None, (time.perf_counter() - started) * 1000, repr(error))
        return None
    if response.url.startswith("/accounts/"):
        # Sent to sign in again: the session was lost (or never there). Counted as an error, like a 5xx.
        recorder.record(page, None, response.elapsed_ms, f"bounced to {response.url}")
        return None
    recorder.record(page, response.status, response.elapsed_ms, response.url)
    return response


def member_loop(browser: Browser, codes: list[str], stop: float, recorder: Recorder, rng: random.Random) -> None:
    my_refs: list[str] = []
    refused: set[str] = set()
    listing = timed(recorder, "member: my requests", browser.get, "/requests/")
    if listing is not None:
        my_refs = REFERENCE.findall(listing.text)[:20]
    while time.monotonic() < stop:
        roll = rng.random()
        if roll < 0.18:
            timed(recorder, "member: home", browser.get, "/")
        elif roll < 0.40:
            timed(recorder, "member: my requests", browser.get, "/requests/")
        elif roll < 0.62 and my_refs:
            ref = rng.choice(my_refs)
            timed(recorder, "member: request page", browser.get, f"/requests/{ref}/")
        elif roll < 0.72:
            timed(recorder, "member: services guide", browser.get, "/requests/guide/")
        elif roll < 0.80:
            timed(recorder, "member: inbox", browser.get, "/members/inbox/")
        elif codes:
            code = rng.choice(codes)
            if code in refused:
                continue
            form = timed(recorder, "member: request form", browser.get, f"/requests/new/{code}/")
            if form is None or form.status != 200:
                continue
            done = timed(recorder, "member: submit with PDF", browser.post_form, form, action_contains="/requests/new/")
            if done is not None and done.status == 400:
                refused.add(code)  # a form this simple filler cannot complete: try other services
            if done is not None and done.status == 200:
                found = REFERENCE.search(done.url)
                if found:
                    with recorder.lock:
                        recorder.submitted.append(found.group(0))
                    my_refs.append(found.group(0))


def staff_loop(browser: Browser, stop: float, recorder: Recorder, rng: random.Random) -> None:
    refs: list[str] = []
    while time.monotonic() < stop:
        roll = rng.random()
        if roll < 0.15:
            timed(recorder, "staff: home", browser.get, "/requests/staff/")
        elif roll < 0.45 or not refs:
            page = rng.randint(1, 5)
            queue = timed(recorder, "staff: queue", browser.get, f"/requests/staff/queue/?page={page}")
            if queue is not None and queue.status == 200:
                refs = REFERENCE.findall(queue.text)[:25] or refs
        elif roll < 0.60:
            timed(
                recorder,
                "staff: queue search",
                browser.get,
                f"/requests/staff/queue/?q=L-{rng.randint(0, 19999):06d}",
            )
        elif roll < 0.85:
            ref = rng.choice(refs)
            timed(recorder, "staff: request page", browser.get, f"/requests/staff/requests/{ref}/")
        else:
            ref = refs.pop(rng.randrange(len(refs)))
            page = timed(recorder, "staff: request page", browser.get, f"/requests/staff/requests/{ref}/")
            if page is None or page.status != 200:
                continue
            for action in ("/take/", "/start-review/", "/start-work/"):
                if f"{ref}{action}" in page.text:
                    timed(recorder, "staff: take or move", browser.post_form, page, action_contains=action)
                    break
