# Guest images the x86-dma system embeds.
SYSTEM_GUESTS_x86-dma := x86-selftest
# A test image: the synthetic RMRR of "paddock.test=rmrr" (test/testop.c).
SYSTEM_TEST_x86-dma := 1
