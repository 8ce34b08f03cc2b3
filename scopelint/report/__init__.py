"""Reporters: one module per output format. A reporter renders; it never decides."""
