# LAVA: the boards' jobs, rendered from one description per board
# (ci/lava/boards/<board>.yaml) and run offline with lava-dispatcher's
# lava-run (docs/lava.md).  Included by the top Makefile after the board,
# the arch and the image build, whose variables it hands the generator.
#
#   make lava [PLATFORM=<board>]   run the QEMU jobs (every board with a
#                                  description, or the one named) and print
#                                  each test case's result
#   make suite-lava                the same for every board, in make test
#   make lava-templates            rewrite the committed hardware templates
#                                  (ci/lava/hw/<name>.yaml) from the
#                                  descriptions
#   make lava-generate             one board's jobs, in build/lava/<board>/
#                                  (LAVA_IMAGE_URL=<url>: its QEMU job
#                                  fetches <url>/<system>/<image> instead of
#                                  this machine's files, for a lab)

LAVA_PY := /usr/bin/python3
LAVA_JOBS := $(LAVA_PY) ci/lava/lava-jobs.py
LAVA_BUILD := $(BUILD)/lava
LAVA_DIR := $(LAVA_BUILD)/$(PLATFORM)
LAVA_DESC := ci/lava/boards/$(PLATFORM).yaml
LAVA_IMAGE_URL ?=
# The boards that have a LAVA description.
LAVA_BOARDS := $(filter $(BOARDS),$(basename $(notdir $(wildcard ci/lava/boards/*.yaml))))
# make lava PLATFORM=<board> runs that board's job; plain make lava, all.
LAVA_RUN_BOARDS := $(if $(filter command line environment,$(origin PLATFORM)),$(PLATFORM),$(LAVA_BOARDS))

# The domains of each system, from its own configuration compiled on the
# host (ci/lava/system-domains.c): what the judge expects a summary row of.
define LAVA_DOMAINS_RULE
$(LAVA_DIR)/$(1).domains: $(2) ci/lava/system-domains.c config/config.h | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(HOST_CC) -std=c11 $(WARN) -I. -o $$@.bin ci/lava/system-domains.c $(2)
	./$$@.bin >$$@
endef
$(foreach s,$(HV_SYSTEM_SRCS),$(eval $(call LAVA_DOMAINS_RULE,$(basename $(notdir $(s))),$(s))))

# One board's jobs: build the images of the systems its description names
# (and their domain lists), tell the generator which guest images each
# system embeds, then render the QEMU job, the expectations and the
# hardware templates into $(LAVA_DIR).
.PHONY: lava-generate
lava-generate: | $(DEPS_STAMP)
	@test -f $(LAVA_DESC) || { echo "lava: no $(LAVA_DESC)"; exit 1; }
	@mkdir -p $(LAVA_DIR)
	@systems=$$($(LAVA_JOBS) systems $(LAVA_DESC)) || exit 1; \
	$(MAKE) --no-print-directory $$(for s in $$systems; do \
		echo $(HV_BUILD)/$$s/$(HV_IMAGE) $(LAVA_DIR)/$$s.domains; done) \
		>$(LAVA_DIR)/build.log 2>&1 || \
		{ tail -n 30 $(LAVA_DIR)/build.log; exit 1; }
	@printf '%s\n' $(foreach s,$(HV_SYSTEMS),'$(s): $(HV_GUEST_ELFS_$(s))') \
		>$(LAVA_DIR)/guests.txt
	@rm -rf $(LAVA_DIR)/hw $(LAVA_DIR)/expected $(LAVA_DIR)/expected.yaml
	@$(LAVA_JOBS) generate $(LAVA_DESC) $(LAVA_DIR) --arch $(ARCH) \
		--log-prefix $(ARCH_LOG_PREFIX) --image-dir $(HV_BUILD) \
		--image-name $(HV_IMAGE) --qemu-args '$(BOARD_QEMU_ARGS)' \
		--timeout $(BOARD_TIMEOUT) --guests $(LAVA_DIR)/guests.txt \
		--domains-dir $(LAVA_DIR) --image-url-base '$(LAVA_IMAGE_URL)'

# The suite: schema, templates, both boards' QEMU jobs run and judged
# (scripts/lava.sh).  lava-run needs root: as another user it fails,
# saying so.  Each board's job takes a few seconds of QEMU; the bound
# covers building the images too.
.PHONY: suite-lava lava lava-templates
suite-lava: | $(DEPS_STAMP)
	@bash scripts/lava.sh $(LAVA_BOARDS)
SUITES += lava
export SUITE_TIMEOUT_lava ?= 300

lava: | $(DEPS_STAMP)
	@bash scripts/lava.sh $(LAVA_RUN_BOARDS)

lava-templates: | $(DEPS_STAMP)
	@mkdir -p ci/lava/hw
	@for b in $(LAVA_BOARDS); do \
		$(MAKE) --no-print-directory -s PLATFORM=$$b lava-generate || exit 1; \
		rm -f $$(grep -l "^  paddock.board: $$b$$" ci/lava/hw/*.yaml 2>/dev/null); \
		cp $(LAVA_BUILD)/$$b/hw/*.yaml ci/lava/hw/; \
		echo "lava: $$b: $$(cd $(LAVA_BUILD)/$$b/hw && echo *.yaml) in ci/lava/hw/"; \
	done
