# The SMP bench's one-CPU side; a test image (the test board).
SYSTEM_GUESTS_smp-bench1 := smpbench
SYSTEM_TEST_smp-bench1 := 1
