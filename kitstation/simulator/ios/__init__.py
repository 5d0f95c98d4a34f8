"""KitStation simulator ios package."""
