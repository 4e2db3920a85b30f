"""Running TeX from the tests: which tools are missing, and one call of a TeX program."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def missing_tex_tools(programs: tuple[str, ...], files: tuple[str, ...]) -> str | None:
    """The programs and TeX files (kpsewhich) not installed, for a skip reason; None if all are."""
    absent = [p for p in programs if shutil.which(p) is None]
    if not absent and shutil.which("kpsewhich"):
        for name in files:
            found = subprocess.run(["kpsewhich", name], capture_output=True, text=True)
            if not found.stdout.strip():
                absent.append(name)
    return ", ".join(absent) or None


def run_tex(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=300
    )
