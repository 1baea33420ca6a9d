"""What each operation of the spec does once a request has passed the generic stages.

Each operation module exports `handle(context) -> Result` and may export `classify(violations)`,
which picks the documented error for an invalid request. `HANDLERS` maps operationIds to them; the
app refuses to start when the spec has an operation with no entry here.
"""
