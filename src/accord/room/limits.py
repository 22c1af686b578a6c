"""The exception the body-size guard raises while a route reads a streamed body.

It lives apart from `app` (which builds the guard) so that `views`, which reads forms and
must let it through to become a 413, can import it without importing the application.
"""

from __future__ import annotations


class BodyTooLarge(Exception):
    """A request body (declared or streamed) went over the room's limit: answered 413."""
