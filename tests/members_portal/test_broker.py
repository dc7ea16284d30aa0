"""The embedded broker (kombu's filesystem transport) never hands the worker half a message.

kombu writes a message file in place; a worker polling at that moment read it torn and died on JSONDecodeError
(the demo worker did). members_portal.broker writes under a hidden name and renames into place.
"""

import logging
import threading
import uuid

import pytest
from kombu import Connection
from kombu.transport import filesystem

from members_portal import broker
from members_portal.celery import app as celery_app
from members_portal.settings.embedded import filesystem_broker

QUEUE = "celery"


def _channel(tmp_path, transport):
    options = filesystem_broker(tmp_path)
    connection = Connection("filesystem://", transport=transport, transport_options=options)
    return connection, connection.default_channel


def _read_while_written(tmp_path, transport, *, messages: int = 150) -> tuple[int, list[str]]:
    """A writer thread puts big messages while the reader takes them as they appear: (read whole, errors)."""
    connection, writer = _channel(tmp_path, transport)
    _reader_connection, reader = _channel(tmp_path, transport)
    payload = {"body": "x" * 2_000_000}
    errors: list[str] = []
    done = threading.Event()

    def write() -> None:
        for number in range(messages):
            writer._put(QUEUE, {**payload, "number": number})
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    whole = 0
    while not (done.is_set() and whole + len(errors) >= messages):
        try:
            message = reader._get(QUEUE)
        except filesystem.Empty:
            if done.is_set() and not list((tmp_path / "broker" / "queue").glob("*.msg")):
                break
            continue
        except ValueError as error:
            errors.append(str(error))
            continue
        whole += message["body"] == payload["body"]
    thread.join()
    connection.release()
    _reader_connection.release()
    return whole, errors


def test_a_worker_polling_while_messages_are_written_reads_each_whole(tmp_path):
    whole, errors = _read_while_written(tmp_path, broker.Transport)

    assert errors == []
    assert whole == 150


def test_a_torn_message_left_by_an_older_writer_is_skipped_not_fatal(tmp_path, caplog, monkeypatch):
    # An earlier test may have configured logging with existing loggers disabled: the log line is what we check.
    monkeypatch.setattr(broker.logger, "disabled", False)
    caplog.set_level(logging.ERROR, logger=broker.logger.name)
    connection, channel = _channel(tmp_path, broker.Transport)
    queue_dir = tmp_path / "broker" / "queue"
    # Named to sort before any message the channel writes (those start with the monotonic clock in ms).
    torn = queue_dir / f"0_torn-{uuid.uuid4().hex}.{QUEUE}.msg"
    torn.write_text('{"body": "half wri', encoding="utf-8")
    channel._put(QUEUE, {"body": "whole"})

    assert channel._get(QUEUE) == {"body": "whole"}
    assert "unreadable message" in caplog.text
    with pytest.raises(filesystem.Empty):
        channel._get(QUEUE)
    connection.release()


def test_the_portals_filesystem_broker_is_the_atomic_one():
    with celery_app.connection_for_write("filesystem://") as connection:
        assert isinstance(connection.transport, broker.Transport)


def test_the_embedded_broker_has_no_host_to_warn_about(tmp_path, caplog):
    connection = Connection("filesystem://", transport=broker.Transport, transport_options=filesystem_broker(tmp_path))

    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        connection.clone().release()  # a producer pool's connection, as the first task sent from a process takes

    assert "No hostname was supplied" not in caplog.text
