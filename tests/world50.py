"""The built-in dataset with the actors still to come (issue 20): eleven Asian and Pacific
states and two organisations, at their capitals (the secretariat's city for ASEAN and the
SCO), with rough defence spending for their node sizes. No ties: the layout and labelling
tests need where the actors are and how large they are drawn, nothing else."""

from __future__ import annotations

import csv
import io

from model.data import Dataset, default_data_dir, parse_tables
from model.schema import FILES

__all__ = ["TO_COME", "world_of_fifty"]

#: code, name, kind, region, lat, lon, defence spending (USD bn, None: no figure)
TO_COME = (
    ("PAK", "Pakistan", "state", "South Asia", 33.6844, 73.0479, 8.5),
    ("BGD", "Bangladesh", "state", "South Asia", 23.8103, 90.4125, 4.0),
    ("LKA", "Sri Lanka", "state", "South Asia", 6.9271, 79.8612, 1.3),
    ("BRN", "Brunei", "state", "Southeast Asia", 4.9031, 114.9398, 0.5),
    ("KHM", "Cambodia", "state", "Southeast Asia", 11.5564, 104.9282, 0.9),
    ("LAO", "Laos", "state", "Southeast Asia", 17.9757, 102.6331, None),
    ("MMR", "Myanmar", "state", "Southeast Asia", 19.7633, 96.0785, 2.7),
    ("MNG", "Mongolia", "state", "Northeast Asia", 47.8864, 106.9057, 0.1),
    ("PNG", "Papua New Guinea", "state", "Oceania", -9.4438, 147.1803, 0.1),
    ("FJI", "Fiji", "state", "Oceania", -18.1248, 178.4501, 0.06),
    ("SLB", "Solomon Islands", "state", "Oceania", -9.4456, 159.9729, None),
    ("ASEAN", "ASEAN", "organization", "Southeast Asia", -6.2088, 106.8456, None),
    ("SCO", "Shanghai Cooperation Organisation", "organization", "Global", 39.9042, 116.4074, None),
)


def world_of_fifty() -> Dataset:
    """The built-in dataset plus those of :data:`TO_COME` it does not hold yet (54 actors;
    once they have landed in data/, the built-in dataset itself)."""
    root = default_data_dir()
    tables = {name: (root / name).read_bytes() for name in FILES}
    actors = list(csv.DictReader(io.StringIO(tables["actors.csv"].decode())))
    columns = list(actors[0])
    present = {a["code"] for a in actors}
    for code, name, kind, region, lat, lon, defence in TO_COME:
        if code in present:
            continue
        actors.append(
            {
                **dict.fromkeys(columns, ""),
                "code": code,
                "name": name,
                "kind": kind,
                "region": region,
                "lat": str(lat),
                "lon": str(lon),
                "defence_usd_bn": "" if defence is None else str(defence),
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(actors)
    return parse_tables({**tables, "actors.csv": out.getvalue().encode()})
