# Guest images the demo system embeds.
SYSTEM_GUESTS_demo := x86-selftest basic quota crash spin
