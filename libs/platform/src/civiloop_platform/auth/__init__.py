"""Bearer tokens with role and unit claims, the access policy, and the FastAPI dependencies."""

from civiloop_contracts.values import Role
from civiloop_platform.auth.policy import POLICY, Reach, Rule, authorize
from civiloop_platform.auth.scope import AccessDenied, Scope
from civiloop_platform.auth.tokens import AuthError, Principal, mint_token, verify_token

__all__ = ["POLICY", "AccessDenied", "AuthError", "Principal", "Reach", "Role", "Rule", "Scope",
           "authorize", "mint_token", "verify_token"]
