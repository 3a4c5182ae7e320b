# Guest images the x86-bench system embeds.
SYSTEM_GUESTS_x86-bench := x86-selftest
