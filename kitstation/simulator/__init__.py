"""KitStation simulator package."""
