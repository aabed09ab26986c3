"""`srs sync [DIR]`: share this device's answers through a folder and merge the others'."""

from __future__ import annotations

from pathlib import Path

import click

from srs.cli.common import fail, open_store, print_json

__all__ = ["sync"]


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--status", is_flag=True, help="Show the devices seen and what is pending; change nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def sync(ctx: click.Context, folder: Path | None, status: bool, as_json: bool) -> None:
    """Sync through a shared FOLDER (Syncthing, Dropbox, a network share, a git work tree).

    The first `srs sync FOLDER` sets the folder; later, `srs sync` alone uses it. Each device
    writes only its own files there, so there is never a conflict to resolve. See docs/sync.md.

    \b
    Example:
      srs sync ~/Sync/srs        # once, on each device
      srs sync                   # after studying, and before
      srs sync --status --json
    """
    from srs.sync import SyncError, sync_status
    from srs.sync import sync as run_sync

    with open_store(ctx) as store:
        if status:
            if folder is not None:
                fail("--status shows the folder already set: leave out FOLDER")
            _show_status(sync_status(store).to_dict(), as_json)
            return
        try:
            report = run_sync(store, folder)
        except SyncError as exc:
            fail(str(exc))
    for problem in report.problems:
        click.echo(f"srs: {problem}", err=True)
    if as_json:
        print_json(
            {
                "folder": str(report.folder),
                "device": report.device,
                "written": report.written,
                "exported": report.exported,
                "merged": report.merged,
                "held": report.held,
                "problems": report.problems,
            }
        )
        return
    merged = sum(report.merged.values())
    click.echo(
        f"Synced with {report.folder}: {report.exported} events shared"
        f"{f' ({report.written})' if report.written else ''}, {merged} merged"
        f"{f', {report.held} held (deck or card missing here)' if report.held else ''}."
    )


def _show_status(status: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(status)
        return
    if status["folder"] is None:
        click.echo(f"Device {status['device']}: sync is not set up (srs sync FOLDER).")
        return
    click.echo(f"Device {status['device']}, folder {status['folder']}")
    click.echo(f"Last sync: {status['last_sync'] or 'never'}")
    pending = status["pending"]
    assert isinstance(pending, dict)
    waiting = ", ".join(f"{n} {kind}" for kind, n in pending.items() if n) or "nothing"
    click.echo(f"Pending here: {waiting}")
    sent = status["sent"]
    assert isinstance(sent, int)
    own = f"{_segments(sent)} sent" if sent else "nothing sent yet"
    click.echo(f"  this device ({status['device']}): {own}")
    devices = status["devices"]
    assert isinstance(devices, list)
    for device in devices:
        if device["merged"] or device["waiting"]:
            seen = f"{_segments(device['merged'])} merged, {device['waiting']} not merged yet"
        else:
            seen = "nothing sent yet"  # it has synced (its folder is there) but only received
        click.echo(f"  device {device['device']}: {seen}")


def _segments(count: int) -> str:
    return f"{count} segment{'' if count == 1 else 's'}"
