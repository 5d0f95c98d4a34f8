"""KitStation reports package."""
