/* SPDX-License-Identifier: MIT */
/*
 * What a Paddock guest finds at entry.
 *
 * A guest image is a static ELF64 executable (x86_64: linked at
 * PADDOCK_GUEST_BASE; the hypervisor maps its PT_LOAD segments at their
 * virtual addresses inside the domain's memory).  The hypervisor enters
 * _start in ring 3 (x86_64) with
 *   rdi = guest address of a struct paddock_start_info,
 *   rsp = a 16-byte aligned stack at the top of the domain's memory, below
 *         the start info page.
 * The heap runs from the end of the image (rounded up to a page) to
 * heap_end; sbrk must refuse to go past it.
 */
#ifndef PADDOCK_PUBLIC_START_INFO_H
#define PADDOCK_PUBLIC_START_INFO_H

#define PADDOCK_START_MAGIC	  0x4b444450u /* "PDDK" */
#define PADDOCK_GUEST_BASE	  0x400000ull /* x86_64 guest link address */
#define PADDOCK_START_MAX_DEVICES 8
/*
 * x86_64: the first memory BAR (BAR0) of assigned device i is mapped,
 * uncached and user-accessible, at PADDOCK_GUEST_MMIO_BASE + i *
 * PADDOCK_GUEST_MMIO_STRIDE (at most one stride of it); start info's
 * dev_mmio[i] and dev_mmio_size[i] say where and how much (0: none).
 */
#define PADDOCK_GUEST_MMIO_BASE	  0x40000000ull
#define PADDOCK_GUEST_MMIO_STRIDE 0x01000000ull
/*
 * aarch64: the domain's memory is its IPA window from
 * PADDOCK_A64_GUEST_BASE (where the images are linked), and device i's
 * BAR0 sits at PADDOCK_A64_GUEST_MMIO_BASE + i * PADDOCK_GUEST_MMIO_STRIDE.
 * IPA 0 up to the MMIO window is never mapped: an EL1 exception with no
 * vector table (VBAR_EL1 0) faults there and ends the domain with the
 * exception named.  The memory sits at 256 GiB, where no RAM of the
 * machines Paddock runs on is, so that no hypervisor address a test
 * passes is by chance also one of the domain's own.
 */
#define PADDOCK_A64_GUEST_BASE	    0x4000000000ull
#define PADDOCK_A64_GUEST_MMIO_BASE 0x10000000ull

struct paddock_start_info {
	uint32_t magic; /* PADDOCK_START_MAGIC */
	uint16_t domid;
	uint16_t flags;	   /* PADDOCK_START_* */
	uint64_t mem_base; /* guest address of the first byte of memory */
	uint64_t mem_size; /* bytes of memory the domain owns */
	uint64_t heap_start;
	uint64_t heap_end;
	uint32_t pasid_quota;
	uint32_t ndevices;
	uint32_t devices[PADDOCK_START_MAX_DEVICES]; /* assigned device ids */
	char name[32];
	uint64_t probe_hv_addr;	   /* a hypervisor address, for hostile tests */
	uint64_t probe_other_addr; /* another domain's memory, host-physical */
	/* Guest address of devices[i]'s BAR0 mapping, and its bytes; 0: none */
	uint64_t dev_mmio[PADDOCK_START_MAX_DEVICES];
	uint32_t dev_mmio_size[PADDOCK_START_MAX_DEVICES];
	uint64_t _reserved[4]; /* zero */
};
#define PADDOCK_START_PRIVILEGED 1

_Static_assert(sizeof(struct paddock_start_info) == 256, "ABI");

#endif
