"""Exit 0 when the PostgreSQL server of the given URL answers, 1 otherwise."""

import sys

import psycopg


def main(url: str) -> int:
    # Ask the server's maintenance database: the test database may not exist yet.
    conninfo = psycopg.conninfo.conninfo_to_dict(url.replace("+psycopg", ""))
    conninfo["dbname"] = "postgres"
    try:
        with psycopg.connect(**conninfo, connect_timeout=3):
            return 0
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
