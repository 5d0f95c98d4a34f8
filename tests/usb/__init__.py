"""Tests of the pyusb listing on a simulated USB tree."""
