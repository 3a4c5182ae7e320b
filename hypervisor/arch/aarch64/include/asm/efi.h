/* SPDX-License-Identifier: MIT */
/*
 * The part of UEFI (Unified Extensible Firmware Interface Specification
 * 2.10) the aarch64 EFI stub uses (efi.c), and the hand-off from the stub
 * to the hypervisor proper (struct efi_handoff).  Only the members the stub
 * calls are typed; the others are placeholders that keep the offsets.
 * AArch64 calling convention: AAPCS64 (UEFI 2.10, 2.3.6.3), so the
 * function pointers are plain C ones.
 */
#ifndef ASM_EFI_H
#define ASM_EFI_H

#include <paddock/efi_memory.h>
#include <paddock/types.h>

typedef uint64_t efi_status_t;
typedef void *efi_handle_t;
typedef uint16_t efi_char16_t;

/* Appendix D, Status Codes: errors have the top bit set. */
#define EFI_ERROR_BIT	      (1ull << 63)
#define EFI_SUCCESS	      0ull
#define EFI_LOAD_ERROR	      (EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER (EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED	      (EFI_ERROR_BIT | 3)
#define EFI_BUFFER_TOO_SMALL  (EFI_ERROR_BIT | 5)
#define EFI_OUT_OF_RESOURCES  (EFI_ERROR_BIT | 9)
#define EFI_NOT_FOUND	      (EFI_ERROR_BIT | 14)

/* 2.6.1 / Appendix A: EFI_GUID, 128 bits, the first three fields little
 * endian. */
struct efi_guid {
	uint32_t data1;
	uint16_t data2, data3;
	uint8_t data4[8];
};

/* 4.2 EFI_TABLE_HEADER. */
struct efi_table_header {
	uint64_t signature;
	uint32_t revision; /* major << 16 | minor (2.70 is 2 << 16 | 70) */
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
};

/* 12.4 EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL: the console (ConOut). */
struct efi_simple_text_output {
	void *reset;
	efi_status_t (*output_string)(struct efi_simple_text_output *self,
				      const efi_char16_t *string);
};

/* 7.2 EFI_ALLOCATE_TYPE. */
#define EFI_ALLOCATE_ADDRESS 2

/* 4.4 EFI_BOOT_SERVICES, up to ExitBootServices(). */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	efi_status_t (*allocate_pages)(uint32_t type, uint32_t memory_type,
				       uint64_t pages, uint64_t *memory);
	efi_status_t (*free_pages)(uint64_t memory, uint64_t pages);
	efi_status_t (*get_memory_map)(uint64_t *map_size,
				       struct efi_memory_descriptor *map,
				       uint64_t *map_key,
				       uint64_t *descriptor_size,
				       uint32_t *descriptor_version);
	efi_status_t (*allocate_pool)(uint32_t pool_type, uint64_t size,
				      void **buffer);
	efi_status_t (*free_pool)(void *buffer);
	void *create_event, *set_timer, *wait_for_event, *signal_event,
		*close_event, *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface,
		*uninstall_protocol_interface;
	efi_status_t (*handle_protocol)(efi_handle_t handle,
					const struct efi_guid *protocol,
					void **interface);
	void *reserved, *register_protocol_notify, *locate_handle,
		*locate_device_path, *install_configuration_table;
	void *load_image, *start_image, *exit, *unload_image;
	efi_status_t (*exit_boot_services)(efi_handle_t image,
					   uint64_t map_key);
};

/* 4.6 EFI_CONFIGURATION_TABLE: one GUID-named table of the firmware. */
struct efi_configuration_table {
	struct efi_guid vendor_guid;
	void *vendor_table;
};

/* 4.3 EFI_SYSTEM_TABLE. */
struct efi_system_table {
	struct efi_table_header hdr;
	const efi_char16_t *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle_t console_in_handle;
	void *con_in;
	efi_handle_t console_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle_t standard_error_handle;
	struct efi_simple_text_output *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};

/* 9.1 EFI_LOADED_IMAGE_PROTOCOL: where the command line is (LoadOptions,
 * UCS-2 when a shell or a boot entry with options started the image). */
struct efi_loaded_image {
	uint32_t revision;
	efi_handle_t parent_handle;
	struct efi_system_table *system_table;
	efi_handle_t device_handle;
	void *file_path;
	void *reserved;
	uint32_t load_options_size; /* bytes */
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t image_code_type, image_data_type;
	void *unload;
};

/* 10.2 EFI_DEVICE_PATH_PROTOCOL: a list of nodes, each with its length,
 * ending with type 0x7f. */
struct efi_device_path {
	uint8_t type, subtype;
	uint8_t length[2]; /* little endian, the header included */
};
#define EFI_DEVICE_PATH_END	 0x7f
#define EFI_DEVICE_PATH_MEDIA	 4
#define EFI_DEVICE_PATH_FILEPATH 4 /* 10.3.5.4: a UCS-2 path follows */

/* 13.5 EFI_FILE_PROTOCOL, up to Read(). */
struct efi_file {
	uint64_t revision;
	efi_status_t (*open)(struct efi_file *self, struct efi_file **new_file,
			     const efi_char16_t *name, uint64_t mode,
			     uint64_t attributes);
	efi_status_t (*close)(struct efi_file *self);
	void *delete_file;
	efi_status_t (*read)(struct efi_file *self, uint64_t *size,
			     void *buffer);
};
#define EFI_FILE_MODE_READ 1ull

/* 13.4 EFI_SIMPLE_FILE_SYSTEM_PROTOCOL. */
struct efi_simple_file_system {
	uint64_t revision;
	efi_status_t (*open_volume)(struct efi_simple_file_system *self,
				    struct efi_file **root);
};

/*
 * What the stub hands to the hypervisor proper: kept in .data, so the
 * Image entry's .bss clearing leaves it alone; zero (no magic) when a
 * loader other than UEFI (QEMU -kernel, U-Boot booti) started the Image.
 * Addresses only, no pointers: the stub runs where the firmware loaded the
 * image, the hypervisor where the stub copied it.
 */
#define EFI_HANDOFF_MAGIC      0x31304946454b4450ull /* "PDKEFI01" */
#define EFI_HANDOFF_MAX_RANGES 64

/** One range of the EFI memory map the firmware still owns after
 * ExitBootServices(), with its EFI memory type. */
struct efi_kept_range {
	uint64_t base, size;
	uint32_t type;
	uint32_t pad;
};

struct efi_handoff {
	uint64_t magic;
	uint32_t firmware_revision;
	uint32_t uefi_revision;
	char firmware_vendor[32];
	char cmdline[256]; /* from LoadOptions; "" if there were none */
	uint64_t dtb;
	uint32_t boot_services_gone; /* the system table says they exited */
	uint32_t nkept;
	uint32_t kept_merged; /* ranges past the table, folded into the last */
	struct efi_kept_range kept[EFI_HANDOFF_MAX_RANGES];
};

/** The hand-off: filled by the stub, read by setup.c. */
extern struct efi_handoff efi_handoff;

/** The EFI memory type's name, for the boot log. */
const char *efi_memory_type_name(uint32_t type);

struct arm_platform;
/** When the EFI stub started the hypervisor: prints what it handed over
 * (the firmware, the ranges it keeps) and takes its command line, if
 * any, over the tree's /chosen/bootargs.  Nothing otherwise. */
void efi_take_handoff(struct arm_platform *p);

/** Whether [lo, hi) overlaps memory the firmware keeps (false when
 * another loader started the Image). */
bool efi_kept_overlap(uint64_t lo, uint64_t hi);

/** The stub's C part, called by efi_entry (efi_entry.S) with the image
 * relocated where the firmware put it.  Returns only on a refusal. */
efi_status_t efi_main(efi_handle_t image, struct efi_system_table *st);

/** efi_entry.S: leaves the firmware's world (MMU and D-cache off at EL2,
 * I-cache invalidated) and enters the Image at `image` with x0 = dtb. */
__attribute__((noreturn)) void efi_enter_image(uint64_t image,
					       uint64_t image_bytes,
					       uint64_t dtb,
					       uint64_t dtb_bytes);

#endif
