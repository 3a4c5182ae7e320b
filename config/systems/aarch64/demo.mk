# Guest images the aarch64 demo system embeds.
SYSTEM_GUESTS_demo := arm64-selftest control watch basic quota crash spin
