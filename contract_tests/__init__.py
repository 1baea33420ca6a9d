"""Contract tests: the spec, the mock and the generated client held to each other (issue 4)."""
