"""Statistics helpers: small, dependency-free functions over lists of numbers."""

from collections import Counter


def mean(values):
    """Return the arithmetic mean of a non-empty list of numbers."""
    if not values:
        raise ValueError("mean() needs at least one value")
    return sum(values) / len(values)


def mode(values):
    """Return the most common value; ties go to the value seen first."""
    if not values:
        raise ValueError("mode() needs at least one value")
    counts = Counter(values)
    return max(counts, key=counts.__getitem__)
