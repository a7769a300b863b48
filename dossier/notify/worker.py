"""The mail worker (`flask --app wsgi mail worker`) and the one-shot `flask --app wsgi mail send`.

The worker polls the outbox, sends what is due, and stops cleanly on SIGTERM or SIGINT after
the message in hand. Run as many as you like: delivery.claim keeps them from meeting.
"""

from __future__ import annotations

import logging
import signal
import threading

import click
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from . import delivery

log = logging.getLogger(__name__)


def run_worker(
    *,
    poll: float = 5.0,
    once: bool = False,
    batch: int = delivery.BATCH,
    stop: threading.Event | None = None,
    worker: str | None = None,
) -> tuple[int, int]:
    """Deliver until stopped (or, with `once`, until nothing is due); (sent, failed)."""
    stop = stop if stop is not None else threading.Event()
    worker = worker or delivery.worker_name()
    if not delivery.configured():
        log.warning(delivery.UNCONFIGURED)
        while not once and not stop.wait(poll):
            pass  # nothing to do; stay up so a supervisor does not restart us in a loop
        return 0, 0
    sent = failed = 0
    while not stop.is_set():
        try:
            ok, bad = delivery.deliver(limit=batch, worker=worker, stop=stop)
        except SQLAlchemyError as exc:  # the database restarted or is busy: later
            db.session.rollback()
            log.warning("mail worker: database error, retrying in %gs: %s", poll, exc)
            if once:
                raise
            stop.wait(poll)
            continue
        sent, failed = sent + ok, failed + bad
        if ok + bad == 0:  # drained (or the server is unreachable and everything waits)
            if once:
                break
            stop.wait(poll)
    return sent, failed


def _log_to_stderr() -> None:
    """A service's log lines (journald adds the time); tests' caplog is left alone."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


def register_cli(app) -> None:
    @app.cli.group("mail")
    def mail_group():
        """Thư điện tử: gửi các thư đang chờ trong hộp thư đi."""

    @mail_group.command("send")
    @click.option("--limit", default=100, show_default=True, help="Số thư gửi tối đa.")
    def send_command(limit: int):
        """Gửi một lượt các thư đến hạn (thư lỗi được thử lại theo lịch)."""
        if not delivery.configured():
            click.echo(f"{delivery.UNCONFIGURED} Đang chờ: {delivery.count_due()} thư.")
            return
        sent, failed = delivery.deliver(limit=limit)
        click.echo(f"Đã gửi {sent} thư; {failed} thư chưa gửi được (sẽ thử lại).")

    @mail_group.command("worker")
    @click.option("--once", is_flag=True, help="Gửi hết các thư đến hạn rồi dừng.")
    @click.option(
        "--interval",
        default=5.0,
        show_default=True,
        type=click.FloatRange(min=0.05),
        help="Số giây chờ giữa hai lần xem hộp thư đi.",
    )
    def worker_command(once: bool, interval: float):
        """Bộ gửi thư chạy nền: gửi thư đến hạn, dừng êm khi nhận SIGTERM hoặc Ctrl+C."""
        _log_to_stderr()
        stop = threading.Event()

        def _stop(_signum, _frame):
            stop.set()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        name = delivery.worker_name()
        try:
            if delivery.configured():  # else run_worker says why it has nothing to do
                click.echo(f"Bộ gửi thư {name} bắt đầu (xem hộp thư đi mỗi {interval:g} giây).")
            sent, failed = run_worker(poll=interval, once=once, stop=stop, worker=name)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        click.echo(f"Bộ gửi thư dừng: đã gửi {sent} thư; {failed} lần gửi lỗi (sẽ thử lại).")
