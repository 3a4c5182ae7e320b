#!/usr/bin/python3
"""Judges a LAVA job of Paddock's from its log, one test case at a time.

    lava-judge.py EXPECTED_YAML LAVA_LOG [LABEL]

lava-run exits 0 whether or not the tests passed, and LAVA itself marks a
job complete when its monitors merely ran; the results are only in the
job's log, one "results" entry per test case.  This reads them (lava-run's
log on stderr, or a job's log downloaded from a LAVA server: the same
entries, each on one line) and checks them against what the job must
report (ci/lava/lava-jobs.py generate writes EXPECTED_YAML):

  - every expected test case of every system (the TEST() records of its
    guest images) was reported, and every report of it says pass;
  - every domain of every system has its summary row, and it says pass
    (the domain ended as its configuration expected);
  - any other case reported (the hypervisor's own DMA and HEAP checks)
    passed;
  - LAVA's own actions (deploy, boot, the monitors, the job) passed.

Prints one PASS/FAIL line per case, the counts per system, then
"[LABEL: ]N passed, N failed"; exits 1 if anything failed.
"""

import sys

import yaml


def results(log_path):
    """Every "results" entry of the log, in order."""
    found = []
    with open(log_path, errors="replace") as f:
        for line in f:
            if '"lvl": "results"' not in line:
                continue
            # A server's log is a YAML list ("- {...}"); lava-run's is
            # the bare entries.  Both are YAML flow mappings.
            entry = yaml.safe_load(line.strip().removeprefix("- "))
            found.append(entry["msg"])
    return found


class Verdicts:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def say(self, ok, text):
        print(("PASS " if ok else "FAIL ") + text)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def case_name(entry):
    """The name the guest or hypervisor printed (LAVA's case is that name
    lower-cased with every run of non-word characters made "_")."""
    return str(entry.get("extra", {}).get("test_case_id", entry["case"]))


def judge_suite(v, suite, wanted, reported, what):
    """The cases of one LAVA suite against the names it must have (a list,
    or a mapping of each name to a note printed with it)."""
    by_name = {}
    for entry in reported.get(suite, []):
        by_name.setdefault(case_name(entry), []).append(entry["result"])
    seen = 0
    for name in wanted:
        got = by_name.pop(name, [])
        if not got:
            v.say(False, "%s: %s: not reported" % (suite, name))
            continue
        seen += 1
        bad = [r for r in got if r != "pass"]
        notes = bad + (["expected: " + wanted[name]]
                       if isinstance(wanted, dict) else [])
        v.say(not bad, "%s: %s%s" % (
            suite, name, " (%s)" % ", ".join(notes) if notes else ""))
    # Reported but not expected: the hypervisor's own checks.
    for name, got in by_name.items():
        bad = [r for r in got if r != "pass"]
        v.say(not bad, "%s: %s (hypervisor check%s)" % (
            suite, name, ": " + ", ".join(bad) if bad else ""))
    return "%d of %d %s reported" % (seen, len(wanted), what)


def judge_lava(v, reported):
    """LAVA's own results: a failed deploy, boot or monitor, or an
    incomplete job, fails the run even if no case says so."""
    for entry in reported.get("lava", []):
        extra = entry.get("extra", {})
        # A monitor that timed out is recorded as a pass with the status
        # "failed" (lava_dispatcher/actions/test/monitor.py).
        if entry["result"] in ("pass", "skip") and \
                extra.get("status") != "failed":
            continue
        why = extra.get("error_msg") or extra.get("errors") or \
            extra.get("status") or entry["result"]
        v.say(False, "lava: %s: %s" % (entry["case"], why))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        expected = yaml.safe_load(f)
    label = sys.argv[3] if len(sys.argv) == 4 else expected.get("board", "")

    reported = {}
    for entry in results(sys.argv[2]):
        reported.setdefault(entry.get("definition", ""), []).append(entry)

    v = Verdicts()
    summaries = []
    for system, want in expected["systems"].items():
        tests = judge_suite(v, system, want["tests"], reported, "test cases")
        # A domain's row passes when it ended as configured: the note
        # says how that was (poweroff, crash, forever).
        domains = judge_suite(v, system + "-domains", want["domains"],
                              reported, "domains")
        summaries.append("%s: %s, %s" % (system, tests, domains))
    judge_lava(v, reported)
    if "lava" not in reported:
        v.say(False, "lava: the log holds no results of LAVA's at all "
              "(did lava-run start?)")
    for line in summaries:
        print("%s: %s" % (label, line))
    print("%s%d passed, %d failed" % (
        label + ": " if label else "", v.passed, v.failed))
    sys.exit(1 if v.failed else 0)


if __name__ == "__main__":
    main()
