# Guest images the x86-selftest system embeds.
SYSTEM_GUESTS_x86-selftest := x86-selftest
