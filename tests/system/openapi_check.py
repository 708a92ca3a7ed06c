#!/usr/bin/env python3
"""openapi_check.py SPEC EXCHANGES_DIR — checks captured responses of the real daemon against
docs/api/openapi.yaml: each N.meta ("METHOD PATH STATUS CONTENT-TYPE") with its N.body must
match a documented path, method and status, and a JSON body must validate against that
response's schema. Every documented operation must have been exercised. Exit 1 on any miss."""
import glob
import json
import os
import re
import sys
import warnings

import yaml
from jsonschema import Draft202012Validator, RefResolver

warnings.simplefilter("ignore", DeprecationWarning)

spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
resolver = RefResolver.from_schema(spec)
paths = []
for tmpl, ops in spec["paths"].items():
    rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/:]+", re.escape(tmpl)) + "$"
    paths.append((re.compile(rx), tmpl, ops))

failures, seen, checked = [], set(), 0
for meta in sorted(glob.glob(os.path.join(sys.argv[2], "*.meta"))):
    method, path, status, ctype = open(meta, encoding="utf-8").read().split(" ", 3)
    ctype = ctype.strip()
    body = open(meta[:-5] + ".body", "rb").read()
    path = path.split("?")[0]
    hit = [(t, ops) for rx, t, ops in paths if rx.match(path)]
    if not hit:
        failures.append(f"{method} {path}: path not in the spec")
        continue
    tmpl, ops = hit[0]
    op = ops.get(method.lower())
    if not op:
        failures.append(f"{method} {tmpl}: method not in the spec")
        continue
    seen.add((tmpl, method.lower()))
    resp = op["responses"].get(status)
    if not resp:
        failures.append(f"{method} {tmpl}: status {status} not documented")
        continue
    if "$ref" in resp:
        resp = resolver.resolve(resp["$ref"])[1]
    content = resp.get("content", {})
    media = ctype.split(";")[0]
    if media not in content:
        failures.append(f"{method} {tmpl} {status}: content type {ctype} not documented")
        continue
    schema = content[media].get("schema", {})
    if media == "application/json":
        try:
            doc = json.loads(body)
        except ValueError as e:
            failures.append(f"{method} {tmpl} {status}: not JSON: {e}")
            continue
        errs = list(Draft202012Validator(schema, resolver=resolver).iter_errors(doc))
        for e in errs[:3]:
            failures.append(f"{method} {path} {status}: {e.json_path}: {e.message[:200]}")
    checked += 1

for _, tmpl, ops in paths:
    for m in ops:
        if m in ("get", "post", "put", "delete", "patch") and (tmpl, m) not in seen:
            failures.append(f"{m.upper()} {tmpl}: documented but never exercised")

for f in failures:
    print("FAIL", f)
print(f"{checked} responses checked against the spec, {len(failures)} problems")
sys.exit(1 if failures else 0)
