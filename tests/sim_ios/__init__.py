"""Tests of the simulated iOS devices, driven through pymobiledevice3 as a station would."""
