# Guest images the guests system embeds (build/guests/x86_64/<name>.elf).
SYSTEM_GUESTS_guests := control watch basic quota hostile crash spin
