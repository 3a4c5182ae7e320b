# The SMP bench's four-CPU side; a test image (the test board).
SYSTEM_GUESTS_smp-bench4 := smpbench
SYSTEM_TEST_smp-bench4 := 1
