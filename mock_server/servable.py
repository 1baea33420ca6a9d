"""The start-up check that the mock can answer a spec faithfully: every example matches its schema,
a valid body can be generated from every response schema, every declared header can be filled in,
and every answer the pipeline's generic stages can give is declared for each operation."""

from __future__ import annotations

from mock_server.pipeline import pipeline_outcomes
from mock_server.responder import BodyGenerator, check_headers_known, error_code
from mock_server.spec.compiled import CompiledSpec, compile_validator
from mock_server.spec.document import SpecError


def check_spec_servable(spec: CompiledSpec) -> None:
    """Refuse, naming the construct, a spec the mock could not answer faithfully."""
    responses = [response for op in spec.operations.values() for response in op.responses.values()]
    check_headers_known(responses)
    generator = BodyGenerator(seed=0)
    for operation in spec.operations.values():
        for response in operation.responses.values():
            where = f"{operation.operation_id} response {response.status}"
            validator = compile_validator(response.schema, where)
            codes = response.schema.get("properties", {}).get("error", {}).get("properties", {})
            known = codes.get("code", {}).get("enum")
            if known is not None and not set(response.error_codes) <= set(known):
                raise SpecError(
                    f"{where}: x-talq-error-codes lists a code its ErrorCode schema does not have."
                )
            for name, example in response.examples.items():
                if not validator.is_valid(example):
                    raise SpecError(f"{where}: example {name!r} does not match the response schema.")
                code = error_code(example)
                if code and code not in response.error_codes:
                    raise SpecError(
                        f"{where}: example {name!r} has the code {code!r}, which its x-talq-error-codes "
                        f"{list(response.error_codes)} does not list."
                    )
            try:
                sample = generator.generate(response.schema)
            except SpecError as error:
                raise SpecError(f"{where}: {error}") from error
            if not validator.is_valid(sample):
                raise SpecError(f"{where}: cannot generate a valid body from its schema (dynamic=true).")
        for outcome in pipeline_outcomes(operation):
            declared = operation.responses.get(outcome.status)
            if declared is None or outcome.example not in declared.examples:
                raise SpecError(
                    f"{operation.operation_id}: the mock can answer {outcome.status} with the example "
                    f"{outcome.example!r}, which the spec does not declare for this operation."
                )
