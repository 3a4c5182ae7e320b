/* SPDX-License-Identifier: MIT */
/*
 * The flattened devicetree reader (paddock/fdt.h).  Written from the
 * Devicetree Specification v0.4, chapter 5 "Flattened Devicetree (DTB)
 * Format"; section numbers below are that document's.
 *
 * One rule throughout: every offset is checked against the block it
 * belongs to before a byte of it is read, with the arithmetic done so
 * that it cannot wrap (a length is compared with the room left, never
 * added to an offset first).  fdt_check() proves the whole structure
 * block well formed once; the accessors check again anyway, so that a
 * stray node offset is an error and not a wild read.
 */
#include <paddock/fdt.h>
#include <paddock/fmt.h>
#include <paddock/mem.h>
#include <stdarg.h>

#define HEADER_BYTES 40u /* struct fdt_header, 5.2 */
#define RSV_ENTRY    16u /* struct fdt_reserve_entry, 5.3.2 */

int fdt_fail(struct fdt_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;

		va_start(ap, fmt);
		pd_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = -code;
	}
	return -code;
}

/*
 * Byte loads the compiler may not merge: without -mstrict-align clang
 * turns four byte loads into one 32-bit load and a byte reverse, which
 * faults on an unaligned cell while the MMU is off (all memory is then
 * Device memory, Arm ARM B2.5.2).  volatile keeps them bytes whatever
 * the flags.
 */
uint32_t fdt_be32(const void *p)
{
	const volatile uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_cells(const void *p, unsigned cells)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (unsigned i = 0; i < cells && i < 2; i++)
		v = v << 32 | fdt_be32(b + 4 * i);
	return v;
}

/** Rounds up to a token boundary, in 64 bits: an offset near 2^32
 * must not wrap to a small one. */
static uint64_t align4(uint64_t v)
{
	return (v + 3u) & ~(uint64_t)3u;
}

/** True when [off, off + n) lies inside a block of `size` bytes, without
 * computing off + n (which could wrap). */
static bool fits(uint32_t off, uint64_t n, uint32_t size)
{
	return off <= size && n <= (uint64_t)(size - off);
}

static const uint8_t *sp(const struct fdt *f, uint32_t off)
{
	return f->blob + f->off_struct + off;
}

/** The length of the NUL-terminated string at [p, p + room), or room if
 * no NUL is there (the caller treats that as unterminated). */
static uint32_t bounded_strlen(const uint8_t *p, uint32_t room)
{
	uint32_t n = 0;

	while (n < room && p[n])
		n++;
	return n;
}

/** One parsed token of the structure block (5.4.1). */
struct token {
	uint32_t tag;
	uint32_t next;	  /* offset of the token after it */
	uint32_t namelen; /* FDT_BEGIN_NODE: name length, no NUL */
	uint32_t len;	  /* FDT_PROP: value length */
	uint32_t nameoff; /* FDT_PROP: name offset in the strings block */
};

/**
 * Decodes the token at struct-block offset `off`, checking everything it
 * points at: a node name NUL-terminated inside the structure block, a
 * property's value inside it and its name NUL-terminated inside the
 * strings block.  0 or -FDT_ESTRUCT with the reason in err.
 */
static int token_at(const struct fdt *f, uint32_t off, struct token *t,
		    struct fdt_err *err)
{
	if (off & 3u)
		return fdt_fail(
			err, FDT_ESTRUCT,
			"fdt: token at offset 0x%x is not 4-byte aligned", off);
	if (!fits(off, 4, f->size_struct))
		return fdt_fail(err, FDT_ESTRUCT,
				"fdt: structure block ends at 0x%x without "
				"FDT_END",
				f->size_struct);
	t->tag = fdt_be32(sp(f, off));
	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		uint32_t room = f->size_struct - off - 4;

		t->namelen = bounded_strlen(sp(f, off + 4), room);
		if (t->namelen == room)
			return fdt_fail(err, FDT_ESTRUCT,
					"fdt: node name at offset 0x%x is not "
					"terminated inside the structure block",
					off + 4);
		uint64_t next = align4((uint64_t)off + 4 + t->namelen + 1);

		if (next > f->size_struct)
			return fdt_fail(
				err, FDT_ESTRUCT,
				"fdt: node at offset 0x%x runs past the "
				"structure block",
				off);
		t->next = (uint32_t)next;
		return 0;
	}
	case FDT_PROP: {
		if (!fits(off, 12, f->size_struct))
			return fdt_fail(err, FDT_ESTRUCT,
					"fdt: property header at offset 0x%x "
					"runs past the structure block",
					off);
		t->len = fdt_be32(sp(f, off + 4));
		t->nameoff = fdt_be32(sp(f, off + 8));
		if (!fits(off + 12, t->len, f->size_struct))
			return fdt_fail(
				err, FDT_ESTRUCT,
				"fdt: property at offset 0x%x runs past "
				"the structure block (length 0x%x)",
				off, t->len);
		if (t->nameoff >= f->size_strings)
			return fdt_fail(err, FDT_ESTRUCT,
					"fdt: property at offset 0x%x has name "
					"offset 0x%x outside the strings block",
					off, t->nameoff);
		uint32_t room = f->size_strings - t->nameoff;

		if (bounded_strlen(f->blob + f->off_strings + t->nameoff,
				   room) == room)
			return fdt_fail(err, FDT_ESTRUCT,
					"fdt: property name at strings offset "
					"0x%x is not terminated inside the "
					"strings block",
					t->nameoff);
		/* The value ends inside the block; its padding may not (the
		 * next token read then fails). */
		uint64_t next = align4((uint64_t)off + 12 + t->len);

		t->next =
			next > f->size_struct ? f->size_struct : (uint32_t)next;
		return 0;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		t->next = off + 4;
		return 0;
	default:
		return fdt_fail(err, FDT_ESTRUCT,
				"fdt: unknown token 0x%x at offset 0x%x",
				t->tag, off);
	}
}

/** Header field i (5.2: magic, totalsize, off_dt_struct, ...). */
static uint32_t hdr(const uint8_t *b, unsigned i)
{
	return fdt_be32(b + 4 * i);
}

static bool overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return alen && blen && a < b + (uint64_t)blen && b < a + (uint64_t)alen;
}

/** The memory reservation block (5.3): 8-byte aligned, 16-byte entries,
 * ended by one whose address and size are both 0, all inside totalsize. */
static int check_rsvmap(struct fdt *f, struct fdt_err *err)
{
	if (f->off_rsvmap & 7u)
		return fdt_fail(
			err, FDT_EHEADER,
			"fdt: off_mem_rsvmap 0x%x is not 8-byte aligned",
			f->off_rsvmap);
	for (uint32_t n = 0;; n++) {
		uint64_t at = f->off_rsvmap + (uint64_t)n * RSV_ENTRY;

		if (at + RSV_ENTRY > f->totalsize)
			return fdt_fail(err, FDT_EHEADER,
					"fdt: memory reservation map at 0x%x "
					"runs past totalsize without its "
					"terminating entry",
					f->off_rsvmap);
		const uint8_t *e = f->blob + at;

		if (fdt_cells(e, 2) == 0 && fdt_cells(e + 8, 2) == 0) {
			f->nrsv = n;
			return 0;
		}
	}
}

/**
 * Walks the structure block from its first token to FDT_END (5.4.2):
 * the root at offset 0, each node's properties before its subnodes,
 * FDT_END_NODE matching FDT_BEGIN_NODE, nesting within FDT_MAX_DEPTH,
 * nothing but FDT_NOP between the root's end and FDT_END.
 */
static int check_struct(const struct fdt *f, struct fdt_err *err)
{
	bool had_child[FDT_MAX_DEPTH + 1] = {false};
	unsigned depth = 0;
	bool root_done = false;
	struct token t;
	int rc;

	rc = token_at(f, 0, &t, err);
	if (rc)
		return rc;
	if (t.tag != FDT_BEGIN_NODE)
		return fdt_fail(err, FDT_ESTRUCT,
				"fdt: structure block does not start with "
				"the root's FDT_BEGIN_NODE (token 0x%x)",
				t.tag);
	for (uint32_t off = 0;; off = t.next) {
		rc = token_at(f, off, &t, err);
		if (rc)
			return rc;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (root_done)
				return fdt_fail(err, FDT_ESTRUCT,
						"fdt: node at offset 0x%x "
						"after the root's end",
						off);
			if (depth == FDT_MAX_DEPTH)
				return fdt_fail(err, FDT_EDEPTH,
						"fdt: node at offset 0x%x "
						"nested deeper than %u",
						off, FDT_MAX_DEPTH);
			had_child[depth] = true;
			depth++;
			had_child[depth] = false;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return fdt_fail(err, FDT_ESTRUCT,
						"fdt: FDT_END_NODE at offset "
						"0x%x closes no node",
						off);
			depth--;
			if (depth == 0)
				root_done = true;
			break;
		case FDT_PROP:
			if (depth == 0)
				return fdt_fail(err, FDT_ESTRUCT,
						"fdt: property at offset 0x%x "
						"outside any node",
						off);
			if (had_child[depth])
				return fdt_fail(err, FDT_ESTRUCT,
						"fdt: property at offset 0x%x "
						"follows a subnode",
						off);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (!root_done)
				return fdt_fail(err, FDT_ESTRUCT,
						"fdt: FDT_END at offset 0x%x "
						"inside an open node",
						off);
			return 0;
		}
	}
}

static int check(struct fdt *f, const void *blob, size_t max,
		 struct fdt_err *err)
{
	const uint8_t *b = blob;

	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
	if (!blob || max < HEADER_BYTES)
		return fdt_fail(err, FDT_EHEADER,
				"fdt: %zu bytes is less than a header",
				blob ? max : 0);
	if (hdr(b, 0) != FDT_MAGIC)
		return fdt_fail(err, FDT_EBADMAGIC,
				"fdt: bad magic 0x%x (want 0xd00dfeed)",
				hdr(b, 0));
	f->blob = b;
	f->totalsize = hdr(b, 1);
	f->off_struct = hdr(b, 2);
	f->off_strings = hdr(b, 3);
	f->off_rsvmap = hdr(b, 4);
	f->version = hdr(b, 5);
	uint32_t last_comp = hdr(b, 6);
	f->boot_cpuid = hdr(b, 7);
	f->size_strings = hdr(b, 8);
	f->size_struct = hdr(b, 9);

	if (f->totalsize > max)
		return fdt_fail(err, FDT_EHEADER,
				"fdt: totalsize 0x%x exceeds the 0x%zx bytes "
				"available",
				f->totalsize, max);
	if (f->totalsize < HEADER_BYTES)
		return fdt_fail(err, FDT_EHEADER,
				"fdt: totalsize 0x%x is less than a header",
				f->totalsize);
	if (f->version < 16 || last_comp > 17)
		return fdt_fail(err, FDT_EVERSION,
				"fdt: version %u (last compatible %u) is not "
				"readable: need version >= 16, last "
				"compatible <= 17",
				f->version, last_comp);
	if (f->version < 17) /* size_dt_struct came with version 17 */
		f->size_struct =
			(f->off_strings > f->off_struct ? f->off_strings
							: f->totalsize) -
			f->off_struct;
	if (f->off_struct & 3u)
		return fdt_fail(err, FDT_EHEADER,
				"fdt: off_dt_struct 0x%x is not 4-byte aligned",
				f->off_struct);
	if (f->off_struct < HEADER_BYTES ||
	    !fits(f->off_struct, f->size_struct, f->totalsize))
		return fdt_fail(err, FDT_EHEADER,
				"fdt: structure block 0x%x+0x%x is outside "
				"the blob (totalsize 0x%x)",
				f->off_struct, f->size_struct, f->totalsize);
	if (f->off_strings < HEADER_BYTES ||
	    !fits(f->off_strings, f->size_strings, f->totalsize))
		return fdt_fail(err, FDT_EHEADER,
				"fdt: strings block 0x%x+0x%x is outside the "
				"blob (totalsize 0x%x)",
				f->off_strings, f->size_strings, f->totalsize);
	if (f->off_rsvmap < HEADER_BYTES || f->off_rsvmap >= f->totalsize)
		return fdt_fail(err, FDT_EHEADER,
				"fdt: off_mem_rsvmap 0x%x is outside the blob "
				"(totalsize 0x%x)",
				f->off_rsvmap, f->totalsize);
	if (overlap(f->off_struct, f->size_struct, f->off_strings,
		    f->size_strings))
		return fdt_fail(err, FDT_EHEADER,
				"fdt: structure block 0x%x+0x%x overlaps the "
				"strings block 0x%x+0x%x",
				f->off_struct, f->size_struct, f->off_strings,
				f->size_strings);
	int rc = check_rsvmap(f, err);

	if (rc)
		return rc;
	uint32_t rsv_bytes = (f->nrsv + 1) * RSV_ENTRY;

	if (overlap(f->off_rsvmap, rsv_bytes, f->off_struct, f->size_struct) ||
	    overlap(f->off_rsvmap, rsv_bytes, f->off_strings, f->size_strings))
		return fdt_fail(err, FDT_EHEADER,
				"fdt: memory reservation map 0x%x+0x%x "
				"overlaps the structure or strings block",
				f->off_rsvmap, rsv_bytes);
	return check_struct(f, err);
}

int fdt_check(struct fdt *f, const void *blob, size_t max, struct fdt_err *err)
{
	int rc;

	pd_memset(f, 0, sizeof(*f));
	rc = check(f, blob, max, err);
	if (rc) /* a blob that failed is never read again through *f */
		pd_memset(f, 0, sizeof(*f));
	return rc;
}

/* ------------------------------------------------------------------ */
/* Navigation.  Each loop advances by at least 4 bytes per token, so it
 * ends within size_struct / 4 steps whatever the blob holds. */

/** The offset of the first token after a node's name, or negative if
 * `node` is not a FDT_BEGIN_NODE token. */
static int node_body(const struct fdt *f, int node)
{
	struct token t;

	if (!f->blob || node < 0 || token_at(f, (uint32_t)node, &t, NULL) ||
	    t.tag != FDT_BEGIN_NODE)
		return -FDT_ENOTFOUND;
	return (int)t.next;
}

const char *fdt_name(const struct fdt *f, int node, size_t *len)
{
	struct token t;

	if (!f->blob || node < 0 || token_at(f, (uint32_t)node, &t, NULL) ||
	    t.tag != FDT_BEGIN_NODE)
		return NULL;
	if (len)
		*len = t.namelen;
	return (const char *)sp(f, (uint32_t)node + 4);
}

/** The first FDT_BEGIN_NODE or FDT_END_NODE at or after off, skipping
 * properties and NOPs; its tag in *tag.  Negative on malformed input. */
static int skip_props(const struct fdt *f, uint32_t off, uint32_t *tag)
{
	struct token t;

	for (;; off = t.next) {
		if (token_at(f, off, &t, NULL))
			return -FDT_ESTRUCT;
		if (t.tag == FDT_PROP || t.tag == FDT_NOP)
			continue;
		*tag = t.tag;
		return (int)off;
	}
}

int fdt_first_child(const struct fdt *f, int node)
{
	uint32_t tag;
	int off = node_body(f, node);

	if (off < 0)
		return off;
	off = skip_props(f, (uint32_t)off, &tag);
	if (off < 0)
		return off;
	return tag == FDT_BEGIN_NODE ? off : -FDT_ENOTFOUND;
}

/** The offset just past a node's FDT_END_NODE. */
static int node_end(const struct fdt *f, int node)
{
	unsigned depth = 0;
	struct token t;

	if (node_body(f, node) < 0)
		return -FDT_ENOTFOUND;
	for (uint32_t off = (uint32_t)node;; off = t.next) {
		if (token_at(f, off, &t, NULL) || t.tag == FDT_END)
			return -FDT_ESTRUCT;
		if (t.tag == FDT_BEGIN_NODE)
			depth++;
		else if (t.tag == FDT_END_NODE && --depth == 0)
			return (int)t.next;
	}
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	struct token t;
	int end = node_end(f, node);

	if (end < 0)
		return end;
	for (uint32_t off = (uint32_t)end;; off = t.next) {
		if (token_at(f, off, &t, NULL))
			return -FDT_ESTRUCT;
		if (t.tag == FDT_NOP)
			continue;
		return t.tag == FDT_BEGIN_NODE ? (int)off : -FDT_ENOTFOUND;
	}
}

int fdt_next_node(const struct fdt *f, int node)
{
	struct token t;
	int off;

	if (node < 0)
		return node_body(f, 0) < 0 ? -FDT_ENOTFOUND : 0;
	off = node_body(f, node);
	if (off < 0)
		return off;
	for (uint32_t o = (uint32_t)off;; o = t.next) {
		if (token_at(f, o, &t, NULL))
			return -FDT_ESTRUCT;
		if (t.tag == FDT_BEGIN_NODE)
			return (int)o;
		if (t.tag == FDT_END)
			return -FDT_ENOTFOUND;
	}
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	unsigned depth = 0;
	struct token t;

	if (node_body(f, node) < 0)
		return -FDT_ENOTFOUND;
	if (node == 0)
		return -FDT_ENOTFOUND;
	for (uint32_t off = 0;; off = t.next) {
		if (token_at(f, off, &t, NULL) || t.tag == FDT_END)
			return -FDT_ENOTFOUND;
		if (t.tag == FDT_BEGIN_NODE) {
			if ((int)off == node)
				return depth ? stack[depth - 1]
					     : -FDT_ENOTFOUND;
			if (depth > FDT_MAX_DEPTH)
				return -FDT_EDEPTH;
			stack[depth++] = (int)off;
		} else if (t.tag == FDT_END_NODE) {
			if (depth == 0)
				return -FDT_ESTRUCT;
			depth--;
		}
	}
}

static bool bytes_equal(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/** A path component matches a node name exactly, or, without '@', the
 * node name up to its '@' (2.2.3 "Path Names"). */
static bool name_matches(const char *name, size_t nlen, const char *comp,
			 size_t clen)
{
	bool has_at = false;

	for (size_t i = 0; i < clen; i++)
		if (comp[i] == '@')
			has_at = true;
	if (nlen == clen)
		return bytes_equal(name, comp, clen);
	return !has_at && nlen > clen && name[clen] == '@' &&
	       bytes_equal(name, comp, clen);
}

int fdt_path(const struct fdt *f, const char *path, size_t len)
{
	int node = 0;
	size_t i = 0;

	if (len == 0 || path[0] != '/' || node_body(f, 0) < 0)
		return -FDT_ENOTFOUND;
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		size_t start = i;

		while (i < len && path[i] != '/')
			i++;
		int child = fdt_first_child(f, node);

		for (; child >= 0; child = fdt_next_sibling(f, child)) {
			size_t nlen;
			const char *name = fdt_name(f, child, &nlen);

			if (name &&
			    name_matches(name, nlen, path + start, i - start))
				break;
		}
		if (child < 0)
			return -FDT_ENOTFOUND;
		node = child;
	}
	return node;
}

/* ------------------------------------------------------------------ */
/* Properties. */

static bool cstr_equal(const char *a, const char *b)
{
	size_t i = 0;

	for (; a[i] && b[i]; i++)
		if (a[i] != b[i])
			return false;
	return a[i] == b[i];
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name,
			uint32_t *len)
{
	struct token t;
	int off = node_body(f, node);

	if (off < 0)
		return NULL;
	for (uint32_t o = (uint32_t)off;; o = t.next) {
		if (token_at(f, o, &t, NULL))
			return NULL;
		if (t.tag == FDT_NOP)
			continue;
		if (t.tag != FDT_PROP)
			return NULL;
		/* token_at() proved the name NUL-terminated in its block. */
		if (cstr_equal((const char *)f->blob + f->off_strings +
				       t.nameoff,
			       name)) {
			if (len)
				*len = t.len;
			return sp(f, o + 12);
		}
	}
}

bool fdt_getprop_u32(const struct fdt *f, int node, const char *name,
		     uint32_t *out)
{
	uint32_t len;
	const void *p = fdt_getprop(f, node, name, &len);

	if (!p || len != 4)
		return false;
	*out = fdt_be32(p);
	return true;
}

int fdt_stringlist_index(const void *list, uint32_t len, const char *s)
{
	const char *l = list;
	size_t slen = pd_strlen(s);
	int idx = 0;

	for (uint32_t i = 0; i < len; idx++) {
		uint32_t n = bounded_strlen((const uint8_t *)l + i, len - i);

		if (n == slen && bytes_equal(l + i, s, n))
			return idx;
		i += n + 1;
	}
	return -1;
}

bool fdt_stringlist_contains(const void *list, uint32_t len, const char *s)
{
	return fdt_stringlist_index(list, len, s) >= 0;
}

bool fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	uint32_t len;
	const void *p = fdt_getprop(f, node, "compatible", &len);

	return p && fdt_stringlist_contains(p, len, compat);
}

int fdt_find_compatible(const struct fdt *f, int from, const char *compat)
{
	for (int n = fdt_next_node(f, from); n >= 0; n = fdt_next_node(f, n))
		if (fdt_is_compatible(f, n, compat))
			return n;
	return -FDT_ENOTFOUND;
}

uint32_t fdt_phandle(const struct fdt *f, int node)
{
	uint32_t v;

	if (fdt_getprop_u32(f, node, "phandle", &v) ||
	    fdt_getprop_u32(f, node, "linux,phandle", &v))
		return v;
	return 0;
}

int fdt_find_phandle(const struct fdt *f, uint32_t phandle)
{
	/* 0 and 0xffffffff are not phandles (2.3.3). */
	if (phandle == 0 || phandle == 0xffffffffu)
		return -FDT_ENOTFOUND;
	for (int n = fdt_next_node(f, -1); n >= 0; n = fdt_next_node(f, n))
		if (fdt_phandle(f, n) == phandle)
			return n;
	return -FDT_ENOTFOUND;
}

bool fdt_available(const struct fdt *f, int node)
{
	uint32_t len;
	const char *s = fdt_getprop(f, node, "status", &len);

	if (!s)
		return true;
	return fdt_stringlist_index(s, len, "okay") == 0 ||
	       fdt_stringlist_index(s, len, "ok") == 0;
}

static int cells_prop(const struct fdt *f, int node, const char *name, int dflt)
{
	uint32_t v;
	uint32_t len;

	if (!fdt_getprop(f, node, name, &len))
		return node_body(f, node) < 0 ? -FDT_ENOTFOUND : dflt;
	if (!fdt_getprop_u32(f, node, name, &v) || v > 2)
		return -FDT_EBADVALUE;
	return (int)v;
}

int fdt_address_cells(const struct fdt *f, int node)
{
	return cells_prop(f, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *f, int node)
{
	return cells_prop(f, node, "#size-cells", 1);
}

/** The node's reg, its parent's cell counts and its entry count. */
static int reg_layout(const struct fdt *f, int node, const uint8_t **p, int *ac,
		      int *sc)
{
	uint32_t len;
	int parent = fdt_parent(f, node);

	if (parent < 0)
		return parent;
	*ac = fdt_address_cells(f, parent);
	*sc = fdt_size_cells(f, parent);
	if (*ac < 0 || *sc < 0 || *ac == 0)
		return -FDT_EBADVALUE;
	*p = fdt_getprop(f, node, "reg", &len);
	if (!*p)
		return 0;
	uint32_t entry = 4u * (uint32_t)(*ac + *sc);

	if (len % entry)
		return -FDT_EBADVALUE;
	return (int)(len / entry);
}

int fdt_reg_count(const struct fdt *f, int node)
{
	const uint8_t *p;
	int ac, sc;

	return reg_layout(f, node, &p, &ac, &sc);
}

int fdt_reg(const struct fdt *f, int node, unsigned i, uint64_t *base,
	    uint64_t *size)
{
	const uint8_t *p;
	int ac, sc;
	int n = reg_layout(f, node, &p, &ac, &sc);

	if (n < 0)
		return n;
	if (i >= (unsigned)n)
		return -FDT_ENOTFOUND;
	p += 4u * (unsigned)(ac + sc) * i;
	*base = fdt_cells(p, (unsigned)ac);
	*size = fdt_cells(p + 4 * ac, (unsigned)sc);
	return 0;
}

int fdt_memreserve(const struct fdt *f, unsigned i, uint64_t *base,
		   uint64_t *size)
{
	if (!f->blob || i >= f->nrsv)
		return -FDT_ENOTFOUND;
	const uint8_t *e = f->blob + f->off_rsvmap + RSV_ENTRY * i;

	*base = fdt_cells(e, 2);
	*size = fdt_cells(e + 8, 2);
	return 0;
}
