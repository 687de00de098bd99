"""The Redis database of the tests that bring a Redis cache of their own (outages, the
page cache's copy in each worker, previews); each empties it first.

.ci/run runs its SQLite and PostgreSQL passes at the same time against one Redis
server, so each database's pass has a Redis database of its own. Others in use:
REDIS_URL in the PostgreSQL pass (15), the servers of tests/test_deployment.py (13).
"""

from django.db import connection

OWN_REDIS_URL = f"redis://127.0.0.1:6379/{11 if connection.vendor == 'sqlite' else 12}"
