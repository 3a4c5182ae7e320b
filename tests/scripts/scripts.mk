# Host checks of scripts/ (the QEMU run and its verdicts) and of the
# board selection, with a stand-in for QEMU.  Included by the top Makefile.
#
#   make suite-scripts

.PHONY: suite-scripts
suite-scripts: $(DEPS_STAMP)
	@bash tests/scripts/check.sh $(BOARDS)
SUITES += scripts
