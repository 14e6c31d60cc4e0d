"""Publish and open a scenario on a 5 MB dataset (issue 22): the median of repeated
timings, on SQLite and, given a server, on PostgreSQL.

The dataset is the built-in one with every tie's note lengthened until the files hold
about 5 MB (ties.csv stays under the 5 MB cap of one file). "publish, new data" stores a
dataset the store has not seen (one byte differs each time), so it validates, zips and
inserts 5 MB; "publish, data stored" finds the fingerprint already there; "open" reads the
zip, validates the dataset again and checks the scenario (what a short link costs the
first time a process opens it; the pages then cache it).

python benchmarks/bench_publish.py [--postgres postgresql://...] [--repeats 7] [--json]
(--postgres defaults to $COHESION_TEST_POSTGRES; a new database is made and dropped.)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import secrets
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402

from model import parse_tables, scenario  # noqa: E402
from model.export import read_dataset_files  # noqa: E402
from model.store import open_store  # noqa: E402

WORDS = [
    "treaty",
    "alliance",
    "statement",
    "joint",
    "exercise",
    "defence",
    "minister",
    "summit",
    "visit",
    "basing",
    "access",
    "agreement",
    "signed",
    "renewed",
    "cooperation",
    "intelligence",
    "sharing",
    "naval",
    "patrol",
    "strategic",
    "dialogue",
    "partnership",
    "trade",
    "investment",
    "supply",
    "chain",
    "semiconductor",
    "sanction",
    "dispute",
]


def five_mb(target: int = 4_950_000) -> dict[str, bytes]:
    """The built-in files with longer tie notes: about 5 MB in all."""
    files = read_dataset_files()
    rows = list(csv.reader(io.StringIO(files["ties.csv"].decode("utf-8-sig"))))
    note = rows[0].index("note")
    rng = random.Random(0)
    others = sum(len(v) for k, v in files.items() if k != "ties.csv")
    extra = (target - others - len(files["ties.csv"])) // (len(rows) - 1)
    for row in rows[1:]:
        words = []
        while sum(len(w) + 1 for w in words) < extra:
            words.append(rng.choice(WORDS))
        row[note] = (row[note] + " " + " ".join(words)).strip()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    ties = out.getvalue().encode("utf-8")
    assert len(ties) < 5_000_000, len(ties)
    return {**files, "ties.csv": ties}


def variant(files: dict[str, bytes], i: int) -> dict[str, bytes]:
    """The same data with one word of a note changed: another fingerprint."""
    ties = files["ties.csv"].replace(b" summit ", f" summit{i} ".encode(), 1)
    assert ties != files["ties.csv"]
    return {**files, "ties.csv": ties}


def bench(url: str, files: dict[str, bytes], repeats: int) -> dict[str, float]:
    store = open_store(url)
    ds = parse_tables(files)
    s = scenario(ds, "quad", "alliance", 2024, what_if="-sens:IND")
    store.publish(files, "build", [s], "warm-up")  # the schema, the first dataset
    counter = iter(range(1, 10_000))

    def publish_new():
        store.publish(variant(files, next(counter)), "build", [s], "new data")

    def publish_stored():
        store.publish(files, "build", [s], "stored data", dataset=ds)

    pid = store.publish(files, "build", [s], "to open", "a note")
    out = {}
    out["publish_new_ms"], _ = median_ms(publish_new, repeats)
    out["publish_stored_ms"], _ = median_ms(publish_stored, repeats)
    out["publish_stored_unparsed_ms"], _ = median_ms(
        lambda: store.publish(files, "build", [s], "stored, parsed again"), repeats
    )
    out["open_ms"], _ = median_ms(lambda: store.open(pid), repeats)
    return {k: round(v, 1) for k, v in out.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--postgres", default=os.environ.get("COHESION_TEST_POSTGRES", ""))
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    files = five_mb()
    size = sum(len(v) for v in files.values())
    results = {"dataset_bytes": size, "repeats": args.repeats}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = bench(f"sqlite://{tmp}/bench.db", files, args.repeats)
        results["sqlite"]["file_bytes"] = (Path(tmp) / "bench.db").stat().st_size
    if args.postgres:
        import psycopg

        name = f"cohesion_bench_{secrets.token_hex(4)}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        parts = urlsplit(args.postgres)
        try:
            url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
            results["postgresql"] = bench(url, files, args.repeats)
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"dataset: {size:,} bytes; median of {args.repeats}")
    for backend in ("sqlite", "postgresql"):
        if backend in results:
            r = results[backend]
            print(
                f"{backend:<10} publish (new data) {r['publish_new_ms']:7.1f} ms   "
                f"publish (data stored) {r['publish_stored_ms']:6.1f} ms "
                f"({r['publish_stored_unparsed_ms']:.1f} ms parsing it again)   "
                f"open {r['open_ms']:7.1f} ms"
            )


if __name__ == "__main__":
    main()
