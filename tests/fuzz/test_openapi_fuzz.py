"""No input gives a server error: every service's OpenAPI fuzzed as every role (schemathesis).

Each service runs in process on the real Kafka and MongoDB; see tests/fuzz/fuzzing.py for
what runs as whom. The assertion: no 5xx, and every reply matches its documented schema.
"""

from __future__ import annotations

import pytest

from tests.fuzz.fuzzing import fuzz
from tests.fuzz.stack import SERVICES, Services


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.timeout(900)  # a few minutes alone; more on a machine shared by many
@pytest.mark.filterwarnings(  # schemathesis draws from `random`, which Hypothesis seeds
    "ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_no_input_gives_a_server_error(services: Services, name: str) -> None:
    report = fuzz(services[name])
    assert report.calls > 100, f"only {report.calls} calls: is the schema being read?"
    assert not report.failures, f"{len(report.failures)} failures in {report.calls} calls:\n\n" \
        + "\n\n".join(report.failures)
