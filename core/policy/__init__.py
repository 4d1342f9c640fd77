"""The policy decision point: business permissions decided by versioned Cedar policies, every decision logged."""

from core.policy.decision import ACTIONS, MONEY_ACTIONS, Decision, PolicyDecisionPoint, Subject, Target

__all__ = ["ACTIONS", "MONEY_ACTIONS", "Decision", "PolicyDecisionPoint", "Subject", "Target"]
