#!/usr/bin/python3
"""Judges the serial log of the SMP proof (config/systems/smp.c).

    smp-judge.py PREFIX LOG [CPUS]

PREFIX starts the arch's log lines ("arm64", "x86"), CPUS is how many CPUs
the machine has and the domains must have run on (4).  Each domain's own
tallies ("[name] smp-tally: k=v ...", guests/tests/smpworker and
smpcontrol) are compared with what the hypervisor counted for it
("figures: dom=D name=N k=v ...", and the summary table,
hypervisor/core/boot/summary.c); the end of the run must show the PASID
manager's invariants holding and every PASID reclaimed
(hypervisor/test/testop.c), every domain ending as configured, every CPU
online and each running domains.  One PASS or FAIL line per check, then
"N passed, N failed"; the exit status is 0 only when none failed.
"""
import re
import sys

TABLE_COLUMNS = ("dom name exit expect quota used bound parked peak refusals "
                 "faults supp foreign binds dir/lf slices result").split()


class Verdicts:
    """Counts and prints one line per check."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        print(("PASS " if ok else "FAIL ") + what)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def equal(self, who, what, hv, own):
        """The hypervisor's figure `hv` for `who` equals the domain's own."""
        return self.check(hv is not None and own is not None and hv == own,
                          f"{who}: {what}: hypervisor {hv}, domain {own}")


def key_values(text):
    """'a=1 b=x' -> {'a': 1, 'b': 'x'} (numbers as int)."""
    out = {}
    for word in text.split():
        if "=" not in word:
            continue
        k, v = word.split("=", 1)
        out[k] = int(v) if re.fullmatch(r"-?[0-9]+", v) else v
    return out


class Log:
    """What the judge needs from the serial log."""

    def __init__(self, prefix, lines):
        self.tallies = {}  # domain name -> its smp-tally
        self.figures = {}  # domain name -> the hypervisor's figures line
        self.rows = {}  # domain name -> its summary table row
        self.crashes = {}  # domain name -> PASIDs reclaimed at its crash
        self.tests = []  # (domain, PASS|FAIL, test) of guest TEST lines
        self.hv_tests = {}  # name -> (PASS|FAIL, text) of PASID TEST lines
        self.cpus_line = None
        self.cpu_domains = {}  # CPU number -> names it ran
        self.summary = False
        in_summary = False
        for line in lines:
            line = line.rstrip("\r\n")
            m = re.match(r"^\[([^]]*)\] smp-tally: (.*)$", line)
            if m:  # a domain's tallies may take several lines
                self.tallies.setdefault(m.group(1), {}).update(
                    key_values(m.group(2)))
                continue
            m = re.match(r"^\[([^]]*)\] TEST (PASS|FAIL) (.*)$", line)
            if m:
                self.tests.append(m.groups())
                continue
            m = re.match(r"^PASID TEST (PASS|FAIL) ([^:]*): (.*)$", line)
            if m:
                self.hv_tests[m.group(2)] = (m.group(1), m.group(3))
                continue
            m = re.match(r"^paddock: domain [0-9]+ \(([^)]*)\) crashed: "
                         r".*; ([0-9]+) PASIDs reclaimed$", line)
            if m:
                self.crashes[m.group(1)] = int(m.group(2))
                continue
            if line.startswith(f"{prefix}: all domains stopped"):
                in_summary = self.summary = True
                continue
            if not in_summary:
                continue
            if line.startswith("figures: "):
                kv = key_values(line[len("figures: "):])
                self.figures[kv.get("name")] = kv
                continue
            m = re.match(r"^cpus: ([0-9]+) online of ([0-9]+) found$", line)
            if m:
                self.cpus_line = (int(m.group(1)), int(m.group(2)))
                continue
            m = re.match(r"^  cpu ([0-9]+) \(id [0-9a-f]+\) ran:(.*)$", line)
            if m:
                self.cpu_domains[int(m.group(1))] = m.group(2).split()
                continue
            words = line.split()
            if len(words) == len(TABLE_COLUMNS) and words[0].isdigit():
                row = dict(zip(TABLE_COLUMNS, words))
                self.rows[row["name"]] = row


def judge_cpus(v, log, want_cpus):
    v.check(log.cpus_line == (want_cpus, want_cpus),
            f"cpus: {want_cpus} online of {want_cpus} found "
            f"(the summary says {log.cpus_line})")
    busy = sorted(c for c, names in log.cpu_domains.items() if names)
    v.check(len(busy) >= want_cpus,
            f"domains ran on {len(busy)} different CPUs {busy}, "
            f"at least {want_cpus}")
    for name, fig in sorted(log.figures.items()):
        v.check(name in log.cpu_domains.get(fig.get("cpu"), []),
                f"{name}: the cpu line of CPU {fig.get('cpu')} names it")
    workers_cpus = {log.figures[n]["cpu"] for n, t in log.tallies.items()
                    if "allocs" in t and n not in log.crashes
                    and n in log.figures}
    v.check(len(workers_cpus) >= want_cpus,
            f"workers that ran to the end did so on {len(workers_cpus)} "
            f"CPUs {sorted(workers_cpus)}, at least {want_cpus}")


def judge_endings(v, log):
    for name, row in sorted(log.rows.items()):
        v.check(row["result"] == "ok",
                f"{name}: exit {row['exit']}, expected {row['expect']}")
    for dom, verdict, test in log.tests:
        v.check(verdict == "PASS", f"{dom}: TEST {verdict} {test}")
    for name in ("end_of_run.invariants", "end_of_run.reclaimed"):
        got = log.hv_tests.get(name)
        v.check(got is not None and got[0] == "PASS",
                f"hypervisor: {name}: "
                f"{'missing' if got is None else ' '.join(got)}")
    got = log.hv_tests.get("end_of_run.reclaimed")
    v.check(got is not None and "the hypervisor's own set holds 0" in got[1],
            "hypervisor: its own set holds no PASID at the end")


def judge_worker(v, log, name, t):
    fig = log.figures.get(name)
    row = log.rows.get(name)
    if not v.check(fig is not None and row is not None,
                   f"{name}: the hypervisor has a figures line and a row"):
        return
    v.check(t.get("failures") == 0,
            f"{name}: its own checks failed {t.get('failures')} times")
    v.equal(name, "PASID calls", fig["pasid_op"], t.get("pasid_ops"))
    v.equal(name, "refusals", fig["refusals"], t.get("refusals"))
    v.equal(name, "refusals for quota", fig["refusals_quota"],
            t.get("refusals"))
    v.equal(name, "failed hypercalls", fig["errors"], t.get("errors"))
    v.equal(name, "peak PASIDs held", fig["peak"], t.get("peak"))
    v.equal(name, "PASID entries installed on its device (IOMMU layer)",
            fig["binds"], t.get("binds"))
    v.equal(name, "held, bound, parked at its stop",
            (fig["held"], fig["bound"], fig["parked"]),
            (t.get("held"), t.get("bound"), t.get("parked")))
    v.equal(name, "the summary row's used, bound, parked, refusals, binds",
            tuple(int(row[k]) for k in
                  ("used", "bound", "parked", "refusals", "binds")),
            (t.get("held"), t.get("bound"), t.get("parked"),
             t.get("refusals"), t.get("binds")))
    v.check(fig["faults"] == 0, f"{name}: {fig['faults']} DMA faults")
    v.check(t.get("two_chunks", 0) > 0,
            f"{name}: held a second chunk from the shared pool in "
            f"{t.get('two_chunks')} rounds")
    crashed = name in log.crashes
    if crashed:
        v.equal(name, "PASIDs reclaimed at its crash", log.crashes[name],
                t.get("held"))
        v.check(t.get("held", 0) > 0 and t.get("bound", 0) > 0,
                f"{name}: crashed holding {t.get('held')} PASIDs, "
                f"{t.get('bound')} bound")
    else:
        v.check(t.get("held") == 0 and t.get("allocs") == t.get("frees")
                and t.get("binds") == t.get("unbinds"),
                f"{name}: ended holding nothing: held {t.get('held')}, "
                f"{t.get('allocs')} allocs / {t.get('frees')} frees, "
                f"{t.get('binds')} binds / {t.get('unbinds')} unbinds")
        v.check(t.get("quotas_seen", 0) >= 2,
                f"{name}: saw {t.get('quotas_seen')} quotas while it ran")


def judge_control(v, log, name, t):
    fig = log.figures.get(name)
    if not v.check(fig is not None,
                   f"{name}: the hypervisor has a figures line"):
        return
    v.check(t.get("failures") == 0,
            f"{name}: its own checks failed {t.get('failures')} times")
    v.equal(name, "PASID calls", fig["pasid_op"], t.get("pasid_ops"))
    v.equal(name, "refusals", fig["refusals"], t.get("refusals"))
    v.equal(name, "failed hypercalls", fig["errors"], t.get("errors"))
    v.check(t.get("set_quotas", 0) > 0,
            f"{name}: changed quotas {t.get('set_quotas')} times")


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    prefix, path = argv[1], argv[2]
    want_cpus = int(argv[3]) if len(argv) == 4 else 4
    with open(path, encoding="utf-8", errors="replace") as f:
        log = Log(prefix, f)
    v = Verdicts()
    if v.check(log.summary, "boot: the run reached the domain summary"):
        judge_cpus(v, log, want_cpus)
        judge_endings(v, log)
        workers = {n: t for n, t in log.tallies.items() if "allocs" in t}
        controls = {n: t for n, t in log.tallies.items() if "lists" in t}
        v.check(len(workers) - len(log.crashes) >= want_cpus and
                len(log.crashes) >= 1 and controls,
                f"{len(workers)} workers printed their tallies, "
                f"{len(log.crashes)} crashed, {len(controls)} control")
        for name, rowname in sorted((n, n) for n in log.rows):
            v.check(rowname in log.tallies,
                    f"{name}: printed its tallies")
        for name, t in sorted(workers.items()):
            judge_worker(v, log, name, t)
        for name, t in sorted(controls.items()):
            judge_control(v, log, name, t)
    print(f"{v.passed} passed, {v.failed} failed")
    return 0 if v.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
