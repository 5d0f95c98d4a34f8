"""Test configuration: every test runs with its own HOME, data dir and database (see fixtures/)."""

pytest_plugins = [
    "tests.fixtures.common",
    "tests.fixtures.postgres",
    "tests.fixtures.ios_sim",
    "tests.fixtures.android_sim",
]
