# Guest images the x86-dma-guest system embeds; a test image (the
# test-only hypercall, include/public/paddock/test_op.h).
SYSTEM_GUESTS_x86-dma-guest := dma dmavictim
SYSTEM_TEST_x86-dma-guest := 1
