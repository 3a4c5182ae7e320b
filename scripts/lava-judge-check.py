#!/usr/bin/python3
"""Checks the LAVA judge on a real job's log, by changing it.

    lava-judge-check.py EXPECTED_YAML LAVA_LOG

The judge passing a good run proves little by itself.  This takes the log
of a run it passed, changes one thing at a time, and requires the judge
(scripts/lava-judge.py) to tell each change:

  - one test case's result made "fail": the run fails, naming the case;
  - one test case gone from LAVA's results and from the console: the run
    fails, the case "not reported";
  - one test case gone from LAVA's results, its console line split by a
    QEMU message (what QEMU's stderr does to LAVA's monitor): the verdict
    is the unchanged log's, the case passed, read from the console;
  - LAVA's own job result made "fail": the run fails.

One PASS/FAIL line per check, then "N passed, N failed".
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

JUDGE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "lava-judge.py")


def judge(expected, lines):
    """The judge's exit status and output on a log of these lines."""
    with tempfile.NamedTemporaryFile("w", suffix=".log") as f:
        f.writelines(lines)
        f.flush()
        run = subprocess.run([sys.executable, JUDGE, expected, f.name],
                             capture_output=True, text=True)
    return run.returncode, run.stdout


def guest_case(lines):
    """The first passing guest test case LAVA recorded: (index of its
    results line, suite, name)."""
    for i, line in enumerate(lines):
        if '"lvl": "results"' not in line:
            continue
        msg = yaml.safe_load(line)["msg"]
        name = str(msg.get("extra", {}).get("test_case_id", ""))
        suite = msg.get("definition", "")
        if msg.get("result") == "pass" and suite != "lava" and \
                not suite.endswith("-domains") and "." in name:
            return i, suite, name
    sys.exit("lava-judge-check: no passing guest test case in the log")


def console_line(lines, name):
    """The index of the console line that reported the case."""
    wanted = re.compile(r"TEST PASS %s\b" % re.escape(name))
    for i, line in enumerate(lines):
        if '"lvl": "target"' in line and wanted.search(line):
            return i
    sys.exit("lava-judge-check: no console line for %s" % name)


def main():
    expected, log = sys.argv[1], sys.argv[2]
    with open(log, errors="replace") as f:
        lines = f.readlines()
    at, suite, name = guest_case(lines)
    said = console_line(lines, name)
    passed = failed = 0
    base_rc, _ = judge(expected, lines)

    def check(ok, what):
        nonlocal passed, failed
        print(("PASS" if ok else "FAIL") + " judge: " + what)
        passed += ok
        failed += not ok

    changed = list(lines)
    changed[at] = changed[at].replace('"result": "pass"', '"result": "fail"')
    rc, out = judge(expected, changed)
    check(rc == 1 and ("FAIL %s: %s (fail" % (suite, name)) in out,
          "a failed %s is a failed run, named" % name)

    changed = [l for i, l in enumerate(lines) if i not in (at, said)]
    rc, out = judge(expected, changed)
    check(rc == 1 and ("FAIL %s: %s: not reported" % (suite, name)) in out,
          "a %s never reported is a failed run, named" % name)

    # QEMU's message lands inside the line: "[dom" + message, then the rest.
    entry = yaml.safe_load(lines[said])
    text = str(entry["msg"])
    cut = text.index("]")
    split = [
        '{"lvl": "target", "msg": %s}\n' % yaml.safe_dump(
            text[:cut] + "qemu-system-x86_64: a message of QEMU's",
            default_style='"').strip(),
        '{"lvl": "target", "msg": %s}\n' % yaml.safe_dump(
            text[cut:], default_style='"').strip(),
    ]
    changed = lines[:said] + split + lines[said + 1:]
    del changed[at if at < said else at + 1]
    rc, out = judge(expected, changed)
    check(rc == base_rc and ("PASS %s: %s (not in LAVA's results: read "
                             "from the console" % (suite, name)) in out,
          "a %s QEMU's message hid from the monitor is read from the "
          "console" % name)

    changed = [re.sub(r'("case": "job", "definition": "lava", )'
                      r'"result": "pass"', r'\1"result": "fail"', l)
               for l in lines]
    rc, out = judge(expected, changed)
    check(rc == 1 and "FAIL lava: job" in out,
          "an incomplete LAVA job is a failed run")

    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
