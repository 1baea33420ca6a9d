"""Webhook events: building them from the lifecycle, signing them, delivering them."""
