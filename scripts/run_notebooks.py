"""Regenerate the stored outputs of the report notebooks (``make notebooks``).

    python scripts/run_notebooks.py                 # every notebooks/*.ipynb, in order
    python scripts/run_notebooks.py notebooks/4a_learning_rate.ipynb
    python scripts/run_notebooks.py --check         # execute, compare, write nothing

Each notebook is executed top to bottom in a fresh kernel of this environment by nbclient with
timing recording off, then normalised so that two regenerations are byte-identical: widget
state and widget model ids dropped, per-cell timing metadata dropped, consecutive stdout/stderr
chunks merged (their split depends on flush timing), execution counts renumbered 1..N, the
interpreter version removed from the metadata, and the result validated with nbformat.
Prints each notebook's wall time (the report's budget: all under 2 minutes).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO_KEEP = ("codemirror_mode", "file_extension", "mimetype", "name",
                      "nbconvert_exporter", "pygments_lexer")


def normalise(nb) -> None:
    """Make the stored notebook deterministic (see the module docstring)."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    info = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {k: info[k] for k in LANGUAGE_INFO_KEEP if k in info}
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        kept = []
        for out in cell.outputs:
            if "execution_count" in out:
                out.execution_count = count
            data = out.get("data")
            if data is not None and WIDGET_MIME in data:
                del data[WIDGET_MIME]
                if not data:
                    continue
            # stdout arrives in chunks that depend on flush timing: merge consecutive ones
            if (out.output_type == "stream" and kept and kept[-1].output_type == "stream"
                    and kept[-1].name == out.name):
                kept[-1].text += out.text
                continue
            kept.append(out)
        cell.outputs = kept


def execute(path: Path, timeout: int = 600):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False)
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    normalise(nb)
    nbformat.validate(nb)
    return nb, elapsed


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``: a stored
    notebook is never half-written, even if the run is interrupted."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="execute and report notebooks whose stored text would change")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))   # file order is reading order
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    total = 0.0
    changed = []
    for path in paths:
        nb, elapsed = execute(path)
        total += elapsed
        text = nbformat.writes(nb) + "\n"
        old = path.read_text(encoding="utf-8")
        if args.check:
            if text != old:
                changed.append(path.name)
                diff = difflib.unified_diff(old.splitlines(), text.splitlines(),
                                            f"stored/{path.name}", f"now/{path.name}",
                                            lineterm="", n=0)
                for line in list(diff)[:12]:
                    print("    " + line[:160])
        else:
            write_atomically(path, text)
        print(f"{path.name:<28} {elapsed:6.1f} s", flush=True)
    print(f"{'total':<28} {total:6.1f} s")
    if changed:
        print("would change: " + ", ".join(changed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
