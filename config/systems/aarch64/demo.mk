# Guest images the aarch64 demo system embeds.  A test image: its dma
# domain steers its edu's DMA to a PASID with the test-only hypercall.
SYSTEM_GUESTS_demo := arm64-selftest control watch basic quota crash spin dma
SYSTEM_TEST_demo := 1
