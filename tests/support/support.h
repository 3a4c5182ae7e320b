/* SPDX-License-Identifier: MIT */
/*
 * The host tests' stand-ins for what the hypervisor links on hardware:
 * a heap with a fail-nth hook, a recording mock IOMMU and a fake arch.
 */
#ifndef PADDOCK_TESTS_SUPPORT_H
#define PADDOCK_TESTS_SUPPORT_H

#include <paddock/arch.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>

/* heap.c: fail the n-th allocation from now on (n >= 1). */
void fail_nth_arm(long n);
void fail_nth_disarm(void);
bool fail_nth_fired(void);
long heap_live(void);
long heap_total(void);

/* mock_iommu.c */
#define MOCK_MAX_ENTRIES 4096
#define MOCK_LOG	 256

struct mock_entry {
	bool present;
	bool stale;    /* changed and not yet invalidated */
	bool blocking; /* block()ed: takes effect at the next wait */
	uint32_t device, pasid;
	struct pasid_entry_cfg cfg;
};

struct mock_op {
	char op; /* I install, C clear, V invalidate, W wait, B block */
	uint32_t device, pasid;
	int kind;
};

struct mock_iommu {
	struct pasid_iommu iommu; /* first: the manager's handle */
	struct spinlock lock;	  /* the driver's own lock (stress tests) */
	struct mock_entry entries[MOCK_MAX_ENTRIES];
	unsigned nentries;
	unsigned hiwater; /* no entry at or above this index is present */
	unsigned pending; /* invalidations queued since the last wait */
	unsigned cleared_stale;
	unsigned contract_violations;
	unsigned blocks_pending; /* block()s not yet waited for */
	int fail_installs;	 /* n: the n-th install of a new entry fails */
	struct mock_op log[MOCK_LOG];
	unsigned nlog;
	/* Called after each operation is logged, under the mock's lock. */
	void (*hook)(void *ctx, struct mock_iommu *mi,
		     const struct mock_op *op);
	void *hook_ctx;
};

void mock_iommu_init(struct mock_iommu *mi, const char *name);
const struct mock_entry *mock_entry(struct mock_iommu *mi, uint32_t dev,
				    uint32_t pasid);
/** 0 when the mock's entries are exactly the manager's bindings. */
int mock_iommu_matches(struct mock_iommu *mi, struct pasid_mgr *m, char *why,
		       size_t why_len);

/* fake_arch.c */
struct fake_domain {
	struct domain dom; /* first */
	uint64_t base;	   /* guest-virtual address of mem[0] */
	size_t size;
	unsigned char *mem;
	bool read_only;
	/* Offsets [ro_lo, ro_hi) are read-only, like a guest's text. */
	size_t ro_lo, ro_hi;
	char console[4096];
	size_t console_len;
	unsigned yields, stopped;
};

void fake_domain_init(struct fake_domain *f, domid_t id, const char *name,
		      bool privileged, uint64_t base, size_t size);
void fake_domain_fini(struct fake_domain *f);

#endif
