"""Scenario state in the URL (DESIGN section 6): parse leniently, write canonically.

Pure functions, no Streamlit: a page passes ``st.query_params.to_dict()``-like mappings
in (values may be lists when a parameter is repeated) and writes the canonical dict back.
Nothing here raises on bad input: what cannot be used is named in the warnings and the
rest of the scenario still loads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from model import Dataset, Weights
from model.cohesion import COMPONENTS
from model.scenario import MAX_MEMBERS
from model.schema import FRAMINGS

__all__ = [
    "DEFAULT_PRESET",
    "MAX_PARAM_LENGTH",
    "MAX_SLOTS",
    "BuildState",
    "Slot",
    "build_params",
    "known_codes",
    "parse_build",
    "parse_members_lenient",
    "parse_slots",
    "parse_year",
    "selected_code",
    "slots_params",
    "toggle_member",
]

DEFAULT_PRESET = "quad"
MAX_PARAM_LENGTH = 400
WEIGHT_PARAMS = {f"w_{c}": c for c in COMPONENTS}
BUILD_PARAMS = {"members", "framing", "year", *WEIGHT_PARAMS}
#: Parameters that hosting adds to a link; ignored without a warning.
HOST_PARAMS = frozenset({"embed", "embed_options"})
HOST_PREFIXES = ("utm_",)


def _is_host_param(key: str) -> bool:
    return key in HOST_PARAMS or key.startswith(HOST_PREFIXES)


@dataclass(frozen=True)
class BuildState:
    members: tuple[str, ...]
    framing: str
    year: int
    weights: Weights = field(default_factory=Weights)


def _clip(value: str) -> str:
    """A value as quoted in a warning: one line (escapes shown), at most 40 characters."""
    value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return value if len(value) <= 40 else value[:37] + "..."


def single_param(
    params: Mapping[str, str | Sequence[str]], key: str, warnings: list[str]
) -> str | None:
    """The parameter's value; a repeated one uses the last and says so."""
    if key not in params:
        return None
    value = params[key]
    if not isinstance(value, str):
        values = list(value)
        if not values:
            return None
        if len(values) > 1:
            warnings.append(f"'{key}' was given {len(values)} times; used the last")
        value = values[-1]
    if len(value) > MAX_PARAM_LENGTH:
        warnings.append(f"'{key}' is {len(value)} characters long (limit {MAX_PARAM_LENGTH})")
        return None
    return value


def known_codes(ds: Dataset, text: str, name: str, warnings: list[str]) -> list[str]:
    """The known codes of a comma list, in order, once each; unknown ones are named."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in text.split(","):
        code = part.strip().upper()
        if not code:
            continue
        if code in ds.codes:
            if code not in codes:
                codes.append(code)
        elif _clip(part.strip()) not in unknown:
            unknown.append(_clip(part.strip()))
    if unknown:
        warnings.append(f"unknown code(s) in '{name}': " + ", ".join(repr(u) for u in unknown))
    return codes


def parse_members_lenient(
    ds: Dataset, text: str, warnings: list[str], name: str = "members"
) -> tuple[tuple[str, ...], str | None]:
    """Known codes from a preset id or a comma list; unknown ones are named and dropped."""
    raw = text.strip()
    if raw.lower() in ds.presets:
        preset = ds.presets[raw.lower()]
        return preset.members, preset.id
    codes = known_codes(ds, raw, name, warnings)
    if len(codes) > MAX_MEMBERS:
        warnings.append(f"'{name}' lists {len(codes)} members; kept the first {MAX_MEMBERS}")
        codes = codes[:MAX_MEMBERS]
    return tuple(sorted(codes)), None


def _framing(
    ds: Dataset, preset: str | None, raw: str | None, name: str, warnings: list[str]
) -> str:
    """The framing asked for, else the preset's own, else alliance; a bad one is named."""
    default = ds.presets[preset].framing if preset else "alliance"
    if raw is None:
        return default
    if raw.strip().lower() in FRAMINGS:
        return raw.strip().lower()
    quoted = f"{name}='{_clip(raw)}'" if name else f"'{_clip(raw)}'"
    warnings.append(f"framing {quoted} is not one of {', '.join(FRAMINGS)}; used {default}")
    return default


def parse_year(ds: Dataset, text: str | None, warnings: list[str]) -> int:
    if text is None:
        return ds.latest_year
    lo, hi = ds.earliest_year, ds.latest_year
    value = text.strip()
    if value.isascii() and value.isdigit() and lo <= int(value) <= hi:
        return int(value)
    warnings.append(f"year '{_clip(text)}' is not a year from {lo} to {hi}; used {hi}")
    return hi


def _parse_weights(params, warnings: list[str]) -> Weights:
    values: dict[str, float] = {}
    for key, name in WEIGHT_PARAMS.items():
        raw = single_param(params, key, warnings)
        if raw is None:
            continue
        try:
            x = float(raw)
        except ValueError:
            x = math.nan
        if not math.isfinite(x) or not 0 <= x <= 10:
            warnings.append(f"weight {key}='{_clip(raw)}' is not a number from 0 to 10")
            continue
        values[name] = x + 0.0  # -0 reads as 0
    try:
        return Weights(**values)
    except ValueError:
        warnings.append(
            "weights for ties, connectivity, lattice and threat were all 0; used their defaults"
        )
        return Weights(**{k: v for k, v in values.items() if k in ("friction", "sensitivity")})


def parse_build(
    ds: Dataset, params: Mapping[str, str | Sequence[str]]
) -> tuple[BuildState, list[str]]:
    """The build page's scenario from query parameters, and what was ignored.

    With no ``members`` parameter at all the page opens on the Quad.
    """
    warnings: list[str] = []
    unknown = sorted(k for k in params if k not in BUILD_PARAMS and not _is_host_param(k))
    if unknown:
        warnings.append("unknown parameter(s) " + ", ".join(repr(_clip(k)) for k in unknown))
    raw_members = single_param(params, "members", warnings)
    preset = None
    if raw_members is None:
        preset = DEFAULT_PRESET if DEFAULT_PRESET in ds.presets else None
        members = ds.presets[preset].members if preset else ()
    else:
        members, preset = parse_members_lenient(ds, raw_members, warnings)
    framing = _framing(ds, preset, single_param(params, "framing", warnings), "", warnings)
    year = parse_year(ds, single_param(params, "year", warnings), warnings)
    return BuildState(members, framing, year, _parse_weights(params, warnings)), warnings


def build_params(state: BuildState) -> dict[str, str]:
    """The canonical query string of a scenario: weights only where not default."""
    params = {"members": ",".join(state.members), "framing": state.framing, "year": str(state.year)}
    default = Weights()
    for key, name in WEIGHT_PARAMS.items():
        value = getattr(state.weights, name)
        if value != getattr(default, name):
            params[key] = format(value, ".12g")
    return params


def toggle_member(state: BuildState, code: str) -> BuildState:
    """Add ``code`` to the grouping, or remove it if it is a member."""
    members = set(state.members)
    members.symmetric_difference_update({code})
    return replace(state, members=tuple(sorted(members)))


def selected_code(selection, codes: Sequence[str]) -> str | None:
    """The actor code of the clicked node in a plotly selection payload, if any.

    ``selection`` is what ``st.plotly_chart(..., on_select=...)`` stores: a mapping with
    ``selection.points``, each point carrying the node's ``customdata`` (its code).
    """
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not isinstance(points, Sequence) or isinstance(points, str):
        return None
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data in codes:
            return data
    return None


# --------------------------------------------------------------------------- slots

MAX_SLOTS = 4
DEFAULT_SLOTS = ("quad", "squad")


@dataclass(frozen=True)
class Slot:
    """One scenario of the compare or timeline page (the year is shared)."""

    members: tuple[str, ...]
    framing: str


def parse_slots(
    ds: Dataset,
    params: Mapping[str, str | Sequence[str]],
    extra: Sequence[str] = (),
) -> tuple[list[Slot], int, list[str]]:
    """Slots ``s1``..``s4`` with framings ``f1``..``f4`` and the shared ``year``.

    A bad slot is named in the warnings and left out; the good ones still load. With no
    slot at all the page opens on the Quad against the Squad. ``extra`` names further
    parameters the page reads itself.
    """
    warnings: list[str] = []
    known = {"year", *extra} | {f"{p}{i}" for p in "sf" for i in range(1, MAX_SLOTS + 1)}
    unknown = sorted(k for k in params if k not in known and not _is_host_param(k))
    if unknown:
        warnings.append("unknown parameter(s) " + ", ".join(repr(_clip(k)) for k in unknown))
    slots: list[Slot] = []
    given = False
    for i in range(1, MAX_SLOTS + 1):
        raw = single_param(params, f"s{i}", warnings)
        raw_framing = single_param(params, f"f{i}", warnings)
        if raw is None:
            if f"s{i}" in params:
                given = True  # present but unusable (too long): already named
            elif raw_framing is not None:
                warnings.append(f"'f{i}' has no slot s{i}")
            continue
        given = True
        found: list[str] = []
        members, preset = parse_members_lenient(ds, raw, found, name=f"s{i}")
        if not members and not raw.strip():
            members = ()  # an emptied slot is kept, as the page wrote it
        elif not members:
            warnings.append(f"slot s{i}='{_clip(raw)}' names no known actor or preset; left out")
            continue
        warnings.extend(found)
        slots.append(Slot(members, _framing(ds, preset, raw_framing, f"f{i}", warnings)))
    if not slots:
        if given:
            warnings.append("no usable slot; showing the Quad and the Squad")
        slots = [
            Slot(ds.presets[p].members, ds.presets[p].framing)
            for p in DEFAULT_SLOTS
            if p in ds.presets
        ]
    year = parse_year(ds, single_param(params, "year", warnings), warnings)
    return slots, year, warnings


def slots_params(slots: Sequence[Slot], year: int) -> dict[str, str]:
    """Canonical query string of slots: numbered from 1, codes sorted, the shared year."""
    params: dict[str, str] = {}
    for i, slot in enumerate(slots[:MAX_SLOTS], start=1):
        params[f"s{i}"] = ",".join(slot.members)
        params[f"f{i}"] = slot.framing
    params["year"] = str(year)
    return params
