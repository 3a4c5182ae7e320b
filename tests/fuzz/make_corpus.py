#!/usr/bin/env python3
# Writes the fuzz_dispatch seed corpus (tests/fuzz/corpus): a few short,
# meaningful hypercall sequences in the harness's input encoding (see
# tests/fuzz/fuzz_dispatch.c), so that libFuzzer starts from live PASIDs,
# bindings, parking and teardown instead of from nothing.
import os
import sys

ALLOC, FREE, BIND, UNBIND, SET_DATA, GET_DATA, QUERY, LIST, SET_QUOTA, \
    GET_FAULTS = range(1, 11)


def call(dom, cmd, idx=0, dev_dom=None, bind_type=0, target=1, quota=8):
    """One PASID op from dom; idx picks among the PASIDs seen so far."""
    b = [0, dom, 0, cmd - 1, 0, idx, 0, dom if dev_dom is None else dev_dom,
         bind_type, 1, 1, target, quota]
    if cmd in (LIST, GET_FAULTS):
        b += [0, 0, 0, 1, 8]
    return b


def fault(idx, kind):
    """kind 0: file a fault; 1: route one; 2+: hold a reference across a
    free (8) or teardown (16) by the owner."""
    return [12, 0, 0, idx, kind]


def life(dom, quota=8):
    """Shut the domain down, or bring it back when it is down."""
    return [14, 0, dom, quota]


seeds = {
    "alloc-bind-free-unbind": [10] + call(1, ALLOC) + call(1, BIND) +
    call(1, FREE) + call(1, UNBIND) + call(1, QUERY),
    "two-domains-foreign": [10] + call(1, ALLOC) + call(2, ALLOC) +
    call(2, FREE, idx=0) + call(2, BIND, idx=0, dev_dom=1),
    "held-across-free": [8] + call(1, ALLOC) + call(1, BIND, bind_type=1) +
    fault(0, 2 | 8) + fault(0, 0) + call(1, GET_FAULTS),
    "held-across-teardown": [8] + call(3, ALLOC) + call(3, ALLOC) +
    call(3, BIND, idx=1) + fault(1, 2 | 16) + life(3) + life(3),
    "control": [12] + call(0, ALLOC) + call(0, BIND, bind_type=2) +
    call(0, LIST) + call(0, SET_QUOTA, target=2, quota=1) +
    call(2, ALLOC) + call(2, ALLOC),
    "shutdown-restart": [6] + call(2, ALLOC) + call(2, BIND) + life(2) +
    life(2, 3) + call(2, ALLOC) + call(2, SET_DATA) + call(2, GET_DATA),
    "unprivileged-control": [9] + call(1, LIST) +
    call(1, SET_QUOTA, target=1, quota=200) + call(1, ALLOC),
}

# Every input starts with the PASID width byte and the range byte (even:
# domain 3 draws from the pool; odd, then lo and length: a static range).
seeds = {name: data[:1] + [0] + data[1:] for name, data in seeds.items()}
seeds["ranged-domain"] = [8, 1, 100, 20] + call(3, ALLOC) + call(3, ALLOC) + \
    call(3, BIND, idx=1) + call(1, ALLOC) + life(3) + life(3, 4) + \
    call(3, ALLOC) + call(0, LIST)

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "corpus")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes(data))
