#!/usr/bin/env python3
"""Writes data/python-stdlib.json: the top-level module names of Python's standard library.

The list comes from the running interpreter (sys.stdlib_module_names, Python 3.10+), plus modules that
newer or older Pythons have and this one may not: code written for 3.8 still imports distutils, and code
written for 3.14 imports annotationlib. None of those names is a PyPI distribution the code needs.

Run with the newest Python at hand:  python3 scripts/gen-python-stdlib.py
"""

import json
import sys
from pathlib import Path

# Removed by PEP 594 (3.13) and earlier removals (distutils and imp in 3.12, lib2to3 in 3.13).
REMOVED = [
    "aifc", "asynchat", "asyncore", "audioop", "cgi", "cgitb", "chunk", "crypt", "distutils", "imghdr",
    "imp", "lib2to3", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "smtpd", "sndhdr",
    "spwd", "sunau", "telnetlib", "uu", "xdrlib",
]
# Added after 3.11 (public names only).
ADDED = ["annotationlib", "compression"]
# Importable in every interpreter but absent from sys.stdlib_module_names.
ALWAYS = ["__main__"]


def main() -> None:
    if sys.version_info < (3, 10):
        sys.exit("sys.stdlib_module_names needs Python 3.10 or newer")
    modules = sorted(set(sys.stdlib_module_names) | set(REMOVED) | set(ADDED) | set(ALWAYS))
    out = Path(__file__).resolve().parent.parent / "data" / "python-stdlib.json"
    document = {
        "generatedBy": "scripts/gen-python-stdlib.py",
        "python": ".".join(str(part) for part in sys.version_info[:3]),
        "modules": modules,
    }
    out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(modules)} modules to {out}")


if __name__ == "__main__":
    main()
