"""Tell the host: a link's ``notify`` target gets the guest's name, PIN and validity.

The target is a notify entity (``notify.send_message``) or a notify action such as
``notify.mobile_app_phone``. The texts are translated (the ``exceptions`` category
of the integration's translations holds them, in the user's language). A message
holds a PIN only when it goes to the host's own target; nothing here is logged
with its text.
"""

from __future__ import annotations

from homeassistant.components.notify import DOMAIN as NOTIFY_DOMAIN
from homeassistant.components.persistent_notification import (
    async_create as async_create_notification,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN, LOGGER

SEND_MESSAGE = "send_message"


def notify_target_exists(hass: HomeAssistant, target: str) -> bool:
    """Return whether ``target`` is a notify entity or a notify action."""
    domain, _, name = target.partition(".")
    if domain != NOTIFY_DOMAIN or not name:
        return False
    return hass.states.get(target) is not None or hass.services.has_service(
        NOTIFY_DOMAIN, name
    )


async def async_message(
    hass: HomeAssistant, key: str, placeholders: dict[str, str]
) -> str:
    """Return the translated text ``key`` (exceptions category) filled in."""
    translations = await async_get_translations(
        hass, hass.config.language, "exceptions", {DOMAIN}
    )
    text = translations.get(f"component.{DOMAIN}.exceptions.{key}.message", key)
    try:
        return text.format(**placeholders)
    except KeyError, IndexError, ValueError:
        return text


async def async_tell_host(
    hass: HomeAssistant, target: str | None, title: str, message: str
) -> bool:
    """Send ``message`` to the link's notify target; return whether it went out."""
    if not target:
        return False
    name = target.partition(".")[2]
    try:
        if hass.states.get(target) is not None:
            await hass.services.async_call(
                NOTIFY_DOMAIN,
                SEND_MESSAGE,
                {"entity_id": target, "title": title, "message": message},
                blocking=True,
            )
        elif hass.services.has_service(NOTIFY_DOMAIN, name):
            await hass.services.async_call(
                NOTIFY_DOMAIN,
                name,
                {"title": title, "message": message},
                blocking=True,
            )
        else:
            LOGGER.warning("Guest access: the notify target %s does not exist", target)
            return False
    except Exception as err:  # noqa: BLE001 - whatever the target raises
        # The text (it may hold a PIN) is not logged, nor the error's message.
        LOGGER.warning(
            "Guest access: could not notify %s (%s)", target, type(err).__name__
        )
        return False
    return True


def tell_host_in_ui(
    hass: HomeAssistant, notification_id: str, title: str, text: str
) -> None:
    """Show a persistent notification (texts here never hold a PIN)."""
    async_create_notification(hass, text, title=title, notification_id=notification_id)
