"""The station's core: domain types, device protocols, the kitting pipeline and the bench.

Nothing here imports Qt or a device library (an import-linter contract checks it).
"""
