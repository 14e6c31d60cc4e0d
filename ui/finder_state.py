"""The finder's search in the URL: parse leniently, write canonically (no Streamlit).

``/finder?size=4-5&require=USA,JPN&exclude=CHN&regions=Europe,Oceania&orgs=1``
``&framing=alliance&year=2024&top=10&method=auto``. Every parameter is optional; what
cannot be used is named in the warnings and the rest of the search still loads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from model import Dataset
from model.schema import REGIONS
from model.search import MAX_SIZE, MAX_TOP, METHODS, SearchQuery
from ui.state import _clip, _framing, _is_host_param, known_codes, parse_year, single_param

__all__ = ["FinderState", "default_state", "finder_params", "parse_finder", "to_query"]

PARAMS = {"size", "require", "exclude", "regions", "orgs", "framing", "year", "top", "method"}
DEFAULT_SIZE = 4
DEFAULT_TOP = 10
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class FinderState:
    size_min: int
    size_max: int
    require: tuple[str, ...]
    exclude: tuple[str, ...]
    regions: tuple[str, ...]
    orgs: bool
    framing: str
    year: int
    top: int = DEFAULT_TOP
    method: str = "auto"

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(range(self.size_min, self.size_max + 1))


def default_state(ds: Dataset) -> FinderState:
    """Four members around the US (when the data has it), as an alliance, latest year."""
    require = ("USA",) if "USA" in ds.codes else ()
    return FinderState(
        DEFAULT_SIZE, DEFAULT_SIZE, require, (), (), False, "alliance", ds.latest_year
    )


def max_size(ds: Dataset) -> int:
    return max(2, min(MAX_SIZE, len(ds.codes)))


def _codes(ds: Dataset, raw: str, name: str, warnings: list[str]) -> tuple[str, ...]:
    return tuple(sorted(known_codes(ds, raw, name, warnings)))


def _sizes(ds: Dataset, raw: str, warnings: list[str]) -> tuple[int, int]:
    top = max_size(ds)
    lo, sep, hi = raw.strip().partition("-")
    lo, hi = lo.strip(), hi.strip() if sep else lo.strip()
    ok = all(v.isascii() and v.isdigit() and len(v) <= 3 for v in (lo, hi))
    if ok and 2 <= int(lo) <= int(hi) <= top:
        return int(lo), int(hi)
    warnings.append(
        f"size '{_clip(raw)}' is not a size or range (like 4 or 3-5) from 2 to "
        f"{top}; used {DEFAULT_SIZE}"
    )
    return DEFAULT_SIZE, DEFAULT_SIZE


def parse_finder(
    ds: Dataset, params: Mapping[str, str | Sequence[str]]
) -> tuple[FinderState, list[str]]:
    """The finder's search from query parameters, and what was ignored."""
    warnings: list[str] = []
    unknown = sorted(k for k in params if k not in PARAMS and not _is_host_param(k))
    if unknown:
        warnings.append("unknown parameter(s) " + ", ".join(repr(_clip(k)) for k in unknown))
    default = default_state(ds)
    raw = {k: single_param(params, k, warnings) for k in sorted(PARAMS)}
    size_min, size_max = (
        (default.size_min, default.size_max)
        if raw["size"] is None
        else _sizes(ds, raw["size"], warnings)
    )
    require = (
        default.require
        if raw["require"] is None
        else _codes(ds, raw["require"], "require", warnings)
    )
    exclude = () if raw["exclude"] is None else _codes(ds, raw["exclude"], "exclude", warnings)
    both = sorted(set(require) & set(exclude))
    if both:
        warnings.append(f"{', '.join(both)} both required and excluded; kept as required")
        exclude = tuple(c for c in exclude if c not in both)
    if len(require) > size_max:
        warnings.append(
            f"{len(require)} required members do not fit in a grouping of "
            f"{size_max}; kept the first {size_max}"
        )
        require = require[:size_max]
    regions: list[str] = []
    for part in (raw["regions"] or "").split(","):
        name = part.strip()
        match = next((r for r in REGIONS if r.lower() == name.lower()), None)
        if match:
            regions.append(match)
        elif name:
            warnings.append(f"region '{_clip(name)}' is not one of {', '.join(REGIONS)}")
    orgs = False
    if raw["orgs"] is not None:
        value = raw["orgs"].strip().lower()
        orgs = value in TRUE
        if value not in TRUE + FALSE:
            warnings.append(f"orgs '{_clip(raw['orgs'])}' is not 1 or 0; used 0")
    top = DEFAULT_TOP
    if raw["top"] is not None:
        value = raw["top"].strip()
        if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_TOP:
            top = int(value)
        else:
            warnings.append(
                f"top '{_clip(raw['top'])}' is not a number from 1 to {MAX_TOP}; used {DEFAULT_TOP}"
            )
    method = "auto"
    if raw["method"] is not None:
        if raw["method"].strip().lower() in METHODS:
            method = raw["method"].strip().lower()
        else:
            warnings.append(
                f"method '{_clip(raw['method'])}' is not one of {', '.join(METHODS)}; used auto"
            )
    framing = _framing(ds, None, raw["framing"], "", warnings)
    year = parse_year(ds, raw["year"], warnings)
    state = FinderState(
        size_min,
        size_max,
        require,
        exclude,
        tuple(sorted(set(regions))),
        orgs,
        framing,
        year,
        top,
        method,
    )
    return state, warnings


def finder_params(state: FinderState) -> dict[str, str]:
    """The canonical query string: every parameter, empty lists left out."""
    size = (
        str(state.size_min)
        if state.size_min == state.size_max
        else f"{state.size_min}-{state.size_max}"
    )
    params = {"size": size, "require": ",".join(state.require)}
    if state.exclude:
        params["exclude"] = ",".join(state.exclude)
    if state.regions:
        params["regions"] = ",".join(state.regions)
    if state.orgs:
        params["orgs"] = "1"
    params.update(framing=state.framing, year=str(state.year), top=str(state.top))
    if state.method != "auto":
        params["method"] = state.method
    return params


def to_query(state: FinderState) -> SearchQuery:
    return SearchQuery(
        state.sizes,
        state.framing,
        state.year,
        state.require,
        state.exclude,
        state.regions,
        state.orgs,
        state.top,
        method=state.method,
    )
