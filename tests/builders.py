"""Build small datasets in memory for hand-checked tests."""

from __future__ import annotations

import csv
import io
import zipfile

from model.data import Dataset, parse_tables
from model.schema import REQUIRED_COLUMNS

SOURCE = {
    "key": "s1",
    "title": "Test source",
    "publisher": "Tests",
    "year": "2024",
    "url": "https://example.org/s1",
}


def csv_bytes(name: str, rows: list[dict]) -> bytes:
    columns = list(REQUIRED_COLUMNS[name])
    for r in rows:
        columns += [c for c in r if c not in columns]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})
    return out.getvalue().encode()


def actor(code: str, kind: str = "state", region: str = "Europe") -> dict:
    return {
        "code": code,
        "name": f"Actor {code}",
        "kind": kind,
        "region": region,
        "lat": "0",
        "lon": "0",
    }


def dated(own: dict, since=2000, until="", confidence="high") -> dict:
    """A row of a dated table: its own cells, then when, how sure and on what source."""
    shared = {"since": str(since), "until": str(until), "confidence": confidence}
    return {**own, **shared, "source": "s1", "note": "test"}


def tie(
    a,
    b,
    strength,
    domain="security",
    kind="treaty_alliance",
    since=2000,
    until="",
    confidence="high",
) -> dict:
    own = {"a": a, "b": b, "domain": domain, "kind": kind, "strength": str(strength)}
    return dated(own, since, until, confidence)


def friction(a, b, severity, kind="political_rift", since=2000, until="", confidence="high"):
    own = {"a": a, "b": b, "kind": kind, "severity": str(severity)}
    return dated(own, since, until, confidence)


def sensitivity(actor_, trigger, severity, since=2000, until="", confidence="high"):
    own = {"actor": actor_, "trigger": trigger, "severity": str(severity)}
    return dated(own, since, until, confidence)


def threat(actor_, target, level, since=2000, until="", confidence="high"):
    own = {"actor": actor_, "target": target, "level": str(level)}
    return dated(own, since, until, confidence)


def tables(
    codes=("AAA", "BBB", "CCC"),
    ties=(),
    frictions=(),
    sensitivities=(),
    threats=(),
    presets=None,
    orgs=(),
    regions=None,
) -> dict[str, bytes]:
    """Raw CSV files for a dataset; every table gets at least one harmless row.

    ``regions`` maps codes to regions (Europe where not given).
    """
    regions = regions or {}
    actors = [actor(c, region=regions.get(c, "Europe")) for c in codes] + [
        actor(c, "organization", regions.get(c, "Europe")) for c in orgs
    ]
    ties = list(ties) or [tie(codes[0], codes[1], 0.0)]
    # Harmless placeholder rows that never become active (they start in 2099).
    frictions = list(frictions) or [friction(codes[0], codes[1], 0.0, since=2099)]
    sensitivities = list(sensitivities) or [
        sensitivity(codes[0], "framing:alliance", 0.0, since=2099)
    ]
    threats = list(threats) or [threat(codes[0], codes[1], 0.0, since=2099)]
    presets = (
        presets
        if presets is not None
        else [
            {
                "id": "pair",
                "name": "A pair",
                "members": f"{codes[0]},{codes[1]}",
                "framing": "alliance",
                "source": "s1",
                "note": "test",
            }
        ]
    )
    return {
        "actors.csv": csv_bytes("actors.csv", actors),
        "ties.csv": csv_bytes("ties.csv", ties),
        "frictions.csv": csv_bytes("frictions.csv", frictions),
        "sensitivities.csv": csv_bytes("sensitivities.csv", sensitivities),
        "threats.csv": csv_bytes("threats.csv", threats),
        "sources.csv": csv_bytes("sources.csv", [SOURCE]),
        "presets.csv": csv_bytes("presets.csv", presets),
    }


def dataset(**kwargs) -> Dataset:
    return parse_tables(tables(**kwargs))


def zip_of(members: dict[str, bytes]) -> bytes:
    """A deflated zip holding ``members`` (name -> bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
