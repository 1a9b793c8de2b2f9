"""Security headers on every response, the API reference page under a strict CSP, and CORS.

JSON and media answers get `default-src 'none'`: nothing in them may run or load. HTML
pages (the API reference, the console) set their own policy, naming exactly what they
load; their inline scripts are allowed by hash, never by 'unsafe-inline'.
"""

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
EXPOSED_HEADERS = [
    "ETag", "Link", "Location", "Retry-After", "X-Total-Count", "X-Request-ID",
    "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", API_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-…') allowing exactly the page's inline scripts."""
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts]


def html_page(html: str, *, script_src: str = "", style_src: str = "", img_src: str = "") -> HTMLResponse:
    hashes = " ".join(inline_script_hashes(html))
    policy = (
        f"default-src 'none'; script-src 'self' {script_src} {hashes}; style-src 'self' {style_src}; "
        f"img-src 'self' data: {img_src}; connect-src 'self'; font-src 'self'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": " ".join(policy.split())})


def install_docs(app: FastAPI) -> None:
    """/docs: Swagger UI (loaded from its CDN) under a CSP that allows only what it needs."""
    page = get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} — API reference").body.decode()

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return html_page(page, script_src=SWAGGER_CDN, style_src=SWAGGER_CDN, img_src="https://fastapi.tiangolo.com")


def install_cors(app: FastAPI, origins: list[str]) -> None:
    """CORS is off unless origins are configured; then only those origins may call."""
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["X-API-Key", "Content-Type", "If-Match", "X-Request-ID"],
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )
