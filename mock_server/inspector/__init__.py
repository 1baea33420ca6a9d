"""The live inspector in the browser (`/_mock/` on the mock, `/_proxy/` on the proxy): server-rendered
HTML (Jinja2) with htmx and server-sent events, served by the mock itself."""
