"""Command implementations that do more than call the engine."""
