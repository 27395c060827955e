"""A Jupyter server setting for a fluid explorer: the kernel's websocket without Nagle's delay.

Every message a kernel sends reaches the page as its own small websocket write (a status
"busy", a widget message, a status "idle"). Jupyter's server leaves Nagle's algorithm on for
these sockets, so on one machine (the loopback) a write after another waits for the page's
acknowledgement of the first, which the browser delays by up to 40 ms: measured here, a widget
message's round trip from the page to the kernel and back takes about 48 ms instead of about
10. ``make lab`` (and the browser test) start JupyterLab with

    --ServerApp.kernel_websocket_connection_class=labnn.explorer.jupyter.NoDelayConnection

which is Jupyter's own connection with ``TCP_NODELAY`` set when the page connects. Nothing else
changes; without it the explorer works the same, only each answer comes later.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket connection, with Nagle's algorithm off for its socket."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


__all__ = ["NoDelayConnection"]
