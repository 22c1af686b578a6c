"""The room's routes, by concern: opening and joining, the pages and their forms, the JSON
API, and getting back in (recovery codes, revoking). Each module holds one APIRouter."""

from accord.room.routes import access, api, opening, pages

ROUTERS = (api.router, pages.router, opening.router, access.router)
"""In the order a request's path is tried: the JSON API first, whose reads and answers are
most of the traffic (no path of one router matches a path of another)."""
