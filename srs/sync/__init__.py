"""Sync through a shared folder: each device appends its own events; merging is a union.

`sync(store, folder)` writes this device's new events (reviews, undos, exam attempts and
outcomes, settings and card flags) as an immutable segment in `folder/<device>/` and merges every
other device's; `sync_status(store)` says where that stands. See docs/sync.md.
"""

from srs.sync.run import DeviceStatus, SyncError, SyncReport, SyncStatus, sync, sync_status

__all__ = ["DeviceStatus", "SyncError", "SyncReport", "SyncStatus", "sync", "sync_status"]
