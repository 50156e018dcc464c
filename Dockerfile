# First version; the operations work refines it (multi-stage, healthcheck, compose example).
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 doorbraak
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY src ./src
COPY migrations ./migrations
RUN pip install --no-cache-dir .
USER doorbraak
EXPOSE 8000
# Listening on 0.0.0.0 needs real authentication: dev mode (demo tokens) is refused there.
ENV DOORBRAAK_AUTH_MODE=oidc
CMD ["doorbraak", "serve", "--host", "0.0.0.0", "--port", "8000"]
