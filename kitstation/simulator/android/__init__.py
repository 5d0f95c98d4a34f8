"""KitStation simulator android package."""
