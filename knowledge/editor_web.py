"""The editor page: upload, list, remove and try out documents, behind the editor token.

Mounted by the app under `/editor`. Browsers sign in once with the token and then carry an
HttpOnly, SameSite=Strict cookie (which also keeps other sites from posting forms here);
scripts send the token in the `X-Editor-Token` header to the JSON endpoints.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from knowledge.base import EmbedderMismatchError, KnowledgeBase
from knowledge.results import AddOutcome, AddStatus, DocumentInfo, SearchResult
from tools.settings import Settings

logger = logging.getLogger(__name__)

COOKIE = "nagrik_editor"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)

KnowledgeBaseFactory = Callable[[], KnowledgeBase]


def create_editor_router(settings: Settings, kb_factory: KnowledgeBaseFactory) -> APIRouter:
    """The editor pages and JSON endpoints under `/editor`.

    `kb_factory` is called once, on the first request, so the app starts without loading
    the embedder.
    """
    router = APIRouter(prefix="/editor", tags=["editor"])
    token = settings.secret("editor_token")
    session = hmac.new(token.encode(), b"nagrik editor session", hashlib.sha256).hexdigest()
    holder: dict[str, KnowledgeBase] = {}
    lock = threading.Lock()

    def knowledge_base() -> KnowledgeBase:
        with lock:
            if "kb" not in holder:
                holder["kb"] = kb_factory()
            return holder["kb"]

    def browser(request: Request) -> None:
        if not hmac.compare_digest(request.cookies.get(COOKIE, ""), session):
            raise HTTPException(status_code=303, headers={"Location": "/editor/login"})

    def script(x_editor_token: Annotated[str, Header()] = "") -> None:
        if not hmac.compare_digest(x_editor_token.encode(), token.encode()):
            raise HTTPException(status_code=401, detail="editor token missing or wrong")

    # Route dependencies rather than parameters: annotations are strings here (PEP 563), and
    # FastAPI cannot resolve a type alias local to this function from a string.
    signed_in = [Depends(browser)]
    with_token = [Depends(script)]

    @router.get("/login", response_class=HTMLResponse)
    def login_form(failed: bool = False) -> str:
        return TEMPLATES.get_template("editor_login.html").render(failed=failed)

    @router.post("/login")
    def login(token_field: Annotated[str, Form(alias="token")]) -> Response:
        if not hmac.compare_digest(token_field.encode(), token.encode()):
            logger.warning("editor login refused")
            return RedirectResponse("/editor/login?failed=true", status_code=303)
        response = RedirectResponse("/editor/", status_code=303)
        response.set_cookie(
            COOKIE,
            session,
            httponly=True,
            samesite="strict",
            secure=settings.public_base_url.startswith("https://"),
            path="/editor",
        )
        return response

    @router.post("/logout", dependencies=signed_in)
    def logout() -> Response:
        response = RedirectResponse("/editor/login", status_code=303)
        response.delete_cookie(COOKIE, path="/editor")
        return response

    @router.get("/", response_class=HTMLResponse, dependencies=signed_in)
    def page(q: str = "", notice: str = "", error: str = "") -> str:
        kb = knowledge_base()
        result: SearchResult | None = None
        if q.strip():
            try:
                result = kb.search(q, limit=5)
            except EmbedderMismatchError as problem:
                error = str(problem)
        return TEMPLATES.get_template("editor.html").render(
            documents=kb.list(),
            query=q,
            result=result,
            notice=notice,
            error=error or kb.mismatch or "",
        )

    @router.post("/documents", dependencies=signed_in)
    def upload(
        file: Annotated[UploadFile, File()],
        service: Annotated[str, Form()] = "",
        department: Annotated[str, Form()] = "",
        language: Annotated[str, Form()] = "",
    ) -> Response:
        outcome = _add_upload(knowledge_base(), file, service, department, language)
        if outcome.status is AddStatus.FAILED:
            return _back(error=f"{outcome.source}: {outcome.reason}")
        return _back(notice=f"{outcome.doc_id}: {outcome.status.value} ({outcome.chunks} chunks)")

    @router.post("/documents/{doc_id}/delete", dependencies=signed_in)
    def delete(doc_id: str) -> Response:
        if not knowledge_base().remove(doc_id):
            return _back(error=f"{doc_id}: no such document")
        return _back(notice=f"{doc_id}: removed")

    @router.get("/api/documents", dependencies=with_token)
    def api_documents() -> list[DocumentInfo]:
        return knowledge_base().list()

    @router.post("/api/documents", dependencies=with_token)
    def api_upload(
        file: Annotated[UploadFile, File()],
        service: Annotated[str, Form()] = "",
        department: Annotated[str, Form()] = "",
        language: Annotated[str, Form()] = "",
    ) -> AddOutcome:
        return _add_upload(knowledge_base(), file, service, department, language)

    @router.delete("/api/documents/{doc_id}", dependencies=with_token)
    def api_delete(doc_id: str) -> dict[str, bool]:
        return {"removed": knowledge_base().remove(doc_id)}

    @router.get("/api/search", dependencies=with_token)
    def api_search(q: str, service: str | None = None, limit: int = 5) -> SearchResult:
        try:
            return knowledge_base().search(q, service=service, limit=min(max(limit, 1), 20))
        except EmbedderMismatchError as problem:
            raise HTTPException(status_code=409, detail=str(problem)) from problem

    return router


def _add_upload(
    kb: KnowledgeBase, file: UploadFile, service: str, department: str, language: str
) -> AddOutcome:
    name = Path(file.filename or "upload").name
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="file larger than 5 MB")
    overrides = {"service": service, "department": department, "language": language}
    outcome = kb.add_upload(name, data, {key: value for key, value in overrides.items() if value})
    logger.info("editor upload %s: %s", outcome.doc_id or name, outcome.status.value)
    return outcome


def _back(**message: str) -> Response:
    return RedirectResponse(f"/editor/?{urlencode(message)}", status_code=303)
