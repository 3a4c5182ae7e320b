#!/usr/bin/python3
"""The SMP bench's figures from two serial logs (make bench; bench/README.md,
"smp.hcall_alloc_free").

    smp-bench.py LOG_ONE_DOMAIN LOG_FOUR_DOMAINS [LOG_ONE LOG_FOUR]...

Given several pairs of boots (taken in turn, one, four, one, four), each
side's figure is its best boot: on a shared host a busy neighbour only
ever slows a boot down.

Each bench domain (guests/tests/smpbench) printed

    [name] smp-bench: domains=N dom=D pairs=P ticks=T hz=F failures=X

The throughput of a boot is the sum over its domains of P / (T / F):
ALLOC+FREE pairs a second, each domain timed over its own loop, all of
which started together.  F = 0 (x86: the guest does not know the TSC's
rate) is taken from the hypervisor's "TSC N ticks/us" line of the same
log.  Prints a "#" line with the raw figures, then

    bench: smp.hcall_alloc_free.cpus1 X pairs/s
    bench: smp.hcall_alloc_free.cpus4 Y pairs/s
    bench: smp.hcall_alloc_free.cpus4_vs_1 R ratio

and fails when a log lacks a domain's line or a domain saw a failure.
"""
import re
import sys


def boot_throughput(path, want_domains):
    """Pairs a second of the boot whose log is `path`, and its lines."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    tsc = re.search(r"TSC ([0-9]+) ticks/us", text)
    lines = re.findall(r"smp-bench: (domains=.*)$", text, re.M)
    domains = []
    for line in lines:
        kv = dict(w.split("=", 1) for w in line.split() if "=" in w)
        kv = {k: int(v) for k, v in kv.items()}
        if not kv.get("hz") and tsc:
            kv["hz"] = int(tsc.group(1)) * 1000000
        domains.append(kv)
    if len(domains) != want_domains or any(
            d["domains"] != want_domains or d["failures"] or not d["hz"]
            or not d["ticks"] for d in domains):
        # The log is overwritten by the next boot: say what it held.
        tail = "\n".join(text.splitlines()[-40:])
        raise SystemExit(f"smp-bench: {path}: want {want_domains} domains' "
                         f"lines without failures, got {lines}; the log "
                         f"ended:\n{tail}")
    rate = sum(d["pairs"] * d["hz"] / d["ticks"] for d in domains)
    return rate, domains


def main(argv):
    if len(argv) < 3 or len(argv) % 2 != 1:
        print(__doc__, file=sys.stderr)
        return 2
    ones = [boot_throughput(p, 1) for p in argv[1::2]]
    fours = [boot_throughput(p, 4) for p in argv[2::2]]
    one = max(rate for rate, _ in ones)
    four = max(rate for rate, _ in fours)
    raw = "; ".join(
        f"{n} domain{'s' if n > 1 else ''}: {rate:.0f} pairs/s (" + ", ".join(
            f"dom {d['dom']} {d['pairs']} pairs in {d['ticks']} ticks at "
            f"{d['hz']} Hz" for d in domains) + ")"
        for n, boots in ((1, ones), (4, fours)) for rate, domains in boots)
    print(f"# smp.hcall_alloc_free: ALLOC+FREE hypercall pairs a second, "
          f"summed over the domains of a boot, the best of each side's "
          f"boots (1 domain on CPU 0, 4 on CPUs 0-3; -smp 4, multi-threaded "
          f"TCG, no -icount): {raw}")
    print(f"bench: smp.hcall_alloc_free.cpus1 {one:.0f} pairs/s")
    print(f"bench: smp.hcall_alloc_free.cpus4 {four:.0f} pairs/s")
    print(f"bench: smp.hcall_alloc_free.cpus4_vs_1 {four / one:.2f} ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
