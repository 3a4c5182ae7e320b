#!/usr/bin/python3
"""The SMP bench's figures from two serial logs (make bench; bench/README.md,
"smp.hcall_alloc_free").

    smp-bench.py LOG_ONE_DOMAIN LOG_FOUR_DOMAINS

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
        raise SystemExit(f"smp-bench: {path}: want {want_domains} domains' "
                         f"lines without failures, got {lines}")
    rate = sum(d["pairs"] * d["hz"] / d["ticks"] for d in domains)
    return rate, domains


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    one, one_domains = boot_throughput(argv[1], 1)
    four, four_domains = boot_throughput(argv[2], 4)
    raw = "; ".join(f"dom {d['dom']}: {d['pairs']} pairs in {d['ticks']} "
                    f"ticks at {d['hz']} Hz" for d in one_domains + four_domains)
    print(f"# smp.hcall_alloc_free: ALLOC+FREE hypercall pairs a second, "
          f"summed over the domains of a boot (1 domain on CPU 0, then 4 on "
          f"CPUs 0-3; -smp 4, multi-threaded TCG, no -icount): {raw}")
    print(f"bench: smp.hcall_alloc_free.cpus1 {one:.0f} pairs/s")
    print(f"bench: smp.hcall_alloc_free.cpus4 {four:.0f} pairs/s")
    print(f"bench: smp.hcall_alloc_free.cpus4_vs_1 {four / one:.2f} ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
