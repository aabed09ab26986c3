"""Sync through a shared folder: each device appends its own events; merging is a union."""
