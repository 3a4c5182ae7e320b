#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads tests/mutation/mutations.txt and applies one planted bug to a tree.

  apply.py list              ids, one a line, with their suites
  apply.py check [ROOT]      every mutation applies cleanly to ROOT (exit 1 if not)
  apply.py apply ID ROOT     plants mutation ID in ROOT's copy of its file
  apply.py info ID           "ID|class|file|what"
  apply.py where ID ROOT     the file of ROOT the mutation applies to

A mutation is a header line, "@ ID | class | file | what it breaks", then
one or more hunks: "< " lines to find (consecutive source lines, compared
without their leading whitespace, found exactly once) followed by "> "
lines that replace them (each indented like the line it replaces; none:
the lines are deleted).  Lines starting with '#' are comments.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = os.path.join(HERE, "mutations.txt")


def parse(path=LIST):
    muts, cur, hunk = [], None, None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith("@ "):
                parts = [p.strip() for p in line[2:].split("|")]
                if len(parts) != 4:
                    sys.exit(f"{path}:{n}: header needs 4 fields")
                cur = {"id": parts[0], "class": parts[1], "file": parts[2],
                       "what": parts[3], "hunks": []}
                hunk = None
                muts.append(cur)
            elif line[:2] in ("< ", "<") and line[0] == "<":
                if hunk is None or hunk["new"]:
                    hunk = {"old": [], "new": []}
                    cur["hunks"].append(hunk)
                hunk["old"].append(line[2:].strip())
            elif line[0] == ">":
                if hunk is None:
                    sys.exit(f"{path}:{n}: '>' before '<'")
                hunk["new"].append(line[2:])
            else:
                sys.exit(f"{path}:{n}: cannot read {line!r}")
    ids = [m["id"] for m in muts]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate mutation ids")
    return muts


def suites_of(m):
    if m["file"].startswith("drivers/iommu/vtd/"):
        return "vtd vtd-san vtd-irq vtd-mut"
    if m["file"].startswith("drivers/iommu/smmuv3/"):
        return "smmuv3 smmuv3-san"
    return "unit asan tsan fuzz"


def plant(m, text):
    lines = text.split("\n")
    for h in m["hunks"]:
        old = h["old"]
        hits = [i for i in range(len(lines) - len(old) + 1)
                if all(lines[i + k].strip() == old[k] for k in range(len(old)))]
        if len(hits) != 1:
            return None, f"{m['id']}: hunk {old[0]!r} found {len(hits)} times"
        i = hits[0]
        # Line k of the new text is indented like line k of the old one
        # (the last old line's, past its end).
        indents = [line[:len(line) - len(line.lstrip())]
                   for line in lines[i:i + len(old)]]
        new = [indents[min(k, len(old) - 1)] + s.lstrip() if s.strip() else ""
               for k, s in enumerate(h["new"])]
        lines[i:i + len(old)] = new
    return "\n".join(lines), None


def locate(m, root):
    """The file the mutation applies to: the named one, or, when its code
    has moved to a sibling file of the same folder (a file split), the one
    sibling where the first hunk is found exactly once."""
    named = os.path.join(root, m["file"])
    folder = os.path.dirname(named)
    candidates = [named] + sorted(
        os.path.join(folder, f) for f in os.listdir(folder)
        if f.endswith((".c", ".h")) and os.path.join(folder, f) != named)
    why = f"{m['id']}: {m['file']} is gone"
    for path in candidates:
        if not os.path.exists(path):
            continue
        with open(path) as f:
            text, err = plant(m, f.read())
        if text is not None:
            return path, text, None
        if path == named:
            why = err
    return None, None, why


def main(argv):
    muts = parse()
    cmd = argv[1] if len(argv) > 1 else "list"
    if cmd == "list":
        for m in muts:
            print(m["id"], suites_of(m))
    elif cmd == "info":
        m = next(x for x in muts if x["id"] == argv[2])
        print(f"{m['id']}|{m['class']}|{m['file']}|{m['what']}")
    elif cmd == "check":
        root = argv[2] if len(argv) > 2 else "."
        bad = 0
        for m in muts:
            _, _, why = locate(m, root)
            if why:
                print(why)
                bad += 1
        print(f"{len(muts) - bad} passed, {bad} failed")
        return 1 if bad else 0
    elif cmd == "apply":
        m = next(x for x in muts if x["id"] == argv[2])
        path, text, why = locate(m, argv[3])
        if why:
            sys.exit(why)
        with open(path, "w") as f:
            f.write(text)
    elif cmd == "where":
        m = next(x for x in muts if x["id"] == argv[2])
        path, _, why = locate(m, argv[3])
        if why:
            sys.exit(why)
        print(os.path.relpath(path, argv[3]))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
