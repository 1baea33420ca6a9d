"""Checking a request against the spec: each check returns values (violations), never raises."""
