"""Every HTTP side and every worker exposes its figures for Prometheus, with live values
once a request has flowed through the whole system."""
import re
import urllib.request

import pytest

from tests.conftest import MailboxClient, poll
from tests.integration.test_flow import register_mentor, submit_request

pytestmark = pytest.mark.integration


def scrape(url: str) -> str:
    with urllib.request.urlopen(url + "/metrics", timeout=5) as r:
        assert r.headers["Content-Type"].startswith("text/plain")
        return r.read().decode()


def value(text: str, family: str, **labels: str) -> float:
    """The sum of ``family``'s samples whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(family + "{"):
            continue
        got = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(got.get(k) == v for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_after_one_request_every_process_shows_live_figures(full_stack):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    mentor = register_mentor(full_stack, "ta", "Kavya")     # Tamil: this test's own mentor
    submit_request(full_stack, "ta")
    mailbox.wait_for(1, to=mentor)

    intake = scrape(full_stack.url("intake"))
    # Counted by every gunicorn worker process, by route template (one series for all ids).
    assert value(intake, "twoshot_http_requests_total", service="intake", route="/api/requests",
                 method="POST", status="201") >= 1
    assert value(intake, "twoshot_http_request_duration_seconds_count", route="/api/requests") >= 1

    worker = {s: f"http://127.0.0.1:{full_stack.ports[s + '_metrics']}" for s in
              ("intake", "matching", "sessions", "notifications")}
    matching = scrape(worker["matching"])
    assert value(matching, "twoshot_events_handled_total", group="twoshot-matching",
                 type="mentorship.requested") >= 1
    assert value(matching, "twoshot_event_hop_delay_seconds_count", type="mentorship.requested") >= 1
    assert value(matching, "twoshot_handler_duration_seconds_count", type="mentorship.requested") >= 1
    assert value(matching, "twoshot_worker_last_loop_timestamp_seconds", group="twoshot-matching") > 0
    sessions = scrape(worker["sessions"])
    assert value(sessions, "twoshot_events_handled_total", type="match.proposed") >= 1
    assert "twoshot_timers_due" in sessions
    notifications = poll(lambda: (t := scrape(worker["notifications"]))
                         and value(t, "twoshot_mail_sent_total", kind="invite") >= 1 and t, timeout=30)
    assert "twoshot_mail_queue_depth" in notifications and "twoshot_smtp_failures_total" in notifications
    # Lag and outbox depth are sampled every few seconds.
    poll(lambda: "twoshot_consumer_lag_records{" in scrape(worker["intake"])
         and "twoshot_outbox_depth{" in scrape(worker["intake"]), timeout=30)
