"""Hummingbot V2 as the user's roadmap deploys it: an AI-livestream controller under ``StrategyV2Base``
whose ``ExecutorOrchestrator`` opens ``PositionExecutor``s (triple barrier), on Hummingbot's own paper
exchange, live paper only."""
