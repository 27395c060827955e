"""labnn.explorer.jupyter: Jupyter's kernel websocket connection with Nagle's algorithm off
(``make lab`` and the browser test start JupyterLab with it)."""

import socket

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from labnn.explorer.jupyter import NoDelayConnection


class _Handler:
    """What the connection asks of its websocket handler here: set_nodelay (tornado's)."""

    def __init__(self, sock):
        self.sock = sock

    def set_nodelay(self, value):
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if value else 0)


def test_connecting_turns_nagle_off_then_connects_as_jupyter_does(monkeypatch):
    calls = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect",
                        lambda self: calls.append(self) or "connected")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        conn = NoDelayConnection.__new__(NoDelayConnection)   # no server, no kernel here
        conn.__dict__["_trait_values"] = {"websocket_handler": _Handler(sock)}
        assert conn.connect() == "connected" and calls == [conn]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert issubclass(NoDelayConnection, ZMQChannelsWebsocketConnection)
