"""Settings, URL map, WSGI entry point and the embedded-PostgreSQL bootstrap."""
