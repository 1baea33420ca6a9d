"""A spec-driven, Prism-compatible mock of the Talq Make a Call API."""
