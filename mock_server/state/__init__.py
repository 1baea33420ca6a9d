"""The mock's memory: rate-limit windows, credits and calls. In memory, created per app."""
