"""Tests of the Android adapter, intake, KME and QR provisioning."""
