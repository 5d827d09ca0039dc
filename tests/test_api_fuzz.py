"""The OpenAPI schema of the open-data API, fuzzed by schemathesis: no input makes a server error,
and every answer matches the documented status codes, content types and HSDS schemas.

Bounded (FUZZ_EXAMPLES per operation) so CI stays quick; raise it locally to dig deeper.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from labimpact.wsgi import application

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


schema = _schema()


@pytest.fixture
def keep_test_connection(db):
    """Like Django's test client: the request's end must not close the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_breaks_the_api(case, keep_test_connection):
    # Schemathesis's WSGI transport asks for gzip but does not decode it; compressed answers
    # are checked in tests/test_weight.py.
    case.call_and_validate(app=application, checks=CHECKS, headers={"Accept-Encoding": "identity"})
