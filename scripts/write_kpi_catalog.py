"""Render the README's KPI catalog from the KPI docs blocks, so each KPI is defined once.

Every KPI is a `{% docs kpi_<name> %}` block in models/marts/<area>/_<area>__docs.md whose
first line is `**Title** - owner: <team>.` followed by the formula, grain and filters. This
script lists them in README.md between the markers

    <!-- kpi-catalog:start -->  ...  <!-- kpi-catalog:end -->

with the marts whose YAML uses the block (`doc("kpi_<name>")`) and the MetricFlow metrics
that use it or carry its name. `--check` writes nothing and exits 1 when the README is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- kpi-catalog:start -->", "<!-- kpi-catalog:end -->"
DOCS_BLOCK = re.compile(r"{%\s*docs\s+(kpi_\w+)\s*%}(.*?){%\s*enddocs\s*%}", re.S)
MODEL_NAME = re.compile(r"^  - name: (\w+)\s*$", re.M)
METRIC_NAME = re.compile(r"^  - name: (\w+)\s*$", re.M)


@dataclass
class Kpi:
    name: str
    area: str
    text: str
    marts: set[str] = field(default_factory=set)
    metrics: set[str] = field(default_factory=set)


def read_kpis() -> dict[str, Kpi]:
    kpis: dict[str, Kpi] = {}
    for path in sorted((ROOT / "models" / "marts").glob("*/_*__docs.md")):
        for name, text in DOCS_BLOCK.findall(path.read_text()):
            kpis[name] = Kpi(name=name, area=path.parent.name, text=" ".join(text.split()))
    return kpis


def _sections(text: str, header: str) -> list[tuple[str, str]]:
    """The (name, body) of each `  - name:` entry under a top-level YAML key."""
    match = re.search(rf"^{header}:\s*$(.*?)(?=^\S|\Z)", text, re.S | re.M)
    if not match:
        return []
    body = match.group(1)
    names = list(MODEL_NAME.finditer(body))
    return [
        (found.group(1), body[found.end(): names[index + 1].start() if index + 1 < len(names) else len(body)])
        for index, found in enumerate(names)
    ]


def link_usage(kpis: dict[str, Kpi]) -> None:
    for path in sorted((ROOT / "models" / "marts").glob("*/_*.yml")):
        text = path.read_text()
        for model, body in _sections(text, "models"):
            for name in re.findall(r'doc\("(kpi_\w+)"\)', body):
                if name in kpis:
                    kpis[name].marts.add(model)
        for metric, body in _sections(text, "metrics"):
            for name in re.findall(r'doc\("(kpi_\w+)"\)', body):
                if name in kpis:
                    kpis[name].metrics.add(metric)
            if f"kpi_{metric}" in kpis:
                kpis[f"kpi_{metric}"].metrics.add(metric)


def render(kpis: dict[str, Kpi]) -> str:
    lines = [
        START,
        "",
        "| KPI | area | definition (formula, grain, filters, owner) | marts | metric |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kpi in sorted(kpis.values(), key=lambda k: (k.area, k.name)):
        definition = kpi.text.replace("|", "\\|")
        marts = ", ".join(f"`{m}`" for m in sorted(kpi.marts)) or "-"
        metrics = ", ".join(f"`{m}`" for m in sorted(kpi.metrics)) or "-"
        lines.append(f"| `{kpi.name}` | {kpi.area} | {definition} | {marts} | {metrics} |")
    lines += ["", END]
    return "\n".join(lines)


def updated_readme() -> str:
    kpis = read_kpis()
    link_usage(kpis)
    text = README.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"README.md lacks the markers {START} ... {END}")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + render(kpis) + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the README catalog is stale")
    args = parser.parse_args(argv)
    new = updated_readme()
    if new == README.read_text():
        return 0
    if args.check:
        print("README.md KPI catalog is stale: run python scripts/write_kpi_catalog.py", file=sys.stderr)
        return 1
    README.write_text(new)
    print("wrote the KPI catalog in README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
