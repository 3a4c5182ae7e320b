/* SPDX-License-Identifier: MIT */
/*
 * The few things the generic IOMMU layer (hypervisor/iommu/) and PCI
 * enumeration (hypervisor/pci/) need from the architecture.  Each arch
 * implements them (x86_64: hypervisor/arch/x86_64/iommu.c); the host
 * tests fake them (tests/iommu/).
 */
#ifndef PADDOCK_IOMMU_GLUE_H
#define PADDOCK_IOMMU_GLUE_H

#include <paddock/types.h>

/* arch_phys_to_virt, arch_virt_to_phys, arch_dma_sync and
 * arch_log_prefix are in the arch interface. */
#include <paddock/arch.h>

/**
 * The ID a device's DMA reaches its IOMMU with: a PCI requester ID (on
 * x86, pci_requester_id(): behind a PCIe-to-PCI bridge, the bridge's
 * alias) or an Arm StreamID.  Devices are named by bus:device.function.
 */
uint32_t arch_device_requester_id(uint32_t device);

/* The IOMMU layer's and PCI's calls, for generic code that includes this. */
#include <paddock/iommu_layer.h>
#include <paddock/pci.h>

#endif
