"""HTTP routes for the service menu: anyone reads it, district admins manage it."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Response, status

from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.catalogue import Category
from civiloop_requests.domain.errors import DomainError, NotFound, UnknownCategory
from civiloop_requests.entrypoints.deps import Cases

router = APIRouter(prefix="/menu", tags=["menu"])
Admin = Annotated[Principal, Depends(policy("menu.manage"))]
PUBLIC = [Depends(policy("menu.read"))]
T = TypeVar("T")

CATEGORY_EXAMPLE = {
    "code": "free_clinic", "name_zh": "义诊", "name_en": "Free clinic", "platform": "science",
    "specialty": "medicine_health", "group_activity": True, "accept_within": "P3D",
    "questions": [
        {"code": "attendees", "label": "预计参加人数 expected attendees", "kind": "number",
         "required": True},
        {"code": "mobility_needs", "label": "行动不便需上门 mobility needs", "kind": "yes_no"}]}


@router.get("", response_model=list[Category], summary="The service menu (no login needed)",
            dependencies=PUBLIC)
async def list_menu(cases: Cases) -> list[Category]:
    """Every category on the menu, grouped by platform in menu order."""
    async def work(uow: UnitOfWork) -> list[Category]:
        return list((await uow.menu.catalogue()).categories)
    return await cases.run(work)


@router.get("/{code}", response_model=Category, summary="One category with its questions",
            responses={404: {"description": "Not on the menu"}}, dependencies=PUBLIC)
async def get_category(code: str, cases: Cases) -> Category:
    """The category ``code`` and its extra questions."""
    async def work(uow: UnitOfWork) -> Category:
        return await uow.menu.get(code)
    return await _named(cases.run(work))


@router.put("/{code}", response_model=Category, summary="Add or change a category",
            openapi_extra={"requestBody": {"content": {"application/json": {
                "example": CATEGORY_EXAMPLE}}}},
            responses={201: {"description": "Added"}, 200: {"description": "Changed"}})
async def put_category(code: str, category: Category, _: Admin, cases: Cases,
                       response: Response) -> Category:
    """District admins add a category or change one; placed orders keep what they had."""
    if category.code != code:
        raise DomainError(f"code: body says {category.code!r}, path says {code!r}")

    async def work(uow: UnitOfWork) -> bool:
        return await uow.menu.put(category)
    if await cases.run(work):
        response.status_code = status.HTTP_201_CREATED
    return category


@router.delete("/{code}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Take a category off the menu")
async def retire_category(code: str, _: Admin, cases: Cases) -> None:
    """The category is hidden from new orders; existing orders and figures keep it."""
    async def work(uow: UnitOfWork) -> None:
        await uow.menu.retire(code)
    await _named(cases.run(work))


async def _named(running: Awaitable[T]) -> T:
    """``running``'s result; NotFound (404) when the category the path names is not on the menu."""
    try:
        return await running
    except UnknownCategory as exc:
        raise NotFound(f"code: {exc}") from None

