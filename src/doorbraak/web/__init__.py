"""The internal web frontend: server-rendered pages that call the services, never the HTTP API."""
