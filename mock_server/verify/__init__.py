"""`talq-mock verify`: probe an upstream (the real API) for the spec's marked facts and decisions, and
replay what a consumer's tests exchanged with the mock (`--record` / `--talq-record`)."""
