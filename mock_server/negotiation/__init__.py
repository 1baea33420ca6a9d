"""Prism's `Prefer` negotiation: which status and which named example to answer with."""
