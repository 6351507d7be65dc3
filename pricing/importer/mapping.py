"""Which sheet, header row and columns hold what: guessed, edited in the wizard, or written by hand.

A mapping is a small JSON or TOML file::

    [[tables]]
    sheet = "Budget"
    header_row = 3              # 1-based, as the spreadsheet numbers rows
    kind = "workloads"
    columns = { model = "B", requests_per_month = "Monthly calls", input_tokens = "D" }
    units = { input_mtok = "per_1k" }
    months = { E = "2026-01", F = "2026-02" }   # requests of each month, a column per month

Columns are given by letter or by header text.  A mapping that was used is remembered per
layout signature (the sheet names and header texts), in the user data folder or in
``TOKENBUDGET_IMPORT_MAPPINGS`` when that is set, and recalled for the next file of the
same layout.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pricing.files.atomic import atomic_write_bytes

ENV_STORE = "TOKENBUDGET_IMPORT_MAPPINGS"


class TableMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sheet: str
    header_row: int = Field(ge=1)
    kind: Literal["workloads", "rates", "endpoints", "clusters"]
    #: field -> column letter ("C") or header text ("Monthly calls").
    columns: dict[str, str] = Field(default_factory=dict)
    #: field -> unit: per_token / per_1k / per_1m (prices), count / thousands / millions, percent.
    units: dict[str, str] = Field(default_factory=dict)
    #: Last 1-based row of the table (None: until the next table or the end of the sheet).
    last_row: int | None = None
    #: Columns holding the requests of one month each (a budget with months across its columns):
    #: column letter or header text -> the month, "2026-01".  Their unit is units["requests_in_month"].
    months: dict[str, str] = Field(default_factory=dict)


class ImportMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tables: list[TableMapping] = Field(default_factory=list)

    # ------------------------------------------------------------- files
    @classmethod
    def load(cls, path: Path | str) -> ImportMapping:
        path = Path(path)
        raw = path.read_bytes()
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw.decode("utf-8-sig"))
        return cls.model_validate(data)

    def save(self, path: Path | str) -> None:
        path = Path(path)
        if path.suffix.lower() == ".toml":
            text = self.to_toml()
        else:
            text = self.model_dump_json(indent=2, exclude_none=True) + "\n"
        atomic_write_bytes(path, text.encode("utf-8"), backup=False)

    def to_toml(self) -> str:
        lines = []
        for table in self.tables:
            lines.append("[[tables]]")
            lines.append(f"sheet = {json.dumps(table.sheet)}")
            lines.append(f"header_row = {table.header_row}")
            lines.append(f"kind = {json.dumps(table.kind)}")
            if table.last_row is not None:
                lines.append(f"last_row = {table.last_row}")
            for key in ("columns", "units", "months"):
                if key == "months" and not table.months:
                    continue
                items = ", ".join(f"{_toml_key(k)} = {json.dumps(v)}" for k, v in getattr(table, key).items())
                lines.append(f"{key} = {{ {items} }}")
            lines.append("")
        return "\n".join(lines)

    # ------------------------------------------------------------- memory
    def remember(self, signature: str, directory: Path | str | None = None) -> Path:
        """Store this mapping for files whose layout has ``signature``."""
        target = store_dir(directory) / f"{_safe(signature)}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.save(target)
        return target

    @classmethod
    def recall(cls, path: Path | str, directory: Path | str | None = None) -> ImportMapping | None:
        """The mapping remembered for the layout of the file at ``path``, if any."""
        from pricing.importer.layout import layout_signature_of

        signature = layout_signature_of(Path(path))
        return cls.recall_signature(signature, directory) if signature else None

    @classmethod
    def recall_signature(cls, signature: str, directory: Path | str | None = None) -> ImportMapping | None:
        target = store_dir(directory) / f"{_safe(signature)}.json"
        if not target.is_file():
            return None
        try:
            return cls.load(target)
        except (OSError, ValueError):
            return None


def store_dir(directory: Path | str | None = None) -> Path:
    if directory is not None:
        return Path(directory)
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    from platformdirs import user_data_dir

    return Path(user_data_dir("tokenbudget", appauthor=False)) / "import-mappings"


def _safe(signature: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", signature)[:80]


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
