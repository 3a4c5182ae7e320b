// SPDX-License-Identifier: MIT
/*
 * Paddock's own glue over Linux's IDA and xarray, compiled against the
 * kernel's user-space shims (tools/testing/radix-tree, tools/include) by
 * bench/linux_peer.sh.  No Linux code here: only calls into it.
 */
#include <linux/idr.h>
#include <linux/radix-tree.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "peer_linux.h"

extern int nr_allocated;	 /* tools/testing/radix-tree/linux.c */
extern int kmalloc_nr_allocated; /* tools/lib/slab.c */

static DEFINE_IDA(ida);
static DEFINE_XARRAY_ALLOC(xa);
static DEFINE_SPINLOCK(probe_lock);
static int present; /* what the xarray stores: one pointer, like ioasid's */

void peer_init(void)
{
	rcu_register_thread();
	radix_tree_init();
}

void peer_ida_reset(void)
{
	ida_destroy(&ida);
}

int peer_ida_hold(uint32_t id)
{
	return ida_alloc_range(&ida, id, id, GFP_KERNEL) == (int)id ? 0 : -1;
}

int64_t peer_ida_alloc(uint32_t lo, uint32_t hi)
{
	int id = ida_alloc_range(&ida, lo, hi, GFP_KERNEL);

	return id < 0 ? -1 : id;
}

void peer_ida_free(uint32_t id)
{
	ida_free(&ida, id);
}

void peer_xa_reset(void)
{
	xa_destroy(&xa);
}

int peer_xa_hold(uint32_t id)
{
	return xa_insert(&xa, id, &present, GFP_KERNEL) ? -1 : 0;
}

int64_t peer_xa_alloc(uint32_t lo, uint32_t hi)
{
	u32 id;

	if (xa_alloc(&xa, &id, &present, XA_LIMIT(lo, hi), GFP_KERNEL))
		return -1;
	return id;
}

void peer_xa_erase(uint32_t id)
{
	xa_erase(&xa, id);
}

int peer_xa_load(uint32_t id)
{
	return xa_load(&xa, id) == &present;
}

long peer_objects(void)
{
	return (long)nr_allocated + kmalloc_nr_allocated;
}

void peer_lock_pair(void)
{
	spin_lock(&probe_lock);
	spin_unlock(&probe_lock);
}
