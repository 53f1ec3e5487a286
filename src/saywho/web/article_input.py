"""Reading the article out of a ``POST /api/extract`` request: JSON, multipart upload, or a raw
``text/plain`` / ``text/html`` body. Only content is taken: an upload's file name is ignored and
unknown JSON fields (a ``path``, a ``url``) are refused, never opened or fetched.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

INPUT_FORMATS = ("auto", "text", "html")

# The request body as OpenAPI describes it: the endpoint reads the raw request, so FastAPI
# cannot infer this from a parameter.
EXTRACT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {
            "type": "object", "required": ["text"], "additionalProperties": False,
            "properties": {
                "text": {"type": "string", "description": "the article, plain text or HTML"},
                "input_format": {"type": "string", "enum": list(INPUT_FORMATS), "default": "auto"},
            },
        }},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary", "description": "article file, text or HTML"},
                "input_format": {"type": "string", "enum": list(INPUT_FORMATS), "default": "auto"},
            },
        }},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    },
}


async def read_article(request: Request, max_bytes: int) -> tuple[str | bytes, str]:
    """The article and its input format, chosen by the request's content type (none means JSON);
    any other content type is 415."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        return await _source_from_form(request, max_bytes)
    if ctype in ("", "application/json"):
        return _source_from_json(await request.body())
    if ctype in ("text/plain", "text/html"):
        return await request.body(), ("html" if ctype == "text/html" else "text")
    raise HTTPException(
        415, "send JSON {\"text\": ...}, a multipart upload (field \"file\"), or a text/plain "
        f"or text/html body, not {ctype}",
    )


def _source_from_json(body: bytes) -> tuple[str, str]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(400, f"malformed JSON body: {exc}") from None
    except RecursionError:
        raise HTTPException(400, "malformed JSON body: nested too deeply") from None
    if not isinstance(payload, dict):
        raise HTTPException(422, 'expected a JSON object: {"text": "...", "input_format": "auto"}')
    unknown = sorted(set(payload) - {"text", "input_format"})
    if unknown:
        # Naming the field matters: a "path" or "url" here is refused, never opened or fetched.
        raise HTTPException(
            422, f"unknown field(s) {', '.join(unknown)}: send the article itself in \"text\""
        )
    text = payload.get("text")
    if not isinstance(text, str):
        raise HTTPException(
            422, '"text" is required and must be a string: the article, as plain text or HTML'
        )
    return text, _input_format(payload.get("input_format", "auto"))


def _input_format(value: Any) -> str:
    if value not in INPUT_FORMATS:
        raise HTTPException(422, f"input_format must be one of {', '.join(INPUT_FORMATS)}, not {value!r}")
    return str(value)


async def _source_from_form(request: Request, max_bytes: int) -> tuple[str | bytes, str]:
    form = await request.form(max_files=1, max_fields=8, max_part_size=max_bytes)
    fmt = _input_format(form.get("input_format") or "auto")
    upload = form.get("file")
    # The upload's file name is never used: only its bytes.
    if isinstance(upload, UploadFile):
        data = await upload.read()
        await upload.close()
        return data, fmt
    text = form.get("text")
    if isinstance(text, str):
        return text, fmt
    raise HTTPException(422, 'upload the article as a form field named "file" (or paste it in "text")')
