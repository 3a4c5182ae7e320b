# Host test of config_validate(): plain C, with the lib's formatter, and
# every system built for the board's arch (mk/hypervisor.mk: HV_SYSTEMS),
# each compiled with system_config renamed.  Included by the top Makefile.
#
#   make suite-config

CONFIG_TEST := $(BUILD)/host/config-test
config_test_id = cfgsys_$(subst -,_,$(1))
CONFIG_TEST_SYSTEM_OBJS := $(HV_SYSTEMS:%=$(BUILD)/host/config/%.o)
CONFIG_TEST_SRCS := tests/config/test_config.c config/validate.c \
	hypervisor/lib/fmt.c hypervisor/lib/string.c

# A system of the arch's folder, or one of every arch's.
$(BUILD)/host/config/%.o: config/systems/$(ARCH)/%.c config/config.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=c11 $(WARN) -g -I. -Dsystem_config=$(call config_test_id,$*) -c $< -o $@
$(BUILD)/host/config/%.o: config/systems/%.c config/config.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=c11 $(WARN) -g -I. -Dsystem_config=$(call config_test_id,$*) -c $< -o $@

$(CONFIG_TEST): $(CONFIG_TEST_SRCS) config/config.h $(CONFIG_TEST_SYSTEM_OBJS) \
		| $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=c11 $(WARN) -g -fsanitize=address,undefined \
		-Ihypervisor/include -I. \
		-D'CFG_SYSTEMS=$(foreach s,$(HV_SYSTEMS),X($(call config_test_id,$(s))))' \
		-o $@ $(CONFIG_TEST_SRCS) $(CONFIG_TEST_SYSTEM_OBJS)

.PHONY: suite-config
suite-config: $(CONFIG_TEST)
	$(CONFIG_TEST)
SUITES += config
