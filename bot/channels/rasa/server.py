"""rasa-sdk's action server (its Sanic app: ``/webhook``, ``/health``, ``/actions``) with our
actions registered as instances, run inside the caller's event loop, so the actions share
its database engine."""

from __future__ import annotations

from typing import Any

# rasa-sdk ships no type hints (no py.typed): what it gives is Any up to these modules
from rasa_sdk import Action, endpoint  # type: ignore[import-untyped]
from rasa_sdk.constants import DEFAULT_SERVER_PORT  # type: ignore[import-untyped]
from rasa_sdk.executor import ActionExecutor  # type: ignore[import-untyped]
from sanic import Sanic
from sanic.server.async_server import AsyncioServer

from .actions import CancelComplaint, CheckStatus, MyComplaints, SubmitComplaint
from .form import AskConfirm, ValidateComplaintForm
from .services import ActionServices

DEFAULT_PORT = DEFAULT_SERVER_PORT  # 5055, where Rasa's endpoints.yml usually points


def actions(services: ActionServices) -> list[Action]:
    return [
        ValidateComplaintForm(services),
        AskConfirm(services),
        SubmitComplaint(services),
        CancelComplaint(services),
        CheckStatus(services),
        MyComplaints(services),
    ]


def create_action_app(services: ActionServices) -> Sanic[Any, Any]:
    executor = ActionExecutor()
    for action in actions(services):
        executor.register_action(action)
    app: Sanic[Any, Any] = endpoint.create_app(executor, cors_origins=None)  # Rasa calls it server to server
    # Sanic rewrites some of its own methods at the first start; a second server in the
    # same process (tests, an embedding application) would fail on the rewritten code.
    app.config.TOUCHUP = False
    return app


class ActionServer:
    """``await start(host, port)`` serves until ``await stop()``."""

    def __init__(self, services: ActionServices) -> None:
        self.app = create_action_app(services)
        self._server: AsyncioServer | None = None

    async def start(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> tuple[str, int]:
        """Listen (an OSError when the address is taken); returns the address bound."""
        try:
            server = await self.app.create_server(host=host, port=port, access_log=False, return_asyncio_server=True)
        except BaseException:
            Sanic.unregister_app(self.app)
            raise
        if server is None or server.server is None:  # pragma: no cover - Sanic always returns one
            raise OSError(f"could not listen on {host}:{port}")
        self._server = server
        await server.startup()
        await server.before_start()
        await server.after_start()
        name = server.server.sockets[0].getsockname()
        return name[0], name[1]

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            # Sanic's AsyncioServer leaves these unannotated
            await server.before_stop()  # type: ignore[no-untyped-call]
            for connection in list(server.connections):  # keep-alive connections of clients
                connection.close_if_idle()
            server.close()  # type: ignore[no-untyped-call]
            await server.wait_closed()  # type: ignore[no-untyped-call]
            await server.after_stop()  # type: ignore[no-untyped-call]
        Sanic.unregister_app(self.app)
