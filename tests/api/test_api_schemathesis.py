"""Schemathesis against /openapi.json: generated requests, valid and invalid, to every
operation, on SQLite and PostgreSQL: no server error, every status, content type and body
as documented.

Requests go through httpx into the app on the test's own event loop (where its database
engine lives); Hypothesis runs in a worker thread and hands each request over.
"""

import asyncio
import re
import time
from collections import Counter
from contextlib import suppress

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_harness import api_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation and run
BUDGET_SECONDS = 60
REQUEST_FIELDS = ("method", "url", "headers", "params", "data", "json", "cookies", "files")
PATH_PARAMETER = re.compile(r"{(\w+)}")
# an officer id is not something to guess: the organisation file knows them
KNOWN_BODIES = {"POST /api/v1/complaints/{code}/assign": {"officer": "admin-pusat"}}
# merging needs a duplicate and a case to keep (the body names it); unmerge, the same duplicate
MERGE, UNMERGE = "POST /api/v1/complaints/{code}/merge", "POST /api/v1/complaints/{code}/unmerge"


async def test_the_api_keeps_the_promises_of_its_openapi_document(engine):
    started = time.monotonic()
    async with api_for(engine) as api:
        codes = [await api.file(service_code=category) for category in ("jalan", "sampah", "drainase", "penerangan")]
        await api.file(service_code="sampah", **{"attribute[privacy]": "anonim"})
        duplicate, kept = await api.file(service_code="jalan"), await api.file(service_code="jalan")
        known_bodies = {**KNOWN_BODIES, MERGE: {"into": kept}}
        await api.set_status(codes[0], "didisposisikan")
        document = (await api.get("/openapi.json", key=None)).json()
        schema = schemathesis.openapi.from_dict(document)
        loop = asyncio.get_running_loop()
        admin = api.keys["admin"]
        statuses: Counter[tuple[str, int]] = Counter()

        def send(case):
            kwargs = case.as_transport_kwargs(base_url="http://aduan", headers={"X-API-Key": admin})
            prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in REQUEST_FIELDS}).prepare()
            request = api.http.request(prepared.method, prepared.url, headers=dict(prepared.headers),
                                       content=prepared.body)
            response = asyncio.run_coroutine_threadsafe(request, loop).result(timeout=30)
            statuses[(case.operation.label, response.status_code)] += 1
            return response

        def run(strategy) -> None:
            @given(case=strategy)
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                case.validate_response(send(case), checks=CHECKS)

            check()

        def fuzz() -> list[str]:
            tested = []
            for number, result in enumerate(schema.get_all_operations()):
                operation = result.ok()
                run(operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
                names = PATH_PARAMETER.findall(operation.path)
                if names:  # and with a complaint that exists
                    existing = {name: duplicate if operation.label in (MERGE, UNMERGE) else codes[number % len(codes)]
                                for name in names}
                    run(operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=existing))
                    if operation.label in known_bodies:
                        run(operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=existing,
                                                  body=known_bodies[operation.label]))
                with suppress(Unsatisfiable):  # when nothing of it can be made invalid (no parameters)
                    run(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
                tested.append(operation.label)
            return tested

        tested = await asyncio.to_thread(fuzz)
    assert len(tested) == 14, tested  # every documented operation, /healthz and /metrics included
    succeeded = {label for (label, status), _ in statuses.items() if status < 300}
    assert succeeded == set(tested), statuses  # each operation also did its job at least once
    assert time.monotonic() - started < BUDGET_SECONDS
