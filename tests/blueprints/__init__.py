"""Tests of the Qt-free blueprint helpers."""
