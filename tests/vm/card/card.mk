# The emulated card (included from tests/vm/vm.mk): L1 with the card's
# windows, the arm64 kit and cross builds, the card VM.
# Documentation/dev-tools/testing.rst, "The emulated card".
#   make kselftest-vm-card [KVER=<v>] [LEAPIO_KSFT_TESTS="test_a test_b"]
#                           the kselftests in an L1 that has the card's
#                           devices (tests/vm/card/run-l1-card.sh)

KSFT_CARD_OUT	 = build/results/kselftest-card-$(KVER)

kselftest-vm-card: kselftest-build kmod $(IVS_BIN)
	tests/vm/card/run-l1-card.sh $(KVER) tests/kselftest/l1.sh $(KSFT_CARD_OUT)
	@grep -E '^(not )?ok ' $(KSFT_CARD_OUT)/kselftest.tap || true

.PHONY: kselftest-vm-card
