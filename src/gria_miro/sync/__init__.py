"""Push: the state store, the pure planner and the code that applies a plan to a board."""
