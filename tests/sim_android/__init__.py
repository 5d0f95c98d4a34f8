"""Tests of the simulated Galaxy phones (issue #4)."""
