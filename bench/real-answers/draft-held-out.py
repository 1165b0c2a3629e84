#!/usr/bin/env python3
"""Drafts the held-out labels of bench/real-answers (README, "The held-out set"): Python answers of four
models from the phd dataset, which Vouch was never tuned on. Written independently of Vouch: Python's own
parser (ast) reads code, a line pattern reads pip install commands, names are checked against this
workplace's list of PyPI project names, and every name missing from it was decided by hand (DECIDED below,
each with the reason). Prints the answers as labels.json entries (set "held-out") on stdout.

Usage: draft-held-out.py DATASETS_DIR PYPI_NAMES_TSV PIPREQS_MAPPING_JSON STDLIB_NAMES_TXT
"""
import ast
import glob
import json
import random
import re
import sys

data, names_tsv, mapping_json, stdlib_txt = sys.argv[1:5]
base = f"{data}/PackageHallucinationDetection"


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


pypi = {norm(line.split("\t", 1)[0]) for line in open(names_tsv, encoding="utf8")}
stdlib = {line.strip() for line in open(stdlib_txt, encoding="utf8")} | set(sys.stdlib_module_names)
mapping = json.load(open(mapping_json, encoding="utf8"))

# Import names the mapping lacks or gets wrong, and the project that provides them (all in the names list).
PROJECT = {
    "opentelemetry": "opentelemetry-api",
    "pkg_resources": "setuptools",
    "markdown_it": "markdown-it-py",
    "nacl": "PyNaCl",
    "skcuda": "scikit-cuda",
    "grpc_health": "grpcio-health-checking",
    "rpds": "rpds-py",
    "dbus": "dbus-python",
    "absl": "absl-py",
    "openlineage": "openlineage-python",
    "kiota_abstractions": "microsoft-kiota-abstractions",
    "gremlin_python": "gremlinpython",
    "linkify_it": "linkify-it-py",
    "gitlab": "python-gitlab",
    "msgraph": "msgraph-sdk",
    "tensorflow_serving": "tensorflow-serving-api",
    "hcl2": "python-hcl2",
    "pywt": "PyWavelets",
    "opensearchpy": "opensearch-py",
    "cupyx": "cupy",
    "win32api": "pywin32",
    "win32con": "pywin32",
    "win32service": "pywin32",
    "cuda": "cuda-python",
    "spnego": "pyspnego",
    "llvm": "llvmpy",
    "nvidia": "nvidia-dali-cuda120",
}
# Names in no list, decided by reading the answer: (label, note).
USER_CODE = "the user's own or generated module (the answer says so, or it is a protobuf/Thrift/ANTLR/FlatBuffers output)"
DECIDED = {
    "plugin": ("unsure", "the answer writes plugin.py itself"),
    "your_proto_file_pb2": ("unsure", USER_CODE),
    "your_proto_file_pb2_grpc": ("unsure", USER_CODE),
    "example_pb2": ("unsure", USER_CODE),
    "YourGrammarLexer": ("unsure", USER_CODE),
    "YourGrammarParser": ("unsure", USER_CODE),
    "person_generated": ("unsure", USER_CODE),
    "your_thrift_module": ("unsure", USER_CODE),
    "DataExchange": ("unsure", USER_CODE),
    "protobuf_pb2": ("unsure", USER_CODE),
    "kiota_generated": ("unsure", USER_CODE),
    "my_asgi_package": ("unsure", USER_CODE),
    "custom_errors": ("unsure", USER_CODE),
    "matrix_multiplication": ("unsure", USER_CODE),
    "generated_module": ("unsure", USER_CODE),
    "your_pb2": ("unsure", USER_CODE),
    "your_pb2_grpc": ("unsure", USER_CODE),
    "test_pb2": ("unsure", USER_CODE),
    "shared_semantic_layer": ("unsure", "could be the user's own module as well as an invented package"),
    "com": ("unsure", "Jython: a Java package, no Python package"),
    "java": ("unsure", "Jython: a Java package, no Python package"),
    "yandex_cloud": ("hallucinated", "the Yandex Cloud SDK is yandexcloud"),
    "llms": ("hallucinated", None),
    "streaming_form_parser": ("hallucinated", "the real one is streaming-form-data"),
    "better_dates": ("hallucinated", None),
    "http2": ("hallucinated", "HTTP/2 for Python is h2/httpx"),
    "jit_lto": ("hallucinated", None),
    "cusparselit": ("hallucinated", None),
    "model_context_protocol": ("hallucinated", "the MCP SDK is mcp"),
    "jython": ("hallucinated", "Jython is no PyPI package"),
    "cufile": ("hallucinated", None),
    "mtui": ("hallucinated", None),
    "cyMurmurHash": ("hallucinated", None),
    "sweetest_config": ("hallucinated", None),
    "config_ini": ("hallucinated", "the package meant is iniconfig"),
    "little_asgi": ("hallucinated", None),
    "yandex-cloud-sdk": ("hallucinated", "the Yandex Cloud SDK is yandexcloud"),
    "json": ("hallucinated", "pip install json: a standard-library module, no PyPI project"),
    "spnego": ("hallucinated", "pip install spnego: the project is pyspnego (import spnego)"),
    "hypothetical_library": ("hallucinated", "the answer calls it hypothetical; no such project"),
}

FENCE = re.compile(r"^ {0,3}(```+|~~~+)\s*([\w+#.-]*)[^\n]*\n(.*?)^ {0,3}\1\s*$", re.M | re.S)
PIP = re.compile(r"(?:^\s*|[`$!%]\s*)(?:pip3?|python3? -m pip|uv pip)\s+install\s+([^\n`]+)", re.M)
IMPORT_LINE = re.compile(r"^\s*(?:import\s+([\w.]+)|from\s+([\w.]+)\s+import)", re.M)


def imports_of(code):
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [(m.group(1) or m.group(2)).split(".")[0] for m in IMPORT_LINE.finditer(code)]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append(node.module.split(".")[0])
    return out


def installs_of(text):
    out = []
    for m in PIP.finditer(text):
        for word in m.group(1).split():
            if word.startswith("-"):
                continue
            if not re.match(r"^[A-Za-z0-9][\w.\-\[\]=<>~!,]*$", word):
                break
            out.append(re.split(r"[\[=<>~!,]", word)[0])
    return out


def shape_of(text):
    if "```" in text or "~~~" in text:
        return "fenced"
    if IMPORT_LINE.search(text):
        try:
            ast.parse(text)
            return "unfenced-whole"
        except SyntaxError:
            return "mixed"
    return "prose-only"


def label(name, module, via):
    entry = {"ecosystem": "PyPI", "name": name}
    if module and module != name:
        entry["import"] = module
        entry["registryKnowsImport"] = norm(module) in pypi
    key = module if "import" in via else name
    if key in DECIDED and not (key == "spnego" and "import" in via):
        entry["label"], note = DECIDED[key]
        entry["evidence"] = ["absent-from-pypi-names-list", "knowledge"]
        if note:
            entry["note"] = note
    else:
        entry["label"] = "real" if norm(name) in pypi else "hallucinated"
        entry["evidence"] = ["pypi-names-list" if norm(name) in pypi else "absent-from-pypi-names-list"]
    entry["via"] = sorted(via)
    return entry


answers = []
for path in sorted(glob.glob(f"{base}/results/python/*/results.jsonl")):
    model = path.split("/")[-2]
    for line, raw in enumerate(open(path, encoding="utf8")):
        if not raw.strip():
            continue
        text = json.loads(raw)["generated_code"]
        shape = shape_of(text)
        codes = [m.group(3) for m in FENCE.finditer(text) if m.group(2).lower() in ("python", "py", "python3", "")]
        if shape != "fenced":
            codes = [text]
        names = {}
        for code in codes:
            for module in imports_of(code):
                if module in stdlib or module.startswith("_"):
                    continue
                project = PROJECT.get(module) or (mapping[module][0] if module in mapping else module)
                names.setdefault(("import", norm(project)), (project, module, {"import"}))
        for name in installs_of(text):
            key = ("import", norm(name))
            if key in names:
                names[key][2].add("install")
            else:
                names.setdefault(("install", norm(name)), (name, None, {"install"}))
        entries = [label(n, m, v) for n, m, v in names.values()]
        answers.append(
            {
                "id": f"phd-py-{model}-{line}",
                "dataset": "phd",
                "path": path[len(base) + 1 :],
                "line": line,
                "field": "generated_code",
                "language": "python",
                "shape": shape,
                "set": "held-out",
                "names": entries,
            }
        )

# The sample: every answer naming something missing from the names list, as a project or as an import name
# (hallucination candidates, and the import names a reader must map to their project), every
# answer without a fence, and a seeded draw of 60 from the rest.
def candidate(n):
    return n["evidence"][0] != "pypi-names-list" or n.get("registryKnowsImport") is False


candidates = [a for a in answers if any(candidate(n) for n in a["names"])]
unfenced = [a for a in answers if a["shape"] != "fenced" and a not in candidates]
rest = [a for a in answers if a not in candidates and a not in unfenced]
random.Random(12).shuffle(rest)
sample = sorted(candidates + unfenced + rest[:60], key=lambda a: (a["path"], a["line"]))
json.dump(sample, sys.stdout, indent=1)
print(
    f"{len(sample)} answers: {len(candidates)} candidates, {len(unfenced)} unfenced, 60 drawn from {len(rest)}",
    file=sys.stderr,
)
