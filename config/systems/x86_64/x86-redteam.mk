# Guest images the x86-redteam system embeds; a test image (the attacker
# steers its device's DMA with the test-only hypercall).
SYSTEM_GUESTS_x86-redteam := victim referee attacker
SYSTEM_TEST_x86-redteam := 1
