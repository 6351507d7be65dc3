"""How lines of actual spend find their workloads: shown, editable, remembered per source.

A rules file (JSON or TOML) says where each dimension is read and which values go where::

    dimensions = { tenant = "tag:team", feature = "project_name", resource = "ResourceId" }

    [[rules]]
    when = { resource = "proj_abc123" }
    workload = "Assistant chat"

    [[rules]]
    when = { model = "gpt-4o-mini", environment = "staging" }
    workload = "Assistant chat (staging)"

A dimension is one of tenant, feature, environment, workload, resource; it is read from a column
(by its name) or from a key of the tags column (``tag:key``).  Explicit rules are tried first, in
order (``when`` compares case-insensitively with model and the dimensions); failing them a line
goes to the workload its ``workload`` dimension names, else to the workloads whose tenant, feature,
environment (when the source says them), model and capacity id (``resource``) agree with it,
shared in proportion to their planned cost that month; spend that matches none is unmatched.
Rules that were used are remembered per source layout (its kind and columns) in the user data
folder, or in ``TOKENBUDGET_ACTUALS_RULES`` when that is set, and recalled for the next file of
the same layout.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


ENV_STORE = "TOKENBUDGET_ACTUALS_RULES"


class MatchRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: model or a dimension -> the value it must have (case-insensitive).
    when: dict[str, str] = Field(min_length=1)
    #: The workload the spend goes to; "" keeps it unmatched on purpose.
    workload: str


class MatchRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: dimension -> column name or "tag:key", overriding where the source is read by default.
    dimensions: dict[str, str] = Field(default_factory=dict)
    rules: list[MatchRule] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path | str) -> MatchRules:
        path = Path(path)
        try:
            raw = path.read_bytes().decode("utf-8-sig")
            data = tomllib.loads(raw) if path.suffix.lower() == ".toml" else json.loads(raw)
            return cls.model_validate(data)
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a matching-rules file: {str(exc).splitlines()[0]}") from None

    def save(self, path: Path | str) -> None:
        path = Path(path)
        text = self.to_toml() if path.suffix.lower() == ".toml" else self.model_dump_json(indent=2) + "\n"
        # Written beside the target and moved over it: a reader never sees half a file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)

    def to_toml(self) -> str:
        items = ", ".join(f"{k} = {json.dumps(v)}" for k, v in self.dimensions.items())
        lines = [f"dimensions = {{ {items} }}", ""]
        for rule in self.rules:
            when = ", ".join(f"{k} = {json.dumps(v)}" for k, v in rule.when.items())
            lines += ["[[rules]]", f"when = {{ {when} }}", f"workload = {json.dumps(rule.workload)}", ""]
        return "\n".join(lines)

    def remember(self, signature: str, directory: Path | str | None = None) -> Path:
        target = store_dir(directory) / f"{_safe(signature)}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.save(target)
        return target

    @classmethod
    def recall(cls, signature: str, directory: Path | str | None = None) -> MatchRules | None:
        target = store_dir(directory) / f"{_safe(signature)}.json"
        if not target.is_file():
            return None
        try:
            return cls.load(target)
        except ValueError:
            return None


def store_dir(directory: Path | str | None = None) -> Path:
    if directory is not None:
        return Path(directory)
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    from platformdirs import user_data_dir

    return Path(user_data_dir("tokenbudget", appauthor=False)) / "actuals-rules"


def _safe(signature: str) -> str:
    import hashlib

    kind = re.sub(r"[^A-Za-z0-9_-]", "_", signature.split(":", 1)[0])
    return f"{kind}-{hashlib.sha256(signature.encode()).hexdigest()[:16]}"
