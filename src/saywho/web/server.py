"""Running the app under uvicorn with the limits the app itself cannot set.

Some requests never reach the app: uvicorn's HTTP parser (h11) refuses a malformed request line
or header (``Content-Length: abc``) itself, with a plain-text 400, and a client that opens a
connection and sends half its headers is held open indefinitely (uvicorn only times out idle
keep-alive connections). ``SaywhoH11Protocol`` answers those 400s in JSON like every other error,
and closes a connection whose request head has not fully arrived within ``HEADER_TIMEOUT_S``.
What is still not JSON: a client that sends bytes that are not HTTP at all gets the same JSON 400,
but a connection closed for the header timeout gets no answer (there is no request to answer).
A body that stops arriving is timed out by the app (``middleware.BodyLimit``, 408).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
KEEP_ALIVE_S = 5
MAX_HEADER_BYTES = 64 * 1024  # h11's limit on a request head still arriving (uvicorn's default is 16 KiB)


class SaywhoH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request head and JSON 400s."""

    header_timeout_s = HEADER_TIMEOUT_S
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout_s, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        # Only while no request is being handled: a slow extraction is the app's to time out.
        if self.cycle is None or self.cycle.response_complete:
            if not self.transport.is_closing():
                self.transport.close()

    def data_received(self, data: bytes) -> None:
        # The next request on a kept-alive connection gets the same deadline for its head.
        if (self.cycle is None or self.cycle.response_complete) and self._head_timer is None:
            self._arm()
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # a whole request head arrived

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # the keep-alive timeout takes over between requests

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        import h11

        body = json.dumps({"detail": f"malformed HTTP request: {msg}"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=body), h11.EndOfMessage()):
            try:
                self.transport.write(self.conn.send(event))
            except h11.LocalProtocolError:
                break  # h11 will not answer on this connection (it never read a request)
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """What ``uvicorn.run`` needs besides the app, host and port."""
    return {
        "http": SaywhoH11Protocol, "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    }
