"""Schemathesis drives the live app from its own OpenAPI document: every answer, on the demo
group and on a session with hidden cells, must match what the document says (status codes,
content types, bodies, headers), with no server error."""

import hypothesis.strategies as st
import schemathesis
from hypothesis import HealthCheck, given, settings

#: Examples per operation: enough to reach real ids, suppressed cells and unknown ids, fast.
EXAMPLES = 12


def test_the_api_answers_as_its_openapi_document_says(
    app, facilitator, demo_groups, sparse_session, token_for
):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    (group,) = demo_groups()
    sparse_group, sparse_meeting = sparse_session
    # The WSGI transport does not decompress: ask for plain bodies (Flask-Compress).
    headers = {**token_for(facilitator), "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    known = {
        "group_id": st.sampled_from([group.id, sparse_group]),
        "meeting_id": st.sampled_from([1, 2, 3, 4, sparse_meeting]),
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        real = {name: known[name] for name in names}
        ids = st.fixed_dictionaries(real) if real else st.just({})
        strategy = st.one_of(
            operation.as_strategy(),
            ids.flatmap(lambda chosen, op=operation: op.as_strategy(path_parameters=chosen)),
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            case.call_and_validate(headers=headers)

        check()
