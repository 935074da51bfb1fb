#!/usr/bin/env python3
"""Copies a demo record from a SQLite file into an empty, migrated PostgreSQL database.

For the report benchmark at a million persons (bench/report.sh, issue 11 item 7): the demo
writer goes through the store's API, one person at a time with its audit rows, which on
PostgreSQL takes about 8 ms a person (over two hours for a million); the same rows copied
with COPY take minutes. Both engines have the same tables and columns (the migrations are
kept in step), and each value's text is one PostgreSQL reads back the same (RFC 3339
instants, ISO dates, 0/1 booleans, JSON text), so the copy is the same record. The
script checks that the column sets match and afterwards compares row counts per table;
`posyandu backup`'s record checksum can compare the two in full.

Triggers (the report stamps, foreign keys) are off while copying (session_replication_role
= replica): report_gen is copied as it is, and the SQLite file's keys already hold.

    bench/pg_copy.py /tmp/demo1m/demo.sqlite postgres://postgres@127.0.0.1:5432/bench_report
"""

import sqlite3
import subprocess
import sys
import time

# Copied in an order that keeps each referenced table first (not needed with triggers off,
# but it keeps a partial copy readable); the rest follow in name order.
FIRST = ["seq_counter", "org_unit", "app_user", "household", "person", "relationship",
         "pregnancy", "service_day", "visit"]
SKIP = {"_sqlx_migrations"}  # written by `posyandu migrate` on the target
BATCH = 5000


def psql(url, *args, **kw):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", *args], check=True, **kw)


def pg_columns(url):
    out = psql(url, "-tAc",
               "SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) "
               "FROM information_schema.columns WHERE table_schema = 'public' GROUP BY 1",
               capture_output=True, text=True).stdout
    cols = {}
    for line in out.strip().splitlines():
        table, names = line.split("|")
        cols[table] = names.split(",")
    return cols


def field(v):
    """One CSV field for COPY (FORMAT csv, NULL '\\N'): NULL unquoted, text always quoted."""
    if v is None:
        return "\\N"
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    if isinstance(v, bytes):
        v = v.decode()
    return '"' + v.replace('"', '""') + '"'


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, url = sys.argv[1], sys.argv[2]
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = [t for (t,) in src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if t not in SKIP]
    target = pg_columns(url)
    order = [t for t in FIRST if t in tables] + sorted(t for t in tables if t not in FIRST)
    for table in order:
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
        if table not in target or set(target[table]) != set(cols):
            sys.exit(f"{table}: the columns differ ({cols} / {target.get(table)})")
    start = time.time()
    for table in order:
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
        t0 = time.time()
        # The migrations seed a few rows (the change counter): the file's replace them.
        copy = (f"SET session_replication_role = replica; DELETE FROM {table}; "
                f"COPY {table} ({', '.join(cols)}) FROM STDIN (FORMAT csv, NULL '\\N')")
        proc = subprocess.Popen(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", copy],
                                stdin=subprocess.PIPE, text=True)
        n = 0
        cur = src.execute(f"SELECT {', '.join(cols)} FROM {table}")
        while rows := cur.fetchmany(BATCH):
            proc.stdin.write("".join(",".join(map(field, r)) + "\n" for r in rows))
            n += len(rows)
        proc.stdin.close()
        if proc.wait() != 0:
            sys.exit(f"{table}: COPY failed")
        print(f"{table}: {n} rows ({time.time() - t0:.0f} s)", flush=True)
        got = psql(url, "-tAc", f"SELECT COUNT(*) FROM {table}",
                   capture_output=True, text=True).stdout.strip()
        if int(got) != n:
            sys.exit(f"{table}: {got} rows on PostgreSQL, {n} in the file")
    psql(url, "-qc", "ANALYZE")
    print(f"copied in {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
