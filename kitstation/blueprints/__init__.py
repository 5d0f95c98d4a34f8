"""Blueprints: versioned, human-editable TOML files holding the Prepare options per platform."""

from kitstation.blueprints.loader import BlueprintError, load_blueprint, loads_blueprint
from kitstation.blueprints.model import Blueprint

__all__ = ["Blueprint", "BlueprintError", "load_blueprint", "loads_blueprint"]
