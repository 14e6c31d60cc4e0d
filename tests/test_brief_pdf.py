"""The brief as a PDF (issue #23): made by WeasyPrint from the same HTML, it holds the same
title, score and what-if lines, and a five-member scenario fits two A4 pages before the
appendix. Downloaded from the build page as a reader would (AppTest)."""

from __future__ import annotations

import io

import pytest
from apptest import BUILD, COMPARE, download, open_page
from pypdf import PdfReader

from model import load_dataset, scenario, score
from model.words import edit_sentence, title

DS = load_dataset()
YEAR = 2024
WHAT_IF = "+tie:JPN-KOR:security_agreement:0.6;-friction:JPN-KOR"
A4 = (595, 842)  # points, as PDF pages measure them


def pages(data: bytes) -> list[str]:
    """Each page's text, whitespace made single spaces."""
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        w, h = (round(float(x)) for x in page.mediabox.upper_right)
        assert (w, h) == A4
    return [" ".join(p.extract_text().split()) for p in reader.pages]


@pytest.fixture(scope="module")
def build():
    at = open_page(BUILD, members="asian_nato", year=str(YEAR), what_if=WHAT_IF)
    s = scenario(DS, "asian_nato", "alliance", YEAR, what_if=WHAT_IF)
    return at, s


def test_the_pdf_holds_the_briefs_title_score_and_changes(build):
    at, s = build
    name, data = download(at, "build_pdf")
    assert name == f"asian-nato-what-if-alliance-{YEAR}-brief.pdf"
    assert data.startswith(b"%PDF-")
    text = " ".join(pages(data))
    shown = next(m.value for m in at.metric if m.label == "Cohesion")
    assert title(DS, s) in text
    assert f"{shown} / 100" in text
    assert shown == f"{score(DS, s).cohesion:.1f}"
    for edit in s.what_if:
        assert edit_sentence(DS, edit) in text
    # the HTML brief says the same
    _, html = download(at, "build_brief")
    assert f"<span class='score'>{shown}</span>" in html.decode("utf-8")


def test_five_members_fit_two_pages_before_the_appendix(build):
    at, s = build
    assert len(s.members) == 5
    _, data = download(at, "build_pdf")
    texts = pages(data)
    first = next(i for i, t in enumerate(texts) if "Appendix: Every row the score rests on" in t)
    assert first <= 2  # the appendix starts on page 3 at the latest
    assert not any("Appendix" in t for t in texts[:first])
    body = " ".join(texts[:first])
    for part in ("What makes the score", "Who holds it together", "Why", "The network"):
        assert part in body
    assert "Appendix: Sources" in " ".join(texts[first:])
    assert len(texts) > first  # the appendix is there, after a page break


def test_the_compare_brief_has_a_pdf_too():
    at = open_page(COMPARE, s1="quad", s2="squad", s3="asian_nato", year=str(YEAR))
    name, data = download(at, "cmp_pdf")
    assert name == f"compare-quad-vs-squad-vs-asian-nato-{YEAR}-brief.pdf"
    text = " ".join(pages(data))
    for value in (m.value for m in at.metric):
        assert value in text
    assert "Slot 3 against slot 2" in text
