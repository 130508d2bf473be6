"""The offline policy: deterministic rules, no network, no key."""

from agent.policies.offline.policy import OfflinePolicy

__all__ = ["OfflinePolicy"]
