/* SPDX-License-Identifier: MIT */
/*
 * Arm platform discovery from the device tree (paddock/dt_platform.h).
 * Every node is found by the binding that defines it; the binding is
 * named where the node is read.  "bindings/" is Linux's
 * Documentation/devicetree/bindings/ (the names are facts; no code is
 * taken from it).
 */
#include <paddock/dt_platform.h>
#include <paddock/mem.h>

/** Property values that are strings: NUL-terminated inside the value. */
static const char *string_prop(const struct fdt *f, int node, const char *name,
			       size_t *len)
{
	uint32_t plen;
	const char *s = fdt_getprop(f, node, name, &plen);

	if (!s || plen == 0 || s[plen - 1] != '\0')
		return NULL;
	size_t n = 0;

	while (s[n])
		n++;
	if (len)
		*len = n;
	return s;
}

static const char *node_name(const struct fdt *f, int node)
{
	const char *n = fdt_name(f, node, NULL);

	return !n ? "?" : *n ? n : "/";
}

/**
 * Entry i of a node's reg as a CPU physical range.  Every ancestor below
 * the root must map its children 1:1 (an empty "ranges", v0.4 2.3.8):
 * reg is in the parent bus's address space, and no translation is done.
 */
static int cpu_reg(const struct fdt *f, int node, unsigned i,
		   struct dt_range *r, struct fdt_err *err)
{
	for (int a = fdt_parent(f, node); a > 0; a = fdt_parent(f, a)) {
		uint32_t len;

		if (!fdt_getprop(f, a, "ranges", &len) || len != 0)
			return fdt_fail(err, FDT_EBADVALUE,
					"dt: %s: parent %s does not map its "
					"children 1:1 (ranges absent or not "
					"empty); not supported",
					node_name(f, node), node_name(f, a));
	}
	int rc = fdt_reg(f, node, i, &r->base, &r->size);

	if (rc == -FDT_ENOTFOUND)
		return fdt_fail(err, FDT_EMISSING, "dt: %s: no reg entry %u",
				node_name(f, node), i);
	if (rc)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: reg is not a whole number of "
				"(#address-cells, #size-cells) entries",
				node_name(f, node));
	return 0;
}

static int add_range(struct dt_range *a, unsigned *n, unsigned max,
		     struct dt_range r, const char *what, struct fdt_err *err)
{
	if (*n == max)
		return fdt_fail(err, FDT_ELIMIT,
				"dt: more than %u %s ranges (raise the DT_MAX_ "
				"limit)",
				max, what);
	a[(*n)++] = r;
	return 0;
}

/* ------------------------------------------------------------------ */

/** /memory nodes (v0.4, 3.4): device_type "memory", every reg entry. */
static int read_memory(const struct fdt *f, struct dt_platform *p,
		       struct fdt_err *err)
{
	for (int n = fdt_first_child(f, 0); n >= 0;
	     n = fdt_next_sibling(f, n)) {
		uint32_t len;
		const char *dt = fdt_getprop(f, n, "device_type", &len);

		if (!dt || fdt_stringlist_index(dt, len, "memory") != 0 ||
		    !fdt_available(f, n))
			continue;
		int count = fdt_reg_count(f, n);

		if (count < 0)
			return fdt_fail(err, FDT_EBADVALUE,
					"dt: %s: reg is malformed",
					node_name(f, n));
		for (int i = 0; i < count; i++) {
			struct dt_range r;
			int rc = cpu_reg(f, n, (unsigned)i, &r, err);

			if (rc)
				return rc;
			if (r.size == 0)
				continue;
			rc = add_range(p->mem, &p->nmem, DT_MAX_MEM, r,
				       "memory", err);
			if (rc)
				return rc;
		}
	}
	if (p->nmem == 0)
		return fdt_fail(err, FDT_EMISSING,
				"dt: no memory (no node with device_type "
				"\"memory\" and a non-empty reg)");
	return 0;
}

/** /memreserve/ (v0.4, 5.3) and /reserved-memory's children with reg
 * (bindings/reserved-memory/reserved-memory.yaml; those with only a size
 * are allocated by the OS, not reserved by the firmware). */
static int read_reserved(const struct fdt *f, struct dt_platform *p,
			 struct fdt_err *err)
{
	int rc;

	for (unsigned i = 0; i < f->nrsv; i++) {
		struct dt_range r;

		fdt_memreserve(f, i, &r.base, &r.size);
		rc = add_range(p->reserved, &p->nreserved, DT_MAX_RESERVED, r,
			       "reserved", err);
		if (rc)
			return rc;
	}
	int rm = fdt_path(f, "/reserved-memory", 16);

	if (rm < 0)
		return 0;
	for (int n = fdt_first_child(f, rm); n >= 0;
	     n = fdt_next_sibling(f, n)) {
		int count = fdt_reg_count(f, n);

		if (count < 0)
			return fdt_fail(err, FDT_EBADVALUE,
					"dt: /reserved-memory/%s: reg is "
					"malformed",
					node_name(f, n));
		for (int i = 0; i < count; i++) {
			struct dt_range r;

			rc = cpu_reg(f, n, (unsigned)i, &r, err);
			if (!rc)
				rc = add_range(p->reserved, &p->nreserved,
					       DT_MAX_RESERVED, r, "reserved",
					       err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/** The node stdout-path names (v0.4, 3.6): a path or an alias (3.3),
 * with any ":options" after it cut off. */
static int stdout_node(const struct fdt *f, const char *path, size_t len)
{
	size_t n = 0;

	while (n < len && path[n] != ':')
		n++;
	if (n && path[0] == '/')
		return fdt_path(f, path, n);
	int aliases = fdt_path(f, "/aliases", 8);

	if (aliases < 0)
		return -FDT_ENOTFOUND;
	/* An alias is a property of /aliases whose value is a path. */
	char name[32];

	if (n == 0 || n >= sizeof(name))
		return -FDT_ENOTFOUND;
	for (size_t i = 0; i < n; i++)
		name[i] = path[i];
	name[n] = '\0';
	size_t alen;
	const char *target = string_prop(f, aliases, name, &alen);

	return target && alen && target[0] == '/' ? fdt_path(f, target, alen)
						  : -FDT_ENOTFOUND;
}

static int read_chosen(const struct fdt *f, struct dt_platform *p,
		       struct fdt_err *err)
{
	int chosen = fdt_path(f, "/chosen", 7);

	if (chosen < 0)
		return 0;
	p->bootargs = string_prop(f, chosen, "bootargs", &p->bootargs_len);
	p->stdout_path =
		string_prop(f, chosen, "stdout-path", &p->stdout_path_len);
	if (!p->stdout_path) /* the older name (v0.4, 3.6: linux,stdout-path) */
		p->stdout_path = string_prop(f, chosen, "linux,stdout-path",
					     &p->stdout_path_len);
	return 0;
}

/** The PL011 (bindings/serial/arm,pl011.yaml): stdout-path's if it is
 * one, else the first available. */
static int read_uart(const struct fdt *f, struct dt_platform *p,
		     struct fdt_err *err)
{
	int n = -FDT_ENOTFOUND;

	if (p->stdout_path) {
		n = stdout_node(f, p->stdout_path, p->stdout_path_len);
		if (n >= 0 && (!fdt_is_compatible(f, n, "arm,pl011") ||
			       !fdt_available(f, n)))
			n = -FDT_ENOTFOUND;
	}
	for (int c = fdt_find_compatible(f, -1, "arm,pl011"); n < 0 && c >= 0;
	     c = fdt_find_compatible(f, c, "arm,pl011"))
		if (fdt_available(f, c))
			n = c;
	if (n < 0)
		return fdt_fail(err, FDT_EMISSING,
				"dt: no UART (compatible \"arm,pl011\")");
	return cpu_reg(f, n, 0, &p->uart, err);
}

/** The first available node compatible with `compat`. */
static int find_available(const struct fdt *f, const char *compat)
{
	for (int n = fdt_find_compatible(f, -1, compat); n >= 0;
	     n = fdt_find_compatible(f, n, compat))
		if (fdt_available(f, n))
			return n;
	return -FDT_ENOTFOUND;
}

/** GICv3 (bindings/interrupt-controller/arm,gic-v3.yaml): reg is GICD,
 * then #redistributor-regions GICR regions (default 1), then optional
 * GICC/GICH/GICV; an "arm,gic-v3-its" child is the ITS. */
static int read_gic(const struct fdt *f, struct dt_platform *p,
		    struct fdt_err *err)
{
	int g = find_available(f, "arm,gic-v3");
	uint32_t nredist = 1, icells = 3;
	int rc;

	if (g < 0)
		return fdt_fail(err, FDT_EMISSING,
				"dt: no GICv3 (compatible \"arm,gic-v3\")");
	if (fdt_getprop(f, g, "#redistributor-regions", NULL) &&
	    !fdt_getprop_u32(f, g, "#redistributor-regions", &nredist))
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: #redistributor-regions is not one "
				"cell",
				node_name(f, g));
	if (nredist == 0 || nredist > DT_MAX_REDIST)
		return fdt_fail(err, nredist ? FDT_ELIMIT : FDT_EBADVALUE,
				"dt: %s: %u redistributor regions (1 to %u "
				"supported)",
				node_name(f, g), nredist, DT_MAX_REDIST);
	if (!fdt_getprop_u32(f, g, "#interrupt-cells", &icells) || icells != 3)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: #interrupt-cells must be 3 (type, "
				"number, flags)",
				node_name(f, g));
	int count = fdt_reg_count(f, g);

	if (count < 0 || (unsigned)count < 1 + nredist)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: reg has %d entries, need the "
				"distributor and %u redistributor regions",
				node_name(f, g), count, nredist);
	rc = cpu_reg(f, g, 0, &p->gic.dist, err);
	for (unsigned i = 0; !rc && i < nredist; i++)
		rc = cpu_reg(f, g, 1 + i, &p->gic.redist[i], err);
	if (rc)
		return rc;
	p->gic.nredist = nredist;
	p->gic.phandle = fdt_phandle(f, g);
	for (int c = fdt_first_child(f, g); c >= 0;
	     c = fdt_next_sibling(f, c)) {
		if (!fdt_is_compatible(f, c, "arm,gic-v3-its") ||
		    !fdt_available(f, c))
			continue;
		struct dt_range its;

		rc = cpu_reg(f, c, 0, &its, err);
		if (rc)
			return rc;
		p->gic.has_its = true;
		p->gic.its_base = its.base;
		break;
	}
	return 0;
}

/**
 * A GICv3 interrupt specifier (type, number, flags) as an INTID
 * (bindings/interrupt-controller/arm,gic-v3.yaml; GICv3 architecture
 * specification, 2.2 "INTIDs"): SPI n -> 32 + n, PPI n -> 16 + n,
 * extended SPI n -> 4096 + n, extended PPI n -> 1056 + n.
 */
static int gic_intid(const struct fdt *f, int node, const uint8_t *spec,
		     uint32_t *intid, struct fdt_err *err)
{
	uint32_t type = fdt_be32(spec), num = fdt_be32(spec + 4);

	if (type == 0 && num < 988)
		*intid = 32 + num;
	else if (type == 1 && num < 16)
		*intid = 16 + num;
	else if (type == 2 && num < 1024)
		*intid = 4096 + num;
	else if (type == 3 && num < 64)
		*intid = 1056 + num;
	else
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: interrupt type %u number %u is no "
				"GICv3 interrupt",
				node_name(f, node), type, num);
	return 0;
}

/** The node's interrupts, checked to go to the GIC: its interrupt-parent
 * (v0.4, 2.4.1), its own or inherited, must be the GIC's phandle.  The
 * number of 3-cell specifiers in *n. */
static const uint8_t *gic_interrupts(const struct fdt *f,
				     const struct dt_platform *p, int node,
				     unsigned *n, struct fdt_err *err)
{
	uint32_t len, parent;

	for (int a = node; a >= 0; a = fdt_parent(f, a)) {
		if (!fdt_getprop(f, a, "interrupt-parent", NULL))
			continue;
		if (!fdt_getprop_u32(f, a, "interrupt-parent", &parent) ||
		    (p->gic.phandle && parent != p->gic.phandle)) {
			fdt_fail(err, FDT_EBADVALUE,
				 "dt: %s: interrupts do not go to the GICv3 "
				 "(interrupt-parent is not its phandle)",
				 node_name(f, node));
			return NULL;
		}
		break;
	}
	const uint8_t *v = fdt_getprop(f, node, "interrupts", &len);

	if (!v || len == 0 || len % 12) {
		fdt_fail(err, FDT_EBADVALUE,
			 "dt: %s: interrupts absent or not whole 3-cell "
			 "specifiers",
			 node_name(f, node));
		return NULL;
	}
	*n = len / 12;
	return v;
}

/** The architected timer (bindings/timer/arm,arch_timer.yaml): secure
 * physical, non-secure physical, virtual, hypervisor physical. */
static int read_timer(const struct fdt *f, struct dt_platform *p,
		      struct fdt_err *err)
{
	int t = find_available(f, "arm,armv8-timer");
	unsigned n;

	if (t < 0)
		t = find_available(f, "arm,armv7-timer");
	if (t < 0)
		return fdt_fail(err, FDT_EMISSING,
				"dt: no architected timer (compatible "
				"\"arm,armv8-timer\" or \"arm,armv7-timer\")");
	const uint8_t *v = gic_interrupts(f, p, t, &n, err);

	if (!v)
		return err ? err->code : -FDT_EBADVALUE;
	if (n < DT_TIMER_NIRQ)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: %u interrupts, need %u (secure, "
				"non-secure, virtual, hypervisor)",
				node_name(f, t), n, DT_TIMER_NIRQ);
	for (unsigned i = 0; i < DT_TIMER_NIRQ; i++) {
		int rc = gic_intid(f, t, v + 12 * i, &p->timer_intid[i], err);

		if (rc)
			return rc;
	}
	return 0;
}

/** PSCI (bindings/arm/psci.yaml): the conduit, and the version the most
 * specific compatible names. */
static int read_psci(const struct fdt *f, struct dt_platform *p,
		     struct fdt_err *err)
{
	static const struct {
		const char *compat;
		uint8_t major, minor;
	} versions[] = {
		{"arm,psci-1.0", 1, 0},
		{"arm,psci-0.2", 0, 2},
		{"arm,psci", 0, 1},
	};
	int node = -FDT_ENOTFOUND;

	for (unsigned i = 0; node < 0 && i < ARRAY_SIZE(versions); i++) {
		node = find_available(f, versions[i].compat);
		p->psci.major = versions[i].major;
		p->psci.minor = versions[i].minor;
	}
	if (node < 0) {
		p->psci.major = p->psci.minor = 0;
		return 0;
	}
	size_t len;
	const char *m = string_prop(f, node, "method", &len);

	if (m && fdt_stringlist_index(m, (uint32_t)len + 1, "smc") == 0)
		p->psci.method = DT_PSCI_SMC;
	else if (m && fdt_stringlist_index(m, (uint32_t)len + 1, "hvc") == 0)
		p->psci.method = DT_PSCI_HVC;
	else
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: method is neither \"smc\" nor "
				"\"hvc\"",
				node_name(f, node));
	return 0;
}

/** ranges of a PCI host (bindings/pci/pci.txt, IEEE 1275 PCI binding):
 * (phys.hi phys.mid phys.lo, CPU address, size) per window. */
static int read_pci_ranges(const struct fdt *f, int node, struct dt_pci_host *h,
			   struct fdt_err *err)
{
	int pac = fdt_address_cells(f, fdt_parent(f, node));
	int sc = fdt_size_cells(f, node);
	uint32_t ac, len;

	if (!fdt_getprop_u32(f, node, "#address-cells", &ac) || ac != 3 ||
	    pac <= 0 || sc <= 0)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: a PCI host needs #address-cells 3 "
				"and a #size-cells of 1 or 2",
				node_name(f, node));
	const uint8_t *v = fdt_getprop(f, node, "ranges", &len);
	uint32_t entry = 4u * (3u + (uint32_t)pac + (uint32_t)sc);

	if (!v)
		return 0;
	if (len % entry)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: ranges is not whole (pci, cpu, size) "
				"entries",
				node_name(f, node));
	for (uint32_t o = 0; o < len; o += entry) {
		if (h->nwindows == DT_MAX_PCI_WINDOWS)
			return fdt_fail(err, FDT_ELIMIT,
					"dt: %s: more than %u ranges windows",
					node_name(f, node), DT_MAX_PCI_WINDOWS);
		struct dt_pci_window *w = &h->windows[h->nwindows++];
		uint32_t hi = fdt_be32(v + o);

		w->space = (enum dt_pci_space)((hi >> 24) & 3u);
		w->prefetch = hi & (1u << 30);
		w->pci = fdt_cells(v + o + 4, 2);
		w->cpu = fdt_cells(v + o + 12, (unsigned)pac);
		w->size = fdt_cells(v + o + 12 + 4 * pac, (unsigned)sc);
	}
	return 0;
}

/** iommu-map and iommu-map-mask (bindings/pci/pci-iommu.txt). */
static int read_iommu_map(const struct fdt *f, int node, struct dt_pci_host *h,
			  struct fdt_err *err)
{
	uint32_t len;
	const uint8_t *v = fdt_getprop(f, node, "iommu-map", &len);

	h->iommu_map_mask = 0xffffffffu;
	if (fdt_getprop(f, node, "iommu-map-mask", NULL) &&
	    !fdt_getprop_u32(f, node, "iommu-map-mask", &h->iommu_map_mask))
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: iommu-map-mask is not one cell",
				node_name(f, node));
	if (!v)
		return 0;
	if (len % 16)
		return fdt_fail(err, FDT_EBADVALUE,
				"dt: %s: iommu-map is not whole (rid-base, "
				"iommu, iommu-base, length) entries",
				node_name(f, node));
	if (len / 16 > DT_MAX_IOMMU_MAP)
		return fdt_fail(err, FDT_ELIMIT,
				"dt: %s: %u iommu-map entries, at most %u",
				node_name(f, node), len / 16, DT_MAX_IOMMU_MAP);
	for (uint32_t o = 0; o < len; o += 16) {
		struct dt_iommu_map *m = &h->iommu_map[h->niommu_map++];

		m->rid_base = fdt_be32(v + o);
		m->phandle = fdt_be32(v + o + 4);
		m->iommu_base = fdt_be32(v + o + 8);
		m->length = fdt_be32(v + o + 12);
		/* One specifier cell per entry: the IOMMU must say so
		 * (#iommu-cells, bindings/iommu/iommu.txt). */
		int iommu = fdt_find_phandle(f, m->phandle);
		uint32_t cells = 0;

		if (iommu >= 0 &&
		    (!fdt_getprop_u32(f, iommu, "#iommu-cells", &cells) ||
		     cells != 1))
			return fdt_fail(err, FDT_EBADVALUE,
					"dt: %s: iommu-map names %s, whose "
					"#iommu-cells is not 1",
					node_name(f, node),
					node_name(f, iommu));
	}
	return 0;
}

/** "pci-host-ecam-generic" (bindings/pci/host-generic-pci.yaml). */
static int read_pci(const struct fdt *f, struct dt_platform *p,
		    struct fdt_err *err)
{
	const char *compat = "pci-host-ecam-generic";

	for (int n = fdt_find_compatible(f, -1, compat); n >= 0;
	     n = fdt_find_compatible(f, n, compat)) {
		if (!fdt_available(f, n))
			continue;
		if (p->npci == DT_MAX_PCI)
			return fdt_fail(err, FDT_ELIMIT,
					"dt: more than %u PCI hosts",
					DT_MAX_PCI);
		struct dt_pci_host *h = &p->pci[p->npci];
		uint32_t len, seg;
		int rc = cpu_reg(f, n, 0, &h->ecam, err);

		if (rc)
			return rc;
		const uint8_t *br = fdt_getprop(f, n, "bus-range", &len);
		uint64_t buses = h->ecam.size / DT_PCI_ECAM_BUS_BYTES;

		if (br) {
			uint32_t lo = len == 8 ? fdt_be32(br) : 256;
			uint32_t hi = len == 8 ? fdt_be32(br + 4) : 0;

			if (lo > hi || hi > 255)
				return fdt_fail(err, FDT_EBADVALUE,
						"dt: %s: bus-range is not two "
						"cells first <= last <= 255",
						node_name(f, n));
			h->bus_first = (uint8_t)lo;
			h->bus_last = (uint8_t)hi;
		} else {
			if (buses == 0)
				return fdt_fail(err, FDT_EBADVALUE,
						"dt: %s: ECAM smaller than "
						"one bus",
						node_name(f, n));
			h->bus_first = 0;
			h->bus_last = (uint8_t)(buses > 256 ? 255 : buses - 1);
		}
		if ((uint64_t)(h->bus_last - h->bus_first + 1) > buses)
			return fdt_fail(err, FDT_EBADVALUE,
					"dt: %s: ECAM of 0x%llx bytes does not "
					"cover buses %u-%u",
					node_name(f, n),
					(unsigned long long)h->ecam.size,
					h->bus_first, h->bus_last);
		if (fdt_getprop(f, n, "linux,pci-domain", NULL)) {
			if (!fdt_getprop_u32(f, n, "linux,pci-domain", &seg) ||
			    seg > 0xffff)
				return fdt_fail(err, FDT_EBADVALUE,
						"dt: %s: linux,pci-domain is "
						"not one cell below 0x10000",
						node_name(f, n));
			h->segment = (uint16_t)seg;
			h->has_segment = true;
		} else {
			h->segment = (uint16_t)p->npci;
		}
		rc = read_pci_ranges(f, n, h, err);
		if (!rc)
			rc = read_iommu_map(f, n, h, err);
		if (rc)
			return rc;
		p->npci++;
	}
	return 0;
}

/** "arm,smmu-v3" (bindings/iommu/arm,smmu-v3.yaml): registers, phandle,
 * and its interrupts by interrupt-names. */
static int read_smmu(const struct fdt *f, struct dt_platform *p,
		     struct fdt_err *err)
{
	for (int n = fdt_find_compatible(f, -1, "arm,smmu-v3"); n >= 0;
	     n = fdt_find_compatible(f, n, "arm,smmu-v3")) {
		if (!fdt_available(f, n))
			continue;
		if (p->nsmmu == DT_MAX_SMMU)
			return fdt_fail(err, FDT_ELIMIT,
					"dt: more than %u SMMUv3s",
					DT_MAX_SMMU);
		struct dt_smmu *s = &p->smmu[p->nsmmu];
		int rc = cpu_reg(f, n, 0, &s->reg, err);

		if (rc)
			return rc;
		s->phandle = fdt_phandle(f, n);
		s->irq_eventq = s->irq_priq = DT_INTID_NONE;
		s->irq_cmdq_sync = s->irq_gerror = DT_INTID_NONE;
		uint32_t nlen;
		const char *names = fdt_getprop(f, n, "interrupt-names", &nlen);

		if (names) {
			unsigned count;
			const uint8_t *v = gic_interrupts(f, p, n, &count, err);
			const char *which[] = {"eventq", "priq", "cmdq-sync",
					       "gerror"};
			uint32_t *dst[] = {&s->irq_eventq, &s->irq_priq,
					   &s->irq_cmdq_sync, &s->irq_gerror};

			if (!v)
				return err ? err->code : -FDT_EBADVALUE;
			for (unsigned i = 0; i < 4; i++) {
				int idx = fdt_stringlist_index(names, nlen,
							       which[i]);

				if (idx < 0)
					continue;
				if ((unsigned)idx >= count)
					return fdt_fail(
						err, FDT_EBADVALUE,
						"dt: %s: interrupt-names has "
						"\"%s\" at %d, beyond the %u "
						"interrupts",
						node_name(f, n), which[i], idx,
						count);
				rc = gic_intid(f, n, v + 12 * (unsigned)idx,
					       dst[i], err);
				if (rc)
					return rc;
			}
		}
		p->nsmmu++;
	}
	return 0;
}

/** /cpus/cpu@N (bindings/arm/cpus.yaml): reg is the MPIDR affinity, in
 * /cpus's #address-cells (1 or 2) with #size-cells 0. */
static int read_cpus(const struct fdt *f, struct dt_platform *p,
		     struct fdt_err *err)
{
	int cpus = fdt_path(f, "/cpus", 5);

	if (cpus < 0)
		return 0;
	for (int n = fdt_first_child(f, cpus); n >= 0;
	     n = fdt_next_sibling(f, n)) {
		uint32_t len;
		const char *dt = fdt_getprop(f, n, "device_type", &len);

		if (!dt || fdt_stringlist_index(dt, len, "cpu") != 0 ||
		    !fdt_available(f, n))
			continue;
		if (p->ncpus == DT_MAX_CPUS)
			return fdt_fail(err, FDT_ELIMIT,
					"dt: more than %u CPUs", DT_MAX_CPUS);
		struct dt_cpu *c = &p->cpus[p->ncpus];
		uint64_t size;

		if (fdt_reg(f, n, 0, &c->mpidr, &size))
			return fdt_fail(err, FDT_EBADVALUE,
					"dt: /cpus/%s: no reg (MPIDR)",
					node_name(f, n));
		size_t mlen;
		const char *m = string_prop(f, n, "enable-method", &mlen);

		c->enable = !m ? DT_CPU_ENABLE_NONE
			    : fdt_stringlist_index(m, (uint32_t)mlen + 1,
						   "psci") == 0
				    ? DT_CPU_ENABLE_PSCI
			    : fdt_stringlist_index(m, (uint32_t)mlen + 1,
						   "spin-table") == 0
				    ? DT_CPU_ENABLE_SPIN_TABLE
				    : DT_CPU_ENABLE_OTHER;
		p->ncpus++;
	}
	return 0;
}

int dt_platform_read(struct dt_platform *p, const void *blob, size_t max,
		     struct fdt_err *err)
{
	static int (*const steps[])(const struct fdt *, struct dt_platform *,
				    struct fdt_err *) = {
		read_memory, read_reserved, read_chosen, read_uart, read_gic,
		read_timer,  read_psci,	    read_pci,	 read_smmu, read_cpus,
	};
	struct fdt f;
	int rc;

	pd_memset(p, 0, sizeof(*p));
	rc = fdt_check(&f, blob, max, err);
	for (unsigned i = 0; !rc && i < ARRAY_SIZE(steps); i++)
		rc = steps[i](&f, p, err);
	return rc;
}

int dt_pci_rid_to_sid(const struct dt_platform *p,
		      const struct dt_pci_host *host, uint32_t rid,
		      uint32_t *sid, unsigned *smmu)
{
	uint32_t masked = rid & host->iommu_map_mask;

	for (unsigned i = 0; i < host->niommu_map; i++) {
		const struct dt_iommu_map *m = &host->iommu_map[i];

		if (masked < m->rid_base || masked - m->rid_base >= m->length)
			continue;
		for (unsigned s = 0; s < p->nsmmu; s++) {
			if (p->smmu[s].phandle != m->phandle)
				continue;
			*sid = m->iommu_base + (masked - m->rid_base);
			*smmu = s;
			return 0;
		}
		return -FDT_ENOTFOUND;
	}
	return -FDT_ENOTFOUND;
}

/* ------------------------------------------------------------------ */

/** "512 MiB", "4 KiB", "3 GiB": the largest unit that divides evenly. */
static void print_range(void (*print)(const char *fmt, ...), const char *what,
			struct dt_range r)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB",
					    "TiB"};
	uint64_t v = r.size;
	unsigned u = 0;

	while (u + 1 < ARRAY_SIZE(units) && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	print("dt: %s %llx-%llx (%llu %s)\n", what, (unsigned long long)r.base,
	      (unsigned long long)(r.base + r.size - 1), (unsigned long long)v,
	      units[u]);
}

static const char *const space_names[] = {"config", "io", "mem32", "mem64"};

void dt_platform_print(const struct dt_platform *p,
		       void (*print)(const char *fmt, ...))
{
	for (unsigned i = 0; i < p->nmem; i++)
		print_range(print, "memory", p->mem[i]);
	for (unsigned i = 0; i < p->nreserved; i++)
		print_range(print, "reserved", p->reserved[i]);
	if (p->bootargs)
		print("dt: bootargs \"%s\"\n", p->bootargs);
	if (p->stdout_path)
		print("dt: stdout-path \"%s\"\n", p->stdout_path);
	print("dt: pl011 %llx size %llx\n", (unsigned long long)p->uart.base,
	      (unsigned long long)p->uart.size);
	print("dt: gicv3 dist %llx redist %llx (%u region%s)\n",
	      (unsigned long long)p->gic.dist.base,
	      (unsigned long long)p->gic.redist[0].base, p->gic.nredist,
	      p->gic.nredist == 1 ? "" : "s");
	for (unsigned i = 1; i < p->gic.nredist; i++)
		print("dt: gicv3 redist %llx size %llx\n",
		      (unsigned long long)p->gic.redist[i].base,
		      (unsigned long long)p->gic.redist[i].size);
	if (p->gic.has_its)
		print("dt: gicv3 its %llx\n",
		      (unsigned long long)p->gic.its_base);
	print("dt: timer intids sec-phys %u phys %u virt %u hyp %u\n",
	      p->timer_intid[DT_TIMER_SEC_PHYS], p->timer_intid[DT_TIMER_PHYS],
	      p->timer_intid[DT_TIMER_VIRT], p->timer_intid[DT_TIMER_HYP_PHYS]);
	if (p->psci.method != DT_PSCI_NONE)
		print("dt: psci %u.%u via %s\n", p->psci.major, p->psci.minor,
		      p->psci.method == DT_PSCI_SMC ? "smc" : "hvc");
	else
		print("dt: no psci\n");
	for (unsigned i = 0; i < p->ncpus; i++)
		print("dt: cpu mpidr %llx%s\n",
		      (unsigned long long)p->cpus[i].mpidr,
		      p->cpus[i].enable == DT_CPU_ENABLE_PSCI ? " (psci)"
		      : p->cpus[i].enable == DT_CPU_ENABLE_SPIN_TABLE
			      ? " (spin-table)"
			      : "");
	for (unsigned i = 0; i < p->npci; i++) {
		const struct dt_pci_host *h = &p->pci[i];

		print("dt: pci segment %u ecam %llx size %llx buses %u-%u\n",
		      h->segment, (unsigned long long)h->ecam.base,
		      (unsigned long long)h->ecam.size, h->bus_first,
		      h->bus_last);
		for (unsigned w = 0; w < h->nwindows; w++)
			print("dt: pci %s%s pci %llx cpu %llx size %llx\n",
			      space_names[h->windows[w].space],
			      h->windows[w].prefetch ? " prefetch" : "",
			      (unsigned long long)h->windows[w].pci,
			      (unsigned long long)h->windows[w].cpu,
			      (unsigned long long)h->windows[w].size);
		for (unsigned m = 0; m < h->niommu_map; m++) {
			const struct dt_iommu_map *e = &h->iommu_map[m];

			print("dt: pci iommu-map rid %x-%x -> sid %x (phandle "
			      "0x%x) mask %x\n",
			      e->rid_base, e->rid_base + e->length - 1,
			      e->iommu_base, e->phandle, h->iommu_map_mask);
		}
	}
	for (unsigned i = 0; i < p->nsmmu; i++)
		print("dt: smmuv3 %llx size %llx phandle 0x%x irqs eventq %d "
		      "priq %d cmdq-sync %d gerror %d\n",
		      (unsigned long long)p->smmu[i].reg.base,
		      (unsigned long long)p->smmu[i].reg.size,
		      p->smmu[i].phandle, (int)p->smmu[i].irq_eventq,
		      (int)p->smmu[i].irq_priq, (int)p->smmu[i].irq_cmdq_sync,
		      (int)p->smmu[i].irq_gerror);
}
