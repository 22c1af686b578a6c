"""Disk size of accord's core install and of each extra, in fresh virtual environments.

    python benchmarks/install_size.py [--extras fast figures evidence] [--keep]

For the core (`pip install ROOT`) and for the core with each extra (`pip install
'ROOT[EXTRA]'`), a new venv is made in a temporary folder and its site-packages measured:
with the bytecode pip compiles at install time, and without it (what the wheels hold);
pip and setuptools, which every venv carries, are left out. Needs the package registry;
takes a few minutes. The figures go to README.md ("Install") and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVERY_VENV = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")


def folder_size(path: Path, with_bytecode: bool) -> int:
    """Bytes of the files under `path` (optionally skipping __pycache__ folders)."""
    total = 0
    for folder, subfolders, files in os.walk(path):
        if not with_bytecode:
            subfolders[:] = [s for s in subfolders if s != "__pycache__"]
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in files)
    return total


def measure(target: str, workdir: Path) -> tuple[float, float, float]:
    """(MB with bytecode, MB without, seconds to install) of `pip install target`."""
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    started = time.perf_counter()
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-qq", target],
                   check=True)
    seconds = time.perf_counter() - started
    site = next((venv / "lib").glob("python3*/site-packages"))
    sizes = []
    for with_bytecode in (True, False):
        total = folder_size(site, with_bytecode)
        for entry in site.iterdir():
            if entry.name.split("-")[0] in EVERY_VENV or entry.name in EVERY_VENV:
                total -= folder_size(entry, with_bytecode) if entry.is_dir() else \
                    entry.stat().st_size
        sizes.append(total / 1e6)
    return sizes[0], sizes[1], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extras", nargs="*", default=["fast", "figures", "evidence", "all"])
    parser.add_argument("--keep", action="store_true", help="keep the venvs (path printed)")
    args = parser.parse_args()
    print(f"accord install size, {time.strftime('%Y-%m-%d')}, Python "
          f"{sys.version.split()[0]}; MB of 10^6 bytes, pip and setuptools left out")
    print(f"{'install':<28}{'MB':>8}{'no bytecode':>13}{'+ over core':>13}{'install s':>11}")
    core = None
    for extra in [None, *args.extras]:
        target = str(ROOT) if extra is None else f"{ROOT}[{extra}]"
        workdir = Path(tempfile.mkdtemp(prefix="accord-size-"))
        with_bytecode, without, seconds = measure(target, workdir)
        core = with_bytecode if core is None else core
        label = "core" if extra is None else f"core + {extra}"
        added = "" if extra is None else f"{with_bytecode - core:+.0f}"
        print(f"{label:<28}{with_bytecode:>8.0f}{without:>13.0f}{added:>13}{seconds:>11.0f}",
              flush=True)
        if args.keep:
            print(f"  kept: {workdir}")
        else:
            subprocess.run(["rm", "-rf", str(workdir)], check=True)


if __name__ == "__main__":
    main()
