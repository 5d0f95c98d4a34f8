"""Tests of the adapters' preflight: a broken blueprint is refused before any device is touched."""
