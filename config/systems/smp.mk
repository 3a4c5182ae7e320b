# Guest images the smp system embeds; a test image (the end of the run
# checks the PASID manager's invariants, hypervisor/test/testop.c).
SYSTEM_GUESTS_smp := smpworker smpcontrol
SYSTEM_TEST_smp := 1
