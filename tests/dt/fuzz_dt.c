/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the device-tree reader: any input is a blob of
 * exactly its own size (ASan sees a byte past it).  A blob fdt_check()
 * accepts is also read as a platform and walked node by node, so the
 * accessors meet whatever the checker lets through.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <paddock/dt_platform.h>
#include <paddock/fdt.h>

static struct dt_platform plat;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct fdt_err err;
	struct fdt f;

	memcpy(buf, data, size);
	if (fdt_check(&f, buf, size, &err) == 0) {
		uint32_t len, sid;
		unsigned smmu;

		for (int n = fdt_next_node(&f, -1); n >= 0;
		     n = fdt_next_node(&f, n)) {
			const char *c = fdt_getprop(&f, n, "compatible", &len);

			if (c)
				fdt_stringlist_contains(c, len, "arm,pl011");
			fdt_parent(&f, n);
			fdt_reg_count(&f, n);
		}
		if (dt_platform_read(&plat, buf, size, &err) == 0)
			for (unsigned i = 0; i < plat.npci; i++)
				dt_pci_rid_to_sid(&plat, &plat.pci[i], 0x100,
						  &sid, &smmu);
	} else if (err.msg[0] == '\0' || err.code >= 0) {
		abort(); /* every refusal says why */
	}
	free(buf);
	return 0;
}
