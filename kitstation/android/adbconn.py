"""adbutils' client and device with every connection closed on its error paths.

adbutils (2.12.0, ``packaging/constraints.txt``; openatx/adbutils) leaves a socket to the garbage
collector on three error paths, which a bench meets all the time (a phone unplugged, not yet
authorized, rebooting; the adb server restarting):

* ``adbutils/_adb.py:49-69`` ``AdbConnection._create_socket``: the socket is made, ``connect``
  fails (nothing listens on the port), ``AdbConnectionError``/``AdbTimeout`` is raised and the
  socket is never closed;
* ``adbutils/_device_base.py:68-101`` ``BaseDevice.open_transport``: the connection is made, the
  server answers ``FAIL`` (``device 'X' not found``, ``device unauthorized``, ``device offline``),
  ``check_okay`` raises and the connection is never closed;
* ``adbutils/_device_base.py:164-178`` ``BaseDevice.open_shell``: the same after ``shell:``.

Every device call adbutils makes (``shell``, ``shell2``, ``sync``, ``install_remote``,
``get_state``...) goes through ``open_transport``, and every connection through
``_create_socket``: overriding those three here, with adbutils' own public connection API
(``make_connection``, ``send_command``, ``check_okay``), closes the connection on each error path.
The station makes its clients and devices only here (:class:`ClosingAdbClient`).
"""

from __future__ import annotations

import platform
import socket
from collections.abc import Sequence
from typing import Any

import adbutils
from adbutils import AdbConnection
from adbutils.errors import AdbConnectionError, AdbTimeout

# adbutils' default for device connections (adbutils/_device_base.py: _DEFAULT_SOCKET_TIMEOUT).
DEFAULT_SOCKET_TIMEOUT = 600.0


class ClosingConnection(AdbConnection):  # type: ignore[misc]  # adbutils ships no type information mypy reads
    """``AdbConnection`` whose socket is closed when connecting to the server fails."""

    def __init__(self, host: str, port: int) -> None:
        self._address = (host, port)  # before super().__init__, which connects at once
        super().__init__(host, port)

    def _create_socket(self) -> socket.socket:
        # adbutils/_adb.py:49-69 with the same socket options, and the socket closed on failure.
        s = socket.socket()
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            if platform.system() == "Linux":
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 10)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 10)
            s.settimeout(3)  # adbutils' bound on a hanging connect
            s.connect(self._address)
            s.settimeout(None)
            return s
        except TimeoutError as exc:
            s.close()
            raise AdbTimeout("connect to adb server timeout") from exc
        except OSError as exc:
            s.close()
            raise AdbConnectionError(f"connect to adb server failed: {exc}") from exc


class ClosingAdbDevice(adbutils.AdbDevice):  # type: ignore[misc]  # see ClosingConnection
    """``AdbDevice`` whose transport connection is closed when the server refuses it."""

    def open_transport(self, command: str | None = None, timeout: float | None = DEFAULT_SOCKET_TIMEOUT) -> Any:
        c = self._client.make_connection(timeout=timeout)
        try:
            if self._transport_id:
                c.send_command(
                    f"host-transport-id:{self._transport_id}:{command}"
                    if command
                    else f"host:transport-id:{self._transport_id}"
                )
            elif self._serial:
                # adbutils asks the server's version first to choose host:tport:serial (41+) over
                # host:transport: (every version); the plain one saves that extra connection.
                c.send_command(f"host-serial:{self._serial}:{command}" if command else f"host:transport:{self._serial}")
            else:
                raise adbutils.AdbError("serial, transport_id must set atleast one")
            c.check_okay()
        except BaseException:
            c.close()
            raise
        return c

    def open_shell(self, cmdargs: str | Sequence[str]) -> Any:
        if not isinstance(cmdargs, str):
            from subprocess import list2cmdline

            cmdargs = list2cmdline(list(cmdargs))
        c = self.open_transport()
        try:
            c.send_command("shell:" + cmdargs)
            c.check_okay()
        except BaseException:
            c.close()
            raise
        return c


class ClosingAdbClient(adbutils.AdbClient):  # type: ignore[misc]  # see ClosingConnection
    """``AdbClient`` making :class:`ClosingConnection` connections and :class:`ClosingAdbDevice` devices."""

    def __init__(self, host: str | None = None, port: int | None = None, socket_timeout: float | None = None) -> None:
        super().__init__(host=host, port=port, socket_timeout=socket_timeout)
        self._socket_timeout = socket_timeout

    def _connection(self) -> AdbConnection:
        """The connection class's instance for this client's server (a subclass may not spawn one)."""
        return ClosingConnection(self.host, self.port)

    def make_connection(self, timeout: float | None = None) -> AdbConnection:
        # adbutils/_adb.py:226-239, with this module's connection
        conn = self._connection()
        timeout = timeout or self._socket_timeout
        if timeout:
            try:
                conn.conn.settimeout(timeout)
            except BaseException:
                conn.close()
                raise
        return conn

    def device(self, serial: str | None = None, transport_id: int | None = None) -> ClosingAdbDevice:
        if serial:
            return ClosingAdbDevice(self, serial=serial)
        if transport_id:
            return ClosingAdbDevice(self, transport_id=transport_id)
        return ClosingAdbDevice(self, serial=adbutils.AdbClient.device(self).serial)
