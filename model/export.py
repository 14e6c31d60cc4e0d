"""Move a dataset in and out as files: zips, and CSVs that are safe in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as
a formula when a downloaded CSV is opened in a spreadsheet. Such a cell is written with a
leading apostrophe, which spreadsheets show as text; numbers (``-0.5``) stay numbers. The
upload path removes exactly that apostrophe again, so a downloaded dataset re-uploads
unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

from model.data import MAX_FILE_BYTES, default_data_dir
from model.schema import FILES

__all__ = [
    "MAX_ZIP_BYTES",
    "MAX_ZIP_MEMBERS",
    "dataset_zip",
    "read_dataset_files",
    "read_zip",
    "safe_cell",
    "safe_csv",
    "unsafe_csv",
    "unsafe_csv_or_raw",
]

MAX_ZIP_BYTES = 10_000_000
#: A dataset is seven files; a zip listing more entries than this is refused unread.
MAX_ZIP_MEMBERS = 1_000
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: str) -> str:
    """``value`` as a spreadsheet will show it, never as a formula.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-0.5"), safe_cell("plain")
    ("'=HYPERLINK(1)", '-0.5', 'plain')
    """
    if value.startswith(_TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    if value.startswith("'") and value.lstrip("'").startswith(_TRIGGERS):
        return "'" + value  # keep a text that already starts with "'=" as typed
    return value


def _rewrite(raw: bytes, cell) -> bytes:
    text = raw.decode("utf-8-sig")
    out = io.StringIO()
    # CRLF rows: the writer then quotes any cell holding a lone carriage return.
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([cell(c) for c in row])
    return out.getvalue().encode("utf-8")


def safe_csv(raw: bytes) -> bytes:
    """A CSV file with every cell made safe by :func:`safe_cell`."""
    return _rewrite(raw, safe_cell)


def _unsafe_cell(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(_TRIGGERS):
        return value[1:]
    return value


def unsafe_csv(raw: bytes) -> bytes:
    """Undo :func:`safe_csv` (only an apostrophe before a formula character is removed)."""
    return _rewrite(raw, _unsafe_cell)


def read_dataset_files(directory: str | Path | None = None) -> dict[str, bytes]:
    """The raw files of a dataset directory (missing ones are simply absent)."""
    path = Path(directory) if directory is not None else default_data_dir()
    return {name: (path / name).read_bytes() for name in FILES if (path / name).is_file()}


def dataset_zip(files: Mapping[str, bytes]) -> bytes:
    """The dataset's files, made spreadsheet-safe, in one zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in FILES:
            if name in files:
                z.writestr(name, safe_csv(files[name]))
    return buf.getvalue()


def read_zip(raw: bytes) -> dict[str, bytes]:
    """The dataset files in an uploaded zip (at its root or in one folder).

    Raises ValueError with a plain sentence when the zip cannot be used: too big, not a
    zip, a file over the size cap, or no dataset file at all. Files it does not know are
    ignored; missing ones are left for validation to report.
    """
    if len(raw) > MAX_ZIP_BYTES:
        raise ValueError(f"the zip is {len(raw):,} bytes; the limit is {MAX_ZIP_BYTES:,}")
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ValueError("the file is not a zip archive") from None
    except NotImplementedError:  # a header asking for a newer zip version than Python reads
        raise ValueError("the zip cannot be unpacked: it needs a newer zip version") from None
    files: dict[str, bytes] = {}
    with z:
        if len(z.infolist()) > MAX_ZIP_MEMBERS:
            raise ValueError(
                f"the zip holds {len(z.infolist()):,} entries; a dataset zip holds "
                f"at most {MAX_ZIP_MEMBERS:,}"
            )
        for info in z.infolist():
            name = Path(info.filename).name
            # an entry with an empty name (a damaged header) is not a file we know
            if not info.filename or info.is_dir() or name not in FILES:
                continue
            if info.filename.count("/") > 1:
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise ValueError(
                    f"{name} unpacks to {info.file_size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
                )
            if name in files:
                raise ValueError(f"the zip holds {name} twice")
            try:
                # At most one byte past the cap (validation then refuses it): the header's
                # size can lie, and z.read() would inflate the whole member in one go.
                with z.open(info) as member:
                    content = member.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
                raise ValueError(f"{name} in the zip is damaged ({err})") from None
            except (RuntimeError, NotImplementedError):
                raise ValueError(
                    f"{name} in the zip cannot be unpacked: it is encrypted or "
                    "packed with an unsupported method"
                ) from None
            files[name] = unsafe_csv_or_raw(content)
    if not files:
        raise ValueError("the zip holds none of " + ", ".join(FILES))
    return files


def unsafe_csv_or_raw(raw: bytes) -> bytes:
    """:func:`unsafe_csv` when the bytes are UTF-8 CSV; otherwise the bytes unchanged, so
    that validation reports the encoding problem itself."""
    try:
        return unsafe_csv(raw)
    except (UnicodeDecodeError, csv.Error):
        return raw
