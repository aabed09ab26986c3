"""Reusable pieces of the study and exam screens."""
