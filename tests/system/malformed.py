#!/usr/bin/env python3
"""malformed.py CASES PORT VARS SHIKAKU DB — the malformed-input suite's runner (issue 19 B).

Sends each case of CASES (tests/data/malformed/cases.tsv) to the daemon on 127.0.0.1:PORT as raw
bytes over its own connection, and checks the answer: the status, the error code and the field
at fault of {"error":{"code","field","message"}} — or, for what libmicrohttpd answers itself,
an HTML page ("html") or no answer at all ("close"). After every case that could write (any
method but GET) it asks the store, through `shikaku audit list --count` (never the database
file), whether anything was written: every write of the registry, identity and access services
adds an audit row in its own transaction; the 届出 are counted (`shikaku notification list
--count`) before and after the whole run.

A case is one line of tab-separated columns (a line starting with # is a comment):
  name     unique, what is sent
  as       the token sent as Authorization: Bearer (a key of VARS: EMP, INS, OP, …), or -
  method   the request method (escapes allowed); RAW: path is the whole request, sent as is
  path     the request target (escapes allowed)
  headers  extra header lines separated by ' | ', or -
  body     the body, or -
  status   the expected status; 0 = the connection closes without an answer
  code     the expected error code; html = libmicrohttpd's own page; close = no answer;
           items=CODE = a batch answered 200 whose every item has that code
  field    the expected field ('*' = not checked)
Escapes in method, path, headers and body: \\t \\n \\r \\0 \\\\ \\xNN (one raw byte, so bytes
that are not UTF-8 can be sent), \\uXXXX and \\UXXXXXXXX (the character in UTF-8).
Macros: {VAR} (a key of VARS), {REP:c:N} (c repeated N times), {TODAY+N} (the JST date N days
ahead), {ACQ} (a complete acquisition's members) and {ACQ-f1-f2} (the same without f1, f2).
Requests get Host, Connection: close and, with a body, Content-Length (unless the headers
give one); the option 'stall' in the headers column sends the head without its closing empty
line (no Connection: close, no body) and waits for the daemon's deadline."""
import datetime
import json
import re
import socket
import subprocess
import sys
import time

cases_path, port, vars_path, shikaku, db = sys.argv[1:6]
port = int(port)
V = json.load(open(vars_path, encoding="utf-8"))

ACQ = [("kind", '"acquisition"'), ("name", '"不正　太郎"'), ("kana", '"フセイ タロウ"'),
       ("birthdate", '"1990-04-01"'), ("sex", '"1"'), ("address", '"東京都千代田区1-1"'),
       ("acquired_on", '"2026-04-01"')]
JST = datetime.timezone(datetime.timedelta(hours=9))


def macro(m):
    name = m.group(1)
    if name.startswith("REP:"):
        _, c, n = name.split(":")
        return c * int(n)
    if name.startswith("TODAY"):
        n = int(name[5:] or 0)
        return (datetime.datetime.now(JST).date() + datetime.timedelta(days=n)).isoformat()
    if name == "ACQ" or name.startswith("ACQ-"):
        drop = set(name.split("-")[1:])
        return ",".join(f'"{k}":{v}' for k, v in ACQ if k not in drop)
    if name in V:
        return V[name]
    raise KeyError(f"unknown macro {{{name}}}")


def expand(text):
    """Macros, then escapes, into bytes."""
    text = re.sub(r"\{(REP:[^}]:[0-9]+|[A-Za-z0-9_+\-]+)\}", macro, text)
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = text[i + 1]
        if e in "tnr0\\":
            out += {"t": b"\t", "n": b"\n", "r": b"\r", "0": b"\0", "\\": b"\\"}[e]
            i += 2
        elif e == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif e == "u":
            out += chr(int(text[i + 2:i + 6], 16)).encode("utf-8", "surrogatepass")
            i += 6
        elif e == "U":
            out += chr(int(text[i + 2:i + 10], 16)).encode("utf-8")
            i += 10
        else:
            raise ValueError(f"unknown escape \\{e} in {text!r}")
    return bytes(out)


def request(method, path, headers, body, token, stall):
    if method == b"RAW":
        return path
    lines = [method + b" " + path + b" HTTP/1.1", b"Host: 127.0.0.1"]
    if not stall:
        lines.append(b"Connection: close")
    if token:
        lines.append(b"Authorization: Bearer " + token)
    has_length = False
    for h in headers:
        if h.lower().startswith(b"content-length:") or h.lower().startswith(b"transfer-encoding:"):
            has_length = True
        lines.append(h)
    if body is not None and not has_length:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    if body is not None and not any(h.lower().startswith(b"content-type:") for h in headers):
        lines.append(b"Content-Type: application/json")
    if stall:  # the head never ends: the empty line is not sent
        return b"\r\n".join(lines) + b"\r\n"
    raw = b"\r\n".join(lines) + b"\r\n\r\n"
    return raw + (body or b"")


def exchange(raw, stall):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        try:
            s.sendall(raw)
        except OSError:
            pass  # refused while still sending (a head too big): the answer may be there
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def count(*args):
    r = subprocess.run([shikaku, *args, "--db", db, "--count"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"shikaku {' '.join(args)}: {r.stderr.strip()}")
    return int(r.stdout.strip())


def written():
    return count("audit", "list")


fails, passed, names = [], 0, set()
start = time.time()
state = written()
notifications = count("notification", "list")
for lineno, line in enumerate(open(cases_path, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    cols = line.split("\t")
    if len(cols) != 9:
        fails.append(f"line {lineno}: {len(cols)} columns, want 9")
        continue
    name, who, method, path, headers, body, status, code, field = cols
    if name in names:
        fails.append(f"line {lineno}: case {name} given twice")
    names.add(name)
    hs = [] if headers == "-" else [h for h in headers.split(" | ")]
    stall = "stall" in hs
    hs = [expand(h) for h in hs if h != "stall"]
    token = None if who == "-" else V[who].encode()
    raw = request(expand(method), expand(path), hs, None if body == "-" else expand(body), token,
                  stall)
    resp = exchange(raw, stall)
    head, _, rbody = resp.partition(b"\r\n\r\n")
    got_status = int(head.split(b" ")[1]) if resp.startswith(b"HTTP/1.1 ") else 0
    ctype = re.search(rb"(?im)^content-type: *([^\r;]*)", head)
    ctype = ctype.group(1).decode() if ctype else ""
    why = []
    if got_status != int(status):
        why.append(f"status {got_status}, want {status}")
    if got_status >= 500 and got_status != int(status):
        why.append("a 5xx")
    if code == "close":
        if resp:
            why.append("an answer where the connection should close without one")
    elif code == "html":
        if ctype == "application/json" or b"<html>" not in rbody:
            why.append(f"not libmicrohttpd's HTML page (content type {ctype!r})")
    else:
        try:
            doc = json.loads(rbody)
        except ValueError:
            doc = None
            why.append(f"not JSON ({ctype})")
        if doc is not None and code.startswith("items="):
            items = doc.get("results", [])
            if not items or any(r.get("error", {}).get("code") != code[6:] for r in items):
                why.append(f"items {[r.get('error', {}).get('code') for r in items]}")
            if field != "*" and any(r.get("error", {}).get("field") != field for r in items):
                why.append(f"item fields {[r.get('error', {}).get('field') for r in items]}")
        elif doc is not None:
            err = doc.get("error", {}) if isinstance(doc, dict) else {}
            if err.get("code") != code:
                why.append(f"code {err.get('code')!r}, want {code!r}")
            if field != "*" and err.get("field") != field:
                why.append(f"field {err.get('field')!r}, want {field!r}")
    if method != "GET":
        now = written()
        if now != state:
            why.append(f"wrote: audit rows {state} -> {now}")
            state = now
    if why:
        fails.append(f"{name}: " + "; ".join(why) + f" — answer {resp[:300]!r}")
    else:
        passed += 1

if count("notification", "list") != notifications:
    fails.append(f"届出 were stored: {notifications} -> {count('notification', 'list')}")
for f in fails:
    print("FAIL", f)
print(f"{passed + len(fails)} malformed requests, {passed} answered as documented with nothing "
      f"written, {len(fails)} not ({time.time() - start:.1f} s)")
sys.exit(1 if fails else 0)
