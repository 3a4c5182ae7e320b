# Guest images the x86-irq system embeds; a test image (the test-only
# hypercall STEER, include/public/paddock/test_op.h).
SYSTEM_GUESTS_x86-irq := irqstorm irqvictim linger
SYSTEM_TEST_x86-irq := 1
