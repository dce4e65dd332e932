"""A TCP relay that lets redshift-connector talk to a plain PostgreSQL server (a testing aid).

redshift-connector speaks the PostgreSQL wire protocol, but its start-up packet carries four
parameters only Redshift knows (``client_protocol_version``, ``driver_version``, ``os_version``,
``driver_discovery_version``); PostgreSQL refuses any unknown start-up parameter with
``FATAL: unrecognized configuration parameter``, and has no setting to ignore them. The relay
rewrites that one packet, dropping those parameters, and then forwards every byte unchanged in both
directions, so the driver's real code paths (extended query protocol, type decoding, transactions)
run against the real server. Without ``server_protocol_version`` in the server's reply the driver
falls back to its base protocol, as it does with any older server.

One server message is rewritten too: distribution builds report ``server_version`` as e.g.
``15.20 (Debian 15.20-0+deb12u1)``, which the driver hands to ``packaging.version.parse`` and
which packaging >= 22 rejects (``InvalidVersion``); the relay reports the numeric part (``15.20``).
After the server's first ReadyForQuery, bytes pass through untouched. pgbouncer's
``ignore_startup_parameters`` could drop the start-up parameters, but not fix the version string.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
from urllib.parse import urlsplit

REDSHIFT_ONLY_PARAMETERS = frozenset(
    {b"client_protocol_version", b"driver_version", b"os_version", b"driver_discovery_version"}
)
_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed during start-up")
        data += chunk
    return data


def rewrite_startup(packet: bytes) -> bytes:
    """The start-up packet (without its length prefix) minus the Redshift-only parameters."""
    version, body = packet[:4], packet[4:]
    fields = body.rstrip(b"\x00").split(b"\x00") if body.strip(b"\x00") else []
    kept = b""
    for key, value in zip(fields[0::2], fields[1::2]):
        if key not in REDSHIFT_ONLY_PARAMETERS:
            kept += key + b"\x00" + value + b"\x00"
    payload = version + kept + b"\x00"
    return struct.pack("!i", len(payload) + 4) + payload


def rewrite_server_message(kind: bytes, body: bytes) -> bytes:
    """One server message (type byte + length + body), with a parseable ``server_version``."""
    if kind == b"S" and body.startswith(b"server_version\x00"):
        value = body[len(b"server_version\x00") : -1]
        match = re.match(rb"\d+(\.\d+)*", value)
        if match:
            body = b"server_version\x00" + match.group(0) + b"\x00"
    return kind + struct.pack("!i", len(body) + 4) + body


def _startup_replies(upstream: socket.socket, client: socket.socket) -> None:
    """Forward the server's messages up to its first ReadyForQuery, fixing ``server_version``."""
    while True:
        kind = _read_exactly(upstream, 1)
        (length,) = struct.unpack("!i", _read_exactly(upstream, 4))
        body = _read_exactly(upstream, length - 4)
        client.sendall(rewrite_server_message(kind, body))
        if kind in (b"Z", b"E"):  # ready, or a start-up error (the server then closes)
            return


def _server_to_client(upstream: socket.socket, client: socket.socket) -> None:
    try:
        _startup_replies(upstream, client)
    except (OSError, ConnectionError, struct.error):
        pass
    _pump(upstream, client)


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class RedshiftToPostgresRelay:
    """Listens on 127.0.0.1:<free port> and relays each connection to ``upstream``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port: int = self._listener.getsockname()[1]
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, name="redshift-relay", daemon=True)
        self._thread.start()

    @classmethod
    def for_dsn(cls, postgres_dsn: str) -> RedshiftToPostgresRelay:
        """A relay in front of the server of a ``postgresql://`` DSN."""
        parts = urlsplit(postgres_dsn)
        return cls(parts.hostname or "127.0.0.1", parts.port or 5432)

    def _serve(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                (length,) = struct.unpack("!i", _read_exactly(client, 4))
                packet = _read_exactly(client, length - 4)
                code = struct.unpack("!i", packet[:4])[0]
                if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                    client.sendall(b"N")  # no encryption on the relay; the client may go on in clear
                    continue
                break
            upstream = socket.create_connection(self.upstream)
        except (OSError, ConnectionError, struct.error):
            client.close()
            return
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sockets += [client, upstream]
        upstream.sendall(rewrite_startup(packet))
        threading.Thread(target=_server_to_client, args=(upstream, client), daemon=True).start()
        _pump(client, upstream)

    def close(self) -> None:
        """Stop listening and cut every relayed connection."""
        self._closed = True
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass
