"""The table of SMS providers: SMS_BACKEND names one, members' channel table gets its `send` at start-up
(apps.py), and its delivery-report endpoint reads reports with its `read_report`."""

from types import ModuleType

from messaging import msegat, taqnyat, unifonic

CLIENTS: dict[str, ModuleType] = {client.NAME: client for client in (unifonic, taqnyat, msegat)}
