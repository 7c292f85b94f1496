#!/usr/bin/env python3
"""Validates Kubernetes manifests against the vendored strict JSON schemas, with no cluster and no network.

    check.py [--schemas DIR] FILE...      (FILE may be - for standard input, e.g. `kubectl kustomize` output)

Every YAML document must be an object whose apiVersion and kind have a schema in DIR (default: schema/v1.32.2-standalone-strict
beside this file); a kind without one is an error, never a silent pass. The schemas are the "standalone-strict" ones:
every object rejects a field it does not define, so a misspelt or misplaced key fails as the API server would.

Beyond the schema, two checks that a schema cannot make on this recipe:
  - every $(NAME) in a container's command or args names a variable the container has (its env, a ConfigMap it takes
    with envFrom and that is in the same input, or JOB_COMPLETION_INDEX in an Indexed Job); Kubernetes would pass an
    unknown one on as the literal text "$(NAME)";
  - an Indexed Job that takes OVERLAY_SHARDS from a ConfigMap has completions and parallelism equal to it.

Exit 0 when every document is valid; 1 with one line per problem (file, document number, path, reason) otherwise.
"""
import argparse
import json
import os
import re
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMAS = os.path.join(HERE, "schema", "v1.32.2-standalone-strict")
REFERENCE = re.compile(r"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def schema_name(api_version: str, kind: str) -> str:
    """yannh/kubernetes-json-schema's file name: job-batch-v1.json for batch/v1 Job, configmap-v1.json for v1 ConfigMap."""
    group, _, version = api_version.rpartition("/")
    group = group.split(".")[0]
    return f"{kind.lower()}-{group}-{version}.json" if group else f"{kind.lower()}-{version}.json"


class StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping, which PyYAML would otherwise settle silently."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_documents(path: str):
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    return [d for d in yaml.load_all(text, Loader=StrictLoader) if d is not None]


def schema_problems(name: str, index: int, doc, schemas: str, cache: dict) -> list:
    where = f"{name}: document {index}"
    if not isinstance(doc, dict) or not isinstance(doc.get("apiVersion"), str) or not isinstance(doc.get("kind"), str):
        return [f"{where}: not a Kubernetes object (no apiVersion and kind)"]
    file = schema_name(doc["apiVersion"], doc["kind"])
    path = os.path.join(schemas, file)
    if not os.path.isfile(path):
        return [f"{where}: {doc['apiVersion']} {doc['kind']}: no schema {file} in {schemas} (vendor it, see schema/README.md)"]
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        cache[path] = cls(schema)
    label = f"{where} ({doc['kind']} {doc.get('metadata', {}).get('name', '?')})"
    errors = sorted(cache[path].iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{label}: {'.'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}" for e in errors]


def config_maps(docs) -> dict:
    """ConfigMap name -> its data keys, over every document given (kustomize suffixes names with a hash; both forms match)."""
    found = {}
    for doc in docs:
        if isinstance(doc, dict) and doc.get("kind") == "ConfigMap":
            found[doc.get("metadata", {}).get("name", "")] = dict(doc.get("data") or {})
    return found


def recipe_problems(label: str, doc, maps: dict) -> list:
    if not isinstance(doc, dict) or doc.get("kind") != "Job":
        return []
    spec = doc.get("spec") or {}
    pod = ((spec.get("template") or {}).get("spec")) or {}
    problems = []
    for container in pod.get("containers") or []:
        known = {e.get("name") for e in container.get("env") or []}
        shards = None
        for source in container.get("envFrom") or []:
            ref = (source.get("configMapRef") or {}).get("name")
            data = maps.get(ref)
            if data is None:
                problems.append(f"{label}: container {container.get('name')}: envFrom ConfigMap {ref} is not in the input")
                continue
            known |= set(data)
            shards = data.get("OVERLAY_SHARDS", shards)
        if spec.get("completionMode") == "Indexed":
            known.add("JOB_COMPLETION_INDEX")
        for word in (container.get("command") or []) + (container.get("args") or []):
            for name in REFERENCE.findall(str(word)):
                if name not in known:
                    problems.append(f"{label}: container {container.get('name')}: $({name}) is not a variable of the container")
        if shards is not None and spec.get("completionMode") == "Indexed":
            for field in ("completions", "parallelism"):
                if str(spec.get(field)) != str(shards):
                    problems.append(f"{label}: spec.{field} is {spec.get(field)!r} but OVERLAY_SHARDS is {shards!r}")
    return problems


def main(argv) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", default=DEFAULT_SCHEMAS, help="folder of <kind>-<group>-<version>.json schemas")
    parser.add_argument("files", nargs="+", help="YAML files, or - for standard input")
    args = parser.parse_args(argv)
    problems, count, cache = [], 0, {}
    loaded = []
    for path in args.files:
        try:
            loaded.append((path, load_documents(path)))
        except (OSError, yaml.YAMLError) as e:
            problems.append(f"{path}: {e}".replace("\n", " "))
    maps = config_maps(doc for _, docs in loaded for doc in docs)
    for path, docs in loaded:
        name = "(stdin)" if path == "-" else path
        for index, doc in enumerate(docs, start=1):
            count += 1
            problems.extend(schema_problems(name, index, doc, args.schemas, cache))
            if maps:
                try:
                    label = f"{name}: document {index} (Job {doc['metadata']['name']})"
                    problems.extend(recipe_problems(label, doc, maps))
                except (AttributeError, KeyError, TypeError):
                    pass  # a document of the wrong shape: the schema has said so already
    problems = list(dict.fromkeys(problems))
    for line in problems:
        print(line, file=sys.stderr)
    if count == 0 and not problems:
        print("check.py: no document in the input", file=sys.stderr)
        return 1
    print(f"{count} documents checked, {len(problems)} problems" if problems else f"{count} documents valid", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
