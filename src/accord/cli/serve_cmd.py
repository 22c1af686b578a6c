"""`accord serve`: the negotiation room (a web service) on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.app import app, reports_errors


@app.command()
@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    data_dir: Annotated[Path | None, typer.Option(
        help="Folder of the embedded SQLite database (default ~/.local/share/accord-room).")
    ] = None,
    database_url: Annotated[str | None, typer.Option(
        help="A database instead of SQLite, e.g. postgresql://user@host/db.")] = None,
) -> None:
    """Run the negotiation room: a mediated, confidential negotiation in the browser."""
    import uvicorn

    from accord.room import create_app

    room = create_app(database_url, data_dir=data_dir)
    typer.echo(f"accord room on http://{host}:{port}/ (Ctrl-C stops it)")
    uvicorn.run(room, host=host, port=port, proxy_headers=True, log_level="warning")
