"""A guest-access link's state for diagnostics: no guest names, no PIN.

Guests appear by booking reference, zone, guest id, times and doors; the last
sync by its status, counts and RemoteLock's reasons. (Home Assistant adds the
integration's repair issues to the download, and those name bookings.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .guest_link import GuestLink


def link_diagnostics(link: GuestLink) -> dict[str, Any]:
    """Return the link's settings, guests and last sync."""
    config = link.config
    report = link.last_report
    return {
        "tag": link.tag,
        "paused": link.paused,
        "last_sync": link.last_sync.isoformat() if link.last_sync else None,
        "config": {
            "calendar": config.calendar,
            "targets": [list(ref) for ref in config.targets],
            "check_in_buffer_min": config.check_in_buffer.total_seconds() / 60,
            "check_out_buffer_min": config.check_out_buffer.total_seconds() / 60,
            "look_ahead_days": config.look_ahead.days,
            "pin_source": str(config.pin_source),
            "pin_digits": config.pin_digits,
            "access_schedule": config.access_schedule,
            "send_instructions": config.send_instructions,
            "notify": bool(config.notify),
            "hands_off": config.hands_off,
        },
        "guests": [
            {
                "booking_ref": ref,
                "zone": zone,
                "guest_id": applied.guest_id,
                "starts_at": applied.state.starts_at.isoformat(),
                "ends_at": applied.state.ends_at.isoformat(),
                "targets": [list(target) for target in applied.state.targets],
            }
            for (ref, zone), applied in sorted(link.state.applied.items())
        ],
        "pin_rejected": len(link.state.pin_rejected),
        "last_report": None
        if report is None
        else {
            "at": report.at.isoformat(),
            "status": str(report.status),
            "error": report.error,
            "bookings": report.bookings,
            "counts": report.counts(),
            "failures": [item.error for item in report.failed],
        },
    }
