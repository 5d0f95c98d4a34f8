"""KitStation usb package."""
