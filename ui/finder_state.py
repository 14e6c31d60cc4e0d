"""The finder's search in the URL: parse leniently, write canonically (no Streamlit).

``/finder?size=4-5&require=USA,JPN&exclude=CHN&regions=Europe,Oceania&orgs=1``
``&framing=alliance&year=2024&top=10&method=auto``. Every parameter is optional; what
cannot be used is named in the warnings and the rest of the search still loads.
"""

from __future__ import annotations

from dataclasses import dataclass

from model import Dataset
from model.schema import REGIONS
from model.search import MAX_SIZE, MAX_TOP, METHODS, SearchQuery
from ui.params import FRAMING, YEAR, LinkSpec, Param, Params, Reading, clip, read_codes

__all__ = [
    "DEFAULT_SIZE",
    "DEFAULT_TOP",
    "FINDER",
    "FinderState",
    "default_state",
    "finder_params",
    "max_size",
    "parse_finder",
    "to_query",
]

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


def max_size(ds: Dataset) -> int:
    return max(2, min(MAX_SIZE, len(ds.codes)))


def _read_size(r: Reading, raw: str, p: Param) -> tuple[int, int]:
    top = max_size(r.ds)
    lo, sep, hi = raw.strip().partition("-")
    lo, hi = lo.strip(), hi.strip() if sep else lo.strip()
    ok = all(v.isascii() and v.isdigit() and len(v) <= 3 for v in (lo, hi))
    if ok and 2 <= int(lo) <= int(hi) <= top:
        return int(lo), int(hi)
    r.warn(
        f"size '{clip(raw)}' is not a size or range (like 4 or 3-5) from 2 to "
        f"{top}; used {DEFAULT_SIZE}"
    )
    return DEFAULT_SIZE, DEFAULT_SIZE


def _write_size(size: tuple[int, int]) -> str:
    lo, hi = size
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _read_regions(r: Reading, raw: str, p: Param) -> tuple[str, ...]:
    regions: set[str] = set()
    for part in raw.split(","):
        name = part.strip()
        match = next((region for region in REGIONS if region.lower() == name.lower()), None)
        if match:
            regions.add(match)
        elif name:
            r.warn(f"region '{clip(name)}' is not one of {', '.join(REGIONS)}")
    return tuple(sorted(regions))


def _read_orgs(r: Reading, raw: str, p: Param) -> bool:
    value = raw.strip().lower()
    if value not in TRUE + FALSE:
        r.warn(f"orgs '{clip(raw)}' is not 1 or 0; used 0")
    return value in TRUE


def _read_top(r: Reading, raw: str, p: Param) -> int:
    value = raw.strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_TOP:
        return int(value)
    r.warn(f"top '{clip(raw)}' is not a number from 1 to {MAX_TOP}; used {DEFAULT_TOP}")
    return DEFAULT_TOP


def _read_method(r: Reading, raw: str, p: Param) -> str:
    if raw.strip().lower() in METHODS:
        return raw.strip().lower()
    r.warn(f"method '{clip(raw)}' is not one of {', '.join(METHODS)}; used auto")
    return "auto"


def _joined(codes: tuple[str, ...]) -> str | None:
    return ",".join(codes) or None


def _fit(r: Reading) -> dict:
    """A code both required and excluded stays required; the required fit the largest size."""
    size_min, size_max = r["size"]
    require, exclude = r["require"], r["exclude"]
    both = sorted(set(require) & set(exclude))
    if both:
        r.warn(f"{', '.join(both)} both required and excluded; kept as required")
        exclude = tuple(c for c in exclude if c not in both)
    if len(require) > size_max:
        r.warn(
            f"{len(require)} required members do not fit in a grouping of "
            f"{size_max}; kept the first {size_max}"
        )
        require = require[:size_max]
    return {"size_min": size_min, "size_max": size_max, "require": require, "exclude": exclude}


FINDER: LinkSpec[FinderState] = LinkSpec(
    FinderState,
    (
        Param(
            "size",
            _read_size,
            _write_size,
            default=lambda r: (DEFAULT_SIZE, DEFAULT_SIZE),
            get=lambda s: (s.size_min, s.size_max),
        ),
        Param("require", read_codes, ",".join, lambda r: ("USA",) if "USA" in r.ds.codes else ()),
        Param("exclude", read_codes, _joined, lambda r: ()),
        Param("regions", _read_regions, _joined, lambda r: ()),
        Param("orgs", _read_orgs, lambda orgs: "1" if orgs else None, lambda r: False),
        FRAMING,
        YEAR,
        Param("top", _read_top, default=lambda r: DEFAULT_TOP),
        Param("method", _read_method, lambda m: None if m == "auto" else m, lambda r: "auto"),
    ),
    derive=_fit,
)


def parse_finder(ds: Dataset, params: Params) -> tuple[FinderState, list[str]]:
    """The finder's search from query parameters, and what was ignored."""
    return FINDER.parse(ds, params)


def finder_params(state: FinderState) -> dict[str, str]:
    """The canonical query string: every parameter, empty lists left out."""
    return FINDER.canonical(state)


def default_state(ds: Dataset) -> FinderState:
    """Four members around the US (when the data has it), as an alliance, latest year."""
    return parse_finder(ds, {})[0]


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
