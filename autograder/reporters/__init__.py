"""Reporters: pure functions from outcomes to a terminal table or Gradescope's results.json."""
