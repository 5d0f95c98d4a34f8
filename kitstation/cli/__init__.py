"""The command line: thin commands over the same core the GUI uses."""
