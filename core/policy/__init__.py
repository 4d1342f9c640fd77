"""The policy decision point: business permissions decided by versioned Cedar policies, every decision logged."""

from core.policy.decision import ACTIONS, Decision, PolicyDecisionPoint, Subject, Target

__all__ = ["ACTIONS", "Decision", "PolicyDecisionPoint", "Subject", "Target"]
