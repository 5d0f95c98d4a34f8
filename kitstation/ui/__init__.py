"""KitStation ui package."""
