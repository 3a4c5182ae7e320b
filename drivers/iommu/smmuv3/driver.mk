# Arm SMMUv3 driver: its sources for the aarch64 platform to link
# (SMMUV3_SRCS, and SMMUV3_TESTOP_SRCS in test images only) and its host
# suites (tests/smmuv3/smmuv3.mk).

SMMUV3_CORE_SRCS := $(addprefix drivers/iommu/smmuv3/, smmuv3_unit.c \
	smmuv3_cmdq.c smmuv3_strtab.c smmuv3_cd.c smmuv3_asid.c \
	smmuv3_event.c smmuv3_entry.c smmuv3_mmio.c)
SMMUV3_SRCS := $(SMMUV3_CORE_SRCS) drivers/iommu/smmuv3/smmuv3_glue.c
# The test-only STE -> CD[n] redirect (docs/smmuv3.md, "Real DMA").
SMMUV3_TESTOP_SRCS := drivers/iommu/smmuv3/smmuv3_testop.c \
	drivers/iommu/smmuv3/smmuv3_glue_testop.c

include tests/smmuv3/smmuv3.mk
