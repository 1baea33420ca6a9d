"""make bench: the mock measured side by side with Prism and with a bare-server ceiling (issue 6)."""
