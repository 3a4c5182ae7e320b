/* SPDX-License-Identifier: MIT */
/*
 * The few things the generic IOMMU layer (hypervisor/iommu/) and PCI
 * enumeration (hypervisor/pci/) need from the architecture.  Each arch
 * implements them (x86_64: hypervisor/arch/x86_64/iommu.c); the host
 * tests fake them (tests/iommu/).  They belong with the other arch_*
 * hooks and are meant to move into the one arch interface header.
 */
#ifndef PADDOCK_IOMMU_GLUE_H
#define PADDOCK_IOMMU_GLUE_H

#include <paddock/types.h>

/** The hypervisor's mapping of physical memory (tables, ECAM, registers). */
void *arch_phys_to_virt(uint64_t pa);
uint64_t arch_virt_to_phys(const void *va);

/**
 * Writes [va, va + len) back to memory for an IOMMU whose table walks do
 * not snoop the CPU caches, ordered before whatever the caller does next
 * (an invalidation).
 */
void arch_dma_flush(const void *va, size_t len);

/**
 * The ID a device's DMA reaches its IOMMU with: a PCI requester ID (on
 * x86, pci_requester_id(): behind a PCIe-to-PCI bridge, the bridge's
 * alias) or an Arm StreamID.  Devices are named by bus:device.function.
 */
uint32_t arch_device_requester_id(uint32_t device);

/** The prefix of the hypervisor's own log lines ("x86"). */
extern const char arch_name[];

#endif
