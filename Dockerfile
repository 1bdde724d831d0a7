# The bot's image: `docker build -t carehome-bot .` then see compose.yml (web, clock, PostgreSQL).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The package and its words; tests/ travels too because `python -m bot demo` uses the Slack stand-in.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY templates ./templates
COPY tests ./tests
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin carehome \
    && mkdir -p /data && chown carehome /data

# A non-root user; a SQLite database (if used) lives on the /data volume.
USER carehome
ENV PORT=3000 \
    DATABASE_URL=sqlite:////data/carehome.db
VOLUME ["/data"]
EXPOSE 3000

# Liveness: /healthz answers 200 while the process serves (python, not curl: the slim image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"

CMD ["python", "-m", "bot"]
