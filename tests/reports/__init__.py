"""Tests of the kitting reports (kitstation.reports) and ``kitstation report``."""
