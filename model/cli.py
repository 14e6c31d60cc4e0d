"""``python -m model``: score, compare, presets, best, levers, validate, publish and open
(docs/architecture.md §5, §10).

Exit codes: 0 success, 1 dataset fails validation, 2 bad input (one line on stderr), 3 the
store of published scenarios cannot be used (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from model.cohesion import Weights
from model.data import Dataset, DatasetError, default_data_dir, load_dataset
from model.export import read_dataset_files
from model.levers import TOP, Lever, levers
from model.provenance import RowEffect, cohesion_of, provenance
from model.scenario import Scenario, ScenarioError, dataset_for, scenario
from model.schema import FRAMINGS
from model.score import Score, compare, score
from model.search import (
    MAX_EXHAUSTIVE,
    METHODS,
    SearchError,
    SearchQuery,
    find_groupings,
    parse_sizes,
)
from model.store import (
    DEFAULT_BASE_URL,
    PublishError,
    StoreError,
    UnknownScenario,
    link,
    open_store,
)
from model.whatif import Edit, WhatIfError, parse, texts
from model.words import edit_sentence
from model.words import title as words_title

__all__ = ["main"]

PROG = "python -m model"


class UsageError(Exception):
    """Bad input: reported as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        option = message.removeprefix("argument ").partition(":")[0]
        if option.startswith("--what-if") and message.endswith("expected one argument"):
            # argparse reads "--what-if -tie:..." as two options
            message = f"{option}: write {option}=EDITS (an edit may start with '-')"
        raise UsageError(message)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def _weights(text: str) -> Weights:
    try:
        return Weights.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return parse_sizes(text)
    except SearchError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _regions(text: str) -> tuple[str, ...]:
    return tuple(r.strip() for r in text.split(",") if r.strip())


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must not be negative")
    return n


def _what_if(sp, option: str = "--what-if", who: str = "") -> None:
    sp.add_argument(
        option,
        dest=option[2:].replace("-", "_"),
        default="",
        metavar="EDITS",
        help=f"hypothetical edits{who}, ';'-separated; write {option}=EDITS",
    )


def _parser() -> _Parser:
    p = _Parser(prog=PROG, description="Score hypothetical groupings on cohesion.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp, scenario_args: bool = True):
        sp.add_argument(
            "--data",
            metavar="DIR",
            help="dataset directory (default: built-in, or $COHESION_DATA_DIR)",
        )
        sp.add_argument("--json", action="store_true", help="print JSON")
        if scenario_args:
            sp.add_argument("--framing", choices=FRAMINGS)
            sp.add_argument("--year", type=int, help="default: latest year in the data")
            sp.add_argument(
                "--weights", type=_weights, default=None, help="e.g. ties=0.4,friction=0.6"
            )
            sp.add_argument("--seed", type=_positive, default=0)
            sp.add_argument(
                "--vary-weights",
                action="store_true",
                help="also jitter the weights (+-20%%) in the Monte Carlo",
            )

    sc = sub.add_parser("score", help="score one grouping")
    sc.add_argument("--members", required=True, help="preset id or comma list of codes")
    sc.add_argument("--draws", type=_positive, default=0, help="Monte Carlo draws")
    _what_if(sc)
    common(sc)
    cp = sub.add_parser("compare", help="compare two groupings")
    cp.add_argument("--a", required=True, help="preset id or comma list of codes")
    cp.add_argument("--b", required=True, help="preset id or comma list of codes")
    cp.add_argument("--draws", type=_positive, default=1000)
    _what_if(cp, "--what-if-a", " for --a")
    _what_if(cp, "--what-if-b", " for --b")
    common(cp)
    pr = sub.add_parser("presets", help="list the preset groupings")
    common(pr, scenario_args=False)
    be = sub.add_parser("best", help="most cohesive groupings of a size")
    be.add_argument("--size", type=_sizes, required=True, help="a size (5) or a range (4-6)")
    be.add_argument("--require", type=_codes, default=())
    be.add_argument("--exclude", type=_codes, default=())
    be.add_argument("--top", type=_positive, default=10)
    be.add_argument("--with-orgs", action="store_true", help="organisations are candidates too")
    be.add_argument(
        "--regions",
        type=_regions,
        default=(),
        help="candidates only from these regions (comma-separated)",
    )
    be.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help=f"auto: exhaustive up to {MAX_EXHAUSTIVE:,} groupings, beam beyond",
    )
    _what_if(be)
    common(be)
    lv = sub.add_parser("levers", help="the single edits that would raise cohesion most")
    lv.add_argument("--members", required=True, help="preset id or comma list of codes")
    lv.add_argument("--top", type=_positive, default=TOP)
    _what_if(lv)
    common(lv)
    va = sub.add_parser("validate", help="check a dataset; list every problem")
    va.add_argument("--data", metavar="DIR")
    pu = sub.add_parser(
        "publish", help="store the dataset and a scenario; print its short link (?s=ID)"
    )
    pu.add_argument("--members", required=True, help="preset id or comma list of codes")
    pu.add_argument("--title", default="", help="at most 120 characters (default: the scenario)")
    pu.add_argument("--note", default="", help="plain text, at most 2,000 characters")
    pu.add_argument(
        "--base-url",
        default=None,
        help=f"the dashboard's address (default: $COHESION_BASE_URL or {DEFAULT_BASE_URL})",
    )
    _what_if(pu)
    common(pu)
    op = sub.add_parser("open", help="score a published scenario on its own data")
    op.add_argument("id", help="the ID of a published scenario (the s= of its link)")
    op.add_argument("--draws", type=_positive, default=0, help="Monte Carlo draws")
    op.add_argument("--seed", type=_positive, default=0)
    op.add_argument("--vary-weights", action="store_true")
    op.add_argument("--json", action="store_true", help="print JSON")
    return p


def _load(args) -> Dataset:
    path = args.data if args.data else default_data_dir()
    try:
        return load_dataset(path)
    except DatasetError as err:
        if len(err.problems) == 1 and err.problems[0].endswith("no such dataset directory"):
            raise UsageError(f"--data: '{path}' is not a dataset directory") from None
        raise


def _check_codes(ds: Dataset, codes: Sequence[str], option: str) -> None:
    unknown = [c for c in codes if c not in ds.codes]
    if unknown:
        raise UsageError(f"{option}: unknown code(s) {', '.join(repr(c) for c in unknown)}")


def _text_score(result: Score) -> str:
    s = result.scenario
    head = f"{','.join(s.members)} as {s.framing}, {s.year}: "
    if result.cohesion is None:
        return head + result.message
    lines = [head + f"cohesion {result.cohesion:.1f}"]
    if result.interval:
        i = result.interval
        lines[0] += f" (90% interval {i['p5']:.1f}-{i['p95']:.1f})"
    lines += [f"  {k}: {v:.3f}" for k, v in result.components.as_dict().items()]
    lines += [f"  - {e}" for e in result.explanation]
    lines.append(
        "  shapley: "
        + ", ".join(f"{m} {c['shapley']:+.1f}" for m, c in result.contributions.items())
    )
    lines.append(
        "  best additions: " + ", ".join(f"{a} {d:+.1f}" for a, d in result.best_additions[:5])
    )
    return "\n".join(lines)


def _scenario_for(
    option: str, ds: Dataset, members: str, args, weights: Weights, edits_option: str
) -> Scenario:
    """The scenario the options name, with the edits of ``edits_option`` it carries."""
    try:
        s = scenario(ds, members, args.framing, args.year, weights)
    except ScenarioError as err:
        raise UsageError(f"{option}: {err}") from None
    return s.with_edits(_edits(ds, args, edits_option, s.year))


def _run(args) -> int:
    if args.command == "validate":
        path = args.data if args.data else default_data_dir()
        try:
            ds = load_dataset(path)
        except DatasetError as err:
            print("\n".join(err.problems))
            print(f"{len(err.problems)} problem(s) in {path}", file=sys.stderr)
            return 1
        print(
            f"ok: {path}: {len(ds.actors)} actors, {len(ds.ties)} ties, "
            f"{len(ds.frictions)} frictions, {len(ds.sensitivities)} sensitivities, "
            f"{len(ds.threats)} threats, {len(ds.sources)} sources, {len(ds.presets)} presets"
        )
        return 0
    if args.command == "open":
        return _open(args)
    ds = _load(args)
    if args.command == "presets":
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "members": list(p.members),
                "framing": p.framing,
                "note": p.note,
                "sources": list(p.sources),
            }
            for p in ds.presets.values()
        ]
        print(
            json.dumps(rows, indent=2)
            if args.json
            else "\n".join(
                f"{r['id']:<15} {r['framing']:<9} {','.join(r['members'])}  {r['name']}"
                for r in rows
            )
        )
        return 0
    weights = args.weights or Weights()
    commands = {
        "score": _score,
        "compare": _compare,
        "best": _best,
        "levers": _levers,
        "publish": _publish,
    }
    try:
        commands[args.command](ds, args, weights)
    except ScenarioError as err:
        option = "--require" if args.command == "best" else "--members"
        raise UsageError(f"{option}: {err}") from None
    except ValueError as err:
        raise UsageError(str(err)) from None
    return 0


def _edits(ds: Dataset, args, option: str, year: int) -> tuple[Edit, ...]:
    try:
        return parse(getattr(args, option[2:].replace("-", "_")), ds, year)
    except WhatIfError as err:
        raise UsageError(f"{option}: {err.quoted}: {err.what}") from None


def _score_json(ds: Dataset, result: Score) -> dict:
    rows = provenance(ds, result.scenario)
    return {**result.to_json(), "provenance": [r.to_json() for r in rows]}


def _text_what_if(ds: Dataset, result: Score) -> str:
    lines = [_text_score(result)]
    lines += [f"  what if: {edit_sentence(ds, e)}" for e in result.scenario.what_if]
    if result.record_cohesion is not None:
        lines.append(f"  on the record: cohesion {result.record_cohesion:.1f}")
    for r in provenance(ds, result.scenario, limit=5):
        lines.append(f"  rests on: {_row_label(r)} {r.effect:+.2f}")
    return "\n".join(lines)


def _row_label(r: RowEffect) -> str:
    if r.file == "what-if":
        return f"what-if {r.source}"
    return f"{r.file}:{r.row} ({r.source})"


def _score(ds: Dataset, args, weights: Weights) -> None:
    s = _scenario_for("--members", ds, args.members, args, weights, "--what-if")
    result = score(ds, s, draws=args.draws, seed=args.seed, vary_weights=args.vary_weights)
    if args.json:
        print(json.dumps(_score_json(ds, result), indent=2))
    else:
        print(_text_what_if(ds, result))


def _compare(ds: Dataset, args, weights: Weights) -> None:
    a = _scenario_for("--a", ds, args.a, args, weights, "--what-if-a")
    b = _scenario_for("--b", ds, args.b, args, weights, "--what-if-b")
    result = compare(ds, a, b, args.draws, args.seed, args.vary_weights)
    if args.json:
        out = {
            "a": _score_json(ds, result.a),
            "b": _score_json(ds, result.b),
            "a_beats_b": result.a_beats_b,
        }
        print(json.dumps(out, indent=2))
        return
    print("A: " + _text_what_if(ds, result.a))
    print("B: " + _text_what_if(ds, result.b))
    if result.a_beats_b is not None:
        print(f"A beats B in {100 * result.a_beats_b:.0f}% of {args.draws} draws")


def _best(ds: Dataset, args, weights: Weights) -> None:
    _check_codes(ds, args.require, "--require")
    _check_codes(ds, args.exclude, "--exclude")
    s = _scenario_for("--require", ds, ",".join(args.require), args, weights, "--what-if")
    query = SearchQuery(
        args.size,
        s.framing,
        s.year,
        args.require,
        args.exclude,
        args.regions,
        args.with_orgs,
        args.top,
        weights,
        args.method,
    )
    found = find_groupings(dataset_for(ds, s), query)
    if args.json:
        print(json.dumps({**found.to_json(), "what_if": texts(s.what_if)}, indent=2))
        return
    for f in found.results:
        print(f"{f.cohesion:6.1f}  {','.join(f.members)}")
    proof = "proven best" if found.exhaustive else "heuristic, not proven best"
    if not found.exhaustive and args.method == "auto":
        proof += f"; over the exhaustive limit of {MAX_EXHAUSTIVE:,} groupings"
    print(
        f"({found.method}: {found.evaluated:,} of {found.candidates:,} groupings "
        f"scored in full, {found.bounded:,} ruled out by the bound; {proof})"
    )


def _levers(ds: Dataset, args, weights: Weights) -> None:
    s = _scenario_for("--members", ds, args.members, args, weights, "--what-if")
    found = levers(ds, s, top=args.top)
    cohesion = cohesion_of(ds, s)
    if args.json:
        out = {
            "members": list(s.members),
            "framing": s.framing,
            "year": s.year,
            "what_if": texts(s.what_if),
            "cohesion": cohesion,
            "levers": [lever.to_json() for lever in found],
        }
        print(json.dumps(out, indent=2))
        return
    print(_text_levers(ds, s, cohesion, found))


def _text_levers(ds: Dataset, s: Scenario, cohesion: float | None, found: tuple[Lever, ...]) -> str:
    head = f"{','.join(s.members)} as {s.framing}, {s.year}: "
    if cohesion is None:
        return head + "pick at least two members."
    lines = [head + f"cohesion {cohesion:.1f}"]
    if not found:
        lines.append("  no single edit from the menu raises it")
    for lever in found:
        said = edit_sentence(ds, lever.edit)
        lines.append(f"  {lever.delta:+5.1f}  {lever.edit.text()}  ({said})")
    return "\n".join(lines)


def _publish(ds: Dataset, args, weights: Weights) -> None:
    s = _scenario_for("--members", ds, args.members, args, weights, "--what-if")
    files = read_dataset_files(args.data if args.data else default_data_dir())
    title = args.title if args.title.strip() else words_title(ds, s)
    try:
        pid = open_store().publish(files, "build", [s], title, args.note, dataset=ds)
    except PublishError as err:
        raise UsageError(f"publish: {err}") from None
    base = args.base_url or os.environ.get("COHESION_BASE_URL", "").strip() or DEFAULT_BASE_URL
    out = {"id": pid, "link": link(base, pid)}
    print(json.dumps(out, indent=2) if args.json else out["link"])


def _open(args) -> int:
    try:
        published = open_store().open(args.id)
    except UnknownScenario as err:
        raise UsageError(f"open: {err}") from None
    about = published.to_json()
    about = {k: about[k] for k in ("title", "note", "data_fingerprint", "published_at")}
    ds = published.dataset
    results = [
        score(ds, s, draws=args.draws, seed=args.seed, vary_weights=args.vary_weights)
        for s in published.scenarios
    ]
    if published.kind == "build":
        out = {**_score_json(ds, results[0]), **about}
    else:
        slots = [_score_json(ds, r) for r in results]
        out = {"kind": "compare", "year": published.year, "slots": slots, **about}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{published.title} (published {published.when}, on its own data)")
    if published.note:
        print("  " + published.note.replace("\n", "\n  "))
    for r in results:
        print(_text_what_if(ds, r))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return _run(args)
    except UsageError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except StoreError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 3
    except DatasetError as err:
        print("\n".join(err.problems), file=sys.stderr)
        return 1
