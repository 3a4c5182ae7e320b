/* SPDX-License-Identifier: MIT */
/*
 * A bounds-checked reader of a flattened devicetree blob (Devicetree
 * Specification v0.4, chapter 5 "Flattened Devicetree (DTB) Format").
 *
 * fdt_check() validates the header and walks the whole structure block
 * once; every later accessor still checks its own bounds, so a node
 * offset that is not one the iterators returned gives an error, never a
 * read outside [blob, blob + totalsize).  Big-endian fields are read a
 * byte at a time: the blob may sit at any address and the hypervisor may
 * run with the MMU off (no unaligned accesses).  No allocation, no libc.
 *
 * A node is an int: the offset of its FDT_BEGIN_NODE token from the
 * start of the structure block (the root is 0).  A negative int is an
 * error (-FDT_E...).
 */
#ifndef PADDOCK_FDT_H
#define PADDOCK_FDT_H

#include <paddock/types.h>

#define FDT_MAGIC	  0xd00dfeedu
#define FDT_MAX_DEPTH	  16 /* nesting of nodes, the root is depth 1 */
#define FDT_ERR_MSG_BYTES 128

/* Structure block tokens (v0.4, 5.4.1 "Lexical structure"). */
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE   0x2u
#define FDT_PROP       0x3u
#define FDT_NOP	       0x4u
#define FDT_END	       0x9u

/** Error codes, returned negated. */
enum fdt_error {
	FDT_EBADMAGIC = 1, /* not a DTB */
	FDT_EHEADER,	   /* a header field out of range or misaligned */
	FDT_EVERSION,	   /* version < 16 or last_comp_version > 17 */
	FDT_ESTRUCT,	   /* the structure block is malformed */
	FDT_EDEPTH,	   /* nodes nested deeper than FDT_MAX_DEPTH */
	FDT_ENOTFOUND,	   /* no such node or property (not corruption) */
	FDT_EBADVALUE,	   /* a property's value has the wrong size/form */
	FDT_ELIMIT,	   /* more entries than a fixed-size array holds */
	FDT_EMISSING,	   /* a mandatory node or property is absent */
};

/** Why a call failed, in words ("fdt: property at offset 0x1234 runs
 * past the structure block"). */
struct fdt_err {
	int code; /* negative, as returned */
	char msg[FDT_ERR_MSG_BYTES];
};

/** A checked blob: what fdt_check() found in its header. */
struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap, nrsv; /* /memreserve/ entries, terminator not
				      counted */
	uint32_t version, boot_cpuid;
};

/**
 * Validates the blob at `blob`, of which at most `max` bytes may be read:
 * the header (magic, totalsize <= max, blocks inside totalsize and not
 * overlapping, alignment, version), the memory reservation map, and the
 * whole structure block (tokens, node names, property lengths and name
 * offsets, nesting, one root, FDT_END).  0 and *f filled, or a negative
 * -FDT_E... with err->msg saying where (err may be NULL).
 */
int fdt_check(struct fdt *f, const void *blob, size_t max, struct fdt_err *err);

/** Reads a big-endian cell (32 bits) at p, a byte at a time. */
uint32_t fdt_be32(const void *p);
/** Reads `cells` (0, 1 or 2) big-endian cells at p as one number. */
uint64_t fdt_cells(const void *p, unsigned cells);

/* Nodes: offsets into the structure block, or -FDT_ENOTFOUND. */
static inline int fdt_root(const struct fdt *f)
{
	(void)f;
	return 0;
}
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
int fdt_parent(const struct fdt *f, int node);
/** The node after `node` in document order at any depth (-1: the
 * first), for searches over the whole tree. */
int fdt_next_node(const struct fdt *f, int node);
/** The node's name ("" for the root, "cpu@0"), and its length. */
const char *fdt_name(const struct fdt *f, int node, size_t *len);
/** The node at an absolute path ("/chosen", "/cpus/cpu@0"); a component
 * without '@' also matches a name with a unit address (v0.4, 2.2.3). */
int fdt_path(const struct fdt *f, const char *path, size_t len);

/** A property's value and length, or NULL (not there or malformed). */
const void *fdt_getprop(const struct fdt *f, int node, const char *name,
			uint32_t *len);
/** A one-cell property; false if absent or not 4 bytes long. */
bool fdt_getprop_u32(const struct fdt *f, int node, const char *name,
		     uint32_t *out);
/** True when the string list (v0.4, 2.2.4 stringlist) holds s. */
bool fdt_stringlist_contains(const void *list, uint32_t len, const char *s);
/** Index of s in the string list, or -1. */
int fdt_stringlist_index(const void *list, uint32_t len, const char *s);
bool fdt_is_compatible(const struct fdt *f, int node, const char *compat);
/** The next node after `from` (-1: from the start) whose "compatible"
 * holds compat, or -FDT_ENOTFOUND. */
int fdt_find_compatible(const struct fdt *f, int from, const char *compat);
/** The node's phandle ("phandle" or "linux,phandle"), 0 if none. */
uint32_t fdt_phandle(const struct fdt *f, int node);
int fdt_find_phandle(const struct fdt *f, uint32_t phandle);
/** status absent, "okay" or "ok" (v0.4, 2.3.4). */
bool fdt_available(const struct fdt *f, int node);

/** #address-cells and #size-cells a node gives its children (defaults 2
 * and 1, v0.4 2.3.5); -FDT_EBADVALUE if above 2. */
int fdt_address_cells(const struct fdt *f, int node);
int fdt_size_cells(const struct fdt *f, int node);
/**
 * Entry i of the node's reg, decoded with its parent's #address-cells and
 * #size-cells.  0, -FDT_ENOTFOUND past the last entry or without reg,
 * -FDT_EBADVALUE when reg is not a whole number of entries.
 */
int fdt_reg(const struct fdt *f, int node, unsigned i, uint64_t *base,
	    uint64_t *size);
/** How many entries the node's reg has (0 without reg), or negative. */
int fdt_reg_count(const struct fdt *f, int node);

/** /memreserve/ entry i (v0.4, 5.3 "Memory Reservation Block"); 0 or
 * -FDT_ENOTFOUND past f->nrsv. */
int fdt_memreserve(const struct fdt *f, unsigned i, uint64_t *base,
		   uint64_t *size);

/** Fills err (if not NULL) and returns -code. */
int fdt_fail(struct fdt_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
