"""The words a reader sees, in one place (docs/architecture.md §9): the page, the brief,
the CSVs, the file names and the CLI word a thing the same way because they all ask here.

Kind names, framing phrases, a data row or a what-if edit as a sentence, how a member's
contribution is signed, which preset a grouping is, and a scenario's title and file name.

>>> from model import load_dataset, scenario
>>> ds = load_dataset()
>>> s = scenario(ds, "asian_nato", year=2024, what_if="+tie:JPN-KOR:security_agreement:0.6")
>>> title(ds, s.record), title(ds, s)
('An "Asian NATO" · alliance · 2024', 'What if: An "Asian NATO" · alliance · 2024')
>>> file_stem(ds, s.record), file_stem(ds, s)
('asian-nato-alliance-2024', 'asian-nato-what-if-alliance-2024')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from model.cohesion import DOMAIN_WEIGHTS
from model.data import Dataset, Preset
from model.scenario import Scenario
from model.schema import DOMAINS
from model.whatif import Edit, number_text

__all__ = [
    "CHANGE_IF_LEFT",
    "CHANGE_IF_LEFT_HELP",
    "FRAMED_AS",
    "FRAMING_NOUNS",
    "KIND_WORDS",
    "edit_sentence",
    "file_stem",
    "framing_help",
    "framing_weighs",
    "grouping_name",
    "grouping_stem",
    "kind_words",
    "name",
    "pair_words",
    "period",
    "preset_of",
    "row_sentence",
    "slug",
    "title",
    "trigger_words",
]

#: Tie and friction kinds in a reader's words (others read with "_" as a space).
KIND_WORDS = {
    "economic_union": "single market or customs union",
    "fta": "free trade agreement",
    "trade_intensity": "trade dependence",
    "membership": "shared membership",
    "dialogue": "regular dialogue",
}
#: What each framing means, as the framing control and the method page say it.
FRAMING_NOUNS = {
    "alliance": "a mutual-defence alliance",
    "dialogue": "a security partnership like the Quad today",
    "economic": "an economic-security bloc",
}
#: A sensitivity triggered by a framing, as a reader says it.
FRAMED_AS = {
    "alliance": "being part of an alliance",
    "dialogue": "being part of a security dialogue",
    "economic": "being part of an economic bloc",
}
#: The one sign convention shown to readers for a member's contribution.
CHANGE_IF_LEFT = "change if it left"
CHANGE_IF_LEFT_HELP = (
    "The score without this member minus the score with it: negative when the grouping "
    "would lose cohesion without the member, positive when it would gain."
)

_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


# --------------------------------------------------------------------------- things


def kind_words(kind: str) -> str:
    """A tie or friction kind as a reader says it.

    >>> kind_words("fta"), kind_words("treaty_alliance")
    ('free trade agreement', 'treaty alliance')
    """
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def name(ds: Dataset, code: str) -> str:
    """An actor's name (its code when the dataset does not know it)."""
    return ds.actor(code).name if code in ds.codes else code


def pair_words(ds: Dataset, a: str, b: str) -> str:
    """A pair by name, in code order: 'Japan–United States'."""
    first, second = sorted((a, b))
    return f"{name(ds, first)}–{name(ds, second)}"


def period(record) -> str:
    """When a row is in force: 'since 2019' or '2012–2014'."""
    return f"since {record.since}" if record.until is None else f"{record.since}–{record.until}"


def trigger_words(ds: Dataset, trigger: str) -> str:
    """A sensitivity's trigger as a reader says it: 'being part of an alliance', 'sitting
    with Japan'."""
    if trigger.startswith("framing:"):
        return FRAMED_AS.get(trigger[8:], trigger[8:])
    return f"sitting with {name(ds, trigger.removeprefix('member:'))}"


def framing_weighs(framing: str) -> str:
    """Which ties count most under a framing, from the model's own domain weights.

    >>> framing_weighs("economic")
    'economic ties weigh 0.6, security 0.15 and political 0.25'
    """
    weights = dict(zip(DOMAINS, DOMAIN_WEIGHTS[framing], strict=True))
    main = max(weights, key=weights.get)
    rest = [f"{d} {weights[d]:g}" for d in DOMAINS if d != main]
    return f"{main} ties weigh {weights[main]:g}, {' and '.join(rest)}"


def framing_help() -> str:
    """The framings in one tooltip: what each means and how it weighs the ties."""
    return "; ".join(
        f"{framing}: {noun} ({framing_weighs(framing)})" for framing, noun in FRAMING_NOUNS.items()
    )


def row_sentence(ds: Dataset, table: str, record) -> str:
    """A row of the record in a plain sentence.

    >>> from model import load_dataset
    >>> ds = load_dataset()
    >>> tie = next(t for t in ds.ties if t.row == 7)  # US–Japan, 1960 treaty
    >>> row_sentence(ds, "ties", tie)
    'Japan–United States: treaty alliance (security tie, strength 0.90, since 1960)'
    """
    r = record
    if table == "ties":
        what = f"{kind_words(r.kind)} ({r.domain} tie, strength {r.strength:.2f}"
        return f"{pair_words(ds, r.a, r.b)}: {what}, {period(r)})"
    if table == "frictions":
        what = f"{kind_words(r.kind)} (friction, severity {r.severity:.2f}"
        return f"{pair_words(ds, r.a, r.b)}: {what}, {period(r)})"
    if table == "sensitivities":
        if r.trigger.startswith("framing:"):
            what = f"uneasy in a grouping framed as {r.trigger[8:]}"
        else:
            what = f"uneasy with {name(ds, r.trigger[7:])} as a member"
        return f"{name(ds, r.actor)}: {what} (severity {r.severity:.2f}, {period(r)})"
    return (
        f"{name(ds, r.actor)} sees {name(ds, r.target)} as a threat "
        f"(level {r.level:.2f}, {period(r)})"
    )


def edit_sentence(ds: Dataset, edit: Edit) -> str:
    """A what-if edit as a plain sentence, e.g. 'Japan–South Korea: every friction removed'."""
    kind = kind_words(edit.kind) if edit.kind else None
    since = f" from {edit.start}" if edit.start is not None else ""
    value = number_text(edit.value) if edit.value is not None else ""
    if edit.table in ("ties", "frictions"):
        pair = f"{name(ds, edit.actor)}–{name(ds, edit.other)}"
        noun = "tie" if edit.table == "ties" else "friction"
        if edit.op[0] == "+":
            label = "strength" if noun == "tie" else "severity"
            return f"{pair}: {kind} ({noun}, {label} {value}) added{since}"
        what = f"{kind} {noun}" if kind else f"every {noun}"
        return f"{pair}: {what} removed{since}"
    actor = name(ds, edit.actor)
    if edit.table == "threats":
        return f"{actor} sees {name(ds, edit.other)} as a threat at level {value}{since}"
    if edit.kind is None:
        return f"{actor}: every sensitivity removed{since}"
    if edit.kind.startswith("framing:"):
        what = f"unease at a grouping framed as {edit.kind[8:]}"
    else:
        what = f"unease when {name(ds, edit.kind[7:])} is a member"
    if edit.op == "+sens":
        return f"{actor}: {what} (severity {value}) added{since}"
    return f"{actor}: {what} removed{since}"


# --------------------------------------------------------------------------- scenarios


def preset_of(ds: Dataset, members: Sequence[str]) -> Preset | None:
    """The preset whose members are exactly ``members`` (None: no preset is).

    The one rule for "which preset is this": by members alone, since a preset scored
    under another framing is still that grouping (titles say the framing beside it).
    """
    wanted = tuple(sorted(members))
    return next((p for p in ds.presets.values() if p.members == wanted), None)


def grouping_name(ds: Dataset, members: Sequence[str], limit: int | None = None) -> str:
    """A preset's name when the members are one, else their codes (cut to ``limit``)."""
    preset = preset_of(ds, members)
    if preset is not None:
        return preset.name
    codes = ", ".join(members) or "No members"
    return codes if limit is None or len(codes) <= limit else codes[: limit - 3] + "..."


def title(ds: Dataset, s: Scenario) -> str:
    """A scenario's title: its grouping, framing and year, led by 'What if:' when the
    scenario changes the record."""
    head = f"{grouping_name(ds, s.members)} · {s.framing} · {s.year}"
    return f"What if: {head}" if s.is_what_if else head


def slug(*parts: object) -> str:
    """A file name made of ``parts``: lower-case letters and digits joined by hyphens.

    >>> slug("Asian NATO", "alliance", 2024, "network")
    'asian-nato-alliance-2024-network'
    >>> slug("<script>", "", "x")
    'script-x'
    """
    words = (_NOT_WORD.sub("-", str(p).lower()).strip("-") for p in parts)
    text = "-".join(w for w in words if w)
    return text[:MAX_SLUG].strip("-") or "chart"


def grouping_stem(ds: Dataset, members: Sequence[str]) -> str:
    """A grouping in a file name: the preset's id, else the codes."""
    preset = preset_of(ds, members)
    return slug(preset.id if preset else "-".join(members) or "empty")


def file_stem(ds: Dataset, s: Scenario) -> str:
    """The stem of a scenario's files: ``asian-nato-alliance-2024``, and
    ``asian-nato-what-if-alliance-2024`` when it changes the record."""
    return slug(grouping_stem(ds, s.members), "what-if" if s.is_what_if else "", s.framing, s.year)
