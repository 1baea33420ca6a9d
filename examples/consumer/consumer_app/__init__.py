"""An example app that uses the Talq API through talq_client."""
