"""KitStation: a kitting station for iPhone/iPad and Samsung Galaxy devices."""

__version__ = "0.1.0"
