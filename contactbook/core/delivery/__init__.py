"""Telling people things: `notify()` stores inbox and outbox rows, the worker sends them.

Here live the inbox, the delivery outbox and push subscriptions (models), `notify()`, the
worker and its sending loop, the channels (Web Push, email, SMS), the push subscription API and
VAPID keys. It may import `directory` and `platform`; `demo`, the app factory and modules
(through these public names) import it.
"""

from contactbook.core.delivery.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from contactbook.core.delivery.notify import (
    FamilyNews,
    notify,
    notify_each,
    notify_families,
    withdraw,
)

__all__ = [
    "Delivery",
    "DeliveryStatus",
    "FamilyNews",
    "Notification",
    "NotificationPreference",
    "PushSubscription",
    "notify",
    "notify_each",
    "notify_families",
    "withdraw",
]
