"""The cell values of every worksheet of a workbook, read with python-calamine (cached values
only, never macros), and how they travel from the reader process in one compact blob.

The reader process (``pricing.files.cells_worker``) sends each sheet's rows as one
:mod:`marshal` blob: the values calamine gives (text, numbers, booleans) are written without
a per-cell Python step, and read back as fast as the interpreter builds lists.  The few cells
marshal cannot carry (dates, times, durations) travel beside the blob with their row and column
and are put back in place.
"""

from __future__ import annotations

import marshal

from pricing.files.isolated import short as _short
from pricing.files.safety import MAX_COLS, MAX_ROWS

#: What marshal writes as it is; any other cell travels beside the blob.
_PLAIN = (str, float, int, bool, type(None))


def read_workbook_values(path: str, *, packed: bool = False) -> dict:
    """Read all worksheets with calamine: {'sheets': [...], 'notes': [...]} or {'refused': reason}.

    ``packed``: each sheet's rows as :func:`pack_rows` makes them (for the reader process);
    :func:`unpack_sheet` gives them back."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(path)
    except pc.PasswordError:
        return {"refused": "the workbook is password-protected; remove the password and import it again"}
    except (pc.CalamineError, pc.XmlError, pc.ZipError, OSError, ValueError) as exc:
        if "Cell limit exceeded" in str(exc):
            return {"refused": f"a sheet asks for more cells than an import reads ({_short(exc)})"}
        return {"refused": f"the workbook cannot be read ({_short(exc)})"}
    except BaseException as exc:  # a reader panic surfaces as pyo3's PanicException (a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {"refused": f"the workbook cannot be read (reader failure: {_short(exc)})"}
    sheets, notes = [], []
    try:
        metadata = {m.name: m for m in book.sheets_metadata}
    except BaseException:  # noqa: BLE001 - metadata is a nicety
        metadata = {}
    for name in book.sheet_names:
        meta = metadata.get(name)
        if meta is not None and "WorkSheet" not in str(meta.typ):
            notes.append(f"sheet {name!r} is a {str(meta.typ).split('.')[-1]}, not a worksheet: skipped")
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            values = _sheet_values(name, sheet)
        except pc.PasswordError:
            return {"refused": "the workbook is password-protected; remove the password and import it again"}
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            msg = _short(exc)
            if "Cell limit exceeded" in msg:
                return {"refused": f"sheet {name!r} asks for more cells than an import reads ({msg})"}
            notes.append(f"sheet {name!r} cannot be read ({msg}): skipped")
            continue
        if packed:
            values.update(pack_rows(values.pop("rows")))
        sheets.append(values)
    return {"sheets": sheets, "notes": notes}


def _sheet_values(name: str, sheet) -> dict:
    start = sheet.start or (0, 0)
    end = sheet.end or (0, 0)
    rows: list[list[object]] = []
    not_read = 0
    # Trailing blanks are dropped.  Rows of a sheet mostly end where the row before ended: that
    # width is tried first (its last cell filled, the cells after it all "", compared at once),
    # and only a row that ends elsewhere is walked back blank by blank.
    last = -1
    blanks: list[object] = []
    for row in sheet.iter_rows():
        if len(rows) >= MAX_ROWS + 100:
            not_read += 1
            continue
        width = min(len(row), MAX_COLS)
        if 0 < last <= width and row[last - 1] != "" and row[last - 1] is not None and (
                last == width or row[last:width] == blanks[:width - last]):
            width = last
        else:
            while width and (row[width - 1] == "" or row[width - 1] is None):
                width -= 1
            if width > 0 and len(row) - width > len(blanks):
                blanks = [""] * (len(row) - width)
            last = width
        rows.append(row[:width] if width < len(row) or type(row) is not list else row)
    count = len(rows) + not_read
    # python-calamine yields rows from sheet row 0 (blank rows above the data included),
    # columns from the first used column; a reader that starts at the first used row is
    # recognised by its row count.
    row_offset = 0 if count == end[0] + 1 or not_read else start[0]
    while rows and not rows[-1]:
        rows.pop()
    return {"name": name, "rows": rows, "row_offset": row_offset, "col_offset": start[1], "rows_not_read": not_read}


#: Rows per marshal blob: reading one blob is one C call that holds the interpreter lock, so a
#: window reading a 100,000-row sheet on a worker would freeze for the whole sheet's blob.
PIECE_ROWS = 4096


def _blobs(rows: list) -> list[bytes]:
    return [marshal.dumps(rows[i:i + PIECE_ROWS]) for i in range(0, len(rows), PIECE_ROWS)]


def pack_rows(rows: list[list[object]]) -> dict:
    """``{'packed': [blob, ...], 'aside': [(row, col, value), ...]}``: the rows in marshal blobs of
    ``PIECE_ROWS`` rows, the cells marshal cannot write (dates, times, durations) aside with where
    they sit."""
    try:
        return {"packed": _blobs(rows), "aside": []}
    except ValueError:  # a cell marshal cannot write: look for them, only in this sheet
        pass
    aside = []
    plain = []
    for r, row in enumerate(rows):
        if all(isinstance(v, _PLAIN) for v in row):
            plain.append(row)
            continue
        kept = list(row)
        for c, value in enumerate(row):
            if not isinstance(value, _PLAIN):
                aside.append((r, c, value))
                kept[c] = None
        plain.append(kept)
    return {"packed": _blobs(plain), "aside": aside}


def unpack_sheet(sheet: dict) -> dict:
    """A sheet dict from the reader process with its ``rows`` back (see :func:`pack_rows`)."""
    if "packed" not in sheet:
        return sheet
    sheet = dict(sheet)
    rows: list = []
    for blob in sheet.pop("packed"):  # one short C call each: other threads run between them
        rows.extend(marshal.loads(blob))
    for r, c, value in sheet.pop("aside"):
        rows[r][c] = value
    sheet["rows"] = rows
    return sheet
