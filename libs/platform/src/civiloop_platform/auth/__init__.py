"""Bearer tokens with role and unit claims, and the FastAPI dependencies that check them."""

from civiloop_contracts.values import Role
from civiloop_platform.auth.tokens import AuthError, Principal, mint_token, verify_token

__all__ = ["AuthError", "Principal", "Role", "mint_token", "verify_token"]
