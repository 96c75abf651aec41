"""Scheduling beyond one review, as pure functions (no Flask, no database): `srs.py` stays
the one home of FSRS's review rule and replay; these build on it.

items.py            a review log as fsrs-rs training items (first review of each study day)
evaluation.py       log loss and RMSE (bins) of parameters on reviews
fitting.py          a student's own parameters (fsrs-rs), kept only if they predict better
class_difficulty.py item difficulty from the class, and whether it helps (held-out students)
balancing.py        load balancing and easy days within FSRS's fuzz range
memory_stats.py     true retention, retrievability now, forecast
whatif.py           workload and retention at each desired retention (fsrs-rs's simulator)
simulation.py       simulated students with known memory, for the bench and the tests
"""
