#!/usr/bin/python3
"""Renders a board's LAVA jobs from its one description (docs/lava.md).

    lava-jobs.py systems BOARD_YAML
        the systems the board's jobs boot, one per line (make builds them)
    lava-jobs.py generate BOARD_YAML OUT_DIR --arch A --log-prefix P
            --image-dir D --image-name N --qemu-args ARGS --timeout S
            --guests FILE --domains-dir DIR [--image-url-base URL]
        writes OUT_DIR/qemu.yaml (the QEMU job, device_type qemu),
        OUT_DIR/hw/<template>.yaml (the hardware templates) and, for each
        job, OUT_DIR/expected/<qemu|template>.yaml: what the judge
        (scripts/lava-judge.py) requires of its log
    lava-jobs.py fill TEMPLATE LAB_YAML
        a hardware template with the lab's values put in, on stdout
    lava-jobs.py validate JOB_YAML...   ("-": stdin)
        each job against lava-common's schema (lava_common.schemas.validate),
        one PASS/FAIL line each; fails if any is invalid
    lava-jobs.py device JOB_YAML TEMPLATE_DIR
        the device configuration lava-run needs for a QEMU job, rendered as
        lava-server would: a device dictionary that extends the qemu
        device-type template (TEMPLATE_DIR/qemu.jinja2, from Debian's
        lava-server package), with the job's context

Both kinds of job come from the same description (ci/lava/boards/<board>.yaml)
and the same facts make knows about the board (arch, log prefix, image file
name, QEMU machine, timeout), so that what a lab runs and what `make test`
runs cannot drift apart: the systems, their kernel command lines, the test
monitors and their patterns are written once, here.

Runs with Debian's /usr/bin/python3 and its python3-yaml; validate needs
lava-common, device python3-jinja2 (both Debian packages, ci/deps.sh).
"""

import argparse
import os
import re
import shlex
import struct
import sys

import yaml

# ---------------------------------------------------------------------------
# What the serial console says, and how LAVA's monitors read it.
#
# LAVA's monitor action (lava_dispatcher/actions/test/monitor.py) waits for
# `start`, then matches `pattern` against the console until `end`; each match
# is one test case of the monitor's `name` (its suite), with the named groups
# test_case_id and result.  Monitors run one after the other, so the first
# reads the test lines until the summary starts and the second the summary's
# domain rows.  Patterns are searched in a stream that arrives in pieces: each
# ends with a lookahead on the character after the name, so that a name is
# never taken before its last character has arrived.
# ---------------------------------------------------------------------------

# "[domain] TEST PASS suite.name" from a guest (guests/lib/test.c), and the
# hypervisor's own checks, "DMA TEST PASS dom: what" (hypervisor/test/) and
# "HEAP TEST PASS what" (the heap self-check): for those the whole rest of the
# line is the name.  A FAIL line goes on with ": why", which is not the name.
TEST_LINE_PATTERN = (
    r"(?:\[[\w-]+\] |(?P<hv>DMA|HEAP) )TEST (?P<result>PASS|FAIL|SKIP) "
    r"(?P<test_case_id>(?(hv)[^\r\n]+(?=[\r\n])|[\w.-]+(?=[:\s])))"
)
# One row of the summary (hypervisor/core/boot/summary.c, summary_row):
# "id name exit expect ... ok|FAILED".  The hypervisor's own row ends in "-".
DOMAIN_ROW_PATTERN = (
    r"\d+ +(?P<test_case_id>[\w-]+) +\S+ +\S+ [^\r\n]* "
    r"(?P<result>ok|FAILED)(?=\s)"
)
TEST_FIXUP = {"PASS": "pass", "FAIL": "fail", "SKIP": "skip"}
DOMAIN_FIXUP = {"ok": "pass", "FAILED": "fail"}


def monitors(system, arch, log_prefix):
    """The two monitors of one system's run: its test lines, its domains."""
    return [
        {
            "name": system,
            "start": "Paddock %s on " % arch,
            "end": "%s: all domains stopped" % log_prefix,
            "pattern": TEST_LINE_PATTERN,
            "fixupdict": dict(TEST_FIXUP),
        },
        {
            "name": system + "-domains",
            "start": "dom +name +exit +expect +quota",
            "end": r"%s: \d+ of \d+ domains ended as expected" % log_prefix,
            "pattern": DOMAIN_ROW_PATTERN,
            "fixupdict": dict(DOMAIN_FIXUP),
        },
    ]


def minutes(seconds):
    """A LAVA timeout of at least the given seconds, in whole minutes."""
    return {"minutes": max(1, -(-int(seconds) // 60))}


# ---------------------------------------------------------------------------
# The QEMU machine: the board's BOARD_QEMU_ARGS as LAVA's qemu device type
# takes them (lava-server's qemu.jinja2).  That template writes -nographic,
# -monitor, -m and a NIC itself, and -cpu and -machine on Arm; everything
# else goes through extra_options, unchanged and in order.
# ---------------------------------------------------------------------------


def qemu_options(args):
    """BOARD_QEMU_ARGS as a list of [option, value or None]."""
    words = shlex.split(args)
    options = []
    for word in words:
        if word.startswith("-") or not options or options[-1][1] is not None:
            options.append([word, None])
        else:
            options[-1][1] = word
    return options


def megabytes(size):
    """QEMU's -m size ("512M", "1G", "512") in MiB."""
    m = re.fullmatch(r"(\d+)([MG]?)", size)
    if not m:
        raise SystemExit("lava-jobs: cannot read -m %s" % size)
    return int(m.group(1)) * (1024 if m.group(2) == "G" else 1)


def qemu_context(arch, args):
    """The job context that makes qemu.jinja2 start the board's machine."""
    context = {"arch": arch, "netdevice": "user"}
    extra = []
    for opt, value in qemu_options(args):
        if opt == "-m":
            context["memory"] = megabytes(value)
        elif opt in ("-nographic", "-monitor"):
            continue  # the template's own
        elif opt == "-net" and value == "none":
            continue  # the template always adds its NIC (docs/lava.md)
        elif arch == "aarch64" and opt in ("-machine", "-cpu"):
            context[opt[1:]] = value
        else:
            extra.append(opt if value is None else "%s %s" % (opt, value))
    if arch == "x86_64":
        # Without no_kvm the template asks for -enable-kvm -cpu host; the
        # board runs TCG (-accel tcg), and -cpu comes with extra_options.
        context["no_kvm"] = True
    context["extra_options"] = extra
    return context


# ---------------------------------------------------------------------------
# The test cases a run must report, read from what was built.
# ---------------------------------------------------------------------------


def elf_tests(path):
    """The "suite.name" of every TEST() record in a guest ELF.

    TEST() puts a struct test_case {const char *suite, *name; void (*fn)();}
    in section paddock_tests (guests/lib/test.h); the guest linker script
    keeps them in .paddock_tests.  The guests are static, non-PIE ELF64
    images, so the pointers are link addresses (ELF-64 Object File Format:
    header, section headers)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("lava-jobs: %s is not a little-endian ELF64 file" % path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = []
    for i in range(shnum):
        name, stype, _flags, addr, offset, size = struct.unpack_from(
            "<IIQQQQ", data, shoff + i * shentsize)
        sections.append((name, stype, addr, offset, size))
    strtab = sections[shstrndx][3]

    def section_name(s):
        end = data.index(b"\0", strtab + s[0])
        return data[strtab + s[0]:end].decode()

    def string_at(addr):
        for _n, stype, base, offset, size in sections:
            if stype != 8 and base <= addr < base + size:  # 8: SHT_NOBITS
                start = offset + addr - base
                return data[start:data.index(b"\0", start)].decode()
        raise SystemExit("lava-jobs: %s: no section holds %#x" % (path, addr))

    tests = []
    for s in sections:
        if section_name(s) in (".paddock_tests", "paddock_tests"):
            for off in range(s[3], s[3] + s[4], 24):
                suite, name, _fn = struct.unpack_from("<QQQ", data, off)
                tests.append("%s.%s" % (string_at(suite), string_at(name)))
    return tests


def read_guests(path):
    """make's list, one "system: guest.elf ..." line per system."""
    guests = {}
    with open(path) as f:
        for line in f:
            if ":" in line:
                system, elfs = line.split(":", 1)
                guests[system.strip()] = elfs.split()
    return guests


def expected_cases(systems, guests, domains_dir):
    """Per system: every test its guest images hold, and every domain it
    has with how it is configured to end (poweroff, crash, forever)."""
    expected = {}
    for system in systems:
        name = system["name"]
        if name not in guests:
            raise SystemExit("lava-jobs: make knows no system %s" % name)
        tests = []
        for elf in guests[name]:
            tests += [t for t in elf_tests(elf) if t not in tests]
        # "name image end" per domain (ci/lava/system-domains.c).
        with open(os.path.join(domains_dir, name + ".domains")) as f:
            domains = {line.split()[0]: line.split()[2]
                       for line in f if line.strip()}
        expected[name] = {"tests": tests, "domains": domains}
    return expected


# ---------------------------------------------------------------------------
# The jobs.
# ---------------------------------------------------------------------------

HEADER = (
    "# Generated by ci/lava/lava-jobs.py from ci/lava/boards/%s.yaml and the\n"
    "# board's config/platforms/%s.mk: do not edit, change those "
    "(docs/lava.md).\n"
)


def test_action(system, facts, seconds):
    return {"test": {
        "timeout": minutes(seconds),
        "monitors": monitors(system["name"], facts.arch, facts.log_prefix),
    }}


def qemu_job(desc, facts):
    """The QEMU job: each system deployed to tmpfs, booted with -kernel
    on the board's machine, its console read by its monitors."""
    actions = []
    for system in desc["systems"]:
        image_arg = "-kernel {kernel}"
        if system.get("cmdline"):
            image_arg += " -append %s" % shlex.quote(system["cmdline"])
        # This machine's file, for lava-run here; a lab's QEMU worker
        # fetches it from where the lab published build/<arch>/.
        if facts.image_url_base:
            url = "%s/%s/%s" % (facts.image_url_base.rstrip("/"),
                                system["name"], facts.image_name)
        else:
            url = "file://" + os.path.abspath(os.path.join(
                facts.image_dir, system["name"], facts.image_name))
        actions += [
            {"deploy": {
                "to": "tmpfs",
                "timeout": {"minutes": 1},
                "images": {"kernel": {
                    "image_arg": image_arg, "url": url}},
            }},
            {"boot": {"method": "qemu", "media": "tmpfs",
                      "timeout": {"minutes": 1}}},
            test_action(system, facts, facts.timeout),
        ]
    return {
        "job_name": "paddock %s: %s" % (
            desc["board"], " ".join(s["name"] for s in desc["systems"])),
        "device_type": "qemu",
        "visibility": "public",
        "priority": "medium",
        "timeouts": {
            "job": minutes(len(desc["systems"]) * (facts.timeout + 60)),
            "action": {"minutes": 2},
        },
        "context": qemu_context(facts.arch, facts.qemu_args),
        "metadata": {"paddock.board": desc["board"]},
        "actions": actions,
    }


def lab(name):
    """A value the lab fills in (docs/lava.md, "Adapting a hardware
    template"); `fill` replaces it."""
    return "{{ LAB_%s }}" % name


def grub_commands(system):
    """GRUB's own commands (GRUB manual: net_bootp, multiboot2, boot)."""
    return [
        lab("GRUB_NET_COMMAND"),
        "insmod tftp",
        "insmod multiboot2",
        ("multiboot2 (tftp,{SERVER_IP})/{KERNEL} %s"
         % system.get("cmdline", "")).rstrip(),
        "boot",
    ]


def uboot_commands(system):
    """U-Boot's: the Image and the tree over TFTP, then booti (the arm64
    Image protocol, entered at EL2 with x0 = the tree; docs/arm64.md)."""
    return [
        "setenv autoload no",
        lab("UBOOT_NET_COMMAND"),
        "setenv serverip {SERVER_IP}",
        "tftp {KERNEL_ADDR} {KERNEL}",
        "tftp {DTB_ADDR} {DTB}",
        "setenv bootargs '%s'" % system.get("cmdline", ""),
        "booti {KERNEL_ADDR} - {DTB_ADDR}",
    ]


BOOT_COMMANDS = {"grub": grub_commands, "grub-efi": grub_commands,
                 "u-boot": uboot_commands}


def hardware_job(hw, board, facts):
    """A hardware template: each of the entry's systems deployed over TFTP
    and booted by the entry's method, with the QEMU job's monitors."""
    method = hw["method"]
    if method not in BOOT_COMMANDS:
        raise SystemExit("lava-jobs: %s: no boot method %s (known: %s)" % (
            hw["name"], method, " ".join(sorted(BOOT_COMMANDS))))
    actions = []
    for system in hw["systems"]:
        kernel = {"url": "%s/%s/%s" % (
            lab("IMAGE_URL_BASE"), system["name"], facts.image_name)}
        deploy = {"to": "tftp", "timeout": {"minutes": 5}, "kernel": kernel}
        if method == "u-boot":
            kernel["type"] = "image"  # booti (LAVA: bootcommand for Image)
            deploy["dtb"] = {"url": lab("DTB_URL")}
        actions += [
            {"deploy": deploy},
            {"boot": {"method": method, "timeout": {"minutes": 5},
                      "commands": BOOT_COMMANDS[method](system)}},
            test_action(system, facts, hw.get("test_seconds", 600)),
        ]
    return {
        "job_name": "paddock %s on %s: %s" % (
            hw["name"], lab("DEVICE_TYPE"),
            " ".join(s["name"] for s in hw["systems"])),
        "device_type": lab("DEVICE_TYPE"),
        "visibility": "public",
        "priority": "medium",
        "timeouts": {
            "job": minutes(len(hw["systems"]) *
                           (hw.get("test_seconds", 600) + 600)),
            "action": {"minutes": 5},
            "connection": {"minutes": 2},
        },
        "metadata": {"paddock.board": board,
                     "paddock.template": hw["name"]},
        "actions": actions,
    }


def dump(path, header, job):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(header)
        yaml.safe_dump(job, f, sort_keys=False, width=1000,
                       default_flow_style=False)


# ---------------------------------------------------------------------------
# Filling a template.
# ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{ *LAB_([A-Z0-9_]+) *\}\}")


def fill(template, values):
    """The template with every {{ LAB_X }} replaced by values[X]; every
    placeholder must have a value (values it does not use are allowed, so
    that one file can serve a lab's templates of every arch)."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise SystemExit("lava-jobs fill: no value for " + ", ".join(missing))
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


# ---------------------------------------------------------------------------
# Checking and running.
# ---------------------------------------------------------------------------


def validate(paths):
    """Schema-checks each job; returns the number that failed."""
    from lava_common.schemas import validate as lava_validate
    from voluptuous import Invalid

    failed = 0
    for path in paths:
        with (sys.stdin if path == "-" else open(path)) as f:
            text = f.read()
        try:
            lava_validate(yaml.safe_load(text))
            print("PASS schema: %s" % path)
        except Invalid as exc:
            # exc.path names the key, e.g. actions[2] -> test -> monitors.
            where = " -> ".join(str(p) for p in exc.path)
            print("FAIL schema: %s: %s (at %s)" % (path, exc.msg, where))
            failed += 1
        except yaml.YAMLError as exc:
            print("FAIL schema: %s: not YAML: %s" % (path, exc))
            failed += 1
    return failed


# The device dictionary of a QEMU worker: nothing but the device type, so
# that everything about the machine comes from the job's context (a lab's
# QEMU device must not set arch, cpu, machine, memory or extra_options).
DEVICE_DICTIONARY = "{% extends 'qemu.jinja2' %}\n"


def device(job_path, template_dir):
    import jinja2
    from lava_common.schemas.device import validate as device_validate

    with open(job_path) as f:
        context = yaml.safe_load(f).get("context", {})
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"device.jinja2": DEVICE_DICTIONARY}),
        trim_blocks=True, autoescape=False)
    env.loader = jinja2.ChoiceLoader([
        env.loader, jinja2.FileSystemLoader(template_dir)])
    config = env.get_template("device.jinja2").render(**context)
    device_validate(yaml.safe_load(config))
    return config


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("systems")
    p.add_argument("board_yaml")
    p = sub.add_parser("generate")
    p.add_argument("board_yaml")
    p.add_argument("out_dir")
    for opt in ("arch", "log-prefix", "image-dir", "image-name", "qemu-args",
                "guests", "domains-dir"):
        p.add_argument("--" + opt, required=True)
    p.add_argument("--timeout", type=int, required=True)
    p.add_argument("--image-url-base", default="",
                   help="where a lab serves build/<arch>/ (default: file://)")
    p = sub.add_parser("fill")
    p.add_argument("template")
    p.add_argument("lab_yaml")
    p = sub.add_parser("validate")
    p.add_argument("jobs", nargs="+")
    p = sub.add_parser("device")
    p.add_argument("job_yaml")
    p.add_argument("template_dir")
    args = parser.parse_args()

    if args.command == "validate":
        sys.exit(1 if validate(args.jobs) else 0)
    if args.command == "device":
        sys.stdout.write(device(args.job_yaml, args.template_dir))
        return

    if args.command == "fill":
        with open(args.template) as f, open(args.lab_yaml) as g:
            sys.stdout.write(fill(f.read(), yaml.safe_load(g) or {}))
        return

    with open(args.board_yaml) as f:
        desc = yaml.safe_load(f)
    if args.command == "systems":
        names = [s["name"] for s in desc["systems"]]
        for hw in desc.get("hardware", []):
            names += [s["name"] for s in hw["systems"]
                      if s["name"] not in names]
        print("\n".join(names))
        return

    board = desc["board"]
    header = HEADER % (board, board)
    guests = read_guests(args.guests)
    # The judge reads the console with the monitors' own patterns when
    # LAVA's results miss a case (scripts/lava-judge.py, Console).
    patterns = {"tests": {"pattern": TEST_LINE_PATTERN,
                          "fixupdict": dict(TEST_FIXUP)},
                "domains": {"pattern": DOMAIN_ROW_PATTERN,
                            "fixupdict": dict(DOMAIN_FIXUP)}}

    def expectations(name, systems):
        dump(os.path.join(args.out_dir, "expected", name + ".yaml"), header,
             {"board": board, "job": name, "patterns": patterns,
              "systems": expected_cases(systems, guests, args.domains_dir)})

    dump(os.path.join(args.out_dir, "qemu.yaml"), header, qemu_job(desc, args))
    expectations("qemu", desc["systems"])
    for hw in desc.get("hardware", []):
        dump(os.path.join(args.out_dir, "hw", hw["name"] + ".yaml"),
             header, hardware_job(hw, desc["board"], args))
        expectations(hw["name"], hw["systems"])


if __name__ == "__main__":
    main()
