# shellcheck shell=sh
# The vdev both sides of the SoC pair agree on in advance (sourced by
# tests/vm/card/l1-soc-l2.sh in L1 and card-soc-serve.sh on the card, both
# of which see this tree): L1 creates the mdev with this UUID and
# geometry, the card's leapiod is configured with the same UUID before
# the mdev exists and serves it from the card's own SSD, which must hold
# the namespace (card-lib.sh's LEAPIO_CARD_SSD, default 256M).
SOC_VDEV_UUID=c0ffee00-1ea9-4c0d-8a5d-00000000ca2d
SOC_VDEV_TYPE=leapio-4q
SOC_NS_SIZE=$((128 << 20))
SOC_LBA_SIZE=4096
# L1's side of the card (run-l1-card.sh): the host-facing function.
SOC_HOST_FN=0000:00:10.0
