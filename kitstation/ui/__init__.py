"""The station's window (PySide6 + qasync): the only package that imports Qt. See docs/ui.md."""
