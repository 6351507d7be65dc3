"""What an import decided and what it found, for people and for the wizard."""

from __future__ import annotations

from dataclasses import dataclass, field

from pricing.plan.findings import Finding, Severity


@dataclass
class ImportReport:
    """Each mapping decision (which column became which field, which unit was assumed, which
    rows were skipped and why) and each problem with file, sheet, cell and reason."""

    decisions: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rows_imported: int = 0
    rows_skipped: int = 0
    #: Parts of the file not read as data (prose sheets, log templates, section labels, the
    #: budget's own result cells), each with where and why.
    skipped: list[str] = field(default_factory=list)
    #: The monthly totals the file states, each beside the total the import computes.
    totals: list[dict[str, str]] = field(default_factory=list)

    def decide(self, text: str) -> None:
        self.decisions.append(text)

    def skip(self, text: str) -> None:
        self.skipped.append(text)

    def find(self, message: str, *, severity: Severity = Severity.ERROR, **where) -> None:
        self.findings.append(Finding(message, severity, **where))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def grouped_findings(self, cells_shown: int = 8) -> list[str]:
        """The findings as lines a person can read, one per distinct problem.

        Findings that say the same thing about the same field of the same sheet (an unknown
        model on 40,000 rows) become one line naming how many rows and the first cells;
        a finding met once is shown whole, with its workload.  Order: first met first.
        """
        groups: dict[tuple, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault((f.severity, f.file, f.sheet, f.field, f.message), []).append(f)
        lines = []
        for (severity, file, sheet, name, message), found in groups.items():
            if len(found) == 1:
                lines.append(str(found[0]))
                continue
            cells = [f.cell for f in found if f.cell]
            shown = ", ".join(cells[:cells_shown]) + (f" and {len(cells) - cells_shown:,} more" if len(cells) > cells_shown else "")
            place = ", ".join(p for p in (file, f"sheet {sheet!r}" if sheet else None, name) if p)
            where = f" (cells {shown})" if cells else ""
            lines.append(f"{severity}: {place}: {message} — {len(found):,} times{where}" if place
                         else f"{severity}: {message} — {len(found):,} times{where}")
        return lines

    def as_text(self) -> str:
        lines = [f"{self.rows_imported} row(s) imported, {self.rows_skipped} skipped."]
        if self.decisions:
            lines.append("")
            lines.append("Decisions:")
            lines.extend(f"  - {d}" for d in self.decisions)
        if self.skipped:
            lines.append("")
            lines.append("Skipped (not read as data):")
            lines.extend(f"  - {s}" for s in self.skipped)
        if self.totals:
            lines.append("")
            lines.append("Stated and computed monthly totals:")
            lines.extend(f"  - {t['text']}" for t in self.totals)
        if self.findings:
            lines.append("")
            lines.append(f"{len(self.findings)} finding(s):")
            lines.extend(f"  {f}" for f in self.grouped_findings())
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "rows_imported": self.rows_imported,
            "rows_skipped": self.rows_skipped,
            "decisions": list(self.decisions),
            "findings": [f.as_dict() for f in self.findings],
            "skipped": list(self.skipped),
            "totals": [dict(t) for t in self.totals],
        }
