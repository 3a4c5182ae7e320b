SYSTEM_GUESTS_arm64-bench := arm64-selftest
