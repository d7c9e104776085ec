"""The dashboard's routers."""

from fastapi import APIRouter

from bella_admin.web import account, admin, auth, docs, exports, pages

router = APIRouter(include_in_schema=False)
for module in (auth, pages, exports, admin, account, docs):
    router.include_router(module.router)
