"""KitStation android package."""
