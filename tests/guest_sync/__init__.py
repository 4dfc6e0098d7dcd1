"""Tests of calendar-driven guest access (plain Python)."""
