"""When each record last changed, and the change log of records, read from git.

One ``git log`` over ``projects/`` gives both. A data folder outside git (a
fixture, an unpacked download) has no history; pages then fall back to the
record's own ``updated`` date and say that the history is not available.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .model import Initiative

KINDS = {"A": "ny", "M": "ændret", "D": "fjernet"}


@dataclass(frozen=True)
class Change:
    day: date
    record: str
    kind: str  # a value of KINDS


@dataclass(frozen=True)
class History:
    tracked: bool = False
    changes: list[Change] = field(default_factory=list)  # newest first, one per record and day

    def last_changed(self, record: Initiative) -> tuple[date | None, str]:
        """(date, where it comes from): git's date, else the record's own ``updated``, else none."""
        day = next((c.day for c in self.changes if c.record == record.id and c.kind != "fjernet"), None)
        if day:
            return day, "ifølge versionshistorikken"
        return (record.updated, "angivet i posten") if record.updated else (None, "")

    def newest(self, records: list[Initiative]) -> date | None:
        return max(filter(None, (self.last_changed(r)[0] for r in records)), default=None)


def read_history(data_dir: Path) -> History:
    """The committed history of ``data_dir/projects``; renames count as removed + new."""
    cmd = ["git", "-C", str(data_dir), "log", "--relative", "--no-renames", "--name-status",
           "--format=%x00%cs", "--", "projects"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except FileNotFoundError:  # no git on this machine
        return History()
    if proc.returncode != 0:  # not a git repository
        return History()
    return History(True, _parse(proc.stdout))


def _parse(log: str) -> list[Change]:
    """git's log is newest first; several commits on one day make one change: the newest kind,
    except that a record added and then edited that day is 'ny'."""
    changes: dict[tuple[date, str], Change] = {}
    for commit in log.split("\0")[1:]:
        day_text, *lines = commit.strip().splitlines()
        day = date.fromisoformat(day_text)
        for line in filter(None, lines):
            status, path = line.split("\t")[:2]
            if not path.endswith(".yml") or status[0] not in KINDS:
                continue
            key = (day, Path(path).stem)
            kind = KINDS[status[0]]
            if key not in changes or (kind == "ny" and changes[key].kind == "ændret"):
                changes[key] = Change(day, key[1], kind)
    return list(changes.values())
