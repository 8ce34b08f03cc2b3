"""Readers that turn files into positioned node trees."""
