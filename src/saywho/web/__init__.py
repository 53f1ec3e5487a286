"""The web app (``saywho serve``): a page to look at one article's quotes, a JSON API, corpus search.

Needs the ``web`` extra (FastAPI, uvicorn, python-multipart).
"""

from .app import create_app

__all__ = ["create_app"]
