"""The bottom layer: the bench's own words as types (devices, steps' outcomes, runs, errors, events,
hand-off states). Every other package may import it; it imports only :mod:`kitstation.i18n`."""
