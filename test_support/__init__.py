"""What only the project's tests and tools use: fault injection, subprocess runners, the black-box
runner, `wait_until`. Not part of the mock's wheel (which ships `mock_server` only)."""
