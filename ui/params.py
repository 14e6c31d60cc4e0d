"""Query parameters, described once (docs/architecture.md §6): a link's text to a page's state
and back.

A page lists its parameters as :class:`Param` objects (name, reader, canonical writer,
default), in the order its canonical link writes them, and a :class:`LinkSpec` joins them
to the page's state class. What every page needs is written here once: unknown parameters
are named (those a host adds, ``embed`` and ``utm_*``, are ignored silently), a repeated
parameter uses its last value and says so, an oversized one is refused, and a value is
quoted in a warning on one clipped line. Nothing raises on bad input: what cannot be used
is named in the warnings and the rest of the state still loads. No Streamlit here.

Adding a parameter to a page is one :class:`Param` in its list and, when the state should
keep it, one field of the same name in the state class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from model import Dataset
from model.scenario import MAX_MEMBERS
from model.schema import FRAMINGS

__all__ = [
    "FRAMING",
    "MAX_PARAM_LENGTH",
    "YEAR",
    "LinkSpec",
    "Param",
    "Params",
    "Reading",
    "clip",
    "known_codes",
    "latest_year",
    "members_of",
    "preset_framing",
    "read_codes",
    "read_framing",
    "read_members",
    "read_year",
]

MAX_PARAM_LENGTH = 400
#: Parameters that hosting adds to a link; ignored without a warning.
HOST_PARAMS = frozenset({"embed", "embed_options"})
HOST_PREFIXES = ("utm_",)

#: A query string as a page gets it: a value, or a list of values for a repeated key.
Params = Mapping[str, str | Sequence[str]]
S = TypeVar("S")


def clip(value: str) -> str:
    """A value as a warning quotes it: one line (escapes shown), at most 40 characters.

    >>> clip("a\\nb"), clip("x" * 50)
    ('a\\\\nb', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')
    """
    value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return value if len(value) <= 40 else value[:37] + "..."


class Reading:
    """One link being read: its parameters, the values read so far (in the spec's order),
    the preset a members parameter named, and the warnings."""

    def __init__(self, ds: Dataset, params: Params):
        self.ds, self.params = ds, params
        self.values: dict[str, Any] = {}
        self.presets: dict[str, str] = {}
        self.warnings: list[str] = []

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def given(self, name: str) -> bool:
        """Whether the link holds ``name`` at all (even with a value that was refused)."""
        return name in self.params

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def text(self, name: str, limit: int = MAX_PARAM_LENGTH) -> str | None:
        """The parameter's text: the last of repeated ones (said so); none if longer than
        ``limit``."""
        if name not in self.params:
            return None
        value = self.params[name]
        if not isinstance(value, str):
            values = list(value)
            if not values:
                return None
            if len(values) > 1:
                self.warn(f"'{name}' was given {len(values)} times; used the last")
            value = values[-1]
        if len(value) > limit:
            self.warn(f"'{name}' is {len(value)} characters long (limit {limit})")
            return None
        return value


def _nothing(r: Reading) -> None:
    return None


@dataclass(frozen=True)
class Param:
    """One query parameter of a page.

    ``read`` turns the link's text into a value (warning and falling back to ``default``
    when it cannot); ``default`` is the value when the link lacks the parameter; ``get``
    takes the value out of a page's state (by default its attribute of the same name) and
    ``write`` gives its canonical text, or None to leave it out of the link. A longer text
    than ``limit`` is refused.
    """

    name: str
    read: Callable[[Reading, str, Param], Any]
    write: Callable[[Any], str | None] = str
    default: Callable[[Reading], Any] = _nothing
    get: Callable[[Any], Any] | None = None
    limit: int = MAX_PARAM_LENGTH

    def value(self, r: Reading) -> Any:
        raw = r.text(self.name, self.limit)
        return self.default(r) if raw is None else self.read(r, raw, self)

    def of(self, state: Any) -> Any:
        return self.get(state) if self.get else getattr(state, self.name)


@dataclass(frozen=True)
class LinkSpec(Generic[S]):
    """A page's parameters and its state class.

    Reading a link fills each field of ``state`` from the parameter of the same name;
    ``derive`` computes the other fields (and applies the rules that join parameters)
    from the whole reading.

    >>> from dataclasses import dataclass
    >>> from model import load_dataset
    >>> @dataclass(frozen=True)
    ... class Page:
    ...     year: int
    >>> spec = LinkSpec(Page, (YEAR,))
    >>> state, warnings = spec.parse(load_dataset(), {"year": ["2010", "2012"], "colour": "red"})
    >>> state, warnings
    (Page(year=2012), ["unknown parameter(s) 'colour'", "'year' was given 2 times; used the last"])
    >>> spec.canonical(state)
    {'year': '2012'}
    """

    state: type[S]
    params: tuple[Param, ...]
    derive: Callable[[Reading], dict[str, Any]] = lambda r: {}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def parse(self, ds: Dataset, params: Params) -> tuple[S, list[str]]:
        """The state a link holds, and the warnings naming what was ignored."""
        r = Reading(ds, params)
        names = set(self.names)
        unknown = sorted(k for k in params if k not in names and not _is_host_param(k))
        if unknown:
            r.warn("unknown parameter(s) " + ", ".join(repr(clip(k)) for k in unknown))
        for p in self.params:
            r.values[p.name] = p.value(r)
        fields = {f.name for f in dataclasses.fields(self.state)}
        read = {name: value for name, value in r.values.items() if name in fields}
        return self.state(**{**read, **self.derive(r)}), r.warnings

    def canonical(self, state: S) -> dict[str, str]:
        """The canonical query string of a state, in the order of the parameters."""
        out: dict[str, str] = {}
        for p in self.params:
            value = p.of(state)
            text = None if value is None else p.write(value)
            if text is not None:
                out[p.name] = text
        return out


def _is_host_param(key: str) -> bool:
    return key in HOST_PARAMS or key.startswith(HOST_PREFIXES)


# --------------------------------------------------------------------------- readers


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
        elif clip(part.strip()) not in unknown:
            unknown.append(clip(part.strip()))
    if unknown:
        warnings.append(f"unknown code(s) in '{name}': " + ", ".join(repr(u) for u in unknown))
    return codes


def members_of(
    ds: Dataset, text: str, name: str, warnings: list[str]
) -> tuple[tuple[str, ...], str | None]:
    """Known codes from a preset id or a comma list (sorted), and the preset id if any."""
    raw = text.strip()
    if raw.lower() in ds.presets:
        preset = ds.presets[raw.lower()]
        return preset.members, preset.id
    codes = known_codes(ds, raw, name, warnings)
    if len(codes) > MAX_MEMBERS:
        warnings.append(f"'{name}' lists {len(codes)} members; kept the first {MAX_MEMBERS}")
        codes = codes[:MAX_MEMBERS]
    return tuple(sorted(codes)), None


def read_members(r: Reading, raw: str, p: Param) -> tuple[str, ...]:
    """A preset id or a comma list of codes; the preset is remembered for the framing."""
    members, preset = members_of(r.ds, raw, p.name, r.warnings)
    if preset:
        r.presets[p.name] = preset
    return members


def read_codes(r: Reading, raw: str, p: Param) -> tuple[str, ...]:
    """A comma list of codes, sorted; unknown ones are named."""
    return tuple(sorted(known_codes(r.ds, raw, p.name, r.warnings)))


def preset_framing(members: str) -> Callable[[Reading], str]:
    """The default framing: that of the preset the ``members`` parameter named, or alliance."""

    def default(r: Reading) -> str:
        preset = r.presets.get(members)
        return r.ds.presets[preset].framing if preset else "alliance"

    return default


def read_framing(r: Reading, raw: str, p: Param) -> str:
    """A framing in any case; a bad one is named and the default used."""
    if raw.strip().lower() in FRAMINGS:
        return raw.strip().lower()
    default = p.default(r)
    quoted = f"'{clip(raw)}'" if p.name == "framing" else f"{p.name}='{clip(raw)}'"
    r.warn(f"framing {quoted} is not one of {', '.join(FRAMINGS)}; used {default}")
    return default


def read_year(r: Reading, raw: str, p: Param) -> int:
    """A year in the data's range; another is named and the latest used."""
    lo, hi = r.ds.earliest_year, r.ds.latest_year
    value = raw.strip()
    if value.isascii() and value.isdigit() and lo <= int(value) <= hi:
        return int(value)
    r.warn(f"year '{clip(raw)}' is not a year from {lo} to {hi}; used {hi}")
    return hi


def latest_year(r: Reading) -> int:
    return r.ds.latest_year


#: The year of a scenario: the data's latest by default.
YEAR = Param("year", read_year, default=latest_year)
#: The framing of a scenario: the preset's own when ``members`` named one, else alliance.
FRAMING = Param("framing", read_framing, default=preset_framing("members"))
