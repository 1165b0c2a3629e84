#!/usr/bin/env python3
"""Adds to data/python-import-map.json the entries of pipreqs' import-name mapping that are safe to ship
(data/README.md says which and why). Run by hand when either list changes; the project never reads the
inputs at run time or in tests.

Usage: merge-pipreqs-map.py PIPREQS_MAPPING_TXT PYPI_NAMES_TSV
  PIPREQS_MAPPING_TXT  bndr/pipreqs `pipreqs/mapping` (`import:Distribution` lines, Apache-2.0)
  PYPI_NAMES_TSV       a list of PyPI project names, one per line (first tab-separated column)
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "python-import-map.json"
STDLIB = ROOT / "data" / "python-stdlib.json"
# Namespace packages: an entry for the namespace would send every unknown module in it to one project.
NAMESPACES = {"google", "azure", "zope", "plone", "collective", "z3c", "Products"}


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


mapping_txt, names_tsv = sys.argv[1:3]
pypi = {norm(line.split("\t", 1)[0]) for line in open(names_tsv, encoding="utf8")}
stdlib = set(json.loads(STDLIB.read_text())["modules"])
table = json.loads(TABLE.read_text())

targets = {}
for line in open(mapping_txt, encoding="utf8"):
    line = line.strip()
    if not line or ":" not in line:
        continue
    module, distribution = line.split(":", 1)
    targets.setdefault(module, set()).add(distribution)

skipped = {}
added = 0
for module, distributions in sorted(targets.items()):
    reason = None
    if not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", module):
        reason = "not a module name"
    elif module in table:
        reason = "already in the table (the table wins)"
    elif module.split(".")[0] in stdlib:
        reason = "standard library"
    elif module in NAMESPACES:
        reason = "namespace package"
    elif len(distributions) != 1:
        reason = "several distributions"
    else:
        distribution = next(iter(distributions))
        if norm(distribution) == norm(module):
            reason = "same name: nothing to map"
        elif norm(module) in pypi:
            reason = "the import name is itself a PyPI project"
        elif norm(distribution) not in pypi:
            reason = "the distribution is not on PyPI"
    if reason:
        skipped[reason] = skipped.get(reason, 0) + 1
        continue
    table[module] = next(iter(distributions))
    added += 1

TABLE.write_text(json.dumps(dict(sorted(table.items())), indent=2, ensure_ascii=False) + "\n")
print(f"added {added}; skipped: {skipped}", file=sys.stderr)
