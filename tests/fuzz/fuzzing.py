"""Property-based fuzzing of one service's OpenAPI with schemathesis, as every role.

For each operation and role: one call with nothing in it tells whether the role gets past the
route's role check (a 401 or 403 answers before any input is read). The first role the route
admits sends its documented examples and 15 random valid and invalid cases; every other role it
admits sends 4 more. Generation is derandomized (the same cases every run) and never shrinks,
so the run is bounded. Every reply must be a non-5xx whose status the operation documents and
whose body matches the documented schema for that status. (schemathesis' "coverage" phase,
boundary values of every field, would add some 5,000 calls: it is left out to keep the run
to a few minutes.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.stack import ROLES, Running, bearer

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
"""No 5xx, no status the operation does not document, and a body its schema for that status
allows (the checks look at each reply: they add no calls)."""
FIRST_ROLE_CASES, OTHER_ROLE_CASES = 15, 4
"""Random cases per operation: as the first role it admits, and as each other one."""
REFUSED = (401, 403)
TIMEOUT_S = 60.0
"""A reply slower than this fails the run (a live stream is cut at its first event)."""


@dataclass
class Report:
    """What a service's fuzzing did: calls made, and every failure with how to reproduce it."""

    calls: int = 0
    failures: list[str] = field(default_factory=list)


def _settings(cases: int) -> hypothesis.settings:
    """Bounded and repeatable: ``cases`` cases, derandomized, no example database, no shrinking."""
    return hypothesis.settings(
        max_examples=cases, derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
        print_blob=False)


def _admitted(running: Running, operation: Any, report: Report) -> Iterator[str]:
    """The roles the operation lets past its role check, probed with an empty call each."""
    for role in ROLES:
        reply = running.client.request(operation.method.upper(), _bare_path(operation.path),
                                       headers=bearer(role), timeout=TIMEOUT_S)
        report.calls += 1
        if reply.status_code >= 500:
            report.failures.append(f"{operation.label} as {role} with no input: "
                                   f"{reply.status_code} {reply.text[:500]}")
        if reply.status_code not in REFUSED:
            yield role


def _bare_path(path: str) -> str:
    """``path`` with each ``{parameter}`` filled in with a plausible id."""
    return path.replace("{fmt}", "json").replace("{", "x-").replace("}", "")


def _run(operation: Any, running: Running, role: str, modes: list[HypothesisTestMode],
         cases: int, report: Report) -> None:
    """Run ``modes`` against the operation as ``role``; a failure goes into the report."""
    headers = bearer(role)

    def check(case: Any) -> None:
        report.calls += 1
        case.validate_response(case.call(session=running.client, headers=headers,
                                         timeout=TIMEOUT_S), checks=CHECKS)

    config = HypothesisTestConfig(project=operation.schema.config, modes=modes,
                                  settings=_settings(cases), apply_ci_profile=False)
    test: Callable[[], None] = create_test(operation=operation, test_func=check, config=config)
    try:
        test()
    # A check failed: say where, as whom, and how to reproduce it. (schemathesis' group of
    # failures is a BaseExceptionGroup: caught here, it no longer ends the whole run.)
    except (Exception, BaseExceptionGroup) as exc:
        report.failures.append(f"{operation.label} as {role}:\n{_describe(exc)[:4000]}")


def _describe(exc: BaseException) -> str:
    """The failure and, for Hypothesis' groups (a flaky failure), each failure inside."""
    if isinstance(exc, BaseExceptionGroup) and not str(exc).startswith("Schemathesis found"):
        return "\n".join([str(exc), *(_describe(inner) for inner in exc.exceptions)])
    return f"{type(exc).__name__}: {exc}"


def fuzz(running: Running) -> Report:
    """Fuzz every operation of ``running``'s OpenAPI; the report of what failed."""
    report = Report()
    for result in running.schema.get_all_operations():
        operation = result.ok()
        for n, role in enumerate(list(_admitted(running, operation, report))):
            if n == 0:
                _run(operation, running, role, [HypothesisTestMode.EXAMPLES,
                                                HypothesisTestMode.FUZZING], FIRST_ROLE_CASES,
                     report)
            else:
                _run(operation, running, role, [HypothesisTestMode.FUZZING], OTHER_ROLE_CASES,
                     report)
    return report
