"""Single-request timings of the main pages and API calls, in-process (no HTTP server, no concurrency).

Use it to see where time goes before running the locust load test:

    DATABASE_URL=sqlite:///path/to/scale.sqlite3 DJANGO_ALLOWED_HOSTS=testserver \\
        .venv/bin/python benchmarks/measure_single.py [URL ...]

It logs in as the first hr (or superuser) account and prints the median of 5 requests per URL.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.test import Client  # noqa: E402

from dxtalent.core.models import User  # noqa: E402

DEFAULT_URLS = [
    "/org/",
    "/org/?as_of=2020-04-01",
    "/employees/",
    "/employees/?q=サト",
    "/employees/?page=200",
    "/api/v1/org-units/?as_of=2020-04-01",
    "/api/v1/employees/?search=サト",
    "/dashboard/",
    "/training/",
    "/library/?q=照会",
    "/library/?q=タスク管理",
    "/api/v1/cases/?q=照会",
    "/api/v1/cases/?q=タスク管理",
    "/projects/",
    "/api/v1/projects/",
    "/projects/rollups/",
]


def main(urls: list[str]) -> None:
    user = User.objects.filter(role_grants__role="hr").first() or User.objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(user)
    for url in urls:
        times, response = [], None
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        median_ms = statistics.median(times) * 1000
        print(f"{url:45} {response.status_code} median {median_ms:6.0f} ms {len(response.content):>8} B")


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT_URLS)
