# Guest images the dma-guest system embeds; a test image (the
# test-only hypercall, include/public/paddock/test_op.h).
SYSTEM_GUESTS_dma-guest := dma dmavictim
SYSTEM_TEST_dma-guest := 1
