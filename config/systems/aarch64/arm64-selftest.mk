# Guest images the arm64-selftest system embeds.
SYSTEM_GUESTS_arm64-selftest := arm64-selftest
