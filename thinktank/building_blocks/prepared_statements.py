"""Our own SQL statements that every cold page runs, planned once per connection.

psycopg2 sends each statement as text with its values in it, so PostgreSQL parses and
plans it afresh every time. For the related list and the list pages' months, planning
took longer than running (10,000 publications: 0.6 ms to plan the related list's
read). On PostgreSQL, execute() therefore PREPAREs a statement the first time a
connection runs it, and then only EXECUTEs it with the values: PostgreSQL plans
custom for the first five runs, then keeps one generic plan when it costs no more.

The names prepared are remembered per driver connection: a new one (after
CONN_MAX_AGE, a reconnection, or thinktank.database ending a frozen one) prepares
again. A prepared statement belongs to the session, not to the transaction: a
rollback, to a savepoint or of the whole transaction, keeps it. A PREPARE that fails
(in a transaction already aborted, say) raises as the statement itself would have,
and is not remembered. statement_timeout bounds EXECUTE like any statement.

PREPARE runs on the driver's own connection, so Django counts a page's queries the
same on a new connection as on one that prepared already (tests/test_query_counts.py);
EXECUTE runs on `cursor`, counted and timed as the statement was.

Off behind a pooler in transaction mode (DATABASE_PREPARED_STATEMENTS=0), whose next
transaction may run on another server connection; and on SQLite, which keeps its own
compiled statements.
"""

import functools
import hashlib
import re
import weakref

from django.conf import settings

# {driver connection: names of the statements prepared on it}
_prepared = weakref.WeakKeyDictionary()

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def execute(cursor, name, sql, params):
    """cursor.execute(sql, params), where `sql` names its parameters (`%(pk)s`) and
    `params` is a dict of their values: on PostgreSQL as prepared statement `name`
    (followed by a digest of `sql`, so that each variant of a statement has its own)."""
    db = cursor.db
    if db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    statement, prepare, run, names = _statement(name, sql)
    prepared = _prepared.setdefault(db.connection, set())
    if statement not in prepared:
        with db.wrap_database_errors, db.connection.cursor() as driver:
            driver.execute(prepare)
        prepared.add(statement)
    cursor.execute(run, [params[key] for key in names])


@functools.lru_cache(maxsize=256)
def _statement(name, sql):
    """(the prepared statement's name, the PREPARE that makes it, the EXECUTE that runs
    it, the names of its parameters in order) for `sql`: worked out once per process,
    not on every run (a digest and a substitution over the whole text)."""
    text, names = _numbered(sql)
    statement = f"{name}_{hashlib.blake2b(text.encode(), digest_size=6).hexdigest()}"
    values = ", ".join(["%s"] * len(names))
    return statement, f"PREPARE {statement} AS {text}", f"EXECUTE {statement}({values})", names


def _numbered(sql):
    """`sql` with $1, $2... for its named parameters, and their names in that order."""
    names = []

    def number(match):
        key = match.group(1)
        if key is None:
            return "%"
        if key not in names:
            names.append(key)
        return f"${names.index(key) + 1}"

    return _PLACEHOLDER.sub(number, sql), names
