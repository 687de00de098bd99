"""The Redis database of the tests that bring a Redis cache of their own (outages, the
page cache's copy in each worker, previews); each empties it first.

.ci/run runs its passes at the same time against one Redis server, so each pass has a
Redis database of its own: TEST_OWN_REDIS_URL names it, else 11 on SQLite and 12 on
PostgreSQL. Others in use: REDIS_URL in the PostgreSQL passes (15 and 14), the servers
of tests/test_deployment.py (13).
"""

import os

from django.db import connection

OWN_REDIS_URL = os.environ.get(
    "TEST_OWN_REDIS_URL",
    f"redis://127.0.0.1:6379/{11 if connection.vendor == 'sqlite' else 12}",
)
