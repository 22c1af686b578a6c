"""The negotiation room: a confidential, mediated negotiation as a web service (docs/room.md).

`create_app` builds the FastAPI application; `accord serve` runs it with uvicorn.
"""

from accord.room.app import create_app

__all__ = ["create_app"]
