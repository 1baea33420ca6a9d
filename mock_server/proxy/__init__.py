"""The validating proxy (`python -m mock_server proxy`) and the recorded-traffic checker (`check-traffic`).

Both hold real traffic to openapi/talq.yaml with the mock's own compiled spec and validators:
`validate.py` checks one exchange, `forward.py` is the proxy's ASGI app, `har.py` reads HAR 1.2 files,
`report.py` collects findings into the JSON report, the JUnit XML and the summary line, `cli.py` is the
command line.
"""
