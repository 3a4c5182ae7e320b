# Guest images the x86-badconfig system embeds.
SYSTEM_GUESTS_x86-badconfig := x86-selftest
