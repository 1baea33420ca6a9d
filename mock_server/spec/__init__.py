"""Loading openapi/talq.yaml once and compiling what the request path needs from it."""
