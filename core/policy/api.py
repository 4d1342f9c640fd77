"""The policy decision point's facade: describe who acts, what and on which object; the Cedar
policies decide and every decision is logged."""

from core.policy.decision import ACTIONS, MONEY_ACTIONS, Decision, PolicyDecisionPoint, Subject, Target

__all__ = ["ACTIONS", "MONEY_ACTIONS", "Decision", "PolicyDecisionPoint", "Subject", "Target"]
