#!/usr/bin/python3
"""The SMP bench's figures from two serial logs (make bench; bench/README.md,
"smp.hcall_alloc_free").

    smp-bench.py LOG_ONE_DOMAIN LOG_FOUR_DOMAINS [LOG_ONE LOG_FOUR]...

Given several pairs of boots (taken in turn, one, four, one, four), each
side's figure is its best boot: on a shared host a busy neighbour only
ever slows a boot down.

Each bench domain (guests/tests/smpbench) ran two loops, each started
together with the other domains', and printed after each

    [name] smp-bench: kind=K domains=N dom=D pairs=P ticks=T hz=F failures=X

K is alloc_free (ALLOC+FREE pairs) or null (pairs of null hypercalls, the
control: the trap path alone).  The throughput of a boot is the sum over
its domains of P / (T / F): pairs a second, each domain timed over its
own loop.  F = 0 (x86: the guest does not know the TSC's rate) is taken
from the hypervisor's "TSC N ticks/us" line of the same log.  Prints a
"#" line with the raw figures, then for K = alloc_free and null

    bench: smp.hcall_K.cpus1 X pairs/s
    bench: smp.hcall_K.cpus4 Y pairs/s
    bench: smp.hcall_K.cpus4_vs_1 R ratio

and smp.hcall_alloc_free.scaling_over_null (the first ratio over the
second: what Paddock's PASID path costs the scaling beyond what the trap
path alone gets), and fails when a log lacks a domain's line or a domain
saw a failure.
"""
import re
import sys


KINDS = ("alloc_free", "null")


def domain_lines(text, kind):
    """The parsed smp-bench lines of one kind in a log's text."""
    lines = re.findall(rf"smp-bench: kind={kind} (domains=.*)$", text, re.M)
    tsc = re.search(r"TSC ([0-9]+) ticks/us", text)
    domains = []
    for line in lines:
        kv = {k: int(v) for k, v in
              (w.split("=", 1) for w in line.split() if "=" in w)}
        if not kv.get("hz") and tsc:
            kv["hz"] = int(tsc.group(1)) * 1000000
        domains.append(kv)
    return lines, domains


def boot_throughput(path, want_domains, kind):
    """Pairs a second of the boot whose log is `path`, and its lines."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lines, domains = domain_lines(text, kind)
    if len(domains) != want_domains or any(
            d["domains"] != want_domains or d["failures"] or not d["hz"]
            or not d["ticks"] for d in domains):
        # The log is overwritten by the next boot: say what it held.
        tail = "\n".join(text.splitlines()[-40:])
        raise SystemExit(f"smp-bench: {path}: want {want_domains} domains' "
                         f"{kind} lines without failures, got {lines}; "
                         f"the log ended:\n{tail}")
    rate = sum(d["pairs"] * d["hz"] / d["ticks"] for d in domains)
    return rate, domains


def raw_figures(ones, fours):
    """The '#' line's part for one kind: every boot's rate and domains."""
    return "; ".join(
        f"{n} domain{'s' if n > 1 else ''}: {rate:.0f} pairs/s (" + ", ".join(
            f"dom {d['dom']} {d['pairs']} pairs in {d['ticks']} ticks at "
            f"{d['hz']} Hz" for d in domains) + ")"
        for n, boots in ((1, ones), (4, fours)) for rate, domains in boots)


def main(argv):
    if len(argv) < 3 or len(argv) % 2 != 1:
        print(__doc__, file=sys.stderr)
        return 2
    ratio = {}
    for kind in KINDS:
        ones = [boot_throughput(p, 1, kind) for p in argv[1::2]]
        fours = [boot_throughput(p, 4, kind) for p in argv[2::2]]
        one = max(rate for rate, _ in ones)
        four = max(rate for rate, _ in fours)
        ratio[kind] = four / one
        print(f"# smp.hcall_{kind}: "
              f"{'ALLOC+FREE' if kind == 'alloc_free' else 'null'} "
              f"hypercall pairs a second, summed over the domains of a boot, "
              f"the best of each side's boots (1 domain on CPU 0, 4 on CPUs "
              f"0-3; -smp 4, multi-threaded TCG, no -icount): "
              f"{raw_figures(ones, fours)}")
        print(f"bench: smp.hcall_{kind}.cpus1 {one:.0f} pairs/s")
        print(f"bench: smp.hcall_{kind}.cpus4 {four:.0f} pairs/s")
        print(f"bench: smp.hcall_{kind}.cpus4_vs_1 {ratio[kind]:.2f} ratio")
    print(f"bench: smp.hcall_alloc_free.scaling_over_null "
          f"{ratio['alloc_free'] / ratio['null']:.2f} ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
