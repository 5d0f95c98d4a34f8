"""KitStation ios package."""
