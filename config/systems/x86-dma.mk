# Guest images the x86-dma system embeds.
SYSTEM_GUESTS_x86-dma := x86-selftest
