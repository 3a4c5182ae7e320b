#!/usr/bin/python3
"""Judges a LAVA job of Paddock's from its log, one test case at a time.

    lava-judge.py EXPECTED_YAML LAVA_LOG [LABEL]

lava-run exits 0 whether or not the tests passed, and LAVA itself marks a
job complete when its monitors merely ran; the results are only in the
job's log, one "results" entry per test case.  This reads them (lava-run's
log on stderr, or a job's log downloaded from a LAVA server: the same
entries, each on one line) and checks them against what the job must
report (ci/lava/lava-jobs.py generate writes EXPECTED_YAML, one per job:
build/lava/<board>/expected/<qemu|template>.yaml):

  - every expected test case of every system (the TEST() records of its
    guest images) was reported, and every report of it says pass;
  - every domain of every system has its summary row, and it says pass
    (the domain ended as its configuration expected);
  - any other case reported passed: the hypervisor's own DMA and HEAP
    checks, and the tests of a guest without TEST() records (the x86
    self-test's, freestanding), which nothing lists beforehand;
  - LAVA's own actions (deploy, boot, the monitors, the job) passed.

A case LAVA's monitor did not record is looked for in the console the log
holds, once QEMU's own messages are taken out of it: QEMU writes them to
the same terminal as the serial console, and one that lands inside a
test's line hides that line from the monitor's pattern (docs/lava.md,
"Limits").  Such a case is judged by what the console says, and marked.

Prints one PASS/FAIL line per case, the counts per system, then
"[LABEL: ]N passed, N failed"; exits 1 if anything failed.
"""

import re
import sys

import yaml

# A message of QEMU's own (error_report: "qemu-system-x86_64: ..."), a whole
# line of its, wherever it landed in the console.
QEMU_MESSAGE = re.compile(r"qemu-system-[\w-]+: [^\n]*\n")


def log_entries(log_path, level):
    """The "msg" of every entry of the given level ("results", "target"),
    in order.  A server's log is a YAML list ("- {...}"), lava-run's the
    bare entries: both are YAML flow mappings, one per line."""
    found = []
    key = re.compile(r'\blvl"?: *"?%s\b' % level)
    with open(log_path, errors="replace") as f:
        for line in f:
            if not key.search(line):
                continue
            try:
                entry = yaml.safe_load(line.strip().removeprefix("- "))
            except yaml.YAMLError:
                continue
            found.append(entry["msg"])
    return found


class Console:
    """What the board printed, as the log holds it, without QEMU's lines."""

    def __init__(self, log_path, patterns):
        text = "".join(str(m) + "\n" for m in log_entries(log_path, "target"))
        self.text = QEMU_MESSAGE.sub("", text)
        self.patterns = patterns

    def section(self, system):
        """The console of one system's run: from the hypervisor's
        "<arch>: system 'NAME': ..." line to the next system's."""
        starts = [(m.start(), m.group(1)) for m in
                  re.finditer(r": system '([\w.-]+)'", self.text)]
        text = ""
        for i, (at, name) in enumerate(starts):
            if name == system:
                end = starts[i + 1][0] if i + 1 < len(starts) else None
                text += self.text[at:end]
        return text

    def results(self, system, kind, name):
        """What the console of a system's run says of one case, by its
        monitor's pattern (kind "tests" or "domains"): the fixed-up
        results, maybe none."""
        fixup = self.patterns[kind]["fixupdict"]
        return [fixup.get(m.group("result"), m.group("result"))
                for m in re.finditer(self.patterns[kind]["pattern"],
                                     self.section(system))
                if m.group("test_case_id").strip() == name]

    def why(self, system, kind, name):
        """Why a case failed or went missing: a guest's "TEST FAIL name:
        reason", a test that started and never ended (its guest died in
        it), or the hypervisor's line on how a domain stopped."""
        lines = self.section(system).splitlines()
        if kind == "domains":
            stop = re.compile(r"domain \d+ \(%s\) (crashed|stopped): (.*)"
                              % re.escape(name))
            for line in lines:
                m = stop.search(line)
                if m:
                    return "%s: %s" % (m.group(1), m.group(2))
            return ""
        for line in lines:
            m = re.search(r"TEST FAIL %s: (.*)" % re.escape(name), line)
            if m:
                return m.group(1)
        if any(re.search(r"TEST RUN %s\s*$" % re.escape(name), line)
               for line in lines):
            return "it started and never ended"
        return ""


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


def judge_suite(v, system, kind, wanted, reported, console):
    """The cases of one LAVA suite against the names it must have (a list,
    or a mapping of each name to how it is expected to end)."""
    suite = system if kind == "tests" else system + "-domains"
    by_name = {}
    for entry in reported.get(suite, []):
        by_name.setdefault(case_name(entry), []).append(entry["result"])
    seen = 0
    for name in wanted:
        got = by_name.pop(name, [])
        notes = []
        if not got:
            got = console.results(system, kind, name)
            if not got:
                why = console.why(system, kind, name)
                v.say(False, "%s: %s: not reported%s" % (
                    suite, name, " (%s)" % why if why else ""))
                continue
            notes.append("not in LAVA's results: read from the console")
        seen += 1
        bad = [r for r in got if r != "pass"]
        if isinstance(wanted, dict):
            notes.append("expected: " + wanted[name])
        if bad:
            notes = bad + notes + [console.why(system, kind, name)]
        notes = [n for n in notes if n]
        v.say(not bad, "%s: %s%s" % (
            suite, name, " (%s)" % "; ".join(notes) if notes else ""))
    # Reported but not expected: the hypervisor's own checks (DMA, HEAP),
    # or tests of a guest without TEST() records (x86-selftest).
    for name, got in by_name.items():
        bad = [r for r in got if r != "pass"]
        v.say(not bad, "%s: %s (beyond the expected list%s)" % (
            suite, name, ": " + ", ".join(bad) if bad else ""))
    return "%d of %d %s reported" % (
        seen, len(wanted), "test cases" if kind == "tests" else kind)


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
        # The job's error is in the entry, an action's in its extra.
        why = entry.get("error_msg") or extra.get("fail") or \
            extra.get("errors") or extra.get("status") or entry["result"]
        if entry.get("error_type"):
            why = "%s (%s error)" % (why, entry["error_type"])
        v.say(False, "lava: %s: %s" % (entry["case"], why))
    if "lava" not in reported:
        v.say(False, "lava: the log holds no results of LAVA's at all "
              "(did lava-run start?)")


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        expected = yaml.safe_load(f)
    label = sys.argv[3] if len(sys.argv) == 4 else expected.get("board", "")

    reported = {}
    for entry in log_entries(sys.argv[2], "results"):
        reported.setdefault(entry.get("definition", ""), []).append(entry)
    console = Console(sys.argv[2], expected["patterns"])

    v = Verdicts()
    summaries = []
    for system, want in expected["systems"].items():
        tests = judge_suite(v, system, "tests", want["tests"], reported,
                            console)
        # A domain's row passes when it ended as configured.
        domains = judge_suite(v, system, "domains",
                              want["domains"], reported, console)
        summaries.append("%s: %s, %s" % (system, tests, domains))
    judge_lava(v, reported)
    for line in summaries:
        print("%s: %s" % (label, line))
    print("%s%d passed, %d failed" % (
        label + ": " if label else "", v.passed, v.failed))
    sys.exit(1 if v.failed else 0)


if __name__ == "__main__":
    main()
