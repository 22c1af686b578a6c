"""The room's routes, by concern: opening and joining, the pages and their forms, the JSON
API, and getting back in (recovery codes, revoking). Each module holds one APIRouter."""

from accord.room.routes import access, api, opening, pages

ROUTERS = (opening.router, pages.router, api.router, access.router)
