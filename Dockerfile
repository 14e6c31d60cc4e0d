# Self-hosting image: the dashboard on port 8501, run by a user without root rights.
#   docker build -t alliance-cohesion .
#   docker run -d -p 8501:8501 alliance-cohesion
# The server settings come from .streamlit/config.toml (copied with the app). With several
# replicas, give each the same STREAMLIT_SERVER_COOKIE_SECRET (see the README, Deploy).
# The base is the official Python 3.11 image on Debian slim; --build-arg PYTHON_IMAGE=...
# names a mirror of it or pins a digest.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 app
WORKDIR /app

# The brief's PDF: WeasyPrint draws text with Pango (the same list as packages.txt).
COPY packages.txt .
RUN apt-get update \
    && xargs -a packages.txt apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/*

# Runtime requirements only (requirements-dev.txt holds the test tools).
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code and data stay owned by root: the app user can read them, not change them.
COPY . .
USER app

EXPOSE 8501
# slim has no curl: ask /_stcore/health with Python's urllib.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4); sys.exit(r.read() != b'ok')"]
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
