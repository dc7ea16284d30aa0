"""kombu's filesystem transport (the broker of the embedded default) with messages that appear whole or not at all.

kombu writes a message file in place under its final name; a worker polling the folder can pick the file up
half written and die on JSONDecodeError (the demo worker did). Here a message is written under a name the
worker ignores, flushed, and renamed into place: a rename within a folder is atomic, so a reader sees the whole
message or nothing. A file that still cannot be read (written by an older producer) is logged and skipped
instead of killing the worker.
"""

import logging
import os
import uuid
from contextlib import suppress
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):  # type: ignore[override]  # kombu passes the payload by position
        """Put a message on `queue`: written beside the queue under a hidden name, then renamed into it."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{uuid.uuid4().hex}.partial")
        try:
            with open(partial, "wb") as message_file:
                message_file.write(str_to_bytes(dumps(payload)))
                message_file.flush()
                os.fsync(message_file.fileno())
            os.replace(partial, final)
        except OSError as error:
            with suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from error

    def _get(self, queue):  # type: ignore[override]  # the filesystem transport calls it without a timeout
        """The next readable message of `queue`; an unreadable one is logged and skipped (it is already taken)."""
        while True:
            try:
                return super()._get(queue)
            except ValueError as error:  # json.JSONDecodeError: a torn file from a writer without atomic renames
                logger.error("Skipped an unreadable message in the %s queue: %s", queue, error)


class Transport(filesystem.Transport):
    Channel = Channel

    @property
    def default_connection_params(self) -> dict:
        # A folder, not a server: no host to default to (kombu warned "No hostname was supplied" in every process).
        return {}
